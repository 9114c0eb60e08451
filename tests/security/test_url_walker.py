"""Every URL pattern of the project, visited as every persona of DESIGN.md.

The table below is the project's decision, page by page, of who gets what. A
new URL pattern with no row fails ``test_every_pattern_has_a_decision``, so no
page ships without someone deciding its permission check. Django admin's and
allauth's own patterns are checked as two groups with a generic expectation.

Statuses, from DESIGN.md "Who sees what": signed in and may not see → 404;
a visitor asking for anything not public → 302 to the sign-in page; allowed →
200 (or 302 for a view that acts and redirects); POST-only views → 405 on GET.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern

from facilitation import actions as facilitation_actions
from journal.feeds import feed_token_for
from notifications.models import Kind
from notifications.unsubscribe import unsubscribe_token
from programmes import actions as programme_actions
from tests.images import finish
from tests.oidc import provider_app, use_providers
from tests.security.conftest import PERSONAS, World, _make_user

#: A 302 to the sign-in page (DESIGN: a visitor is sent to sign in).
LOGIN = "302 to sign in"
#: A 302 to the admin's own sign-in page.
ADMIN_LOGIN = "302 to admin sign in"

OK = HTTPStatus.OK
FOUND = HTTPStatus.FOUND
NOT_FOUND = HTTPStatus.NOT_FOUND
FORBIDDEN = HTTPStatus.FORBIDDEN
NOT_ALLOWED = HTTPStatus.METHOD_NOT_ALLOWED
UNAUTHORIZED = HTTPStatus.UNAUTHORIZED
UNPROCESSABLE = HTTPStatus.UNPROCESSABLE_ENTITY

Status = int | str
Kwargs = Callable[[World], dict[str, Any]]


def by(default: Status, **persona: Status) -> dict[str, Status]:
    """The expected status for each persona: ``default`` unless named."""
    unknown = set(persona) - set(PERSONAS)
    assert not unknown, f"no such persona: {unknown}"
    return {name: persona.get(name, default) for name in PERSONAS}


EVERYONE = by(OK)
SIGNED_IN = by(OK, visitor=LOGIN)
MEMBERS = by(NOT_FOUND, author=OK, cohort_mate=OK, facilitator=OK, visitor=LOGIN)
FACILITATOR = by(NOT_FOUND, facilitator=OK, visitor=LOGIN)
AUTHOR = by(NOT_FOUND, author=OK, visitor=LOGIN)
OWNER = by(NOT_FOUND, owner=OK, visitor=LOGIN)
#: A POST-only view behind login_required, asked with GET.
POST_ONLY = by(NOT_ALLOWED, visitor=LOGIN)
#: A POST-only JSON endpoint (autosave): a script gets 401, not a redirect.
POST_ONLY_JSON = by(NOT_ALLOWED, visitor=UNAUTHORIZED)


def allowed(expect: dict[str, Status], status: Status) -> dict[str, Status]:
    """The same personas as ``expect`` are allowed, with another status."""
    return {name: status if value == OK else value for name, value in expect.items()}


@dataclass(frozen=True)
class Case:
    """One request to one pattern, with the status each persona should get."""

    name: str
    kwargs: Kwargs
    expect: dict[str, Status]
    method: str = "GET"
    data: Callable[[World], dict[str, Any]] = field(default=lambda w: {})
    variant: str = ""

    @property
    def label(self) -> str:
        variant = f"[{self.variant}]" if self.variant else ""
        return f"{self.method} {self.name}{variant}"


def no_kwargs(w: World) -> dict[str, Any]:
    return {}


def spring(w: World) -> dict[str, Any]:
    return {"cohort": w.cohort.slug}


def spring_slug(w: World) -> dict[str, Any]:
    return {"slug": w.cohort.slug}


def programme(w: World) -> dict[str, Any]:
    return {"slug": w.programme.slug}


def programme_thing(w: World) -> dict[str, Any]:
    return {"slug": w.programme.slug, "thing_slug": w.open_thing.slug}


def open_programme(w: World) -> dict[str, Any]:
    return {"programme": w.open_programme.slug}


def open_cohort(w: World) -> dict[str, Any]:
    return {"cohort": w.open_cohort.slug}


def open_thing(slug: str) -> Kwargs:
    return lambda w: {"programme": w.open_programme.slug, "thing": slug}


def entry_of(attribute: str) -> Kwargs:
    def kwargs(w: World) -> dict[str, Any]:
        entry = getattr(w, attribute)
        return {"username": entry.author.username, "slug": entry.slug}

    return kwargs


def image_of(attribute: str) -> Kwargs:
    def kwargs(w: World) -> dict[str, Any]:
        return {"public_id": getattr(w, attribute).public_id}

    return kwargs


def thing_in_spring(attribute: str) -> Kwargs:
    def kwargs(w: World) -> dict[str, Any]:
        return {"cohort": w.cohort.slug, "thing": getattr(w, attribute).slug}

    return kwargs


def comment(w: World) -> dict[str, Any]:
    return {"pk": w.comment.pk}


def notification(w: World) -> dict[str, Any]:
    return {"pk": w.notification.pk}


def unsubscribe_link(w: World) -> dict[str, Any]:
    return {"token": unsubscribe_token(w.users["author"], [Kind.REPLY])}


def with_key(persona: str, kwargs: Kwargs) -> Kwargs:
    """The kwargs of a private feed: another pattern's, with a persona's key."""

    def keyed(w: World) -> dict[str, Any]:
        return {"key": feed_token_for(w.users[persona]).key, **kwargs(w)}

    return keyed


def moderated(attribute: str) -> Kwargs:
    def kwargs(w: World) -> dict[str, Any]:
        return {"cohort": w.cohort.slug, "pk": getattr(w, attribute).pk}

    return kwargs


def open_report(w: World) -> dict[str, Any]:
    """A report made for this request only: the test's savepoint undoes it."""
    report, _ = facilitation_actions.report_item(
        reporter=w.users["cohort_mate"], item=w.cohort_entry, reason="spam"
    )
    return {"cohort": w.cohort.slug, "pk": report.pk}


