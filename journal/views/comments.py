"""Posting, editing and deleting comments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from core import ratelimit
from journal import actions
from journal.forms import CommentEditForm, CommentForm
from journal.models import Comment
from journal.views.access import (
    get_own_comment,
    get_visible_entry,
)
from journal.views.pages import entry_context


@require_POST
def add_comment(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    entry = get_visible_entry(request, username, slug)
    role = entry.viewer_role
    if not entry.accepts_comments_from(request.user, role):
        raise Http404("Comments are closed to you here")
    form = CommentForm(request.POST, entry=entry, author=request.user)
    parent = None
    if form.is_valid() and form.cleaned_data["parent"]:
        parent = (
            entry.comments.filter(Comment.readable_by(request.user))
            .filter(pk=form.cleaned_data["parent"])
            .first()
        )
        if parent is None:
            # Its reply form went with it: keep the text in the main comment
            # form, private in case the reply was to a private comment.
            form = CommentForm(
                {
                    "body": form.cleaned_data["body"],
                    "private": True,
                    "submission": form.cleaned_data["submission"],
                },
                entry=entry,
                author=request.user,
            )
            form.add_error(None, gettext("The comment you replied to has gone."))
    refused = form.is_valid() and ratelimit.count_or_tell(
        form, "comments", request.user
    )
    if not form.is_valid():
        reply_to = form.cleaned_data.get("parent") if form.is_bound else None
        context = entry_context(request, entry, role, form=form, reply_to=reply_to)
        response = _render_thread(request, context, status=422)
        return refused.mark(response) if refused else response
    comment = actions.add_comment(
        entry=entry,
        author=request.user,
        body=form.cleaned_data["body"],
        parent=parent,
        # Only a new thread chooses: a reply is as private as what it answers.
        private=parent is None and form.cleaned_data["private"],
        submission_key=form.cleaned_data["submission"],
    )
    if request.htmx:
        return _render_thread(request, entry_context(request, entry, role))
    if comment.is_held:
        messages.success(
            request,
            gettext(
                "Comment posted: it is waiting for a facilitator's approval "
                "before others see it."
            ),
        )
    else:
        messages.success(request, gettext("Comment posted."))
    return redirect(comment)


def _render_thread(request: HttpRequest, context: dict, status: int = 200):
    template = "journal/entry.html"
    if request.htmx:
        template += "#comments"
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit_comment(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_own_comment(request, pk)
    form = CommentEditForm(request.POST or None, instance=comment)
    if request.method == "POST" and form.is_valid():
        comment = actions.edit_comment(comment=comment, body=form.cleaned_data["body"])
        messages.success(request, gettext("Comment updated."))
        return redirect(comment)
    return render(
        request, "journal/comment_form.html", {"form": form, "comment": comment}
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete_comment(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_own_comment(request, pk)
    if request.method == "POST":
        entry = comment.entry
        actions.delete_comment(comment=comment)
        messages.success(request, gettext("Comment deleted."))
        return redirect(f"{entry.get_absolute_url()}#comments")
    return render(request, "journal/comment_delete.html", {"comment": comment})


# Keeping the journal: the CPD log and the export (the work is in journal/cpd.py).
