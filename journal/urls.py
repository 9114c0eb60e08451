from django.urls import path

from journal.feeds import CohortFeed, CommentsFeed, JournalFeed, ThingFeed
from journal.views import (
    blogs,
    comments,
    deleting,
    feeds,
    images,
    likes,
    open_programmes,
    pages,
    records,
    reflection,
    search,
    writing,
)

app_name = "journal"

urlpatterns = [
    path("p/<slug:programme>/", open_programmes.programme, name="open_programme"),
    path(
        "p/<slug:programme>/things/<slug:thing>/",
        open_programmes.thing,
        name="open_thing",
    ),
    path("c/<slug:cohort>/", pages.cohort, name="cohort"),
    path("c/<slug:cohort>/people/", pages.people, name="people"),
    path("c/<slug:cohort>/blog/", blogs.linked_blog, name="linked_blog"),
    path("c/<slug:cohort>/blog/read/", blogs.read_blog_now, name="read_linked_blog"),
    path("c/<slug:cohort>/blog/unlink/", blogs.unlink_blog, name="unlink_blog"),
    path(
        "c/<slug:cohort>/blog/posts/<int:pk>/thing/",
        blogs.match_post,
        name="match_linked_post",
    ),
    path("c/<slug:cohort>/things/<slug:thing>/", pages.thing, name="thing"),
    path("write/", writing.write, name="write"),
    path("write/autosave/", writing.autosave_new, name="autosave_new"),
    path(
        "write/<slug:cohort>/<slug:thing>/",
        writing.write_on_thing,
        name="write_on_thing",
    ),
    path(
        "write/<slug:cohort>/<slug:thing>/autosave/",
        writing.autosave_new_on_thing,
        name="autosave_new_on_thing",
    ),
    path("write/deleted/", deleting.deleted_entries, name="deleted_entries"),
    path(
        "write/deleted/<int:pk>/restore/",
        deleting.restore_entry,
        name="restore_entry",
    ),
    path("comments/<int:pk>/edit/", comments.edit_comment, name="edit_comment"),
    path("comments/<int:pk>/delete/", comments.delete_comment, name="delete_comment"),
    path("@<str:username>/", pages.journal, name="journal"),
    # Before the entry's pattern, which would take "feed" for a slug.
    path("@<str:username>/feed/", JournalFeed(), name="journal_feed"),
    path("@<str:username>/<slug:slug>/", pages.entry, name="entry"),
    path("@<str:username>/<slug:slug>/edit/", writing.edit_entry, name="edit_entry"),
    path(
        "@<str:username>/<slug:slug>/delete/",
        deleting.delete_entry,
        name="delete_entry",
    ),
    path(
        "@<str:username>/<slug:slug>/unpublish/",
        deleting.unpublish_entry,
        name="unpublish_entry",
    ),
    path("@<str:username>/<slug:slug>/autosave/", writing.autosave, name="autosave"),
    path("@<str:username>/<slug:slug>/history/", writing.history, name="history"),
    path(
        "@<str:username>/<slug:slug>/reflection/",
        reflection.reflection,
        name="reflection",
    ),
    path(
        "@<str:username>/<slug:slug>/history/<int:pk>/restore/",
        writing.restore_revision,
        name="restore_revision",
    ),
    path(
        "@<str:username>/<slug:slug>/autosaved/discard/",
        writing.discard_autosaved,
        name="discard_autosaved",
    ),
    path(
        "@<str:username>/<slug:slug>/comments/",
        comments.add_comment,
        name="add_comment",
    ),
    path("@<str:username>/<slug:slug>/like/", likes.like, name="like"),
    path("@<str:username>/<slug:slug>/unlike/", likes.unlike, name="unlike"),
    path("@<str:username>/<slug:slug>/likes/", likes.likers, name="likers"),
    path("images/upload/", images.upload, name="upload_image"),
    path("images/<slug:public_id>/", images.image, name="image"),
    path("images/<slug:public_id>/<int:width>/", images.image, name="image_width"),
    path("images/<slug:public_id>/describe/", images.describe, name="describe_image"),
    path("cpd/", records.cpd_log, name="cpd_log"),
    path("cpd/cpd-log.csv", records.cpd_log_csv, name="cpd_log_csv"),
    path("export/", records.export, name="export"),
    path("search/", search.search, name="search"),
    # Feeds: public ones beside their pages, private ones under the reader's key.
    path("c/<slug:cohort>/feed/", CohortFeed(), name="cohort_feed"),
    path("c/<slug:cohort>/things/<slug:thing>/feed/", ThingFeed(), name="thing_feed"),
    path(
        "@<str:username>/<slug:slug>/comments/feed/",
        CommentsFeed(),
        name="comments_feed",
    ),
    path("c/<slug:cohort>/feeds.opml", feeds.cohort_opml, name="cohort_opml"),
    path("feeds/", feeds.feeds, name="feeds"),
    path("feeds/renew/", feeds.renew_feed_links, name="renew_feed_links"),
    path(
        "feeds/<slug:key>/@<str:username>/",
        JournalFeed(),
        name="private_journal_feed",
    ),
    path("feeds/<slug:key>/c/<slug:cohort>/", CohortFeed(), name="private_cohort_feed"),
    path(
        "feeds/<slug:key>/c/<slug:cohort>/things/<slug:thing>/",
        ThingFeed(),
        name="private_thing_feed",
    ),
    path(
        "feeds/<slug:key>/@<str:username>/<slug:slug>/comments/",
        CommentsFeed(),
        name="private_comments_feed",
    ),
]
