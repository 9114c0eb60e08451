from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "journal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core import freshness
        from journal.models import Comment, Entry

        # A former member's entries and comments stay in the cohort.
        freshness.person_shows_in(
            lambda user_id: Entry.objects.filter(
                author_id=user_id, cohort__isnull=False
            ).values("cohort_id")
        )
        freshness.person_shows_in(
            lambda user_id: Comment.objects.filter(
                author_id=user_id, entry__cohort__isnull=False
            ).values("entry__cohort_id")
        )