def spammer(w: World) -> dict[str, Any]:
    """A participant made for this request only, to be removed as a spammer."""
    user = _make_user("sam", "Sam Spammer")
    programme_actions.join_cohort(user=user, cohort=w.cohort)
    return {"cohort": w.cohort.slug, "username": user.username}


def spammer_removal(w: World) -> dict[str, Any]:
    """A removal as a spammer made for this request only, to be undone."""
    cohort, username = spammer(w).values()
    action = facilitation_actions.remove_spammer(
        actor=w.users["facilitator"],
        membership=w.cohort.memberships.get(user__username=username),
    )
    return {"cohort": cohort, "pk": action.pk}


def membership(attribute: str) -> Kwargs:
    def kwargs(w: World) -> dict[str, Any]:
        return {"slug": w.cohort.slug, "membership_id": getattr(w, attribute).pk}

    return kwargs


def certificate_holder(w: World) -> dict[str, Any]:
    return {"cohort": w.cohort.slug, "membership_id": w.certificate.membership_id}


def join_link(w: World) -> dict[str, Any]:
    return {"token": w.cohort.join_token}


def closed_join_link(w: World) -> dict[str, Any]:
    """The join link, closed for this request only: the test's savepoint undoes it."""
    programme_actions.set_joining_open(cohort=w.cohort, is_open=False)
    return join_link(w)


def invitation(w: World) -> dict[str, Any]:
    return {"token": w.invitation.token}


def unknown_token(w: World) -> dict[str, Any]:
    return {"token": "no-such-token"}


#: A closed join link: refused with 403, not 404 (the link is right and may
#: work again), except to the cohort's members.
CLOSED = by(FORBIDDEN, author=OK, cohort_mate=OK, facilitator=OK)

ENTRY_VARIANTS = [
    ("private_entry", "only me"),
    ("cohort_entry", "my cohort"),
    ("public_entry", "public"),
    ("draft_entry", "draft"),
]

#: The entries others may read: likes and reports are theirs.
SHARED_ENTRIES = [("cohort_entry", "my cohort"), ("public_entry", "public")]

