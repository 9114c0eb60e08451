"""Search the entries and comments the reader may see."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from journal import search as searching

RESULTS_PER_PAGE = 20


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = searching.SearchForm(request.GET or None, user=request.user)
    query, filters = form.search() if form.is_bound else ("", searching.Filters())
    page, more = None, False
    if query:
        page, more = searching.results_page(
            request.user,
            query,
            filters,
            request.GET.get("page"),
            RESULTS_PER_PAGE,
            cohorts=form.cohort_ids,
        )
    context = {
        "form": form,
        "query": query,
        "page": page,
        "more": more,
        "most_results": searching.MOST_RESULTS,
    }
    return render(request, "journal/search.html", context)
