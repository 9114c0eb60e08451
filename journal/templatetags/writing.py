"""Template helpers of the editor's "never lose a word" machinery."""

from django import template
from django.utils.html import format_html

from journal.revisions import SAVED_LOCALLY_KEY

register = template.Library()


@register.simple_tag(takes_context=True)
def saved_local_copies(context: template.Context) -> str:
    """A marker for static/js/local-copies.js after a plain form save: the copies
    the browser kept of that text may go, since the server has it now.

    Only for signed-in readers, whose session is loaded anyway: no extra query.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    saved = request.session.pop(SAVED_LOCALLY_KEY, None)
    if not saved:
        return ""
    return format_html(
        '<div hidden data-local-copies-saved="{}" data-saved-version="{}"></div>',
        " ".join(saved.get("keys", [])),
        saved.get("version", ""),
    )
