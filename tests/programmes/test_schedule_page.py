"""Studio: a cohort's schedule page, release now, pause and resume (the
cohort's facilitators only)."""

import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse

from programmes import actions, schedule
from programmes.models import Cohort, Thing, ThingOpening, ThingRelease
from tests.conftest import thing

DAY = datetime.timedelta(days=1)

#: What the confirmation page's button sends.
CONFIRMED = {"confirmed": "1"}


def schedule_url(cohort: Cohort) -> str:
    return reverse("studio:schedule", args=[cohort.slug])


def dates_of(cohort: Cohort) -> dict[int, datetime.date]:
    return {r.thing.number: r.opens_on for r in cohort.schedule()}


def form_data(cohort: Cohort, **by_number: str) -> dict[str, str]:
    """The form as the page fills it, with some dates changed ("n3": "...")."""
    data = {f"thing-{r.thing.pk}": r.opens_on.isoformat() for r in cohort.schedule()}
    for key, value in by_number.items():
        data[f"thing-{thing(cohort.programme, int(key[1:])).pk}"] = value
    return data


# The page


def test_facilitator_sees_every_published_thing_with_its_date(client_as, cohort):
    response = client_as("facilitator").get(schedule_url(cohort))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    for release in cohort.schedule():
        field = f'name="thing-{release.thing.pk}"'
        assert field in page
        assert f'value="{release.opens_on.isoformat()}"' in page
    assert "Podcasts" not in page  # the draft
    assert "Release now" in page
    assert reverse("studio:pause_cohort", args=["spring"]) in page


def test_the_cohort_page_links_to_the_schedule(client_as, cohort):
    page = client_as("facilitator").get(reverse("studio:cohort", args=["spring"]))

    assert schedule_url(cohort) in page.content.decode()


@pytest.mark.parametrize("extra_things", [0, 20])
def test_the_page_runs_a_fixed_number_of_queries(
    client_as, cohort, extra_things, django_assert_num_queries
):
    for number in range(extra_things):
        actions.add_thing(
            programme=cohort.programme,
            title=f"Extra {number}",
            slug=f"extra-{number}",
            status=Thing.Status.PUBLISHED,
        )
    ThingRelease.objects.create(
        cohort=cohort, thing=thing(cohort.programme, 2), opens_on=cohort.start_date
    )
    client = client_as("facilitator")

    # Session, the user with their profile, cohort, the reader's role in it
    # (then kept in the cache), Things, overrides and the bell's counts.
    with django_assert_num_queries(7):
        response = client.get(schedule_url(cohort))
    assert response.status_code == HTTPStatus.OK


# Saving dates


