"""The welcome and the invitation are written in their recipient's language
(the profile's, else the site's), not in that of the request that sends them
(programmes/actions.py, core/tasks.py)."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse
from django.utils import dateformat, timezone, translation

from accounts.models import Profile
from core import tasks
from programmes import actions
from tests.languages import record_rendering_languages


@pytest.fixture
def rendered_in(monkeypatch) -> dict[str, str]:
    return record_rendering_languages(monkeypatch, tasks)


@pytest.fixture
def future_cohort(programme, facilitator_user):
    """Its first Thing opens in ten days: the welcome names the date."""
    return actions.create_cohort(
        programme=programme,
        facilitator=facilitator_user,
        name="Autumn cohort",
        slug="autumn",
        time_zone="Europe/London",
        start_date=timezone.localdate() + datetime.timedelta(days=10),
    )


def test_the_welcome_is_in_the_newcomer_s_language(
    make_user, future_cohort, django_capture_on_commit_callbacks, rendered_in
):
    nina = make_user("nina")
    Profile.objects.filter(user=nina).update(language="de")
    nina = User.objects.get(pk=nina.pk)
    mail.outbox.clear()

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        actions.join_cohort(user=nina, cohort=future_cohort)

    [message] = mail.outbox
    assert set(rendered_in.values()) == {"de"}
    opens_on = future_cohort.next_release().opens_on
    with translation.override("de"):
        german_date = dateformat.format(opens_on, translation.gettext("l j F Y"))
    assert german_date.startswith(
        (
            "Montag, ",
            "Dienstag, ",
            "Mittwoch, ",
            "Donnerstag, ",
            "Freitag, ",
            "Samstag, ",
            "Sonntag, ",
        )
    )
    assert german_date in message.body


def test_an_invitation_is_in_the_language_of_the_account_with_the_address(
    settings, make_user, cohort, facilitator, monkeypatch
):
    settings.LANGUAGE_CODE = "nl"
    known = make_user("known")
    Profile.objects.filter(user=known).update(language="de")
    languages: dict[str, set[str]] = {}

    def recording(template_name: str, context: dict) -> str:
        path = context["invitation_path"]
        languages.setdefault(path, set()).add(translation.get_language())
        return ""

    monkeypatch.setattr(tasks, "render_to_string", recording)
    with translation.override("en"):
        actions.invite_by_email(
            cohort=cohort,
            invited_by=facilitator,
            addresses=[known.email, "stranger@example.org"],
        )

    invitations = {i.email: invitation_path(i) for i in cohort.invitations.all()}
    assert languages == {
        invitations[known.email]: {"de"},
        invitations["stranger@example.org"]: {"nl"},
    }


def invitation_path(invitation) -> str:
    return reverse("programmes:invitation", kwargs={"token": invitation.token})
