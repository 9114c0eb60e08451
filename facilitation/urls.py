from django.urls import path

from facilitation.views import account, certificates, nudges, progress

app_name = "facilitation"

# Mounted at the root from config/urls.py, before allauth: each page keeps the
# address it had in the app it came from.
urlpatterns = [
    path("accounts/delete/", account.delete_account, name="delete_account"),
    path("c/<slug:cohort>/progress/", progress.progress, name="progress"),
    path("c/<slug:cohort>/progress/csv/", progress.progress_csv, name="progress_csv"),
    path("c/<slug:cohort>/certificate/", certificates.certificate, name="certificate"),
    path(
        "certificates/<str:token>/",
        certificates.verify_certificate,
        name="verify_certificate",
    ),
    path("messages/<int:pk>/", nudges.nudge_message, name="nudge"),
    path(
        "studio/cohorts/<slug:slug>/nudge/", nudges.compose_nudge, name="compose_nudge"
    ),
    path("studio/cohorts/<slug:slug>/nudges/", nudges.nudge_log, name="nudges"),
]
