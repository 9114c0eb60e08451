"""The facilitators' count of what waits for them (open reports and posts
held for approval), for the cohort navigation."""

from django import template
from django.contrib.auth.models import User

from core.freshness import kept
from facilitation import moderation
from programmes.models import Cohort

register = template.Library()


@register.simple_tag
def open_report_count(cohort: Cohort, user: User) -> int:
    """One query, made only where the navigation shows a facilitator the link,
    and kept until the cohort's content version moves on (a report, a post
    held or a moderation action moves it: facilitation/actions.py)."""
    return kept(
        f"open-reports:{cohort.cache_state}:{user.pk}",
        lambda: moderation.waiting_count(cohort, user),
    )
