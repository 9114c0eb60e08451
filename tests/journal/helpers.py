"""Helpers for the journal's tests: where a visitor is sent, what sits by a field."""

from html.parser import HTMLParser
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

from django.http import HttpResponse
from django.urls import reverse

#: The personas of DESIGN.md, "Who sees what", by fixture name.
PERSONAS = [
    "author",
    "cohort_mate",
    "facilitator",
    "outsider",
    "other_facilitator",
    "visitor",
]
#: Those of them who belong to the cohort.
MEMBERS = ["author", "cohort_mate", "facilitator"]

VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
    | {"source", "track", "wbr"}
)


class _Finder(HTMLParser):
    """Record the source of each ``div.field`` around ``target_id``, innermost first."""

    def __init__(self, html: str, target_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html = html
        self.target_id = target_id
        self.line_starts = [0]
        for index, char in enumerate(html):
            if char == "\n":
                self.line_starts.append(index + 1)
        # Each open element: tag, classes, start offset, contains the target.
        self.stack: list[list] = []
        self.found: list[str] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _mark_if_target(self, attrs: list[tuple[str, str | None]]) -> None:
        if dict(attrs).get("id") == self.target_id:
            for element in self.stack:
                element[3] = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._mark_if_target(attrs)
        if tag in VOID_TAGS:
            return
        classes = (dict(attrs).get("class") or "").split()
        self.stack.append([tag, classes, self._offset(), False])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._mark_if_target(attrs)

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            open_tag, classes, start, has_target = self.stack.pop()
            if open_tag == "div" and "field" in classes and has_target:
                end = self.html.index(">", self._offset()) + 1
                self.found.append(self.html[start:end])
            if open_tag == tag:
                return


def field_wrapper(html: str, field_id: str) -> str:
    """The source of the innermost ``div.field`` around the element ``field_id``.

    Errors must sit beside their field: inside the same wrapper as its input.
    """
    finder = _Finder(html, field_id)
    finder.feed(html)
    finder.close()
    assert finder.found, f"no div.field wraps #{field_id}"
    return finder.found[0]


def errors_beside(html: str, field_id: str) -> str:
    """The text of the errorlist inside the field's wrapper ('' when none)."""
    wrapper = field_wrapper(html, field_id)
    start = wrapper.find('class="errorlist"')
    if start == -1:
        return ""
    return wrapper[start : wrapper.index("</ul>", start)]


def assert_sent_to_sign_in(response: HttpResponse, url: str) -> None:
    """A visitor goes to the sign-in page, which will bring them back to ``url``."""
    assert response.status_code == HTTPStatus.FOUND
    location = urlsplit(response["Location"])
    assert location.path == reverse("account_login")
    assert parse_qs(location.query)["next"] == [url]
