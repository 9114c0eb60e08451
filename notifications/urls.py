from django.urls import path

from notifications import unsubscribe, views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/settings/", views.settings, name="settings"),
    path("notifications/read/", views.mark_all_read, name="mark_all_read"),
    path("notifications/<int:pk>/", views.open_notification, name="open"),
    path("notifications/<int:pk>/read/", views.mark_read, name="mark_read"),
    path(
        "notifications/unsubscribe/<str:token>/",
        unsubscribe.unsubscribe,
        name="unsubscribe",
    ),
]
