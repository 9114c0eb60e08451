"""The progress grid, its CSV and charts (issue 3, "Progress")."""

import csv
import datetime
import io
import re
import zoneinfo
from http import HTTPStatus

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from facilitation import progress
from journal.models import Comment, Entry
from programmes.models import Membership
from tests.conftest import thing

SECRET_TITLES = [
    "Secret private thoughts",
    "Zebra public musings",
    "Unfinished draft words",
    "Private free reflection",
    "Ben cohort posting",
]


def _publish_at(entry: Entry, moment: datetime.datetime) -> Entry:
    Entry.objects.filter(pk=entry.pk).update(published_at=moment)
    entry.refresh_from_db()
    return entry


@pytest.fixture
def cara(make_user, cohort, join) -> User:
    user = make_user("cara", display_name="Cara Never")
    join(user, cohort)
    return user


@pytest.fixture
def world(programme, cohort, facilitator, author, cohort_mate, cara, make_entry):
    """ada: Thing 1 "only me", Thing 2 public, Thing 3 a draft, an "only me" free
    reflection; ben: Thing 1 for the cohort three weeks ago; cara: nothing."""
    now = timezone.now()
    private = make_entry(
        author,
        cohort=cohort,
        thing=thing(programme, 1),
        title=SECRET_TITLES[0],
        body="Hidden body text",
        visibility=Entry.Visibility.PRIVATE,
    )
    _publish_at(private, now - datetime.timedelta(days=3))
    public = make_entry(
        author,
        cohort=cohort,
        thing=thing(programme, 2),
        title=SECRET_TITLES[1],
        visibility=Entry.Visibility.PUBLIC,
    )
    _publish_at(public, now - datetime.timedelta(days=1))
    make_entry(
        author,
        cohort=cohort,
        thing=thing(programme, 3),
        title=SECRET_TITLES[2],
        publish=False,
    )
    make_entry(
        author,
        cohort=cohort,
        title=SECRET_TITLES[3],
        visibility=Entry.Visibility.PRIVATE,
    )
    ben = make_entry(
        cohort_mate, cohort=cohort, thing=thing(programme, 1), title=SECRET_TITLES[4]
    )
    _publish_at(ben, now - datetime.timedelta(days=20))
    return {"private": private, "public": public, "ben": ben}


def _url(cohort, **params) -> str:
    url = reverse("facilitation:progress", kwargs={"cohort": cohort.slug})
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def _csv_url(cohort, **params) -> str:
    url = reverse("facilitation:progress_csv", kwargs={"cohort": cohort.slug})
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def _names(response) -> list[str]:
    return [row.membership.user.username for row in response.context["rows"]]


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_it_shows_the_grid(client_for, facilitator, cohort, world, author):
    response = client_for(facilitator).get(_url(cohort))
    assert response.status_code == HTTPStatus.OK
    rows = {row.membership.user.username: row for row in response.context["rows"]}
    # Facilitators are not in the grid; every participant is.
    assert set(rows) == {"ada", "ben", "cara"}
    assert [t.number for t in response.context["grid"].things] == [1, 2, 3]
    ada = rows["ada"]
    assert [cell.done_at is not None for cell in ada.cells] == [True, True, False]
    assert ada.cells[0].done_at == world["private"].published_at
    assert (ada.done, ada.total, ada.percent) == (2, 3, 67)
    # The "only me" free reflection is newer but not the facilitator's to date.
    assert ada.last_entry_at == world["public"].published_at
    assert rows["ben"].done == 1
    assert rows["cara"].done == 0 and rows["cara"].last_entry_at is None


def test_it_never_shows_titles_or_text(client_for, facilitator, cohort, world):
    html = client_for(facilitator).get(_url(cohort)).content.decode()
    for title in SECRET_TITLES:
        assert title not in html
    assert "Hidden body text" not in html
    csv_text = "\n".join(
        ",".join(row) for row in _csv(client_for(facilitator).get(_csv_url(cohort)))
    )
    for title in SECRET_TITLES:
        assert title not in csv_text


def test_cells_read_done_with_a_date_or_not_yet(
    client_for, facilitator, cohort, world, settings
):
    html = client_for(facilitator).get(_url(cohort)).content.decode()
    # Readers hear "Done 3 Oct" or "Not yet"; the date is a <time>.
    zone = zoneinfo.ZoneInfo(facilitator.profile.time_zone)
    local = timezone.localtime(world["private"].published_at, zone).strftime("%-d %b")
    done = re.findall(
        r'<span class="visually-hidden">Done </span><time datetime="[^"]+">([^<]+)',
        html,
    )
    assert local in done
    assert len(done) == 3  # ada's two, ben's one; the draft is not there
    assert html.count('<span class="visually-hidden">Not yet</span>') == 6
    assert '<th scope="row"' in html and '<th scope="col"' in html
    assert "<caption" in html
    assert 'role="region"' in html and 'tabindex="0"' in html


