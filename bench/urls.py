"""The baseline's only page: a trivial view that touches no database."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def baseline(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        "<!doctype html><title>Baseline</title><p>Hello from the baseline.</p>"
    )


urlpatterns = [path("baseline/", baseline, name="baseline")]
