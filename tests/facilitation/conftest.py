"""Fixtures for the facilitation tests, on top of the personas in tests/conftest.py."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client


@pytest.fixture
def client_as(request, client_for) -> Callable[[str], Client]:
    """A client signed in as the named persona fixture; "visitor" is signed out."""

    def make(persona: str) -> Client:
        if persona == "visitor":
            return Client()
        user: User = request.getfixturevalue(persona)
        return client_for(user)

    return make
