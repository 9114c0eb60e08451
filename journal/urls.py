from django.urls import path

from journal.views import comments, pages, records, writing

app_name = "journal"

urlpatterns = [
    path("c/<slug:cohort>/", pages.cohort, name="cohort"),
    path("c/<slug:cohort>/people/", pages.people, name="people"),
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
    path("comments/<int:pk>/edit/", comments.edit_comment, name="edit_comment"),
    path("comments/<int:pk>/delete/", comments.delete_comment, name="delete_comment"),
    path("@<str:username>/", pages.journal, name="journal"),
    path("@<str:username>/<slug:slug>/", pages.entry, name="entry"),
    path("@<str:username>/<slug:slug>/edit/", writing.edit_entry, name="edit_entry"),
    path("@<str:username>/<slug:slug>/autosave/", writing.autosave, name="autosave"),
    path("@<str:username>/<slug:slug>/history/", writing.history, name="history"),
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
    path("cpd/", records.cpd_log, name="cpd_log"),
    path("cpd/cpd-log.csv", records.cpd_log_csv, name="cpd_log_csv"),
    path("export/", records.export, name="export"),
]