def test_dates_are_in_the_viewers_time_zone(client_for, facilitator, cohort, world):
    # Published at 23:30 UTC: already the next day in Auckland.
    moment = datetime.datetime(2026, 3, 9, 23, 30, tzinfo=datetime.UTC)
    _publish_at(world["public"], moment)
    facilitator.profile.time_zone = "Pacific/Auckland"
    facilitator.profile.save()
    html = client_for(facilitator).get(_url(cohort)).content.decode()
    assert ">10 Mar</time>" in html
    rows = _csv(client_for(facilitator).get(_csv_url(cohort)))
    ada = next(row for row in rows if row[1] == "ada")
    assert ada[3] == "2026-03-10"


@pytest.mark.parametrize(
    ("show", "expected"),
    [("all", ["ada", "ben", "cara"]), ("stale", ["ben", "cara"]), ("finished", [])],
)
def test_it_filters(client_for, facilitator, cohort, world, show, expected):
    response = client_for(facilitator).get(_url(cohort, show=show))
    assert _names(response) == expected


def test_finished_counts_against_the_completion_target(
    client_for, facilitator, cohort, world
):
    cohort.completion_target = 2
    cohort.save()
    response = client_for(facilitator).get(_url(cohort, show="finished"))
    assert _names(response) == ["ada"]
    assert "Finishing takes 2 Things" in response.content.decode()


def test_finished_without_a_target_means_every_published_thing(
    client_for, facilitator, cohort, programme, author, make_entry
):
    # Four published Things (the fifth is a draft), one not yet open.
    for number in (1, 2, 3):
        make_entry(author, cohort=cohort, thing=thing(programme, number))
    response = client_for(facilitator).get(_url(cohort, show="finished"))
    assert _names(response) == []
    make_entry(author, cohort=cohort, thing=thing(programme, 4))
    response = client_for(facilitator).get(_url(cohort, show="finished"))
    assert _names(response) == ["ada"]


def test_a_draft_never_finishes(
    client_for, facilitator, cohort, programme, author, make_entry
):
    cohort.completion_target = 1
    cohort.save()
    make_entry(author, cohort=cohort, thing=thing(programme, 1), publish=False)
    response = client_for(facilitator).get(_url(cohort, show="finished"))
    assert _names(response) == []


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["ada", "ben", "cara"]),
        ("share", ["ada", "ben", "cara"]),
        ("-share", ["cara", "ben", "ada"]),
        ("last", ["ada", "ben", "cara"]),
        ("-last", ["cara", "ben", "ada"]),
        ("nonsense", ["ada", "ben", "cara"]),
    ],
)
def test_it_sorts(client_for, facilitator, cohort, world, sort, expected):
    response = client_for(facilitator).get(_url(cohort, sort=sort))
    assert _names(response) == expected


def test_sort_by_name_uses_the_display_name(
    client_for, facilitator, cohort, world, cara
):
    cara.profile.display_name = "aaron (cara)"
    cara.profile.save()
    response = client_for(facilitator).get(_url(cohort, sort="name"))
    assert _names(response) == ["cara", "ada", "ben"]


def test_an_unknown_filter_shows_everyone(client_for, facilitator, cohort, world):
    response = client_for(facilitator).get(_url(cohort, show="<script>", page="x"))
    assert response.status_code == HTTPStatus.OK
    assert _names(response) == ["ada", "ben", "cara"]


def _bulk_participants(cohort, count: int, prefix: str = "p") -> list[User]:
    from accounts.models import Profile

    users = User.objects.bulk_create(
        [
            User(username=f"{prefix}{n:04d}", email=f"{prefix}{n}@example.org")
            for n in range(count)
        ]
    )
    Profile.objects.bulk_create(
        [Profile(user=user, display_name=user.username) for user in users]
    )
    Membership.objects.bulk_create(
        [Membership(user=user, cohort=cohort) for user in users]
    )
    return users


def test_it_paginates_fifty_a_page(client_for, facilitator, cohort):
    _bulk_participants(cohort, 51)
    client = client_for(facilitator)
    first = client.get(_url(cohort))
    assert len(first.context["rows"]) == 50
    assert first.context["page"].paginator.num_pages == 2
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(_url(cohort, page=2))
    assert _names(second) == ["p0050"]
    # The CSV has them all.
    rows = _csv(client.get(_csv_url(cohort)))
    assert len(rows) == 1 + 51


def test_the_csv_has_the_whole_grid(client_for, facilitator, cohort, world):
    response = client_for(facilitator).get(_csv_url(cohort))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo("Europe/London"))
    today = today.isoformat()
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="ponder-progress-spring-{today}.csv"'
    )
    rows = _csv(response)
    assert rows[0] == [
        "Participant",
        "Username",
        "Thing 1: Getting started",
        "Thing 2: Blogging",
        "Thing 3: Feeds",
        "Things done",
        "Open Things",
        "Share done (%)",
        "Last entry",
    ]
    by_username = {row[1]: row for row in rows[1:]}
    assert set(by_username) == {"ada", "ben", "cara"}

    zone = zoneinfo.ZoneInfo(facilitator.profile.time_zone)

    def day(entry):
        return timezone.localtime(entry.published_at, zone).date().isoformat()

    assert by_username["ada"] == [
        "Ada Author",
        "ada",
        day(world["private"]),
        day(world["public"]),
        "",
        "2",
        "3",
        "67",
        day(world["public"]),
    ]
    assert by_username["cara"][2:] == ["", "", "", "0", "3", "0", ""]


