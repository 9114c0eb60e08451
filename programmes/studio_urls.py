from django.urls import path

from programmes import views

app_name = "studio"

urlpatterns = [
    path("", views.studio, name="index"),
    path("programmes/new/", views.new_programme, name="new_programme"),
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
]
