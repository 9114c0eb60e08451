"""A member's feed links: their private links, renewing them, a cohort's OPML."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from accounts.models import display_name
from journal.feeds import feed_token_for, renew_feed_token
from programmes.models import Cohort
from programmes.views.access import get_member_cohort


@dataclass(frozen=True)
class Subscription:
    """One feed, for an OPML outline: what it is called, where it and its page are."""

    title: str
    feed_url: str
    page_url: str


@dataclass(frozen=True)
class CohortLink:
    cohort: Cohort
    private_url: str


def absolute_url(request: HttpRequest, name: str, **kwargs: str) -> str:
    return request.build_absolute_uri(reverse(name, kwargs=kwargs))


@login_required
@require_GET
def feeds(request: HttpRequest) -> HttpResponse:
    key = feed_token_for(request.user).key
    cohorts = [
        CohortLink(
            cohort=cohort,
            private_url=absolute_url(
                request, "journal:private_cohort_feed", key=key, cohort=cohort.slug
            ),
        )
        for cohort in Cohort.objects.for_member(request.user).order_by("name")
    ]
    context = {
        "journal_private_url": absolute_url(
            request,
            "journal:private_journal_feed",
            key=key,
            username=request.user.username,
        ),
        "cohorts": cohorts,
    }
    return render(request, "journal/feeds.html", context)


@login_required
@require_POST
def renew_feed_links(request: HttpRequest) -> HttpResponse:
    renew_feed_token(request.user)
    messages.success(
        request,
        gettext("Your private feed links are new. The old ones no longer work."),
    )
    return redirect("journal:feeds")


@login_required
@require_GET
def cohort_opml(request: HttpRequest, cohort: str) -> HttpResponse:
    """Every member's journal feed, for a feed reader to subscribe to at once.

    `?private=1` gives the reader's own private links, which hold what they may
    read; otherwise the public feeds.
    """
    cohort, _role = get_member_cohort(request, cohort)
    private = request.GET.get("private") == "1"
    key = feed_token_for(request.user).key if private else None

    def feed_url(name: str, **kwargs: str) -> str:
        if key is None:
            return absolute_url(request, f"journal:{name}", **kwargs)
        return absolute_url(request, f"journal:private_{name}", key=key, **kwargs)

    members = cohort.memberships.select_related("user__profile").order_by(
        "user__username"
    )
    journals = [
        Subscription(
            title=gettext("%(name)s's journal") % {"name": display_name(member.user)},
            feed_url=feed_url("journal_feed", username=member.user.username),
            page_url=absolute_url(
                request, "journal:journal", username=member.user.username
            ),
        )
        for member in members
    ]
    whole_cohort = Subscription(
        title=cohort.name,
        feed_url=feed_url("cohort_feed", cohort=cohort.slug),
        page_url=request.build_absolute_uri(cohort.get_absolute_url()),
    )
    context = {
        "cohort": cohort,
        # The typographic apostrophe is meant, as on every page.
        "title": gettext("%(cohort)s: members’ journals")  # noqa: RUF001
        % {"cohort": cohort.name},
        "whole_cohort": whole_cohort,
        "journals": journals,
    }
    return render(
        request,
        "journal/cohort_feeds.opml",
        context,
        content_type="text/x-opml; charset=utf-8",
    )
