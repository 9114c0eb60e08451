"""Properties that hold for any input (hypothesis): the sanitiser, the import
parser and the autosave API. `make fuzz` runs many more examples."""

import io
import json
import zipfile
from html.parser import HTMLParser
from http import HTTPStatus
from urllib.parse import urlsplit

from hypothesis import given
from hypothesis import strategies as st

from core.markdown import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_PROTOCOLS,
    ALLOWED_TAGS,
    render_markdown,
)
from programmes.portable import PortableFileError, ProgrammeData, read_portable_file
from tests.hostile.test_json import post_json, stored

# Sanitiser ---------------------------------------------------------------------

HOSTILE_FRAGMENTS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    "<a href='JaVaScRiPt:alert(1)' onclick='x()'>x</a>",
    "[x](javascript:alert(1))",
    "[x](  javascript:alert(1) )",
    "<javascript:alert(1)>",
    "![i](javascript:alert(1))",
    "<svg onload=alert(1)>",
    "<style>*{}</style>",
    "<iframe src=//x>",
    '<p style="x" onmouseover="y">',
    "data:text/html,<script>alert(1)</script>",
    "www.example.com",
    "`<script>`",
    "```\n<script>\n```",
    "<!-- -->",
    "]]>",
    "[",
    "*",
    "\n",
    "    ",
    "> ",
    "- ",
    "1. ",
    "&",
    "<",
    '"',
]
markdownish = st.lists(
    st.one_of(st.sampled_from(HOSTILE_FRAGMENTS), st.text(max_size=12)), max_size=30
).map("".join)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def _safe_href(href: str) -> bool:
    scheme = urlsplit(href.strip()).scheme.lower()
    return scheme == "" or scheme in ALLOWED_PROTOCOLS


@given(markdownish)
def test_the_sanitiser_lets_out_only_allowed_tags_attributes_and_urls(text):
    html = render_markdown(text)

    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag in ALLOWED_TAGS, html
        for name, value in attrs:
            assert name in [*ALLOWED_ATTRIBUTES.get(tag, []), "rel"], html
            if name == "href":
                assert _safe_href(value or ""), html
    assert "<script" not in html.lower()


# Import parser -----------------------------------------------------------------


def _zip(files: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    buffer.seek(0)
    return buffer


def _reads_or_refuses(upload: io.BytesIO) -> None:
    try:
        result = read_portable_file(upload, "programme.zip")
    except PortableFileError as refused:
        assert refused.problems
    else:
        assert isinstance(result, ProgrammeData)


@given(st.binary(max_size=2000))
def test_any_bytes_are_read_or_refused_with_problems(content):
    _reads_or_refuses(io.BytesIO(content))


@given(st.binary(max_size=2000), st.binary(max_size=2000))
def test_any_file_contents_are_read_or_refused_with_problems(programme, thing):
    _reads_or_refuses(_zip({"programme.md": programme, "things/01-a.md": thing}))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)
front_matter_lines = st.one_of(
    st.tuples(
        st.sampled_from(["number", "title", "slug", "questions", "minutes", "status"]),
        json_values.map(lambda value: json.dumps(value)),
    ),
    st.tuples(st.text(max_size=10), st.text(max_size=30)),
)
unstorable = st.sampled_from(['"\\u0000"', '"\\ud800"', '["\\udfff"]', "[" * 2000])


@given(
    st.lists(front_matter_lines, max_size=8),
    st.lists(unstorable, max_size=2),
    st.text(max_size=200),
)
def test_any_front_matter_is_read_or_refused_with_problems(lines, extras, body):
    front = "".join(f"action: {extra}\n" for extra in extras)
    front += "".join(f"{key}: {value}\n" for key, value in lines)
    text = f"---\n{front}---\n\n{body}"
    files = {
        "programme.md": b'---\ntitle: "P"\n---\n',
        "things/01-a.md": text.encode("utf-8", "surrogatepass"),
    }
    _reads_or_refuses(_zip(files))


# Autosave API ------------------------------------------------------------------

FIELDS = ["title", "body", "action", "minutes", "visibility", "tags", "base_version"]
hostile_text = st.lists(
    st.one_of(st.text(max_size=10), st.sampled_from(["\x00", "\ud800", "\u202e"])),
    max_size=4,
).map("".join)
autosave_payloads = st.one_of(
    st.dictionaries(
        st.one_of(st.sampled_from(FIELDS), hostile_text),
        st.one_of(json_values, hostile_text, st.integers(min_value=-(2**70))),
        max_size=6,
    ),
    json_values,
)


@given(payload=autosave_payloads, endpoint=st.sampled_from(["existing", "new"]))
def test_any_autosave_payload_is_answered_in_json_and_a_refusal_changes_nothing(
    client_for, author, urls, payload, endpoint
):
    before = stored()

    response = post_json(
        client_for(author), urls[endpoint], json.dumps(payload).encode()
    )

    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
    assert response["Content-Type"] == "application/json"
    response.json()
    if response.status_code >= HTTPStatus.BAD_REQUEST:
        assert stored() == before
