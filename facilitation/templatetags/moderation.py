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
    and kept until the cohort's `entries_state` moves on: a report, a
    moderation action (facilitation/actions.py), an entry held when saved and
    a comment held when posted (journal/actions.py) move it; other comments
    and likes, which change nothing here, do not."""
    return kept(
        f"open-reports:{cohort.entries_state}:{user.pk}",
        lambda: moderation.waiting_count(cohort, user),
    )
