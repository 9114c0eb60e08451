"""Reports by members; the facilitators' queue, hide, restore, dismiss and log;
the export keeping what a facilitator hid out; bounded queries throughout."""

import datetime
import io
import zipfile
from http import HTTPStatus
from itertools import cycle

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import resolve, reverse
from django.utils import timezone

from facilitation import actions as facilitation_actions
from journal import actions
from journal.models import Comment, Entry, ModerationAction, Report
from tests.conftest import thing
from tests.journal.helpers import assert_sent_to_sign_in, errors_beside
from tests.queries import assert_same_queries, count_queries

#: What a facilitator writes for the author when hiding.
REASON = "Please keep colleagues' names out of entries."


@pytest.fixture
def entry(author, cohort, make_entry) -> Entry:
    # Public: outsiders read it, so only membership keeps them from reporting.
    return make_entry(
        author,
        cohort=cohort,
        thing=thing(cohort.programme, 1),
        title="On feeds",
        body="Feeds are *wonderful*.",
        visibility=Entry.Visibility.PUBLIC,
    )


@pytest.fixture
def comment(entry, cohort_mate, make_comment) -> Comment:
    return make_comment(entry, cohort_mate, "A rather rude remark")


def entry_url(name: str, entry: Entry) -> str:
    return reverse(
        f"facilitation:{name}",
        kwargs={"username": entry.author.username, "slug": entry.slug},
    )


def cohort_url(name: str, entry: Entry, **kwargs) -> str:
    return reverse(
        f"facilitation:{name}", kwargs={"cohort": entry.cohort.slug, **kwargs}
    )


def make_report(item: Entry | Comment, reporter: User, **extra) -> Report:
    report, _ = facilitation_actions.report_item(
        reporter=reporter, item=item, reason=Report.Reason.UNKIND, **extra
    )
    return report


# Addresses -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/@ada/on-feeds/report/", "report_entry"),
        ("/comments/7/report/", "report_comment"),
        ("/c/spring/moderation/", "moderation"),
        ("/c/spring/moderation/log/", "moderation_log"),
        ("/c/spring/moderation/entries/7/hide/", "hide_entry"),
        ("/c/spring/moderation/entries/7/restore/", "restore_entry"),
        ("/c/spring/moderation/comments/7/hide/", "hide_comment"),
        ("/c/spring/moderation/comments/7/restore/", "restore_comment"),
        ("/c/spring/moderation/reports/7/dismiss/", "dismiss_report"),
    ],
)
def test_moderation_keeps_the_addresses_it_had_in_the_journal(path, name):
    """Moved to the facilitators' app, its pages answer at the same paths, and
    no pattern included before or after (the journal's entry pages) takes them."""
    match = resolve(path)
    assert (match.namespace, match.url_name) == ("facilitation", name)
    assert reverse(f"facilitation:{name}", kwargs=match.kwargs) == path


# Reporting -------------------------------------------------------------------


def test_a_member_reports_an_entry(client_for, cohort_mate, entry):
    client = client_for(cohort_mate)
    url = entry_url("report_entry", entry)

    form = client.get(url)
    response = client.post(
        url, {"reason": "off_topic", "details": "Not about feeds"}, follow=True
    )

    assert form.status_code == HTTPStatus.OK
    assert "Spam or advertising" in form.text
    report = Report.objects.get()
    assert (report.entry, report.comment) == (entry, None)
    assert report.cohort == entry.cohort
    assert report.reporter == cohort_mate
    assert report.reason == Report.Reason.OFF_TOPIC
    assert report.details == "Not about feeds"
    assert report.resolved_at is None
    assert response.redirect_chain == [(entry.get_absolute_url(), HTTPStatus.FOUND)]
    assert "the cohort&#x27;s facilitators will look at it" in response.text


def test_a_member_reports_a_comment(client_for, facilitator, comment):
    response = client_for(facilitator).post(
        reverse("facilitation:report_comment", args=[comment.pk]), {"reason": "unkind"}
    )

    assert Report.objects.get().comment == comment
    assert response["Location"] == comment.get_absolute_url()


