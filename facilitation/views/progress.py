"""The facilitators' progress grid and its CSV."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from core.downloads import csv_download
from core.freshness import shared_fragment_key
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
    # Every facilitator of the cohort sees the same grid and charts, so they
    # share the cached fragments (core/freshness.py), each worked out only
    # when rendered. The grid and the entries' charts change with entries
    # (`entries_state`; "stale" with the hour too); the comments' chart alone
    # with comments (`cache_state`).
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
        "grid_key": shared_fragment_key(
            request,
            "facilitator",
            cohort.entries_state,
            f"{timezone.now():%Y%m%d%H}",
            request.GET.urlencode(),
        ),
        "entries_charts_key": shared_fragment_key(
            request, "facilitator", cohort.entries_state
        ),
        "comments_chart_key": shared_fragment_key(
            request, "facilitator", cohort.cache_state
        ),
        "grid": grid,
        "page": page,
        "rows": SimpleLazyObject(lambda: grid_progress.rows_for(grid, list(page))),
        "show": show,
        "sort": sort,
        "show_choices": grid_progress.Show.choices,
        "sort_choices": grid_progress.Sort.choices,
        "entries_chart": SimpleLazyObject(lambda: grid_progress.entries_chart(cohort)),
        "comments_chart": SimpleLazyObject(
            lambda: grid_progress.comments_chart(cohort)
        ),
        "things_chart": SimpleLazyObject(lambda: grid_progress.things_chart(grid)),
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