def test_the_csv_follows_the_filter_and_shows_the_target(
    client_for, facilitator, cohort, world
):
    cohort.completion_target = 2
    cohort.save()
    rows = _csv(client_for(facilitator).get(_csv_url(cohort, show="stale")))
    assert "Completion target" in rows[0]
    assert [row[1] for row in rows[1:]] == ["ben", "cara"]


def test_the_csv_is_safe_from_formulas(client_for, facilitator, cohort, cara):
    cara.profile.display_name = '=HYPERLINK("http://evil")'
    cara.profile.save()
    rows = _csv(client_for(facilitator).get(_csv_url(cohort)))
    assert rows[1][0] == '\'=HYPERLINK("http://evil")'


def test_the_charts_have_the_figures(
    client_for, facilitator, cohort, world, cohort_mate, make_comment
):
    # The cohort started 15 days ago: weeks 1 to 3. Ben's entry is older.
    make_comment(world["public"], cohort_mate, body="Great")
    gone = make_comment(world["public"], cohort_mate, body="Oops")
    Comment.objects.filter(pk=gone.pk).update(state=Comment.State.DELETED)
    response = client_for(facilitator).get(_url(cohort))
    context = response.context
    entries = [
        (bar.label.split(" (")[0], bar.value) for bar in context["entries_chart"].bars
    ]
    # ada's three published entries, "only me" ones counted; the draft is not:
    # Thing 1 three days ago (day 12, week 2), the others in days 14 and 15.
    assert entries == [("Week 1", 0), ("Week 2", 1), ("Week 3", 2)]
    assert [bar.value for bar in context["comments_chart"].bars] == [0, 0, 1]
    things = [(bar.label, bar.value_label) for bar in context["things_chart"].bars]
    assert things == [
        ("Thing 1: Getting started", "67%"),
        ("Thing 2: Blogging", "33%"),
        ("Thing 3: Feeds", "0%"),
    ]
    html = response.content.decode()
    assert html.count('<svg class="chart__svg"') == 3
    assert html.count("Show as a table") == 3
    assert '<td class="numeric">67%</td>' in html


def test_the_weeks_follow_the_cohorts_start(cohort):
    weeks = progress.cohort_weeks(
        cohort, today=cohort.start_date + datetime.timedelta(days=13)
    )
    assert [week.number for week in weeks] == [1, 2]
    assert (
        progress.cohort_weeks(
            cohort, today=cohort.start_date - datetime.timedelta(days=1)
        )
        == []
    )


def test_the_nav_links_to_progress_for_facilitators_only(
    client_for, facilitator, author, cohort
):
    url = _url(cohort)
    people = reverse("journal:people", kwargs={"cohort": cohort.slug})
    assert url in client_for(facilitator).get(people).content.decode()
    assert url not in client_for(author).get(people).content.decode()
    studio = reverse("studio:cohort", kwargs={"slug": cohort.slug})
    assert url in client_for(facilitator).get(studio).content.decode()


PERSONAS = ["author", "cohort_mate", "outsider", "other_facilitator", "owner"]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("make_url", [_url, _csv_url])
def test_it_is_for_the_cohorts_facilitators_only(
    client_as, cohort, world, other_cohort, persona, make_url
):
    response = client_as(persona).get(make_url(cohort))
    assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("make_url", [_url, _csv_url])
def test_a_visitor_is_sent_to_sign_in(client_as, cohort, make_url):
    response = client_as("visitor").get(make_url(cohort))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("make_url", [_url, _csv_url])
def test_it_works_for_the_facilitator(client_as, cohort, facilitator, make_url):
    assert client_as("facilitator").get(make_url(cohort)).status_code == HTTPStatus.OK


def test_an_unknown_cohort_is_404(client_for, facilitator):
    response = client_for(facilitator).get("/c/nope/progress/")
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_it_only_answers_get(client_for, facilitator, cohort):
    response = client_for(facilitator).post(_url(cohort))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_participants_can_be_picked_for_a_message(
    client_for, facilitator, cohort, world, author
):
    html = client_for(facilitator).get(_url(cohort, show="stale")).content.decode()
    compose = reverse("facilitation:compose_nudge", kwargs={"slug": cohort.slug})
    assert f'<form method="get" action="{compose}"' in html
    boxes = re.findall(r'name="participant" value="(\d+)"', html)
    assert sorted(int(pk) for pk in boxes) == sorted(
        User.objects.filter(username__in=["ben", "cara"]).values_list("pk", flat=True)
    )
    assert "Message selected" in html
