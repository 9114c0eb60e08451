"""Fixtures for the journal's tests, on top of the personas in tests/conftest.py."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from programmes.models import Cohort


@pytest.fixture
def everyone(author, cohort_mate, facilitator, outsider, other_facilitator) -> dict:
    """Every persona at once; outsider brings the other cohort and its facilitator."""
    return {
        "author": author,
        "cohort_mate": cohort_mate,
        "facilitator": facilitator,
        "outsider": outsider,
        "other_facilitator": other_facilitator,
        "visitor": None,
    }


@pytest.fixture
def client_as(everyone, client_for) -> Callable[[str], Client]:
    """A client for a persona by name; the visitor's is signed out."""

    def make(persona: str) -> Client:
        user = everyone[persona]
        return Client() if user is None else client_for(user)

    return make


@pytest.fixture
def make_members(make_user, join) -> Callable[[Cohort, int], list[User]]:
    """Many participants at once, for lists and query counts."""

    def make(cohort: Cohort, count: int, prefix: str = "member") -> list[User]:
        users = []
        for number in range(count):
            user = make_user(f"{prefix}{number:03d}", display_name=f"Member {number}")
            join(user, cohort)
            users.append(user)
        return users

    return make