CASES: list[Case] = [
    # The project's own pages (config/urls.py) -----------------------------------
    Case("home", no_kwargs, EVERYONE),
    # For a load balancer: no sign-in.
    Case("healthz", no_kwargs, EVERYONE),
    Case("sitemap", no_kwargs, EVERYONE),
    Case("accessibility", no_kwargs, EVERYONE),
    # The JavaScript catalogue: the same for everyone; only GET and HEAD.
    Case(
        "javascript_catalogue", lambda w: {"language": "de", "version": "1"}, EVERYONE
    ),
    Case(
        "javascript_catalogue",
        lambda w: {"language": "de", "version": "1"},
        by(NOT_ALLOWED),
        "POST",
    ),
    Case(
        "javascript_catalogue",
        lambda w: {"language": "xx", "version": "1"},
        by(NOT_FOUND),
        variant="unknown language",
    ),
    Case("preview", no_kwargs, POST_ONLY),
    Case("preview", no_kwargs, SIGNED_IN, "POST", lambda w: {"body": "*Hi*"}),
    # notifications/urls.py: each member's own; anyone else's is a 404.
    Case("notifications:list", no_kwargs, SIGNED_IN),
    Case("notifications:settings", no_kwargs, SIGNED_IN),
    Case("notifications:settings", no_kwargs, SIGNED_IN, "POST"),
    Case("notifications:mark_all_read", no_kwargs, POST_ONLY),
    Case("notifications:mark_all_read", no_kwargs, allowed(SIGNED_IN, FOUND), "POST"),
    Case("notifications:open", notification, allowed(AUTHOR, FOUND)),
    Case("notifications:mark_read", notification, POST_ONLY),
    Case("notifications:mark_read", notification, allowed(AUTHOR, FOUND), "POST"),
    # The signed link in an e-mail is the authority: no sign-in; a bad one 404s.
    Case("notifications:unsubscribe", unsubscribe_link, EVERYONE),
    Case("notifications:unsubscribe", unsubscribe_link, EVERYONE, "POST"),
    Case(
        "notifications:unsubscribe",
        lambda w: {"token": "forged:token"},
        by(NOT_FOUND),
        variant="forged",
    ),
    # accounts/urls.py
    Case("accounts:profile", no_kwargs, SIGNED_IN),
    Case("accounts:language", no_kwargs, by(NOT_ALLOWED)),
    Case(
        "accounts:language",
        no_kwargs,
        by(FOUND),
        method="POST",
        data=lambda w: {"language": "de", "next": "/"},
    ),
    # programmes/studio_urls.py: owners author programmes, facilitators run
    # their own cohorts.
    Case("studio:index", no_kwargs, SIGNED_IN),
    # Creating a programme takes a permission nobody here has: the page is no
    # secret, so the wrong role is refused with 403.
    Case("studio:new_programme", no_kwargs, by(FORBIDDEN, visitor=LOGIN)),
    Case("studio:import_programme", no_kwargs, by(FORBIDDEN, visitor=LOGIN)),
    Case("studio:programme", programme, OWNER),
    Case("studio:programme", programme, OWNER, "POST"),
    Case("studio:new_thing", programme, OWNER),
    Case("studio:new_thing", programme, OWNER, "POST"),
    Case("studio:edit_thing", programme_thing, OWNER),
    Case("studio:edit_thing", programme_thing, OWNER, "POST"),
    Case("studio:move_thing", programme_thing, POST_ONLY),
    Case(
        "studio:move_thing",
        programme_thing,
        allowed(OWNER, FOUND),
        "POST",
        lambda w: {"direction": "down"},
    ),
    Case("studio:publish_thing", programme_thing, POST_ONLY),
    # Unpublishing through the old button goes to the question (302), acting not.
    Case(
        "studio:publish_thing",
        programme_thing,
        allowed(OWNER, FOUND),
        "POST",
        lambda w: {"publish": "0"},
    ),
    Case("studio:unpublish_thing", programme_thing, OWNER),
    # Unconfirmed: the question again.
    Case("studio:unpublish_thing", programme_thing, OWNER, "POST", variant="asked"),
    Case(
        "studio:unpublish_thing",
        programme_thing,
        allowed(OWNER, FOUND),
        "POST",
        lambda w: {"confirmed": "1"},
        variant="confirmed",
    ),
    Case("studio:new_cohort", programme, OWNER),
    Case("studio:new_cohort", programme, OWNER, "POST"),
    Case("studio:duplicate_programme", programme, POST_ONLY),
    Case("studio:duplicate_programme", programme, allowed(OWNER, FOUND), "POST"),
    Case("studio:export_programme", programme, OWNER),
    Case("studio:cohort", spring_slug, FACILITATOR),
    Case(
        "studio:cohort",
        lambda w: {"slug": w.other_cohort.slug},
        by(NOT_FOUND, other_facilitator=OK, visitor=LOGIN),
        variant="other cohort",
    ),
    Case("studio:rotate_join", spring_slug, POST_ONLY),
    Case("studio:rotate_join", spring_slug, allowed(FACILITATOR, FOUND), "POST"),
    Case("studio:schedule", spring_slug, FACILITATOR),
    # An empty form comes back with its errors (200, where other forms say 422).
    Case("studio:schedule", spring_slug, FACILITATOR, "POST"),
    Case("studio:pause_cohort", spring_slug, POST_ONLY),
    Case("studio:pause_cohort", spring_slug, allowed(FACILITATOR, FOUND), "POST"),
    Case("studio:set_cadence", spring_slug, POST_ONLY),
    # An empty form comes back with its errors beside the fields.
    Case(
        "studio:set_cadence",
        spring_slug,
        allowed(FACILITATOR, UNPROCESSABLE),
        "POST",
    ),
    Case(
        "studio:set_cadence",
        spring_slug,
        allowed(FACILITATOR, FOUND),
        "POST",
        lambda w: {"weekdays": ["1", "3"], "catch_up_weeks": "2"},
        variant="valid",
    ),
    Case("studio:set_pace", spring_slug, POST_ONLY),
    Case(
        "studio:set_pace",
        spring_slug,
        allowed(FACILITATOR, UNPROCESSABLE),
        "POST",
    ),
    Case(
        "studio:set_pace",
        spring_slug,
        allowed(FACILITATOR, FOUND),
        "POST",
        lambda w: {"pace": "self_paced"},
        variant="valid",
    ),
    Case("studio:move_later_dates", spring_slug, FACILITATOR),
    # Unconfirmed: the question again.
    Case("studio:move_later_dates", spring_slug, FACILITATOR, "POST", variant="asked"),
    Case(
        "studio:move_later_dates",
        spring_slug,
        allowed(FACILITATOR, FOUND),
        "POST",
        lambda w: {"confirmed": "1"},
        variant="confirmed",
    ),
    Case("studio:resume_cohort", spring_slug, POST_ONLY),
    Case("studio:resume_cohort", spring_slug, allowed(FACILITATOR, FOUND), "POST"),
    Case(
        "studio:release_now",
        lambda w: {"slug": w.cohort.slug, "thing_slug": w.upcoming_thing.slug},
        FACILITATOR,
    ),
    # Unconfirmed: the question again.
    Case(
        "studio:release_now",
        lambda w: {"slug": w.cohort.slug, "thing_slug": w.upcoming_thing.slug},
        FACILITATOR,
        "POST",
        variant="asked",
    ),
    Case(
        "studio:release_now",
        lambda w: {"slug": w.cohort.slug, "thing_slug": w.upcoming_thing.slug},
        allowed(FACILITATOR, FOUND),
        "POST",
        lambda w: {"confirmed": "1"},
        variant="confirmed",
    ),
    Case("studio:members", spring_slug, FACILITATOR),
    Case("studio:remove_member", membership("mate_membership"), FACILITATOR),
    # Unconfirmed: the question again.
    Case(
        "studio:remove_member",
        membership("mate_membership"),
        FACILITATOR,
        "POST",
        variant="asked",
    ),
    Case(
        "studio:remove_member",
        membership("mate_membership"),
        allowed(FACILITATOR, FOUND),
        "POST",
        lambda w: {"confirmed": "1"},
        variant="confirmed",
    ),
    # A membership of another cohort, through one's own cohort's URL.
    Case(
        "studio:remove_member",
        membership("outsider_membership"),
        by(NOT_FOUND, visitor=LOGIN),
        "POST",
        variant="other cohort's member",
    ),
    Case("studio:member_role", membership("mate_membership"), POST_ONLY),
    Case(
        "studio:member_role",
        membership("mate_membership"),
        allowed(FACILITATOR, FOUND),
        "POST",
        lambda w: {"role": "facilitator"},
    ),
    Case("studio:set_joining", spring_slug, POST_ONLY),
    Case(
        "studio:set_joining",
        spring_slug,
        allowed(FACILITATOR, FOUND),
        "POST",
        lambda w: {"open": "0"},
    ),
    Case("studio:set_programme_open", programme, POST_ONLY),
    Case(
        "studio:set_programme_open",
        programme,
        allowed(OWNER, FOUND),
        "POST",
        lambda w: {"open": "0"},
    ),
    Case("studio:set_open_joining", spring_slug, POST_ONLY),
    Case("studio:set_open_joining", spring_slug, allowed(FACILITATOR, FOUND), "POST"),
    Case("studio:invite", spring_slug, POST_ONLY),
    Case("studio:invite", spring_slug, allowed(FACILITATOR, UNPROCESSABLE), "POST"),
    # programmes/urls.py
    # An open cohort's Join button: a GET leads back to the public page; a
    # visitor's POST asks them to sign up or in; a cohort not open is a 404.
    Case("programmes:join_open", open_cohort, by(FOUND)),
    Case("programmes:join_open", open_cohort, by(FOUND, visitor=OK), "POST"),
    Case(
        "programmes:join_open",
        lambda w: {"cohort": w.cohort.slug},
        by(NOT_FOUND),
        "POST",
        variant="not open",
    ),
    # A join link's page says what it joins, to everyone (a visitor is asked to
    # sign in or sign up on the page itself); only its POST joins, and redirects
    # to the cohort.
    Case("programmes:join", join_link, EVERYONE),
    Case("programmes:join", join_link, by(FOUND, visitor=LOGIN), "POST"),
    *[
        Case("programmes:join", unknown_token, by(NOT_FOUND), method, variant="unknown")
        for method in ("GET", "POST")
    ],
    # Closed: its members still get through to the cohort.
    Case("programmes:join", closed_join_link, CLOSED, variant="closed"),
    Case(
        "programmes:join",
        closed_join_link,
        allowed(CLOSED, FOUND),
        "POST",
        variant="closed",
    ),
    Case("programmes:invitation", invitation, EVERYONE),
    Case("programmes:invitation", invitation, by(FOUND, visitor=LOGIN), "POST"),
    *[
        Case(
            "programmes:invitation",
            unknown_token,
            by(NOT_FOUND),
            method,
            variant="unknown",
        )
        for method in ("GET", "POST")
    ],
    # facilitation/urls.py: the progress grid, nudges and moderation are the
    # cohort's facilitators'; a certificate and a message their owner's; members
    # report what they read.
    Case("facilitation:progress", spring, FACILITATOR),
    Case("facilitation:progress_csv", spring, FACILITATOR),
    Case("facilitation:certificate", spring, AUTHOR),
    Case("facilitation:certificates", spring, FACILITATOR),
    Case("facilitation:issue_certificate", certificate_holder, FACILITATOR),
    Case(
        "facilitation:issue_certificate",
        certificate_holder,
        allowed(FACILITATOR, FOUND),
        "POST",
    ),
    # A member of another cohort, through one's own cohort's URL.
    *[
        Case(
            "facilitation:issue_certificate",
            lambda w: {
                "cohort": w.cohort.slug,
                "membership_id": w.outsider_membership.pk,
            },
            by(NOT_FOUND, visitor=LOGIN),
            method,
            variant="other cohort's member",
        )
        for method in ("GET", "POST")
    ],
    Case(
        "facilitation:verify_certificate",
        lambda w: {"token": w.certificate.token},
        EVERYONE,
    ),
    Case(
        "facilitation:verify_certificate",
        lambda w: {"token": "no-such-token"},
        by(NOT_FOUND),
        variant="unknown token",
    ),
    Case("facilitation:nudge", lambda w: {"pk": w.delivery.pk}, AUTHOR),
    Case("facilitation:compose_nudge", spring_slug, FACILITATOR),
    # An empty POST still binds the form, so the errors show (once a 500).
    Case(
        "facilitation:compose_nudge",
        spring_slug,
        allowed(FACILITATOR, UNPROCESSABLE),
        "POST",
        variant="empty",
    ),
    Case(
        "facilitation:compose_nudge",
        spring_slug,
        allowed(FACILITATOR, UNPROCESSABLE),
        "POST",
        lambda w: {"subject": "Hello", "body": "How is it going?"},
        variant="no participant",
    ),
    Case(
        "facilitation:compose_nudge",
        spring_slug,
        allowed(FACILITATOR, FOUND),
        "POST",
        lambda w: {
            "subject": "Hello",
            "body": "How is it going?",
            "participant": [w.users["author"].pk],
            "send": "1",
        },
        variant="send",
    ),
    Case("facilitation:nudges", spring_slug, FACILITATOR),
    Case("facilitation:delete_account", no_kwargs, SIGNED_IN),
    # An empty POST is refused (no password): nothing is deleted.
    Case(
        "facilitation:delete_account",
        no_kwargs,
        allowed(SIGNED_IN, UNPROCESSABLE),
        "POST",
    ),
    # Reports: members of the cohort who read it, never on their own.
    *[
        Case(
            "facilitation:report_entry",
            entry_of(attribute),
            by(NOT_FOUND, cohort_mate=OK, facilitator=OK, visitor=LOGIN),
            variant=label,
        )
        for attribute, label in SHARED_ENTRIES
    ],
    Case(
        "facilitation:report_entry",
        entry_of("cohort_entry"),
        by(NOT_FOUND, cohort_mate=FOUND, facilitator=FOUND, visitor=LOGIN),
        "POST",
        lambda w: {"reason": "spam"},
    ),
    Case(
        "facilitation:report_entry",
        entry_of("cohort_entry"),
        by(
            NOT_FOUND,
            cohort_mate=UNPROCESSABLE,
            facilitator=UNPROCESSABLE,
            visitor=LOGIN,
        ),
        "POST",
        variant="no reason",
    ),
    Case(
        "facilitation:report_comment",
        comment,
        by(NOT_FOUND, author=OK, facilitator=OK, visitor=LOGIN),
    ),
    Case(
        "facilitation:report_comment",
        comment,
        by(NOT_FOUND, author=FOUND, facilitator=FOUND, visitor=LOGIN),
        "POST",
        lambda w: {"reason": "unkind"},
    ),
    # Moderation: the cohort's facilitators alone.
    Case("facilitation:moderation", spring, FACILITATOR),
    Case("facilitation:moderation_log", spring, FACILITATOR),
    *[
        case
        for name, kwargs in [
            ("restore_entry", moderated("cohort_entry")),
            ("restore_comment", moderated("comment")),
            ("dismiss_report", open_report),
            ("approve_entry", moderated("cohort_entry")),
            ("approve_comment", moderated("comment")),
            ("undo_spammer_removal", spammer_removal),
        ]
        for case in (
            Case(f"facilitation:{name}", kwargs, POST_ONLY),
            Case(f"facilitation:{name}", kwargs, allowed(FACILITATOR, FOUND), "POST"),
        )
    ],
    # Removing a spammer: a page saying what it does, whose button does it.
    Case("facilitation:remove_spammer", spammer, FACILITATOR),
    Case("facilitation:remove_spammer", spammer, allowed(FACILITATOR, FOUND), "POST"),
    Case(
        "facilitation:remove_spammer",
        lambda w: {"cohort": w.cohort.slug, "username": "fran"},
        allowed(FACILITATOR, UNPROCESSABLE),
        "POST",
        variant="a facilitator",
    ),
    # Hiding asks the facilitator for a reason (a Hide button's POST has
    # none), then hides with it.
    *[
        case
        for name, kwargs in [
            ("hide_entry", moderated("cohort_entry")),
            ("hide_comment", moderated("comment")),
        ]
        for case in (
            Case(f"facilitation:{name}", kwargs, FACILITATOR),
            Case(f"facilitation:{name}", kwargs, FACILITATOR, "POST", variant="asked"),
            Case(
                f"facilitation:{name}",
                kwargs,
                allowed(FACILITATOR, FOUND),
                "POST",
                lambda w: {"reason": "Off topic."},
                variant="with a reason",
            ),
        )
    ],
    # Another cohort's facilitator, through their own cohort's URL.
    Case(
        "facilitation:hide_entry",
        lambda w: {"cohort": w.other_cohort.slug, "pk": w.cohort_entry.pk},
        by(NOT_FOUND, visitor=LOGIN),
        "POST",
        variant="through another cohort",
    ),
    # journal/urls.py: an open programme's pages are for anyone; a closed
    # one has none, so there is nothing for a visitor to sign in for.
    Case("journal:open_programme", open_programme, EVERYONE),
    Case(
        "journal:open_programme",
        lambda w: {"programme": w.programme.slug},
        by(NOT_FOUND),
        variant="closed",
    ),
    Case("journal:open_thing", open_thing("welcome"), EVERYONE),
    Case("journal:open_thing", open_thing("later"), by(NOT_FOUND), variant="draft"),
    Case(
        "journal:open_thing",
        lambda w: {"programme": w.programme.slug, "thing": w.open_thing.slug},
        by(NOT_FOUND),
        variant="closed",
    ),
    # journal/urls.py: cohort pages are for the cohort's members.
    Case("journal:cohort", spring, MEMBERS),
    Case("journal:people", spring, MEMBERS),
    # A member's own linked blog: only they have one here.
    Case("journal:linked_blog", spring, MEMBERS),
    Case(
        "journal:linked_blog",
        spring,
        MEMBERS,
        "POST",
        lambda w: {"address": "not an address", "visibility": "cohort"},
        variant="bad address",
    ),
    Case("journal:read_linked_blog", spring, POST_ONLY),
    Case(
        "journal:read_linked_blog",
        spring,
        by(NOT_FOUND, author=FOUND, visitor=LOGIN),
        "POST",
    ),
    Case(
        "journal:unlink_blog",
        spring,
        by(NOT_FOUND, author=OK, cohort_mate=FOUND, facilitator=FOUND, visitor=LOGIN),
    ),
    Case(
        "journal:match_linked_post",
        lambda w: {"cohort": w.cohort.slug, "pk": w.linked_entry.pk},
        POST_ONLY,
    ),
    Case(
        "journal:match_linked_post",
        lambda w: {"cohort": w.cohort.slug, "pk": w.linked_entry.pk},
        by(NOT_FOUND, author=FOUND, visitor=LOGIN),
        "POST",
        lambda w: {f"p{w.linked_entry.pk}-thing": ""},
    ),
    Case(
        "journal:match_linked_post",
        lambda w: {"cohort": w.cohort.slug, "pk": w.cohort_entry.pk},
        by(NOT_FOUND, visitor=LOGIN),
        "POST",
        variant="written here",
    ),
    Case("journal:thing", thing_in_spring("open_thing"), MEMBERS),
    # Facilitators see the Things still to come; owners see drafts too, but
    # the cohort pages are for members, so the owner gets 404 here.
    Case(
        "journal:thing",
        thing_in_spring("upcoming_thing"),
        FACILITATOR,
        variant="not yet open",
    ),
    Case(
        "journal:thing",
        thing_in_spring("draft_thing"),
        by(NOT_FOUND, visitor=LOGIN),
        variant="draft",
    ),
    # Images: for who may read what shows them (tests/journal/test_image_serving.py).
    *[
        case
        for name, kwargs in [
            ("journal:image", image_of),
            (
                "journal:image_width",
                lambda a: lambda w: {**image_of(a)(w), "width": 480},
            ),
        ]
        for case in (
            Case(name, kwargs("private_image"), AUTHOR, variant="only me"),
            Case(name, kwargs("cohort_image"), MEMBERS, variant="my cohort"),
            Case(name, kwargs("public_image"), EVERYONE, variant="public"),
        )
    ],
    Case("journal:upload_image", no_kwargs, POST_ONLY_JSON),
    Case(
        "journal:upload_image",
        no_kwargs,
        by(UNPROCESSABLE, visitor=UNAUTHORIZED),
        "POST",
        variant="no file",
    ),
    Case("journal:describe_image", image_of("public_image"), POST_ONLY),
    Case(
        "journal:describe_image",
        image_of("public_image"),
        allowed(AUTHOR, FOUND),
        "POST",
        lambda w: {"alt": "A public slide"},
    ),
    Case("journal:write", no_kwargs, SIGNED_IN),
    Case("journal:autosave_new", no_kwargs, POST_ONLY_JSON),
    Case(
        "journal:autosave_new",
        no_kwargs,
        by(UNPROCESSABLE, visitor=UNAUTHORIZED),
        "POST",
    ),
    # The author has an entry on this Thing already: the page sends them to it.
    Case(
        "journal:write_on_thing",
        thing_in_spring("open_thing"),
        {**MEMBERS, "author": FOUND},
    ),
    Case(
        "journal:write_on_thing",
        thing_in_spring("upcoming_thing"),
        FACILITATOR,
        variant="not yet open",
    ),
    Case(
        "journal:autosave_new_on_thing", thing_in_spring("open_thing"), POST_ONLY_JSON
    ),
    Case(
        "journal:autosave_new_on_thing",
        thing_in_spring("open_thing"),
        # The author's entry on this Thing exists: the empty autosave sends
        # back its own saved words, a no-op (200); the others' has no title.
        by(
            NOT_FOUND,
            author=OK,
            cohort_mate=UNPROCESSABLE,
            facilitator=UNPROCESSABLE,
            visitor=UNAUTHORIZED,
        ),
        "POST",
    ),
    # A comment is edited and deleted by its writer alone.
    Case("journal:edit_comment", comment, by(NOT_FOUND, cohort_mate=OK, visitor=LOGIN)),
    Case(
        "journal:edit_comment",
        comment,
        by(NOT_FOUND, cohort_mate=OK, visitor=LOGIN),
        "POST",
    ),
    Case(
        "journal:delete_comment", comment, by(NOT_FOUND, cohort_mate=OK, visitor=LOGIN)
    ),
    Case(
        "journal:delete_comment",
        comment,
        by(NOT_FOUND, cohort_mate=FOUND, visitor=LOGIN),
        "POST",
    ),
    # A journal is public: it lists what the reader may see.
    Case("journal:journal", lambda w: {"username": "ada"}, EVERYONE),
    Case(
        "journal:journal",
        lambda w: {"username": "nobody"},
        by(NOT_FOUND),
        variant="unknown person",
    ),
    Case("journal:entry", entry_of("private_entry"), AUTHOR, variant="only me"),
    Case("journal:entry", entry_of("cohort_entry"), MEMBERS, variant="my cohort"),
    Case("journal:entry", entry_of("public_entry"), EVERYONE, variant="public"),
    Case("journal:entry", entry_of("draft_entry"), AUTHOR, variant="draft"),
    Case(
        "journal:entry",
        lambda w: {"username": "ada", "slug": "no-such-entry"},
        by(NOT_FOUND, visitor=LOGIN),
        variant="unknown",
    ),
    *[
        Case("journal:edit_entry", entry_of(attribute), AUTHOR, variant=label)
        for attribute, label in ENTRY_VARIANTS
    ],
    Case(
        "journal:edit_entry",
        entry_of("public_entry"),
        AUTHOR,
        "POST",
        variant="public",
    ),
    # A post from the author's blog is edited there: the editor sends them
    # back to it, and the editing pages have no such entry.
    Case(
        "journal:edit_entry",
        entry_of("linked_entry"),
        allowed(AUTHOR, FOUND),
        variant="from their blog",
    ),
    Case(
        "journal:history",
        entry_of("linked_entry"),
        by(NOT_FOUND, visitor=LOGIN),
        variant="from their blog",
    ),
    Case("journal:entry", entry_of("linked_entry"), MEMBERS, variant="from a blog"),
    Case("journal:autosave", entry_of("public_entry"), POST_ONLY_JSON),
    Case(
        "journal:autosave",
        entry_of("public_entry"),
        by(NOT_FOUND, author=UNPROCESSABLE, visitor=UNAUTHORIZED),
        "POST",
        variant="public",
    ),
    *[
        Case("journal:history", entry_of(attribute), AUTHOR, variant=label)
        for attribute, label in ENTRY_VARIANTS
    ],
    Case(
        "journal:restore_revision",
        lambda w: {**entry_of("cohort_entry")(w), "pk": w.revision_pk},
        POST_ONLY,
    ),
    Case(
        "journal:restore_revision",
        lambda w: {**entry_of("cohort_entry")(w), "pk": w.revision_pk},
        allowed(AUTHOR, FOUND),
        "POST",
    ),
    # The author's private reflection reading: nobody else's, not even the
    # facilitators' or the owner's, and none of a post from a blog. It is
    # read with GET alone.
    *[
        Case("journal:reflection", entry_of(attribute), AUTHOR, variant=label)
        for attribute, label in ENTRY_VARIANTS
    ],
    Case(
        "journal:reflection",
        entry_of("linked_entry"),
        by(NOT_FOUND, visitor=LOGIN),
        variant="from their blog",
    ),
    Case(
        "journal:reflection",
        entry_of("cohort_entry"),
        by(NOT_ALLOWED, visitor=LOGIN),
        "POST",
        variant="my cohort",
    ),
    # Deleting, unpublishing and the bin: the author's alone.
    *[
        Case("journal:delete_entry", entry_of(attribute), AUTHOR, variant=label)
        for attribute, label in ENTRY_VARIANTS
    ],
    Case(
        "journal:delete_entry",
        entry_of("public_entry"),
        allowed(AUTHOR, FOUND),
        "POST",
        variant="public",
    ),
    # Deleted already: the author is sent to the bin, anyone else gets a 404.
    Case(
        "journal:delete_entry",
        entry_of("deleted_entry"),
        allowed(AUTHOR, FOUND),
        "POST",
        variant="deleted",
    ),
    *[
        Case("journal:unpublish_entry", entry_of(attribute), AUTHOR, variant=label)
        for attribute, label in ENTRY_VARIANTS
        if attribute != "draft_entry"
    ],
    # A draft has nothing to unpublish: the author is sent to the editor.
    Case(
        "journal:unpublish_entry",
        entry_of("draft_entry"),
        allowed(AUTHOR, FOUND),
        variant="draft",
    ),
    Case(
        "journal:unpublish_entry",
        entry_of("public_entry"),
        allowed(AUTHOR, FOUND),
        "POST",
        variant="public",
    ),
    Case(
        "journal:entry",
        entry_of("deleted_entry"),
        by(NOT_FOUND, visitor=LOGIN),
        variant="deleted",
    ),
    # Everyone signed in has a bin of their own.
    Case("journal:deleted_entries", no_kwargs, SIGNED_IN),
    Case("journal:restore_entry", lambda w: {"pk": w.deleted_entry.pk}, POST_ONLY),
    Case(
        "journal:restore_entry",
        lambda w: {"pk": w.deleted_entry.pk},
        allowed(AUTHOR, FOUND),
        "POST",
    ),
    Case("journal:discard_autosaved", entry_of("public_entry"), POST_ONLY),
    Case(
        "journal:discard_autosaved",
        entry_of("public_entry"),
        allowed(AUTHOR, FOUND),
        "POST",
    ),
    # require_POST comes first: a GET is refused before anyone is asked to sign in.
    Case("journal:add_comment", entry_of("cohort_entry"), by(NOT_ALLOWED)),
    Case(
        "journal:add_comment",
        entry_of("cohort_entry"),
        allowed(MEMBERS, FOUND),
        "POST",
        lambda w: {"body": "A reply."},
        variant="my cohort",
    ),
    # Outsiders read a public entry but only its cohort's members comment.
    Case(
        "journal:add_comment",
        entry_of("public_entry"),
        allowed(MEMBERS, FOUND),
        "POST",
        lambda w: {"body": "A reply."},
        variant="public",
    ),
    Case(
        "journal:add_comment",
        entry_of("private_entry"),
        by(NOT_FOUND, visitor=LOGIN),
        "POST",
        lambda w: {"body": "A reply."},
        variant="only me",
    ),
    # Likes: members who may comment, never on their own entry.
    *[
        Case(f"journal:{name}", entry_of("cohort_entry"), by(NOT_ALLOWED))
        for name in ("like", "unlike")
    ],
    *[
        Case(
            f"journal:{name}",
            entry_of(attribute),
            by(NOT_FOUND, cohort_mate=FOUND, facilitator=FOUND, visitor=LOGIN),
            "POST",
            variant=label,
        )
        for name in ("like", "unlike")
        for attribute, label in SHARED_ENTRIES
    ],
    Case(
        "journal:like",
        entry_of("private_entry"),
        by(NOT_FOUND, visitor=LOGIN),
        "POST",
        variant="only me",
    ),
    # Who liked an entry: whoever may read it.
    Case("journal:likers", entry_of("private_entry"), AUTHOR, variant="only me"),
    Case("journal:likers", entry_of("cohort_entry"), MEMBERS, variant="my cohort"),
    Case("journal:likers", entry_of("public_entry"), EVERYONE, variant="public"),
    # Always the reader's own records.
    Case("journal:cpd_log", no_kwargs, SIGNED_IN),
    Case("journal:cpd_log_csv", no_kwargs, SIGNED_IN),
    Case("journal:export", no_kwargs, SIGNED_IN),
    Case("journal:export", no_kwargs, SIGNED_IN, "POST"),
    # Search: every signed-in person searches what they may read.
    Case("journal:search", no_kwargs, SIGNED_IN),
    # Feeds: public ones for everyone; private ones by the key in the URL,
    # whoever asks (a feed reader has no session).
    Case("journal:journal_feed", lambda w: {"username": "ada"}, EVERYONE),
    Case("journal:cohort_feed", spring, EVERYONE),
    Case("journal:thing_feed", thing_in_spring("open_thing"), EVERYONE),
    Case(
        "journal:thing_feed",
        thing_in_spring("upcoming_thing"),
        by(NOT_FOUND),
        variant="not open yet",
    ),
    Case("journal:comments_feed", entry_of("public_entry"), EVERYONE),
    Case(
        "journal:comments_feed",
        entry_of("cohort_entry"),
        by(NOT_FOUND),
        variant="my cohort",
    ),
    Case("journal:cohort_opml", spring, MEMBERS),
    Case("journal:feeds", no_kwargs, SIGNED_IN),
    Case("journal:renew_feed_links", no_kwargs, POST_ONLY),
    Case("journal:renew_feed_links", no_kwargs, allowed(SIGNED_IN, FOUND), "POST"),
    Case(
        "journal:private_journal_feed",
        with_key("cohort_mate", lambda w: {"username": "ada"}),
        EVERYONE,
    ),
    Case(
        "journal:private_journal_feed",
        lambda w: {"key": "no-such-key", "username": "ada"},
        by(NOT_FOUND),
        variant="unknown key",
    ),
    Case("journal:private_cohort_feed", with_key("cohort_mate", spring), EVERYONE),
    Case(
        "journal:private_cohort_feed",
        with_key("outsider", spring),
        by(NOT_FOUND),
        variant="outsider's key",
    ),
    Case(
        "journal:private_thing_feed",
        with_key("cohort_mate", thing_in_spring("open_thing")),
        EVERYONE,
    ),
    Case(
        "journal:private_thing_feed",
        with_key("outsider", thing_in_spring("open_thing")),
        by(NOT_FOUND),
        variant="outsider's key",
    ),
    Case(
        "journal:private_comments_feed",
        with_key("cohort_mate", entry_of("cohort_entry")),
        EVERYONE,
    ),
    Case(
        "journal:private_comments_feed",
        with_key("cohort_mate", entry_of("private_entry")),
        by(NOT_FOUND),
        variant="only me",
    ),
]


