"""Hostile input: hypothesis profiles for the property tests here.

CI runs the small default; `make fuzz` (HYPOTHESIS_PROFILE=fuzz) runs many more
examples, with no deadline since a slow example is what fuzzing looks for.
"""

import os

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, settings

from journal.models import Entry
from tests.conftest import thing

# Examples share one database transaction per test (pytest-django), so each
# property checks what its own request changed rather than a fresh database.
_SHARED = {"suppress_health_check": [HealthCheck.function_scoped_fixture]}

settings.register_profile("ci", max_examples=40, deadline=None, **_SHARED)
settings.register_profile("fuzz", max_examples=2000, deadline=None, **_SHARED)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def draft(make_entry, author, cohort) -> Entry:
    return make_entry(
        author,
        cohort=cohort,
        thing=thing(cohort.programme, 1),
        title="Feeds",
        body="First thoughts.",
        publish=False,
    )


@pytest.fixture
def urls(draft, cohort) -> dict[str, str]:
    """Every JSON endpoint: an existing entry, a new free reflection, a new
    entry on a Thing that has none yet."""
    return {
        "existing": reverse(
            "journal:autosave",
            kwargs={"username": draft.author.username, "slug": draft.slug},
        ),
        "new": reverse("journal:autosave_new"),
        "new_on_thing": reverse(
            "journal:autosave_new_on_thing",
            kwargs={"cohort": cohort.slug, "thing": thing(cohort.programme, 2).slug},
        ),
    }
