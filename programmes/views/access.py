"""Fetching the cohorts, programmes and Things a member, facilitator or owner
may see or work on: a 404 for anything else."""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from programmes.models import (
    Cohort,
    Membership,
    Programme,
    Thing,
)


def get_owned_programme(request: HttpRequest, slug: str) -> Programme:
    return get_object_or_404(Programme.objects.owned_by(request.user), slug=slug)


def get_owned_thing(request: HttpRequest, slug: str, thing_slug: str) -> Thing:
    programme = get_owned_programme(request, slug)
    return get_object_or_404(programme.things, slug=thing_slug)


def get_member_cohort(request: HttpRequest, slug: str) -> tuple[Cohort, str]:
    """The cohort and the reader's role in it; a 404 for anyone not a member.

    The role comes from the cache, kept under the cohort's content version
    (which any change of membership moves on): the cohort's own row, read
    fresh every time, is then the page's one query to know the reader."""
    if not request.user.is_authenticated:
        raise Http404("No such cohort")
    cohort = get_object_or_404(Cohort.objects.select_related("programme"), slug=slug)
    role = cohort.cached_role_of(request.user)
    if role is None:
        raise Http404("No such cohort")
    return cohort, role


def get_facilitated_cohort(request: HttpRequest, slug: str) -> Cohort:
    cohort, role = get_member_cohort(request, slug)
    if role != Membership.Role.FACILITATOR:
        raise Http404("No such cohort")
    return cohort
