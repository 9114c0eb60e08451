from django.urls import path

from programmes.views import certificates, joining, people, progress

app_name = "programmes"

urlpatterns = [
    path("join/<str:token>/", joining.join, name="join"),
    path("c/<slug:cohort>/progress/", progress.progress, name="progress"),
    path("c/<slug:cohort>/progress/csv/", progress.progress_csv, name="progress_csv"),
    path("c/<slug:cohort>/certificate/", certificates.certificate, name="certificate"),
    path(
        "certificates/<str:token>/",
        certificates.verify_certificate,
        name="verify_certificate",
    ),
    path("join/invite/<str:token>/", joining.accept_invitation, name="invitation"),
    path("messages/<int:pk>/", people.nudge_message, name="nudge"),
]
