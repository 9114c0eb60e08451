"""Where the programmes' actions call the apps above them (core/hooks.py).

Each hook is called with keyword arguments, inside the action's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.hooks import Hook
from programmes.models import Release, ThingOpening


@dataclass(frozen=True)
class MembersTold:
    """Participants of a self-paced cohort to whom a Thing opened on one date."""

    opening: ThingOpening
    release: Release
    user_ids: list[int]


#: A Thing was recorded as open to a cohort: ``opening`` (the ThingOpening),
#: ``release`` (its Release) and ``today`` (the cohort's local date).
thing_opened = Hook("Thing opened")
#: Things opened to participants of a self-paced cohort on their own dates:
#: ``news`` (a list of MembersTold) and ``today`` (the cohort's local date).
thing_opened_to_members = Hook("Thing opened to members")
#: A Thing was added or edited: ``thing`` (its ``shown_images`` say which
#: images its introduction shows).
thing_saved = Hook("Thing saved")