# Collecting the patterns ------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    """A URL pattern: its full name ("ns:name", or its route when unnamed)."""

    key: str
    name: str | None
    route: str
    namespaces: tuple[str, ...]
    module: str

    @property
    def group(self) -> str | None:
        """'admin' or 'allauth' for the patterns that are checked as a group."""
        if self.namespaces[:1] == ("admin",):
            return "admin"
        if self.module.startswith("allauth.") or self.route in ALLAUTH_OLD_ADDRESSES:
            return "allauth"
        return None


#: allauth's old addresses of its single sign-on pages: Django's RedirectView
#: in allauth's URLconf, sending on for good to the new ones.
ALLAUTH_OLD_ADDRESSES = {
    "accounts/social/login/cancelled/",
    "accounts/social/login/error/",
    "accounts/social/signup/",
    "accounts/social/connections/",
}


def _route(pattern: URLPattern | URLResolver) -> str:
    text = str(pattern.pattern)
    if isinstance(pattern.pattern, RegexPattern):
        text = text.removeprefix("^").removesuffix("$")
    return text


def walk(
    patterns: list, prefix: str = "", namespaces: tuple[str, ...] = ()
) -> Iterator[Pattern]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            yield from walk(pattern.url_patterns, prefix + _route(pattern), inner)
            continue
        route = prefix + _route(pattern)
        full_name = ":".join((*namespaces, pattern.name)) if pattern.name else None
        callback = pattern.callback
        module = getattr(callback, "__module__", "") or ""
        yield Pattern(full_name or route, full_name, route, namespaces, module)


