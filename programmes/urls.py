from django.urls import path

from programmes import views

app_name = "programmes"

urlpatterns = [
    path("join/<str:token>/", views.join, name="join"),
    path("c/<slug:cohort>/progress/", views.progress, name="progress"),
    path("c/<slug:cohort>/progress/csv/", views.progress_csv, name="progress_csv"),
    path("c/<slug:cohort>/certificate/", views.certificate, name="certificate"),
    path(
        "certificates/<str:token>/",
        views.verify_certificate,
        name="verify_certificate",
    ),
    path("join/invite/<str:token>/", views.accept_invitation, name="invitation"),
    path("messages/<int:pk>/", views.nudge_message, name="nudge"),
]
