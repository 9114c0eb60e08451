from django.contrib import admin

from journal.models import Comment, Entry


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "cohort", "thing", "visibility", "status"]
    list_filter = ["status", "visibility", "cohort"]
    search_fields = ["title", "author__username"]
    raw_id_fields = ["author", "cohort", "thing"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["entry", "author", "created", "state"]
    raw_id_fields = ["entry", "author", "parent"]
