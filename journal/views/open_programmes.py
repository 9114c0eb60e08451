"""An open programme's public pages (DESIGN.md, "Who sees what"): its
summary, its published Things and the public entries on them, for anyone.
A closed or unknown programme is a 404 for everyone, visitors included: there
is nothing to sign in for.

Nothing here is cached: every reader sees the same few rows, read afresh,
so a change shows on the next request with no version to move."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from journal.models import Entry, EntryQuerySet
from journal.views.access import paginate
from programmes.models import Cohort, Programme, Thing

ENTRIES_PER_PAGE = 20


def _open_programme(slug: str) -> Programme:
    return get_object_or_404(Programme.objects.open(), slug=slug)


def _public_entries_on(thing: Thing) -> EntryQuerySet:
    """What anyone may read on the Thing, from every cohort of the programme."""
    return Entry.objects.public().filter(thing=thing)


@require_GET
def programme(request: HttpRequest, programme: str) -> HttpResponse:
    shown = _open_programme(programme)
    entry_counts = (
        Entry.objects.public()
        .filter(thing=OuterRef("pk"))
        .order_by()
        .values("thing")
        .annotate(count=Count("pk"))
        .values("count")
    )
    things = (
        shown.things.published()
        .order_by("number")
        .annotate(
            public_entries=Coalesce(
                Subquery(entry_counts, output_field=IntegerField()), 0
            )
        )
    )
    context = {
        "programme": shown,
        "things": things,
        "cohorts": _open_cohorts(request, shown),
    }
    return render(request, "journal/open_programme.html", context)


def _open_cohorts(request: HttpRequest, programme: Programme) -> list[Cohort]:
    """Its open cohorts, each with `refusal` (why nobody may join now, or None)
    and `viewer_role`."""
    cohorts = list(
        Cohort.objects.open_to_join()
        .filter(programme=programme)
        .with_participant_count()
        .with_role_of(request.user)
        .order_by("start_date", "name")
    )
    for cohort in cohorts:
        cohort.programme = programme
        cohort.refusal = cohort.open_joining_refusal(cohort.participant_count)
    return cohorts


@require_GET
def thing(request: HttpRequest, programme: str, thing: str) -> HttpResponse:
    shown = _open_programme(programme)
    prompt = get_object_or_404(shown.things.published(), slug=thing)
    prompt.programme = shown
    entries = _public_entries_on(prompt).for_listing(AnonymousUser())
    neighbours = shown.things.published().order_by("number")
    context = {
        "programme": shown,
        "thing": prompt,
        "previous": neighbours.filter(number__lt=prompt.number).last(),
        "following": neighbours.filter(number__gt=prompt.number).first(),
        "page": paginate(request, entries, ENTRIES_PER_PAGE),
    }
    return render(request, "journal/open_thing.html", context)
