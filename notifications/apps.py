from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from journal import hooks as journal_hooks
        from notifications import actions, notify
        from programmes import hooks as programme_hooks

        # The apps below call these at their hooks (core/hooks.py).
        journal_hooks.entry_saved.register(notify.entry_saved)
        journal_hooks.comment_posted.register(notify.comment_posted)
        journal_hooks.comment_edited.register(notify.comment_edited)
        journal_hooks.entry_readers_changed.register(actions.entry_readers_changed)
        programme_hooks.thing_opened.register(notify.thing_opened)
        programme_hooks.thing_opened_to_members.register(notify.thing_opened_to_members)
