"""Saves that change what a cohort's pages show move its content version on;
see journal/signals.py."""

from django.db import models
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from programmes.models import Cohort, Membership, Programme, Thing, ThingRelease


def touch_cohort_of(row: models.Model) -> None:
    """Touch the cohort `row` belongs to (through its `cohort` foreign key),
    and the cohort object loaded with it, if any."""
    if type(row).cohort.is_cached(row) and row.cohort is not None:
        row.cohort.touch()
    elif row.cohort_id is not None:
        Cohort.objects.filter(pk=row.cohort_id).touch()


@receiver(post_save, sender=Cohort)
def cohort_saved(sender, instance: Cohort, **kwargs) -> None:
    instance.touch()


@receiver(post_save, sender=Membership)
@receiver(post_save, sender=ThingRelease)
def cohort_part_saved(sender, instance: Membership | ThingRelease, **kwargs) -> None:
    touch_cohort_of(instance)


@receiver(post_save, sender=Thing)
def thing_saved(sender, instance: Thing, **kwargs) -> None:
    Cohort.objects.filter(programme_id=instance.programme_id).touch()


@receiver(m2m_changed, sender=Programme.owners.through)
def owners_changed(sender, instance, action: str, **kwargs) -> None:
    """Owners see the programme's draft Things in each of its cohorts."""
    if not action.startswith("post_"):
        return
    if isinstance(instance, Programme):
        Cohort.objects.filter(programme=instance).touch()
    else:
        Cohort.objects.filter(programme_id__in=kwargs.get("pk_set") or ()).touch()
