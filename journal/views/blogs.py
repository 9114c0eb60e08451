"""A participant's linked blog in a cohort: link it, see how its reads go,
say which Thing a post answers, read it now, stop following it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from core import ratelimit
from journal import blogs
from journal.forms import LinkBlogForm, MatchThingForm
from journal.models import Entry, LinkedBlog
from programmes.models import Cohort, Thing
from programmes.views.access import get_member_cohort

POSTS_SHOWN = 50


def _my_blog(request: HttpRequest, cohort: Cohort) -> LinkedBlog | None:
    return LinkedBlog.objects.filter(owner=request.user, cohort=cohort).first()


def _answerable_things(request: HttpRequest, cohort: Cohort) -> list[Thing]:
    return [
        release.thing
        for release in cohort.visible_things(request.user)
        if release.thing.is_published
    ]


@login_required
@require_http_methods(["GET", "POST"])
def linked_blog(request: HttpRequest, cohort: str) -> HttpResponse:
    cohort, role = get_member_cohort(request, cohort)
    blog = _my_blog(request, cohort)
    form = LinkBlogForm(request.POST or None, instance=blog)
    limited = None
    if request.method == "POST":
        try:
            ratelimit.count("blog_reads", request.user)
        except ratelimit.RateLimited as refusal:
            # Checked before the form, whose checking fetches the address.
            limited = refusal
            form = LinkBlogForm(initial=request.POST.dict(), instance=blog)
    if request.method == "POST" and not limited and form.is_valid():
        blog = blogs.link_blog(
            owner=request.user,
            cohort=cohort,
            address=form.cleaned_data["address"],
            visibility=form.cleaned_data["visibility"],
            found=form.found,
        )
        messages.success(
            request,
            gettext("Linked. New posts on your blog appear here within the hour."),
        )
        return redirect(blog)
    things = _answerable_things(request, cohort)
    posts = []
    if blog is not None:
        posts = list(
            blog.entries.select_related("thing", "author").order_by(
                "-published_at", "-pk"
            )[:POSTS_SHOWN]
        )
        for post in posts:
            post.match_form = MatchThingForm(
                things=things, initial={"thing": post.thing_id}, prefix=f"p{post.pk}"
            )
    context = {
        "cohort": cohort,
        "role": role,
        "blog": blog,
        "form": form,
        "posts": posts,
        "limited": limited,
    }
    response = render(request, "journal/linked_blog.html", context)
    return limited.mark(response) if limited else response


@login_required
@require_POST
def read_blog_now(request: HttpRequest, cohort: str) -> HttpResponse:
    cohort, _role = get_member_cohort(request, cohort)
    blog = get_object_or_404(LinkedBlog, owner=request.user, cohort=cohort)
    ratelimit.count("blog_reads", request.user)
    blogs.read_blog(blog=blog)
    if blog.has_problem:
        messages.error(request, blog.problem)
    else:
        messages.success(request, gettext("Read just now."))
    return redirect(blog)


@login_required
@require_http_methods(["GET", "POST"])
def unlink_blog(request: HttpRequest, cohort: str) -> HttpResponse:
    cohort, role = get_member_cohort(request, cohort)
    blog = _my_blog(request, cohort)
    if blog is None:
        # Unlinked already: a second press of the button, or an old tab.
        return redirect("journal:linked_blog", cohort=cohort.slug)
    if request.method == "POST":
        blogs.unlink_blog(blog=blog)
        messages.success(
            request,
            gettext(
                "Your blog is no longer followed. The posts copied so far stay "
                "in your journal; you may delete them there."
            ),
        )
        return redirect("journal:linked_blog", cohort=cohort.slug)
    context = {"cohort": cohort, "role": role, "blog": blog}
    return render(request, "journal/linked_blog_unlink.html", context)


@login_required
@require_POST
def match_post(request: HttpRequest, cohort: str, pk: int) -> HttpResponse:
    cohort, _role = get_member_cohort(request, cohort)
    entry = get_object_or_404(
        Entry.objects.exclude(linked_blog=None),
        pk=pk,
        author=request.user,
        cohort=cohort,
    )
    form = MatchThingForm(
        request.POST, things=_answerable_things(request, cohort), prefix=f"p{pk}"
    )
    if not form.is_valid():
        messages.error(request, gettext("Choose one of the Things in the list."))
    elif not blogs.match_post(entry=entry, thing=form.cleaned_data["thing"]):
        messages.error(
            request,
            gettext(
                "You already have an entry on that Thing in this cohort. Delete "
                "or move it first, or choose another Thing."
            ),
        )
    else:
        messages.success(request, gettext("Saved: “%(title)s”.") % {"title": entry})
    return redirect(f"{entry.linked_blog.get_absolute_url()}#post-{entry.pk}")
