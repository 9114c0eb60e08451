from django.urls import path

from programmes.views import people, schedule, studio

app_name = "studio"

urlpatterns = [
    path("", studio.studio, name="index"),
    path("programmes/new/", studio.new_programme, name="new_programme"),
    # Before programmes/<slug>/, which would take "import" for a slug.
    path("programmes/import/", studio.import_programme, name="import_programme"),
    path("programmes/<slug:slug>/", studio.programme, name="programme"),
    path(
        "programmes/<slug:slug>/open/",
        studio.set_programme_open,
        name="set_programme_open",
    ),
    path("programmes/<slug:slug>/things/new/", studio.new_thing, name="new_thing"),
    path(
        "programmes/<slug:slug>/things/<slug:thing_slug>/",
        studio.edit_thing,
        name="edit_thing",
    ),
    path(
        "programmes/<slug:slug>/things/<slug:thing_slug>/move/",
        studio.move_thing,
        name="move_thing",
    ),
    path(
        "programmes/<slug:slug>/things/<slug:thing_slug>/publish/",
        studio.publish_thing,
        name="publish_thing",
    ),
    path(
        "programmes/<slug:slug>/things/<slug:thing_slug>/unpublish/",
        studio.unpublish_thing,
        name="unpublish_thing",
    ),
    path("programmes/<slug:slug>/cohorts/new/", studio.new_cohort, name="new_cohort"),
    path("cohorts/<slug:slug>/", studio.cohort, name="cohort"),
    path(
        "cohorts/<slug:slug>/open-joining/",
        studio.set_open_joining,
        name="set_open_joining",
    ),
    path("cohorts/<slug:slug>/rotate/", studio.rotate_join_link, name="rotate_join"),
    path("cohorts/<slug:slug>/schedule/", schedule.schedule, name="schedule"),
    path(
        "cohorts/<slug:slug>/schedule/pause/",
        schedule.pause_cohort,
        name="pause_cohort",
    ),
    path(
        "cohorts/<slug:slug>/schedule/resume/",
        schedule.resume_cohort,
        name="resume_cohort",
    ),
    path(
        "cohorts/<slug:slug>/schedule/cadence/",
        schedule.set_cadence,
        name="set_cadence",
    ),
    path(
        "cohorts/<slug:slug>/schedule/pace/",
        schedule.set_pace,
        name="set_pace",
    ),
    path(
        "cohorts/<slug:slug>/schedule/move-later/",
        schedule.move_later_dates,
        name="move_later_dates",
    ),
    path(
        "cohorts/<slug:slug>/schedule/<slug:thing_slug>/release/",
        schedule.release_now,
        name="release_now",
    ),
    path(
        "programmes/<slug:slug>/duplicate/",
        studio.duplicate_programme,
        name="duplicate_programme",
    ),
    path(
        "programmes/<slug:slug>/export/",
        studio.export_programme,
        name="export_programme",
    ),
    path(
        "cohorts/<slug:slug>/members/",
        people.cohort_members_page,
        name="members",
    ),
    path(
        "cohorts/<slug:slug>/members/<int:membership_id>/remove/",
        people.remove_member,
        name="remove_member",
    ),
    path(
        "cohorts/<slug:slug>/members/<int:membership_id>/role/",
        people.set_member_role,
        name="member_role",
    ),
    path("cohorts/<slug:slug>/joining/", people.set_joining, name="set_joining"),
    path("cohorts/<slug:slug>/invite/", people.invite, name="invite"),
]
