"""Cached HTML (core/freshness.py): served again while nothing changed, rendered
afresh after any change a reader could see, and never someone else's."""

from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts import actions as account_actions
from core import freshness
from facilitation import actions as facilitation_actions
from journal import actions as journal_actions
from journal import tags
from journal.models import Entry
from programmes import actions as programme_actions
from programmes.models import Cohort, Membership
from tests.conftest import thing


def cohort_url(cohort: Cohort) -> str:
    return reverse("journal:cohort", kwargs={"cohort": cohort.slug})


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(context.captured_queries)


@pytest.fixture
def shared(author, cohort, make_entry, make_comment, cohort_mate):
    entry = make_entry(author, cohort=cohort, title="Shared thoughts")
    make_comment(entry, cohort_mate, "A first reply")
    return entry


def test_a_second_visit_renders_the_cohort_page_from_the_cache(
    client_for, cohort_mate, cohort, shared
):
    client = client_for(cohort_mate)
    client.get(cohort_url(cohort))
    cache.clear()
    cold = queries_for(client, cohort_url(cohort))
    warm = queries_for(client, cohort_url(cohort))

    assert warm < cold


def test_the_cached_cohort_page_does_not_query_the_entries(
    client_for, cohort_mate, cohort, shared
):
    client = client_for(cohort_mate)
    client.get(cohort_url(cohort))
    with CaptureQueriesContext(connection) as context:
        response = client.get(cohort_url(cohort))

    assert "Shared thoughts" in response.text
    entry_table = Entry._meta.db_table
    # The comment counts (holes, filled per reader) join the entries they count.
    assert not [
        q for q in context.captured_queries if f'FROM "{entry_table}"' in q["sql"]
    ]


def rename(author, **_) -> str:
    account_actions.update_profile(profile=author.profile, display_name="Ada Renamed")
    return "Ada Renamed"


def publish_another(author, cohort, make_entry, **_) -> str:
    make_entry(author, cohort=cohort, title="A newer entry")
    return "A newer entry"


def comment_again(shared, cohort_mate, make_comment, **_) -> str:
    make_comment(shared, cohort_mate, "And another")
    return "2 comments"


def thing_renamed(cohort, shared, author, make_entry, **_) -> str:
    first = thing(cohort.programme, 1)
    make_entry(author, cohort=cohort, thing=first, title="On the first")
    programme_actions.move_thing(thing=first, offset=1)
    return "Thing 2 ·"


@pytest.mark.parametrize(
    "change", [rename, publish_another, comment_again, thing_renamed]
)
def test_what_changes_shows_at_once(
    client_for, cohort_mate, cohort, shared, author, make_entry, make_comment, change
):
    client = client_for(cohort_mate)
    client.get(cohort_url(cohort))

    expected = change(
        author=author,
        cohort=cohort,
        shared=shared,
        cohort_mate=cohort_mate,
        make_entry=make_entry,
        make_comment=make_comment,
    )

    assert expected in client.get(cohort_url(cohort)).text


def made_private(entry: Entry, **_) -> None:
    entry.visibility = Entry.Visibility.PRIVATE
    journal_actions.save_entry(entry=entry, publish=True)


def hidden(entry: Entry, facilitator, **_) -> None:
    facilitation_actions.hide_item(actor=facilitator, item=entry)


@pytest.mark.parametrize("change", [made_private, hidden])
def test_what_may_no_longer_be_read_leaves_the_cached_pages(
    client_for, cohort_mate, facilitator, cohort, shared, change
):
    client = client_for(cohort_mate)
    assert "Shared thoughts" in client.get(cohort_url(cohort)).text

    change(entry=shared, facilitator=facilitator)

    assert "Shared thoughts" not in client.get(cohort_url(cohort)).text


def test_a_removed_member_no_longer_gets_the_cached_page(
    client_for, cohort_mate, cohort, shared
):
    client = client_for(cohort_mate)
    client.get(cohort_url(cohort))

    programme_actions.remove_member(
        membership=Membership.objects.get(user=cohort_mate, cohort=cohort)
    )

    assert client.get(cohort_url(cohort)).status_code == HTTPStatus.NOT_FOUND


