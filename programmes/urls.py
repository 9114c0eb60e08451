from django.urls import path

from programmes.views import joining

app_name = "programmes"

urlpatterns = [
    path("join/<str:token>/", joining.join, name="join"),
    path("join/open/<slug:cohort>/", joining.join_open, name="join_open"),
    path("join/invite/<str:token>/", joining.accept_invitation, name="invitation"),
]
