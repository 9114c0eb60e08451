from django.contrib import admin

from programmes.models import Cohort, Membership, Programme, Thing, ThingRelease


class ThingInline(admin.TabularInline):
    model = Thing
    fields = ["number", "title", "slug", "status"]
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "created"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["owners"]
    inlines = [ThingInline]


@admin.register(Thing)
class ThingAdmin(admin.ModelAdmin):
    list_display = ["programme", "number", "title", "status"]
    list_filter = ["programme", "status"]


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "start_date", "time_zone"]
    inlines = [MembershipInline]


admin.site.register(ThingRelease)