def project_patterns() -> list[Pattern]:
    return list(walk(get_resolver().url_patterns))


#: Values for the parameters of the admin's and allauth's patterns.
GROUP_VALUES = {
    "object_id": "1",
    "id": "1",
    "content_type_id": "1",
    "app_label": "journal",
    "url": "no-such-page/",
    "key": "no-such-key",
    "uidb36": "1",
    "provider_id": "uni",
}


def fill_route(route: str) -> str:
    """A path for a pattern that cannot be reversed by name (unnamed ones)."""

    def value(match: re.Match[str]) -> str:
        return GROUP_VALUES[match.group("name")]

    path = re.sub(r"<(?:\w+:)?(?P<name>\w+)>", value, route)
    path = re.sub(r"\(\?P<(?P<name>\w+)>[^)]*\)", value, path)
    return "/" + path


# The decision table covers exactly the project's own patterns ----------------


def test_every_pattern_has_a_decision() -> None:
    """A new page fails here until its row in CASES says who may see it."""
    own = {p.key for p in project_patterns() if p.group is None}
    decided = {case.name for case in CASES}
    undecided = sorted(own - decided)
    assert not undecided, (
        "These URL patterns have no expected statuses in "
        f"tests/security/test_url_walker.py CASES: {undecided}"
    )
    stale = sorted(decided - own)
    assert not stale, f"CASES names patterns that no longer exist: {stale}"


