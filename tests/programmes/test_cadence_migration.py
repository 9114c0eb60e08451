"""Cohorts made before cadences keep their dates exactly after the migration."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from programmes.models import Cohort

BEFORE = [("programmes", "0005_idempotent_creates")]


@pytest.mark.django_db(transaction=True)
def test_an_existing_cohort_keeps_its_weekly_dates(programme, facilitator_user):
    start = datetime.date(2026, 3, 4)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    OldCohort = old_apps.get_model("programmes", "Cohort")
    OldCohort.objects.create(
        programme_id=programme.pk,
        name="Old cohort",
        slug="old",
        time_zone="Europe/London",
        start_date=start,
        join_token="old-token",
    )

    executor = MigrationExecutor(connection)
    # Every app's latest, so the tests after this one find the whole schema
    # (going back to 0005 undid the migrations that depend on it).
    executor.migrate(executor.loader.graph.leaf_nodes())

    cohort = Cohort.objects.get(slug="old")
    assert cohort.weekdays == [] and cohort.catch_up_weeks == []
    dates = [r.opens_on for r in cohort.schedule(include_drafts=True)]
    assert dates == [start + datetime.timedelta(weeks=n) for n in range(5)]
