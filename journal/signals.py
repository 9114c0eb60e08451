"""Saves that change what a cohort's pages show move its content version on
(`CohortQuerySet.touch`), so its cached HTML is rendered again.

Deletes and queryset updates send no per-row signal (and a delete receiver
would cost Django its fast cascades), so the actions doing them touch the
cohort themselves.
"""

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from accounts.models import writing_changed
from journal.models import Comment, Entry, Report
from programmes.models import Cohort
from programmes.signals import touch_cohort_of


def touch_cohort_of_entry(entry: Entry) -> None:
    """Drafts are the author's alone: saving one changes no cohort page."""
    if entry.is_published:
        touch_cohort_of(entry)


def touch_cohort_of_comments_on(entry_id: int) -> None:
    Cohort.objects.filter(entries=entry_id).touch()


@receiver(post_save, sender=Entry)
def entry_saved(sender, instance: Entry, **kwargs) -> None:
    touch_cohort_of_entry(instance)
    writing_changed(instance.author_id)


@receiver(post_save, sender=Comment)
def comment_saved(sender, instance: Comment, **kwargs) -> None:
    touch_cohort_of_comments_on(instance.entry_id)


@receiver(post_save, sender=Report)
def report_saved(sender, instance: Report, **kwargs) -> None:
    """Facilitators' pages show how many reports are open."""
    touch_cohort_of(instance)


@receiver(m2m_changed, sender=Entry.tags.through)
def entry_tags_changed(sender, instance, action: str, **kwargs) -> None:
    if action.startswith("post_") and isinstance(instance, Entry):
        touch_cohort_of_entry(instance)