def test_one_open_report_per_reporter_and_item(client_for, cohort_mate, entry):
    client = client_for(cohort_mate)
    url = entry_url("report_entry", entry)
    client.post(url, {"reason": "spam"})

    response = client.post(url, {"reason": "unkind"}, follow=True)

    assert Report.objects.count() == 1
    assert Report.objects.get().reason == "spam"
    assert "You have reported this already." in response.text


@pytest.mark.parametrize("persona", ["outsider", "other_facilitator"])
def test_only_members_of_the_cohort_report(client_as, entry, comment, persona):
    client = client_as(persona)

    by_entry = client.post(entry_url("report_entry", entry), {"reason": "spam"})
    by_comment = client.post(
        reverse("facilitation:report_comment", args=[comment.pk]), {"reason": "spam"}
    )

    assert by_entry.status_code == HTTPStatus.NOT_FOUND
    assert by_comment.status_code == HTTPStatus.NOT_FOUND
    assert client.get(entry_url("report_entry", entry)).status_code == 404
    assert not Report.objects.exists()


def test_a_visitor_is_sent_to_sign_in(client_as, entry):
    url = entry_url("report_entry", entry)

    assert_sent_to_sign_in(client_as("visitor").get(url), url)


def test_nobody_reports_their_own(client_as, entry, comment):
    by_author = client_as("author").post(
        entry_url("report_entry", entry), {"reason": "spam"}
    )
    by_writer = client_as("cohort_mate").post(
        reverse("facilitation:report_comment", args=[comment.pk]), {"reason": "spam"}
    )

    assert by_author.status_code == HTTPStatus.NOT_FOUND
    assert by_writer.status_code == HTTPStatus.NOT_FOUND
    assert not Report.objects.exists()


def test_a_private_comment_is_reported_only_by_its_readers(
    client_for, make_user, join, cohort, entry, cohort_mate
):
    private = actions.add_comment(
        entry=entry, author=cohort_mate, body="Just for Ada", private=True
    )
    cal = make_user("cal")
    join(cal, cohort)
    url = reverse("facilitation:report_comment", args=[private.pk])

    assert client_for(cal).get(url).status_code == HTTPStatus.NOT_FOUND
    assert client_for(entry.author).get(url).status_code == HTTPStatus.OK


def test_a_report_without_a_reason_comes_back(client_for, cohort_mate, entry):
    response = client_for(cohort_mate).post(
        entry_url("report_entry", entry), {"reason": "bogus", "details": "Keep me"}
    )

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert errors_beside(response.text, "id_reason")
    assert "Keep me" in response.text
    assert not Report.objects.exists()


def test_the_entry_page_offers_reporting_to_members_but_the_author(
    client_as, entry, comment
):
    report_entry = entry_url("report_entry", entry)
    report_comment = reverse("facilitation:report_comment", args=[comment.pk])

    mate = client_as("author").get(entry.get_absolute_url()).text
    other = client_as("outsider").get(entry.get_absolute_url()).text

    assert report_entry not in mate
    assert report_comment in mate
    assert report_entry not in other
    assert report_comment not in other


# The queue -------------------------------------------------------------------


def test_the_queue_shows_open_reports(client_as, cohort_mate, entry, comment):
    make_report(entry, cohort_mate, details="Copied from a blog")
    make_report(comment, entry.author)

    page = client_as("facilitator").get(cohort_url("moderation", entry)).text

    assert "Unkind or harassing" in page
    assert "Copied from a blog" in page
    assert "Reported by Ben Cohort-Mate" in page
    assert "Reported by Ada Author" in page
    assert "Feeds are wonderful." in page
    assert "A rather rude remark" in page
    assert cohort_url("hide_entry", entry, pk=entry.pk) in page
    assert cohort_url("hide_comment", entry, pk=comment.pk) in page
    assert "Dismiss" in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("author", HTTPStatus.NOT_FOUND),
        ("cohort_mate", HTTPStatus.NOT_FOUND),
        ("outsider", HTTPStatus.NOT_FOUND),
        ("other_facilitator", HTTPStatus.NOT_FOUND),
        ("facilitator", HTTPStatus.OK),
    ],
)
@pytest.mark.parametrize("name", ["moderation", "moderation_log"])
def test_moderation_pages_are_for_the_cohort_s_facilitators(
    client_as, entry, persona, status, name
):
    response = client_as(persona).get(cohort_url(name, entry))

    assert response.status_code == status


