from django.urls import path

from programmes import views

app_name = "studio"

urlpatterns = [
    path("", views.studio, name="index"),
    path("programmes/new/", views.new_programme, name="new_programme"),
    # Before programmes/<slug>/, which would take "import" for a slug.
    path("programmes/import/", views.import_programme, name="import_programme"),
    path("programmes/<slug:slug>/", views.programme, name="programme"),
    path("programmes/<slug:slug>/things/new/", views.new_thing, name="new_thing"),
    path(
        "programmes/<slug:slug>/things/<slug:thing_slug>/",
        views.edit_thing,
        name="edit_thing",
    ),
    path(
        "programmes/<slug:slug>/things/<slug:thing_slug>/move/",
        views.move_thing,
        name="move_thing",
    ),
    path(
        "programmes/<slug:slug>/things/<slug:thing_slug>/publish/",
        views.publish_thing,
        name="publish_thing",
    ),
    path("programmes/<slug:slug>/cohorts/new/", views.new_cohort, name="new_cohort"),
    path("cohorts/<slug:slug>/", views.cohort, name="cohort"),
    path("cohorts/<slug:slug>/rotate/", views.rotate_join_link, name="rotate_join"),
    path("cohorts/<slug:slug>/schedule/", views.schedule, name="schedule"),
    path(
        "cohorts/<slug:slug>/schedule/pause/", views.pause_cohort, name="pause_cohort"
    ),
    path(
        "cohorts/<slug:slug>/schedule/resume/",
        views.resume_cohort,
        name="resume_cohort",
    ),
    path(
        "cohorts/<slug:slug>/schedule/<slug:thing_slug>/release/",
        views.release_now,
        name="release_now",
    ),
    path(
        "programmes/<slug:slug>/duplicate/",
        views.duplicate_programme,
        name="duplicate_programme",
    ),
    path(
        "programmes/<slug:slug>/export/",
        views.export_programme,
        name="export_programme",
    ),
    path(
        "cohorts/<slug:slug>/members/",
        views.cohort_members_page,
        name="members",
    ),
    path(
        "cohorts/<slug:slug>/members/<int:membership_id>/remove/",
        views.remove_member,
        name="remove_member",
    ),
    path(
        "cohorts/<slug:slug>/members/<int:membership_id>/role/",
        views.set_member_role,
        name="member_role",
    ),
    path("cohorts/<slug:slug>/joining/", views.set_joining, name="set_joining"),
    path("cohorts/<slug:slug>/invite/", views.invite, name="invite"),
    path("cohorts/<slug:slug>/nudge/", views.compose_nudge, name="compose_nudge"),
    path("cohorts/<slug:slug>/nudges/", views.nudge_log, name="nudges"),
]