def test_a_changed_date_is_stored_and_the_others_leave_no_override(
    client_as, cohort, author
):
    new_date = cohort.start_date + 2 * DAY
    response = client_as("facilitator").post(
        schedule_url(cohort), form_data(cohort, n4=new_date.isoformat())
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == schedule_url(cohort)
    release = ThingRelease.objects.get()
    assert (release.thing.number, release.opens_on) == (4, new_date)
    # The new date is past: participants see it, and its opening is recorded.
    assert 4 in [r.thing.number for r in cohort.visible_things(author)]
    assert cohort.openings.filter(thing__number=4).exists()


def test_a_date_equal_to_the_default_removes_the_override(client_as, cohort):
    feeds = thing(cohort.programme, 3)
    default = cohort.default_opening_date(feeds)
    ThingRelease.objects.create(cohort=cohort, thing=feeds, opens_on=default + DAY)

    client_as("facilitator").post(
        schedule_url(cohort), form_data(cohort, n3=default.isoformat())
    )

    assert not ThingRelease.objects.exists()


def test_clearing_a_date_returns_to_the_default(client_as, cohort):
    feeds = thing(cohort.programme, 3)
    ThingRelease.objects.create(
        cohort=cohort, thing=feeds, opens_on=cohort.start_date + 40 * DAY
    )

    client_as("facilitator").post(schedule_url(cohort), form_data(cohort, n3=""))

    assert not ThingRelease.objects.exists()
    assert dates_of(cohort)[3] == cohort.default_opening_date(feeds)


def test_a_thing_left_out_of_the_form_keeps_its_date(client_as, cohort):
    networks = thing(cohort.programme, 4)
    hand_set = cohort.start_date + 60 * DAY
    ThingRelease.objects.create(cohort=cohort, thing=networks, opens_on=hand_set)
    data = form_data(cohort)
    del data[f"thing-{networks.pk}"]  # published after the page was loaded

    client_as("facilitator").post(schedule_url(cohort), data)

    assert ThingRelease.objects.get().opens_on == hand_set


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("next Tuesday", "Enter a valid date."),
        ("2025-02-30", "Enter a valid date."),
        ("0001-01-01", "within five years"),
        ("9999-12-31", "within five years"),
    ],
)
def test_a_bad_date_shows_an_error_beside_it_and_saves_nothing(
    client_as, cohort, value, error
):
    blogging, networks = thing(cohort.programme, 2), thing(cohort.programme, 4)
    good_date = (cohort.start_date + 3 * DAY).isoformat()

    response = client_as("facilitator").post(
        schedule_url(cohort), form_data(cohort, n2=good_date, n4=value)
    )

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert f'id="id_thing-{networks.pk}_errors"' in page
    assert f'id="id_thing-{blogging.pk}_errors"' not in page
    assert error in page
    assert f'value="{value}"' in page  # the text is kept
    assert f'value="{good_date}"' in page
    assert not ThingRelease.objects.exists()  # nothing half-saved


def test_saving_is_all_or_nothing(cohort, monkeypatch):
    """A failure part-way through leaves every date as it was."""
    calls = []
    real_set_date = actions._set_date

    def fail_on_second(*args):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real_set_date(*args)

    monkeypatch.setattr(actions, "_set_date", fail_on_second)
    dates = {thing(cohort.programme, n): cohort.start_date + n * DAY for n in (3, 4)}

    with pytest.raises(RuntimeError):
        actions.save_schedule(cohort=cohort, dates=dates)

    assert len(calls) == 2
    assert not ThingRelease.objects.exists()


# Release now


def test_release_now_opens_a_thing_today_and_records_it_once(client_as, cohort, author):
    client = client_as("facilitator")
    url = reverse("studio:release_now", args=["spring", "networks"])
    assert 4 not in [r.thing.number for r in cohort.visible_things(author)]

    response = client.post(url, CONFIRMED)

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == schedule_url(cohort)
    assert dates_of(cohort)[4] == schedule.local_today(cohort)
    cohort.refresh_from_db()  # the request moved its content version on
    assert cohort.visible_thing(author, "networks").is_open
    assert (
        client_as("author")
        .get(reverse("journal:thing", args=["spring", "networks"]))
        .status_code
        == HTTPStatus.OK
    )
    assert cohort.openings.filter(thing__number=4).count() == 1

    client.post(url, CONFIRMED)
    assert cohort.openings.filter(thing__number=4).count() == 1


def test_release_now_of_a_draft_is_a_404(client_as, cohort):
    response = client_as("facilitator").post(
        reverse("studio:release_now", args=["spring", "podcasts"]), CONFIRMED
    )

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not ThingRelease.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_release_now_asks_first_and_changes_nothing(
    client_as, cohort, author, cohort_mate, method
):
    """The schedule page links to the question; a POST without the answer
    (the old button's) gets the question too."""
    url = reverse("studio:release_now", args=["spring", "networks"])
    before = dates_of(cohort)

    response = getattr(client_as("facilitator"), method)(url)

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Open Thing 4: Networks to Spring cohort now?" in page
    assert "2 participants are told it is open" in page
    assert 'name="confirmed" value="1"' in page
    assert dates_of(cohort) == before
    assert not ThingRelease.objects.exists()
    assert cohort.visible_thing(author, "networks") is None