def test_the_walker_finds_the_groups() -> None:
    """So a change in how the patterns are read cannot empty the groups unseen."""
    groups = [p.group for p in project_patterns()]
    assert groups.count("admin") > 10
    assert groups.count("allauth") > 5


# Visiting every pattern as every persona --------------------------------------


def _params() -> Iterator[Any]:
    for case in CASES:
        for persona in PERSONAS:
            yield pytest.param(case, persona, id=f"{case.label}-{persona}")


def assert_status(response, expected: Status, url: str, label: str) -> None:
    actual = response.status_code
    location = response.get("Location", "")
    where = f"{label} {url}: expected {expected}, got {actual} {location}".strip()
    if expected == LOGIN:
        assert actual == FOUND, where
        assert location.startswith(reverse("account_login")), where
        return
    if expected == ADMIN_LOGIN:
        assert actual == FOUND, where
        assert location.startswith(reverse("admin:login")), where
        return
    assert actual == expected, where
    if actual == FOUND:
        # An allowed action redirects somewhere else than the sign-in page.
        assert not location.startswith(reverse("account_login")), where


@pytest.mark.parametrize(("case", "persona"), list(_params()))
def test_project_pattern(case: Case, persona: str, world: World, client_as) -> None:
    url = reverse(case.name, kwargs=case.kwargs(world))
    client = client_as(persona)
    if case.method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, case.data(world))
    finish(response)  # a streamed file (an image) stays open until then
    assert_status(response, case.expect[persona], url, f"{case.label} as {persona}")


