"""Fixtures for the journal's tests, on top of the personas in tests/conftest.py."""

from collections.abc import Callable

import pytest
from django.test import Client


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
