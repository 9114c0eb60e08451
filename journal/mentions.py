"""`@username` mentions of a cohort's members in entries and comments."""

from __future__ import annotations

import re

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.urls import reverse

from core.markdown import MENTION_RE
from programmes.models import Cohort

_MENTION = re.compile(MENTION_RE)


def mentioned_names(text: str) -> set[str]:
    return set(_MENTION.findall(text or ""))


def mentioned_members(text: str, cohort: Cohort | None) -> QuerySet[User]:
    """The cohort's members that `text` mentions (one query; none without a cohort)."""
    names = mentioned_names(text)
    if cohort is None or not names:
        return User.objects.none()
    return User.objects.filter(username__in=names, memberships__cohort=cohort).order_by(
        "username"
    )


def mention_links(text: str, cohort: Cohort | None) -> dict[str, str]:
    """For the renderer: each mentioned member's username → their journal URL."""
    usernames = mentioned_members(text, cohort).values_list("username", flat=True)
    return {
        name: reverse("journal:journal", kwargs={"username": name})
        for name in usernames
    }
