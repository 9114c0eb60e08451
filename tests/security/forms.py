"""The forms a page renders, read from its HTML as a browser would submit them."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

#: Input types a person types text into.
TEXT_TYPES = {"text", "email", "url", "search", "tel", "textarea", "password"}
#: Inputs that send nothing of their own.
UNSENT_TYPES = {"submit", "button", "reset", "image", "file"}


@dataclass
class Field:
    name: str
    kind: str
    value: str = ""
    options: list[str] = field(default_factory=list)
    checked: bool = False


@dataclass
class Form:
    action: str
    enctype: str
    fields: list[Field] = field(default_factory=list)

    @property
    def signature(self) -> tuple[str, tuple[str, ...]]:
        """The same form on two pages (a like button) is tried once."""
        return self.action, tuple(sorted({f.name for f in self.fields}))

    def data(self) -> list[tuple[str, str]]:
        """What a browser sends if nothing is changed."""
        pairs = []
        for item in self.fields:
            if item.kind in {"checkbox", "radio"} and not item.checked:
                continue
            pairs.append((item.name, item.value))
        return pairs

    def editable(self) -> list[Field]:
        """Each field once (a radio group is one), the CSRF token left alone."""
        seen: dict[str, Field] = {}
        for item in self.fields:
            if item.name != "csrfmiddlewaretoken" and item.name not in seen:
                seen[item.name] = item
        return list(seen.values())


class _FormReader(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.textarea: Field | None = None
        self.select: Field | None = None
        self.option_value: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                action = urljoin(self.page_url, a.get("action") or self.page_url)
                self.current = Form(action, a.get("enctype", ""))
                self.forms.append(self.current)
            return
        if self.current is None or "name" not in a:
            if tag == "option" and self.select is not None:
                self._option(a)
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind not in UNSENT_TYPES:
                value = a.get("value", "on" if kind in {"checkbox", "radio"} else "")
                self.current.fields.append(
                    Field(a["name"], kind, value, checked="checked" in a)
                )
        elif tag == "textarea":
            self.textarea = Field(a["name"], "textarea")
            self.current.fields.append(self.textarea)
        elif tag == "select":
            self.select = Field(a["name"], "select")
            self.current.fields.append(self.select)

    def _option(self, a: dict[str, str]) -> None:
        assert self.select is not None
        self.option_value = a.get("value")
        if self.option_value is not None:
            self.select.options.append(self.option_value)
            if "selected" in a or len(self.select.options) == 1:
                self.select.value = self.option_value

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None


def post_forms(html: str, page_url: str) -> list[Form]:
    reader = _FormReader(page_url)
    reader.feed(html)
    return reader.forms
