"""The admin writes rows directly, past the actions: each admin class of a
model that pages show says what an edit changed, as an action would."""

from django.contrib import admin
from django.db import models
from django.http import HttpRequest


class SaysWhatChanged(admin.ModelAdmin):
    """Calls `changed(obj)` after an object and its inlines are saved, and
    before it is deleted (afterwards nothing would say where it showed)."""

    def changed(self, obj: models.Model) -> None:
        raise NotImplementedError

    def save_related(self, request: HttpRequest, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        self.changed(form.instance)

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        self.changed(obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for obj in queryset:
            self.changed(obj)
        super().delete_queryset(request, queryset)
