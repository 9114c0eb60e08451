"""Hostile input: hypothesis profiles for the property tests here.

CI runs the small default; `make fuzz` (HYPOTHESIS_PROFILE=fuzz) runs many more
examples, with no deadline since a slow example is what fuzzing looks for.
"""

import os

from hypothesis import HealthCheck, settings

# Examples share one database transaction per test (pytest-django), so each
# property checks what its own request changed rather than a fresh database.
_SHARED = {"suppress_health_check": [HealthCheck.function_scoped_fixture]}

settings.register_profile("ci", max_examples=40, deadline=None, **_SHARED)
settings.register_profile("fuzz", max_examples=2000, deadline=None, **_SHARED)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