# Django admin and allauth: checked as groups ----------------------------------


def _group_params(group: str) -> list[Any]:
    return [
        pytest.param(pattern, persona, id=f"{pattern.key}-{persona}")
        for pattern in project_patterns()
        if pattern.group == group
        for persona in PERSONAS
    ]


def _group_url(pattern: Pattern) -> str:
    if pattern.name is None:
        return fill_route(pattern.route)
    # Reversing by name checks that the route still takes these parameters.
    wanted = set(re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", pattern.route))
    names = {a or b for a, b in wanted}
    return reverse(pattern.name, kwargs={name: GROUP_VALUES[name] for name in names})


@pytest.mark.parametrize(("pattern", "persona"), _group_params("admin"))
def test_admin_pattern(pattern: Pattern, persona: str, world: World, client_as) -> None:
    """Nobody here is staff: every admin page sends them to the admin's sign-in,
    which itself answers everyone (it tells a signed-in non-staff user so)."""
    url = _group_url(pattern)
    response = client_as(persona).get(url)
    if pattern.name == "admin:login":
        expected: Status = OK
    elif pattern.name == "admin:logout":
        # Signing out is POST-only; a GET is sent back to the admin's index,
        # which then asks for the admin's sign-in.
        expected = FOUND
    else:
        expected = ADMIN_LOGIN
    assert_status(response, expected, url, f"GET {pattern.key} as {persona}")


#: allauth pages that are for the signed-in (the rest are for everyone).
ALLAUTH_SIGNED_IN = {
    "account_email",
    "account_change_password",
    "account_set_password",
    "account_reauthenticate",
    "mfa_index",
    "mfa_activate_totp",
    "mfa_reauthenticate",
    "mfa_generate_recovery_codes",
}
#: allauth's MFA pages about an authenticator the user has. Nobody in the world
#: has one, so allauth answers the signed-in with a 404 (as our pages do).
ALLAUTH_OWN_AUTHENTICATOR = {
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
}


@pytest.mark.parametrize(("pattern", "persona"), _group_params("allauth"))
def test_allauth_pattern(
    pattern: Pattern, persona: str, world: World, client_as
) -> None:
    """allauth's pages answer 200 or send on with a 302; never a 404 or 500."""
    url = _group_url(pattern)
    response = client_as(persona).get(url)
    label = f"GET {pattern.key} as {persona}"
    if persona == "visitor" and pattern.name in ALLAUTH_SIGNED_IN | (
        ALLAUTH_OWN_AUTHENTICATOR
    ):
        assert_status(response, LOGIN, url, label)
        return
    if pattern.route in ALLAUTH_OLD_ADDRESSES:
        assert response.status_code == HTTPStatus.MOVED_PERMANENTLY, label
        return
    if pattern.name in ALLAUTH_OWN_AUTHENTICATOR | SOCIALACCOUNT.keys():
        # Single sign-on's pages are gone without a provider configured.
        assert_status(response, NOT_FOUND, url, label)
        return
    assert response.status_code in {OK, FOUND}, f"{label} {url}: {response}"


#: allauth's single sign-on pages, with an OpenID Connect provider "uni"
#: configured (the world has none: test_allauth_pattern expects 404s).
SOCIALACCOUNT = {
    "socialaccount_connections": SIGNED_IN,
    "socialaccount_login_cancelled": EVERYONE,
    "socialaccount_login_error": by(UNAUTHORIZED),
    # Without a sign-in under way it sends everyone to sign in.
    "socialaccount_signup": by(LOGIN),
    # A GET asks to confirm with a POST (SOCIALACCOUNT_LOGIN_ON_GET off).
    "openid_connect_login": EVERYONE,
    # Without the state of a sign-in under way: refused in our words.
    "openid_connect_callback": by(UNAUTHORIZED),
}


@pytest.mark.parametrize(
    ("name", "persona"),
    [(name, persona) for name in SOCIALACCOUNT for persona in PERSONAS],
)
def test_single_sign_on_pattern(
    name: str, persona: str, world: World, client_as, settings
) -> None:
    use_providers(settings, [provider_app("https://login.uni.example")])
    kwargs = {"provider_id": "uni"} if name.startswith("openid_connect") else {}
    url = reverse(name, kwargs=kwargs)

    response = client_as(persona).get(url)

    assert_status(
        response, SOCIALACCOUNT[name][persona], url, f"GET {name} as {persona}"
    )
