from django.contrib import admin

from core import freshness
from core.admin import SaysWhatChanged
from programmes.models import Cohort, Membership, Programme, Thing, ThingRelease


class ThingInline(admin.TabularInline):
    model = Thing
    fields = ["number", "title", "slug", "status"]
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(SaysWhatChanged):
    list_display = ["title", "slug", "created"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["owners"]
    inlines = [ThingInline]

    def changed(self, obj: Programme) -> None:
        freshness.cohorts_changed(Cohort.objects.filter(programme_id=obj.pk))


@admin.register(Thing)
class ThingAdmin(SaysWhatChanged):
    list_display = ["programme", "number", "title", "status"]
    list_filter = ["programme", "status"]

    def changed(self, obj: Thing) -> None:
        freshness.cohorts_changed(Cohort.objects.filter(programme_id=obj.programme_id))


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Cohort)
class CohortAdmin(SaysWhatChanged):
    list_display = ["name", "programme", "start_date", "time_zone"]
    inlines = [MembershipInline]

    def changed(self, obj: Cohort) -> None:
        freshness.cohorts_changed([obj.pk])


@admin.register(ThingRelease)
class ThingReleaseAdmin(SaysWhatChanged):
    def changed(self, obj: ThingRelease) -> None:
        freshness.cohorts_changed([obj.cohort_id])
