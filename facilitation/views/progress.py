"""The facilitators' progress grid and its CSV."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from core.downloads import csv_download
from core.freshness import fragment_key
from facilitation import progress as grid_progress
from programmes.views.access import (
    get_facilitated_cohort,
)


@login_required
@require_GET
def progress(request: HttpRequest, cohort: str) -> HttpResponse:
    cohort = get_facilitated_cohort(request, cohort)
    show = grid_progress.parse_choice(
        request.GET.get("show"), grid_progress.Show, grid_progress.Show.ALL
    )
    sort = grid_progress.parse_choice(
        request.GET.get("sort"), grid_progress.Sort, grid_progress.Sort.NAME
    )
    # The grid and charts are one cached fragment (core/freshness.py), worked
    # out only when rendered; "stale" and the charts move with the hour.
    grid = SimpleLazyObject(lambda: grid_progress.grid_for(cohort))
    page = SimpleLazyObject(
        lambda: Paginator(
            grid_progress.participants(grid, show=show, sort=sort),
            grid_progress.PARTICIPANTS_PER_PAGE,
        ).get_page(request.GET.get("page"))
    )
    context = {
        "cohort": cohort,
        "role": "facilitator",
        "content_key": fragment_key(
            request,
            cohort.cache_state,
            f"{timezone.now():%Y%m%d%H}",
            request.GET.urlencode(),
        ),
        "grid": grid,
        "page": page,
        "rows": SimpleLazyObject(lambda: grid_progress.rows_for(grid, list(page))),
        "show": show,
        "sort": sort,
        "show_choices": grid_progress.Show.choices,
        "sort_choices": grid_progress.Sort.choices,
        "charts": SimpleLazyObject(lambda: grid_progress.charts_for(grid)),
        "stale_days": grid_progress.STALE_AFTER.days,
    }
    return render(request, "facilitation/progress.html", context)


@login_required
@require_GET
def progress_csv(request: HttpRequest, cohort: str) -> StreamingHttpResponse:
    cohort = get_facilitated_cohort(request, cohort)
    show = grid_progress.parse_choice(
        request.GET.get("show"), grid_progress.Show, grid_progress.Show.ALL
    )
    sort = grid_progress.parse_choice(
        request.GET.get("sort"), grid_progress.Sort, grid_progress.Sort.NAME
    )
    zone = timezone.get_current_timezone()
    grid = grid_progress.grid_for(cohort)
    members = grid_progress.participants(grid, show=show, sort=sort)
    return csv_download(
        grid_progress.csv_rows(grid, members, zone),
        grid_progress.csv_filename(cohort, zone),
    )
