from django.contrib import admin

from core import freshness
from core.admin import SaysWhatChanged
from journal.models import Comment, Entry, LinkedBlog


@admin.register(Entry)
class EntryAdmin(SaysWhatChanged):
    list_display = ["title", "author", "cohort", "thing", "visibility", "status"]
    list_filter = ["status", "visibility", "cohort"]
    search_fields = ["title", "author__username"]
    raw_id_fields = ["author", "cohort", "thing"]

    def changed(self, obj: Entry) -> None:
        if obj.cohort_id is not None:
            freshness.cohorts_changed([obj.cohort_id])
        freshness.writing_changed(obj.author_id)


@admin.register(Comment)
class CommentAdmin(SaysWhatChanged):
    list_display = ["entry", "author", "created", "state"]
    raw_id_fields = ["entry", "author", "parent"]

    def changed(self, obj: Comment) -> None:
        freshness.cohorts_changed(
            Entry.objects.filter(pk=obj.entry_id).values("cohort_id")
        )


@admin.register(LinkedBlog)
class LinkedBlogAdmin(admin.ModelAdmin):
    """For an operator to see which blogs fail and why; what a change here
    shows (the owner's blog page) is not cached."""

    list_display = ["feed_url", "owner", "cohort", "last_read_at", "failures"]
    list_filter = ["cohort"]
    search_fields = ["feed_url", "owner__username"]
    raw_id_fields = ["owner", "cohort"]
    readonly_fields = ["last_read_at", "last_tried_at", "last_outcome", "last_status"]