def test_the_cohort_nav_shows_facilitators_the_open_reports(
    client_as, cohort_mate, entry, comment
):
    make_report(entry, cohort_mate)
    make_report(comment, entry.author)
    url = reverse("journal:cohort", args=[entry.cohort.slug])

    facilitator = client_as("facilitator").get(url).text
    participant = client_as("cohort_mate").get(url).text

    assert "Moderation (2" in facilitator
    assert cohort_url("moderation", entry) not in participant


def test_a_report_on_an_entry_made_only_me_leaves_the_queue(
    client_as, cohort_mate, entry
):
    make_report(entry, cohort_mate)
    entry.visibility = Entry.Visibility.PRIVATE
    actions.save_entry(entry=entry, publish=True)

    page = client_as("facilitator").get(cohort_url("moderation", entry)).text

    assert "No open reports." in page
    assert "Feeds are wonderful" not in page


def test_an_entry_made_only_me_leaves_the_hidden_list_and_the_log(
    client_as, facilitator, entry
):
    facilitation_actions.hide_item(actor=facilitator, item=entry)
    entry.visibility = Entry.Visibility.PRIVATE
    actions.save_entry(entry=entry, publish=True)
    client = client_as("facilitator")

    queue = client.get(cohort_url("moderation", entry)).text
    log = client.get(cohort_url("moderation_log", entry)).text

    assert entry.title not in queue
    assert entry.title not in log
    assert "An entry its author no longer shares" in log


# Hide, restore, dismiss --------------------------------------------------------


def test_hiding_from_the_queue_resolves_the_reports_and_logs_it(
    client_for, facilitator, cohort_mate, make_user, join, entry
):
    report = make_report(entry, cohort_mate)
    other = make_report(entry, make_user("cal"))
    queue = cohort_url("moderation", entry)
    moment = timezone.now().replace(microsecond=0)

    with time_machine.travel(moment, tick=False):
        response = client_for(facilitator).post(
            cohort_url("hide_entry", entry, pk=entry.pk),
            {"report": report.pk, "next": queue, "reason": REASON},
        )

    assert response["Location"] == queue
    entry.refresh_from_db()
    assert entry.hidden_at == moment
    for each in (report, other):
        each.refresh_from_db()
        assert each.resolved_at == moment
        assert each.resolved_by == facilitator
    action = ModerationAction.objects.get()
    assert action.action == ModerationAction.Action.HIDE
    assert (action.actor, action.entry, action.report) == (facilitator, entry, report)
    assert action.cohort == entry.cohort
    assert action.created == moment


def test_hiding_a_comment_from_the_entry_page(client_as, entry, comment):
    client = client_as("facilitator")
    page = client.get(entry.get_absolute_url()).text
    hide = cohort_url("hide_comment", entry, pk=comment.pk)
    back = f"{entry.get_absolute_url()}#{comment.anchor}"

    response = client.post(hide, {"next": back, "reason": REASON})

    assert f'action="{hide}"' in page
    assert f'action="{cohort_url("hide_entry", entry, pk=entry.pk)}"' in page
    assert response["Location"] == back
    comment.refresh_from_db()
    assert comment.is_hidden
    assert ModerationAction.objects.get().comment == comment


def test_participants_get_no_moderation_buttons(client_as, entry, comment):
    page = client_as("cohort_mate").get(entry.get_absolute_url()).text

    assert "/moderation/" not in page


