from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts.models import Profile
        from core import freshness

        freshness.keep_versions(
            freshness.WRITING, Profile, ("writing_version",), "user_id"
        )
        freshness.keep_versions(
            freshness.NOTIFICATIONS, Profile, ("notifications_version",), "user_id"
        )
