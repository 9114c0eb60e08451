"""A member's name shows on every page of their cohorts; see journal/signals.py.
A changed user or profile is forgotten by the sign-in backends' cache."""

from django.contrib.auth.models import User
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.backends import forget_users
from accounts.models import Profile
from programmes.models import Cohort


@receiver(post_save, sender=Profile)
def profile_saved(sender, instance: Profile, **kwargs) -> None:
    Cohort.objects.filter(memberships__user_id=instance.user_id).touch()


@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
def user_changed(sender, instance: User, **kwargs) -> None:
    forget_users([instance.pk])


@receiver(post_save, sender=Profile)
@receiver(post_delete, sender=Profile)
def profile_changed(sender, instance: Profile, **kwargs) -> None:
    forget_users([instance.user_id])