def test_restore_brings_it_back_and_logs_it(client_for, facilitator, entry, comment):
    facilitation_actions.hide_item(actor=facilitator, item=comment)

    client_for(facilitator).post(cohort_url("restore_comment", entry, pk=comment.pk))

    comment.refresh_from_db()
    assert not comment.is_hidden
    assert [a.action for a in ModerationAction.objects.order_by("pk")] == [
        "hide",
        "restore",
    ]


def test_hiding_twice_logs_once(client_for, facilitator, entry):
    client = client_for(facilitator)
    client.post(cohort_url("hide_entry", entry, pk=entry.pk), {"reason": REASON})

    response = client.post(
        cohort_url("hide_entry", entry, pk=entry.pk), {"reason": REASON}, follow=True
    )

    assert ModerationAction.objects.count() == 1
    assert "It was hidden already." in response.text


def test_dismiss_resolves_the_report_and_logs_it(
    client_for, facilitator, cohort_mate, entry
):
    report = make_report(entry, cohort_mate)

    response = client_for(facilitator).post(
        cohort_url("dismiss_report", entry, pk=report.pk)
    )

    assert response["Location"] == cohort_url("moderation", entry)
    report.refresh_from_db()
    assert report.resolved_by == facilitator
    entry.refresh_from_db()
    assert not entry.is_hidden
    action = ModerationAction.objects.get()
    assert (action.action, action.report, action.actor) == (
        "dismiss",
        report,
        facilitator,
    )


@pytest.mark.parametrize("persona", ["cohort_mate", "author", "other_facilitator"])
def test_only_the_cohort_s_facilitators_act(client_as, cohort_mate, entry, persona):
    report = make_report(entry, cohort_mate)
    client = client_as(persona)

    statuses = {
        client.post(
            cohort_url("hide_entry", entry, pk=entry.pk), {"reason": REASON}
        ).status_code,
        client.post(cohort_url("dismiss_report", entry, pk=report.pk)).status_code,
    }

    assert statuses == {HTTPStatus.NOT_FOUND}
    entry.refresh_from_db()
    assert not entry.is_hidden
    assert not ModerationAction.objects.exists()


def test_another_cohort_s_content_is_out_of_reach(
    client_for, facilitator, outsider, other_cohort, make_entry
):
    theirs = make_entry(outsider, cohort=other_cohort, title="Autumn thoughts")

    response = client_for(facilitator).post(
        reverse(
            "facilitation:hide_entry", kwargs={"cohort": "spring", "pk": theirs.pk}
        ),
        {"reason": REASON},
    )

    assert response.status_code == HTTPStatus.NOT_FOUND
    theirs.refresh_from_db()
    assert not theirs.is_hidden


def test_an_unsafe_next_goes_to_the_queue(client_for, facilitator, entry):
    response = client_for(facilitator).post(
        cohort_url("hide_entry", entry, pk=entry.pk),
        {"next": "https://evil.example/", "report": "²", "reason": REASON},
    )

    assert response["Location"] == cohort_url("moderation", entry)


def test_the_log_says_who_did_what_and_when(
    client_for, facilitator, cohort_mate, entry, comment
):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 14, 5, tzinfo=datetime.UTC)):
        facilitation_actions.hide_item(
            actor=facilitator, item=comment, report=make_report(comment, entry.author)
        )
    page = client_for(facilitator).get(cohort_url("moderation_log", entry)).text

    assert "Fran Facilitator" in page
    assert "Hidden" in page
    assert "Comment by Ben Cohort-Mate" in page
    assert "Unkind or harassing" in page
    assert "2 Mar 2026" in page


# The export --------------------------------------------------------------------


