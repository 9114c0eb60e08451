"""Fixtures for the programmes tests: personas by name, cohorts, task results."""

import datetime
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from programmes import actions as programme_actions
from programmes.models import Cohort, Programme


@pytest.fixture
def client_as(request, client_for) -> Callable[[str], Client]:
    """A client signed in as the named persona fixture; "visitor" is signed out."""

    def make(persona: str) -> Client:
        if persona == "visitor":
            return Client()
        user: User = request.getfixturevalue(persona)
        return client_for(user)

    return make


@pytest.fixture
def make_cohort(programme: Programme, make_user) -> Callable[..., Cohort]:
    """A cohort of the shared programme with its own facilitator and time zone."""

    def make(
        *, slug: str, time_zone: str, start_date: datetime.date, facilitator=None
    ) -> Cohort:
        return programme_actions.create_cohort(
            programme=programme,
            facilitator=facilitator or make_user(f"{slug}-lead"),
            name=f"Cohort {slug}",
            slug=slug,
            time_zone=time_zone,
            start_date=start_date,
        )

    return make
