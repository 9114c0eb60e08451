from django.apps import AppConfig


class FacilitationConfig(AppConfig):
    name = "facilitation"
    default_auto_field = "django.db.models.BigAutoField"
