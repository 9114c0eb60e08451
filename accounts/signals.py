"""A member's name shows on every page of their cohorts; see journal/signals.py."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import Profile
from programmes.models import Cohort


@receiver(post_save, sender=Profile)
def profile_saved(sender, instance: Profile, **kwargs) -> None:
    Cohort.objects.filter(memberships__user_id=instance.user_id).touch()
