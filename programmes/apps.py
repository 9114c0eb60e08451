from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from programmes import signals  # noqa: F401  (connects the receivers)