def test_the_cached_thread_follows_replies_edits_and_hiding(
    client_for, cohort_mate, author, facilitator, shared, make_comment
):
    client = client_for(cohort_mate)
    url = shared.get_absolute_url()
    client.get(url)

    reply = make_comment(shared, author, "Thanks for reading")
    assert "Thanks for reading" in client.get(url).text

    journal_actions.edit_comment(comment=reply, body="Thanks, edited")
    assert "Thanks, edited" in client.get(url).text

    facilitation_actions.hide_item(actor=facilitator, item=reply)
    page = client.get(url).text
    assert "Thanks, edited" not in page

    journal_actions.delete_comment(comment=shared.comments.get(body="A first reply"))
    assert "A first reply" not in client.get(url).text


def test_each_reader_gets_their_own_fragment(
    client_for, author, cohort_mate, cohort, make_entry
):
    make_entry(author, cohort=cohort, title="Only mine", visibility="private")
    assert "Only mine" in client_for(author).get(cohort_url(cohort)).text

    assert "Only mine" not in client_for(cohort_mate).get(cohort_url(cohort)).text


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_a_cached_form_carries_a_token_for_this_browser(cohort_mate, shared):
    """Two browsers of one member: each page's forms work with its own cookie."""
    url = shared.get_absolute_url()
    csrf_client(cohort_mate).get(url)

    browser = csrf_client(cohort_mate)
    page = browser.get(url).text
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = browser.post(
        reverse(
            "journal:add_comment",
            kwargs={"username": shared.author.username, "slug": shared.slug},
        ),
        {"body": "From my second browser", "csrfmiddlewaretoken": token},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert shared.comments.filter(body="From my second browser").exists()


def test_saving_a_cohort_keeps_a_newer_content_version(cohort):
    loaded_before = Cohort.objects.get(pk=cohort.pk)
    freshness.cohorts_changed([cohort.pk])
    version = Cohort.objects.get(pk=cohort.pk).content_version

    loaded_before.name = "Renamed"
    loaded_before.save()

    saved = Cohort.objects.get(pk=cohort.pk)
    assert saved.name == "Renamed"
    assert saved.content_version == version > loaded_before.content_version


def test_a_draft_saved_moves_no_cohort_on(author, cohort, make_entry):
    version = Cohort.objects.get(pk=cohort.pk).content_version

    make_entry(author, cohort=cohort, title="Still drafting", publish=False)

    assert Cohort.objects.get(pk=cohort.pk).content_version == version


def test_the_cached_dashboard_shows_new_replies_and_progress(
    client_for, author, cohort_mate, cohort, make_entry, make_comment
):
    client = client_for(author)
    mine = make_entry(author, cohort=cohort, title="My first")
    before = client.get(reverse("home")).text

    make_comment(mine, cohort_mate, "Lovely to read")
    make_entry(author, cohort=cohort, thing=thing(cohort.programme, 1), title="On 1")

    page = client.get(reverse("home")).text
    assert "Lovely to read" in page
    assert "1 of" in page and "1 of" not in before


def test_the_cached_progress_grid_shows_a_new_entry(
    client_for, facilitator, cohort_mate, cohort, make_entry
):
    client = client_for(facilitator)
    url = reverse("facilitation:progress", kwargs={"cohort": cohort.slug})
    assert "progress-grid__cell--done" not in client.get(url).text

    make_entry(cohort_mate, cohort=cohort, thing=thing(cohort.programme, 1))

    assert "progress-grid__cell--done" in client.get(url).text


def test_a_cached_feed_follows_what_is_published_and_made_private(
    client, author, cohort, make_entry
):
    url = reverse("journal:cohort_feed", kwargs={"cohort": cohort.slug})
    shown = make_entry(
        author, cohort=cohort, title="Out in public", visibility="public"
    )
    assert "Out in public" in client.get(url).text

    make_entry(author, cohort=cohort, title="Also public", visibility="public")
    made_private(shown)

    feed = client.get(url).text
    assert "Also public" in feed
    assert "Out in public" not in feed


def test_the_cached_entry_follows_its_text_tags_and_likes(
    client_for, author, cohort_mate, facilitator, shared
):
    client = client_for(facilitator)
    url = shared.get_absolute_url()
    assert "Shared thoughts" in client.get(url).text

    shared.title = "Shared, then edited"
    journal_actions.save_entry(entry=shared, publish=True)
    journal_actions.apply_tags(entry=shared, tags=tags.parse_tags("feedback"))
    journal_actions.like_entry(entry=shared, user=cohort_mate)

    page = client.get(url).text
    assert "Shared, then edited" in page
    assert "feedback" in page
    assert "1 like" in page


def test_the_facilitators_report_count_follows_reports(
    client_for, cohort_mate, facilitator, cohort, shared
):
    client = client_for(facilitator)
    assert "Moderation (0" in client.get(cohort_url(cohort)).text

    facilitation_actions.report_item(
        reporter=cohort_mate, item=shared, reason="off_topic"
    )

    assert "Moderation (1" in client.get(cohort_url(cohort)).text


def test_the_cached_dashboard_follows_my_drafts(client_for, author, cohort, make_entry):
    client = client_for(author)
    draft = make_entry(author, cohort=cohort, title="Half a thought", publish=False)
    assert "Half a thought" in client.get(reverse("home")).text

    draft.title = "A whole thought"
    journal_actions.save_entry(entry=draft, publish=False)

    assert "A whole thought" in client.get(reverse("home")).text


def test_the_cached_dashboard_follows_my_facilitators_messages(
    client_for, author, facilitator, cohort
):
    client = client_for(author)
    client.get(reverse("home"))

    nudge = facilitation_actions.send_nudge(
        cohort=cohort,
        sender=facilitator,
        recipients=[author],
        subject="Thing 3 is open",
        body="Have a look.",
    )
    page = client.get(reverse("home")).text
    assert "Thing 3 is open" in page
    assert "nudge-summary--unread" in page

    delivery = nudge.deliveries.get()
    client.get(reverse("facilitation:nudge", args=[delivery.pk]))
    page = client.get(reverse("home")).text
    assert "Thing 3 is open" in page
    assert "nudge-summary--unread" not in page

    account_actions.update_profile(
        profile=facilitator.profile, display_name="Fran Renamed"
    )
    assert "Fran Renamed" in client.get(reverse("home")).text


def test_the_cached_thing_page_follows_its_prompt_and_my_entry(
    client_for, author, cohort, make_entry
):
    first = thing(cohort.programme, 1)
    url = reverse("journal:thing", args=[cohort.slug, first.slug])
    client = client_for(author)
    assert "Write your entry" in client.get(url).text

    programme_actions.update_thing(
        thing=first, introduction="A rewritten *introduction*."
    )
    make_entry(author, cohort=cohort, thing=first, title="Mine", publish=False)

    page = client.get(url).text
    assert "A rewritten <em>introduction</em>." in page
    assert "Continue your draft" in page


def test_the_thing_page_follows_my_draft_alone(client_for, author, cohort, make_entry):
    first = thing(cohort.programme, 1)
    url = reverse("journal:thing", args=[cohort.slug, first.slug])
    client = client_for(author)
    assert "Write your entry" in client.get(url).text

    draft = make_entry(author, cohort=cohort, thing=first, title="Mine", publish=False)
    assert "Continue your draft" in client.get(url).text

    draft.title = "Mine, retitled"
    journal_actions.save_entry(entry=draft, publish=False)
    assert "Mine, retitled" in client.get(url).text

    journal_actions.save_entry(entry=draft, publish=True)
    page = client.get(url).text
    assert "Edit your entry" in page
    assert "Continue your draft" not in page


def test_a_fragment_is_kept_for_each_language(rf, author):
    request = rf.get("/")
    request.user = author
    english = freshness.fragment_key(request, "page")
    with translation.override("de"):
        german = freshness.fragment_key(request, "page")

    assert english != german
