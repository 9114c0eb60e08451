from django.urls import path

from journal import views

app_name = "journal"

urlpatterns = [
    path("c/<slug:cohort>/", views.cohort, name="cohort"),
    path("c/<slug:cohort>/people/", views.people, name="people"),
    path("c/<slug:cohort>/things/<slug:thing>/", views.thing, name="thing"),
    path("write/", views.write, name="write"),
    path("write/autosave/", views.autosave_new, name="autosave_new"),
    path(
        "write/<slug:cohort>/<slug:thing>/", views.write_on_thing, name="write_on_thing"
    ),
    path(
        "write/<slug:cohort>/<slug:thing>/autosave/",
        views.autosave_new_on_thing,
        name="autosave_new_on_thing",
    ),
    path("comments/<int:pk>/edit/", views.edit_comment, name="edit_comment"),
    path("comments/<int:pk>/delete/", views.delete_comment, name="delete_comment"),
    path("@<str:username>/", views.journal, name="journal"),
    path("@<str:username>/<slug:slug>/", views.entry, name="entry"),
    path("@<str:username>/<slug:slug>/edit/", views.edit_entry, name="edit_entry"),
    path("@<str:username>/<slug:slug>/autosave/", views.autosave, name="autosave"),
    path("@<str:username>/<slug:slug>/history/", views.history, name="history"),
    path(
        "@<str:username>/<slug:slug>/history/<int:pk>/restore/",
        views.restore_revision,
        name="restore_revision",
    ),
    path(
        "@<str:username>/<slug:slug>/autosaved/discard/",
        views.discard_autosaved,
        name="discard_autosaved",
    ),
    path(
        "@<str:username>/<slug:slug>/comments/", views.add_comment, name="add_comment"
    ),
    path("cpd/", views.cpd_log, name="cpd_log"),
    path("cpd/cpd-log.csv", views.cpd_log_csv, name="cpd_log_csv"),
    path("export/", views.export, name="export"),
]
