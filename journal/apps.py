from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "journal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core import freshness
        from core.images import register_image_keeper
        from core.markdown import register_image_lookup
        from journal import actions
        from journal.models import Comment, Entry, Image
        from programmes import hooks as programme_hooks

        freshness.keep_versions(freshness.THREAD, Entry, Entry.version_fields, "pk")
        register_image_lookup(
            lambda text, owner_ids: Image.objects.shown_in(text, owner_ids=owner_ids)
        )
        programme_hooks.thing_saved.register(actions.record_thing_images)
        register_image_keeper(actions.programme_images)

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
