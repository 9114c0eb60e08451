"""A participant's own records: the CPD log and the journal export."""

import re

from django.contrib.auth.decorators import login_required
from django.http import (
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from core.downloads import as_attachment, csv_download
from journal import cpd
from journal.views.access import (
    paginate,
)


def _log_year(request: HttpRequest) -> int | None:
    """The year the log is narrowed to, from ?year=2025; anything else means all."""
    value = request.GET.get("year", "")
    if re.fullmatch(r"[0-9]{4}", value) and int(value) >= 1:
        return int(value)
    return None


@login_required
@require_GET
def cpd_log(request: HttpRequest) -> HttpResponse:
    """Always the reader's own log: there is no way to ask for anyone else's."""
    zone = cpd.zone_of(request.user)
    year = _log_year(request)
    entries = cpd.log_entries(request.user, zone=zone, year=year)
    context = {
        "zone": zone,
        "year": year,
        "page": paginate(request, cpd.log_rows(entries), cpd.LOG_ROWS_PER_PAGE),
        "total": cpd.grand_total(entries),
        "by_programme": cpd.totals_by_programme(entries),
        "by_year": cpd.totals_by_year(cpd.log_entries(request.user, zone=zone), zone),
    }
    return render(request, "journal/cpd_log.html", context)


@login_required
@require_GET
def cpd_log_csv(request: HttpRequest) -> StreamingHttpResponse:
    zone = cpd.zone_of(request.user)
    year = _log_year(request)
    entries = cpd.log_entries(request.user, zone=zone, year=year)
    rows = cpd.csv_rows(entries, username=request.user.username, zone=zone)
    stem = f"cpd-log-{year}" if year else "cpd-log"
    return csv_download(rows, f"{cpd.dated_name(stem, request.user, zone)}.csv")


@login_required
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest) -> HttpResponse:
    """GET explains what the zip holds; POST streams it, built as it is sent."""
    if request.method == "POST":
        name = cpd.dated_name("journal", request.user, cpd.zone_of(request.user))
        response = StreamingHttpResponse(
            cpd.export_zip(request.user, name=name), content_type="application/zip"
        )
        return as_attachment(response, f"{name}.zip")
    context = {"counts": cpd.journal_counts(request.user)}
    return render(request, "journal/export.html", context)
