"""Saves that change what a cohort's pages show move its content version on;
see journal/signals.py."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from programmes.models import Cohort, Membership, Thing, ThingRelease


@receiver(post_save, sender=Cohort)
def cohort_saved(sender, instance: Cohort, **kwargs) -> None:
    Cohort.objects.filter(pk=instance.pk).touch()


@receiver(post_save, sender=Membership)
@receiver(post_save, sender=ThingRelease)
def cohort_part_saved(sender, instance: Membership | ThingRelease, **kwargs) -> None:
    Cohort.objects.filter(pk=instance.cohort_id).touch()


@receiver(post_save, sender=Thing)
def thing_saved(sender, instance: Thing, **kwargs) -> None:
    Cohort.objects.filter(programme_id=instance.programme_id).touch()
