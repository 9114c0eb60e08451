"""Fetching what a facilitator or owner may work on: a 404 for anything else."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from programmes.models import (
    Cohort,
    Programme,
    Thing,
)


def get_owned_programme(request: HttpRequest, slug: str) -> Programme:
    return get_object_or_404(Programme.objects.owned_by(request.user), slug=slug)


def get_owned_thing(request: HttpRequest, slug: str, thing_slug: str) -> Thing:
    programme = get_owned_programme(request, slug)
    return get_object_or_404(programme.things, slug=thing_slug)


def get_facilitated_cohort(request: HttpRequest, slug: str) -> Cohort:
    cohorts = Cohort.objects.facilitated_by(request.user).select_related("programme")
    return get_object_or_404(cohorts, slug=slug)