def test_the_export_leaves_out_what_the_author_may_not_read(
    client_for, author, cohort_mate, facilitator, entry, make_comment
):
    make_comment(entry, cohort_mate, "Kept and open")
    actions.add_comment(
        entry=entry, author=cohort_mate, body="Kept, just for Ada", private=True
    )
    hidden = make_comment(entry, cohort_mate, "Hidden words")
    make_comment(entry, author, "My answer to it", parent=hidden)
    lonely = make_comment(entry, cohort_mate, "Hidden and alone")
    for item in (hidden, lonely):
        facilitation_actions.hide_item(actor=facilitator, item=item)

    response = client_for(author).post(reverse("journal:export"))
    archive = zipfile.ZipFile(io.BytesIO(response.getvalue()))
    text = "\n".join(
        archive.read(name).decode() for name in archive.namelist() if "entries/" in name
    )

    assert "Kept and open" in text
    assert "Kept, just for Ada" in text
    assert "My answer to it" in text
    assert "*Comment hidden by a facilitator*" in text
    assert "Hidden words" not in text
    assert "Hidden and alone" not in text


# Bounded queries -------------------------------------------------------------

SMALL, LARGE = 5, 100


@pytest.mark.parametrize(
    "viewer", ["author", "cohort_mate", "facilitator", "outsider", "visitor"]
)
def test_the_entry_page_runs_the_same_queries_whatever_the_thread(
    client_as,
    cohort_mate,
    facilitator,
    entry,
    make_members,
    make_comment,
    django_assert_num_queries,
    viewer,
):
    members = make_members(entry.cohort, 6)
    people = cycle([entry.author, cohort_mate, *members])
    made = 0

    def comment(count: int) -> None:
        """Open, private and hidden comments with replies; likes along the way."""
        nonlocal made
        while made < count:
            top = make_comment(entry, next(people), "A **comment**")
            private = actions.add_comment(
                entry=entry, author=next(people), body="For Ada", private=True
            )
            make_comment(entry, entry.author, "Thanks", parent=private)
            hidden = make_comment(entry, next(people), "Unkind", parent=top)
            facilitation_actions.hide_item(actor=facilitator, item=hidden)
            liker = next(people)
            if liker != entry.author:
                actions.like_entry(entry=entry, user=liker)
            made += 4

    comment(SMALL)
    client = client_as(viewer)
    url = entry.get_absolute_url()
    small = count_queries(client, url)

    comment(LARGE)

    assert_same_queries(django_assert_num_queries, client, url, small)


def test_the_queue_runs_the_same_queries_whatever_the_reports(
    client_as,
    cohort_mate,
    facilitator,
    entry,
    make_members,
    make_comment,
    django_assert_num_queries,
):
    reporters = make_members(entry.cohort, 30)
    made = 0

    def report(count: int) -> None:
        nonlocal made
        for reporter in reporters[made:count]:
            if made % 2:
                make_report(make_comment(entry, cohort_mate), reporter)
            else:
                make_report(entry, reporter)
            if made % 5 == 0:
                facilitation_actions.hide_item(
                    actor=facilitator,
                    item=make_comment(entry, reporter, "Hidden"),
                )
            made += 1

    report(2)
    client = client_as("facilitator")
    url = cohort_url("moderation", entry)
    small = count_queries(client, url)

    report(30)

    assert_same_queries(django_assert_num_queries, client, url, small)
    assert_same_queries(django_assert_num_queries, client, f"{url}?page=2", small)


def test_the_log_runs_the_same_queries_whatever_its_length(
    client_as, cohort_mate, facilitator, entry, make_comment, django_assert_num_queries
):
    def act(count: int) -> None:
        for _ in range(count):
            comment = make_comment(entry, cohort_mate)
            facilitation_actions.hide_item(
                actor=facilitator,
                item=comment,
                report=make_report(comment, entry.author),
            )
            facilitation_actions.restore_item(actor=facilitator, item=comment)

    act(2)
    client = client_as("facilitator")
    url = cohort_url("moderation_log", entry)
    small = count_queries(client, url)

    act(30)

    assert_same_queries(django_assert_num_queries, client, url, small)