def test_the_schedule_page_links_to_the_question(client_as, cohort):
    page = client_as("facilitator").get(schedule_url(cohort)).content.decode()

    assert (
        f'href="{reverse("studio:release_now", args=["spring", "networks"])}"' in page
    )


def test_release_now_while_paused_is_refused_with_a_message(client_as, cohort):
    client = client_as("facilitator")
    client.post(reverse("studio:pause_cohort", args=["spring"]))

    response = client.post(
        reverse("studio:release_now", args=["spring", "networks"]),
        CONFIRMED,
        follow=True,
    )

    assert "resume it to release" in response.content.decode()
    assert not ThingRelease.objects.exists()


# Pause and resume


def test_pause_and_resume_from_the_page(client_as, cohort, author):
    client = client_as("facilitator")

    response = client.post(reverse("studio:pause_cohort", args=["spring"]), follow=True)

    cohort.refresh_from_db()
    assert cohort.paused_since is not None
    page = response.content.decode()
    assert "Paused since" in page
    assert "nothing new opens" in page
    assert reverse("studio:resume_cohort", args=["spring"]) in page
    # Open Things stay open to participants.
    assert [r.thing.number for r in cohort.visible_things(author)] == [1, 2, 3]

    response = client.post(
        reverse("studio:resume_cohort", args=["spring"]), follow=True
    )

    cohort.refresh_from_db()
    assert cohort.paused_since is None
    assert cohort.pause_days == 0  # no midnight passed
    assert "Resumed" in response.content.decode()


# Who may


SCHEDULE_ACTIONS = [
    ("studio:schedule", ["spring"]),
    ("studio:pause_cohort", ["spring"]),
    ("studio:resume_cohort", ["spring"]),
    ("studio:release_now", ["spring", "networks"]),
]


def snapshot(cohort: Cohort) -> tuple:
    cohort.refresh_from_db()
    return (
        cohort.paused_since,
        cohort.pause_days,
        list(ThingRelease.objects.values_list("cohort", "thing", "opens_on")),
        ThingOpening.objects.count(),
    )


@pytest.mark.parametrize(
    "persona", ["author", "outsider", "other_facilitator", "owner"]
)
@pytest.mark.parametrize(("name", "args"), SCHEDULE_ACTIONS)
def test_others_get_a_404_and_change_nothing(
    client_as, cohort, other_cohort, persona, name, args
):
    client = client_as(persona)
    before = snapshot(cohort)
    url = reverse(name, args=args)

    if name == "studio:schedule":
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    response = client.post(url, form_data(cohort, n4="2020-01-01"))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert snapshot(cohort) == before


@pytest.mark.parametrize(("name", "args"), SCHEDULE_ACTIONS)
def test_a_visitor_is_sent_to_sign_in(client_as, cohort, name, args):
    url = reverse(name, args=args)
    before = snapshot(cohort)

    response = client_as("visitor").post(url)

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == f"{reverse('account_login')}?next={url}"
    assert snapshot(cohort) == before


def test_a_facilitator_of_one_cohort_cannot_touch_another(
    client_as, cohort, other_cohort, other_facilitator
):
    """Gus facilitates "autumn"; everything he posts about "spring" is a 404."""
    client = client_as("other_facilitator")
    before = snapshot(cohort)

    for name, args in SCHEDULE_ACTIONS:
        response = client.post(reverse(name, args=args), form_data(cohort, n3=""))
        assert response.status_code == HTTPStatus.NOT_FOUND
    # His own cohort works.
    assert (
        client.post(reverse("studio:pause_cohort", args=["autumn"])).status_code
        == HTTPStatus.FOUND
    )

    assert snapshot(cohort)[:3] == before[:3]
    other_cohort.refresh_from_db()
    assert other_cohort.paused_since is not None
