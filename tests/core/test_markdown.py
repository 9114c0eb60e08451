"""core.markdown: the one way user Markdown becomes HTML.

Plain functions, no database: render_markdown needs no Django settings.
"""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

import pytest
from django.utils.safestring import SafeString

import core.markdown
from core.markdown import ALLOWED_TAGS, LINK_REL, as_safe_html, render_markdown

REL = f'rel="{LINK_REL}"'

# --- helpers -----------------------------------------------------------------


class _TagCollector(HTMLParser):
    """Collect every tag and its attributes, as a browser would see them.

    html.parser unescapes attribute values (``&#106;`` → ``j``) like a browser.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    collector = _TagCollector()
    collector.feed(html)
    collector.close()
    return collector.tags


_ALLOWED_ATTRIBUTES = {"a": {"href", "title", "rel"}}
_FORBIDDEN_ATTRIBUTES = {"style", "src", "srcdoc", "formaction", "id", "class"}
_SAFE_SCHEMES = {"http", "https", "mailto"}
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")


def _normalise_url(value: str) -> str:
    """What a browser makes of an href: no whitespace or control characters."""
    return re.sub(r"[\x00-\x20\x7f]", "", value).lower()


def assert_safe(html: str) -> None:
    """The output holds only allowlisted tags, attributes and URL schemes."""
    assert "<script" not in html.lower()
    for tag, attrs in _tags(html):
        assert tag in ALLOWED_TAGS, f"tag <{tag}> in {html!r}"
        for name, value in attrs:
            assert not name.startswith("on"), f"event handler {name} in {html!r}"
            assert name not in _FORBIDDEN_ATTRIBUTES, f"{name} in {html!r}"
            assert name in _ALLOWED_ATTRIBUTES.get(tag, set()), f"{tag}[{name}]"
            if name == "href":
                url = _normalise_url(value or "")
                scheme = _SCHEME.match(url)
                # Relative URLs and fragments have no scheme.
                assert scheme is None or scheme.group(1) in _SAFE_SCHEMES, (
                    f"href {value!r} in {html!r}"
                )
                for bad in ("javascript:", "vbscript:", "data:"):
                    assert not url.startswith(bad)


def _links(html: str) -> list[dict[str, str | None]]:
    return [dict(attrs) for tag, attrs in _tags(html) if tag == "a"]


# --- empty input ---------------------------------------------------------------


@pytest.mark.parametrize("text", ["", " ", "\n\n", " \t\r\n  "])
def test_empty_or_whitespace_renders_nothing(text: str) -> None:
    assert render_markdown(text) == ""


# --- basic rendering -------------------------------------------------------------


def test_paragraphs() -> None:
    assert render_markdown("One.\n\nTwo.") == "<p>One.</p>\n<p>Two.</p>"


def test_headings_start_at_h2_without_ids() -> None:
    """The page's h1 is the title; the editor's `## question` stays an h2."""
    html = render_markdown("# Heading\n\n## Q\n\n### Three\n\n###### Six")
    assert "<h2>Heading</h2>" in html
    assert "<h2>Q</h2>" in html
    assert "<h3>Three</h3>" in html
    assert "<h6>Six</h6>" in html
    assert "<h1" not in html
    assert "id=" not in html


def test_setext_heading_becomes_h2_too() -> None:
    assert render_markdown("Title\n=====") == "<h2>Title</h2>"


def test_raw_h1_is_stripped_to_text() -> None:
    assert render_markdown("<h1>Big</h1>") == "Big"


def test_lists() -> None:
    html = render_markdown("- one\n- two\n\n1. first\n2. second")
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert "<ol>\n<li>first</li>\n<li>second</li>\n</ol>" in html


def test_emphasis() -> None:
    html = render_markdown("*em* **strong** _also em_ ~~not del~~")
    assert "<em>em</em>" in html
    assert "<strong>strong</strong>" in html
    assert "<em>also em</em>" in html


def test_raw_allowed_html_is_kept() -> None:
    html = render_markdown("Some <em>raw</em> and <del>old</del> text.")
    assert html == "<p>Some <em>raw</em> and <del>old</del> text.</p>"


def test_blockquote() -> None:
    html = render_markdown("> quoted\n> text")
    assert html == "<blockquote>\n<p>quoted\ntext</p>\n</blockquote>"


def test_fenced_code_escapes_html() -> None:
    html = render_markdown("```python\n<script>alert(1)</script>\nx = 1 < 2\n```")
    assert html.startswith("<pre><code>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "x = 1 &lt; 2" in html
    assert "class=" not in html  # the language class is not on the allowlist
    assert_safe(html)


def test_inline_code_escapes_html() -> None:
    html = render_markdown("Use `<b>` for bold.")
    assert html == "<p>Use <code>&lt;b&gt;</code> for bold.</p>"


def test_table() -> None:
    html = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |")
    for part in ("<table>", "<thead>", "<tbody>", "<th>a</th>", "<td>2</td>"):
        assert part in html
    assert "style" not in html
    assert "align" not in html


# --- links -------------------------------------------------------------------------


def test_markdown_link_gets_rel() -> None:
    html = render_markdown("[Ponder](https://example.com/a)")
    assert html == f'<p><a href="https://example.com/a" {REL}>Ponder</a></p>'


def test_raw_html_link_gets_rel() -> None:
    html = render_markdown('<a href="https://example.com/">x</a>')
    assert _links(html) == [{"href": "https://example.com/", "rel": LINK_REL}]


def test_bare_url_is_linked_with_rel() -> None:
    html = render_markdown("See https://example.com/page?a=1&b=2.")
    href = "https://example.com/page?a=1&b=2"
    assert _links(html) == [{"href": href, "rel": LINK_REL}]
    assert html.endswith("</a>.</p>")  # the full stop is not part of the link


def test_www_url_is_linked() -> None:
    assert _links(render_markdown("at www.example.org today")) == [
        {"href": "http://www.example.org", "rel": LINK_REL}
    ]


def test_existing_rel_is_replaced_and_target_removed() -> None:
    html = render_markdown(
        '<a href="https://example.com/" rel="me noreferrer" target="_blank">x</a>'
    )
    assert _links(html) == [{"href": "https://example.com/", "rel": LINK_REL}]
    assert "target" not in html


def test_title_is_kept() -> None:
    html = render_markdown('[x](https://example.com/ "A title")')
    assert _links(html) == [
        {"href": "https://example.com/", "title": "A title", "rel": LINK_REL}
    ]


def test_mailto_relative_and_fragment_links_are_kept() -> None:
    html = render_markdown("[m](mailto:a@example.com) [r](/things/3/) [f](#notes)")
    assert [link["href"] for link in _links(html)] == [
        "mailto:a@example.com",
        "/things/3/",
        "#notes",
    ]
    assert all(link["rel"] == LINK_REL for link in _links(html))


def test_markdown_autolinks() -> None:
    html = render_markdown("<https://example.com/> <me@example.com>")
    hrefs = [link["href"] for link in _links(html)]
    # Markdown hides the e-mail address behind character references.
    assert hrefs == ["https://example.com/", "mailto:me@example.com"]


@pytest.mark.parametrize(
    "text",
    [
        "I edited notes.md and views.py today",  # country-code TLDs, not sites
        "data:text.com/html,alert(1)",
        "ftp://example.com/file",
        "an e-mail address, me@example.com, stays text",
        "`https://example.com/in-code`",
        "```\nhttps://example.com/in-a-block\n```",
    ],
)
def test_not_linkified(text: str) -> None:
    assert _links(render_markdown(text)) == []


# --- script and style contents ---------------------------------------------------


def test_script_is_removed_and_its_text_is_inert() -> None:
    html = render_markdown("<script>alert(1)</script>")
    assert "<script" not in html
    assert html == "alert(1)"  # stripped tag, text kept and escaped


def test_markup_inside_script_is_sanitised_like_any_other() -> None:
    # bleach parses the contents of a stripped <script> as HTML, not raw text,
    # so allowlisted tags inside survive and the rest is stripped.
    html = render_markdown("<script><b>x</b><img src=x onerror=alert(1)></script>")
    assert html == "<b>x</b>"


def test_style_is_removed() -> None:
    html = render_markdown("<style>p { color: red }</style>\n\n<em>x</em>")
    assert "<style" not in html
    assert "<em>x</em>" in html


# --- XSS vectors ---------------------------------------------------------------------

XSS_VECTORS: list[str] = [
    # script tags
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    '<script src="https://evil.example/x.js"></script>',
    "<script type=module>import('//evil.example')</script>",
    "<script\n>alert(1)</script\n>",
    "<script/x>alert(1)</script>",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</script>",
    "<scr<!-- -->ipt>alert(1)</script>",
    # event handlers on allowed and disallowed tags
    "<p onclick=alert(1)>hi</p>",
    '<a href="https://ok.example" onmouseover="alert(1)">x</a>',
    "<b onmouseover=alert(1)>x</b>",
    "<em/onfocus=alert(1)>x</em>",
    "<table background=javascript:alert(1) onload=alert(1)><tr><td>x</td></tr></table>",
    "<div onpointerenter=alert(1)>x</div>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<input autofocus onfocus=alert(1)>",
    # javascript: links
    '<a href="javascript:alert(1)">x</a>',
    "<a href=JaVaScRiPt:alert(1)>x</a>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](javascript://%0aalert(1))",
    "[x]( javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    '[x](javascript:alert(1) "title")',
    # encoded schemes
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;&#x61;vascript:alert(1))",
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="&#106&#97&#118&#97&#115&#99&#114&#105&#112&#116&#58alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    "[x](javascript&colon;alert(1))",
    '<a href="&#0000106avascript:alert(1)">x</a>',
    "[x](java%73cript:alert(1))",
    # whitespace and control characters inside the scheme
    "[x](java\tscript:alert(1))",
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="&#x0A;javascript:alert(1)">x</a>',
    '<a href=" \x01javascript:alert(1)">x</a>',
    '<a href="\x00javascript:alert(1)">x</a>',
    # other dangerous schemes
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="vbscript:msgbox(1)">x</a>',
    "[x](vbscript:msgbox(1))",
    '<a href="file:///etc/passwd">x</a>',
    # images and media
    "<img src=x onerror=alert(1)>",
    "<img src=x onerror=alert(1)//",
    '<img src="javascript:alert(1)">',
    "![x](javascript:alert(1))",
    "![x](https://ok.example/a.png)",
    '![x](x" onerror="alert(1))',
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    # svg and math
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">x</math>',
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    # frames, objects and document-level tags
    "<iframe src=javascript:alert(1)></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><input type=submit></form>",
    "<form><button formaction=javascript:alert(1)>x</button></form>",
    "<style>@import 'https://evil.example/x.css';</style>",
    '<link rel=stylesheet href="https://evil.example/x.css">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    "<template><script>alert(1)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<textarea><script>alert(1)</script></textarea>",
    "<xmp><script>alert(1)</script></xmp>",
    # comments and CDATA
    "<!--><script>alert(1)</script>-->",
    "<!-- --!><script>alert(1)</script>",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<!--[if IE]><script>alert(1)</script><![endif]-->",
    # attribute quoting tricks
    "<a href=`javascript:alert(1)`>x</a>",
    '<a title="`x`" href=`javascript:alert(1)`>x</a>',
    "<a href='https://ok.example' title='\"><script>alert(1)</script>'>x</a>",
    '<a href="https://ok.example"title="x"onclick="alert(1)">x</a>',
    '<a href="https://ok.example/"/onclick=alert(1)>x</a>',
    # style attributes
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<p style="width: expression(alert(1))">x</p>',
    '<a href="https://ok.example" style="position:fixed;inset:0">x</a>',
    # Markdown-specific routes
    "<javascript:alert(1)>",
    "<vbscript:msgbox(1)>",
    "[x][1]\n\n[1]: javascript:alert(1)",
    '[x][evil]\n\n[evil]: javascript:alert(1) "t"',
    "[x]\n\n[x]: data:text/html,<script>alert(1)</script>",
    "[<img src=x onerror=alert(1)>](https://ok.example)",
    '[x](https://ok.example "a\\" onclick=\\"alert(1)")',
    "*<script>alert(1)</script>*",
    "| <script>alert(1)</script> | x |\n|---|---|\n| <img src=x onerror=1> | y |",
    "> <iframe src=javascript:alert(1)>",
    "- <svg onload=alert(1)>",
    "# <img src=x onerror=alert(1)>",
    "```\n</code></pre><script>alert(1)</script>\n```",
    "`</code><script>alert(1)</script>`",
    "<div markdown=1>[x](javascript:alert(1))</div>",
    # bare "URLs" that must not become dangerous links
    "javascript:alert(1)",
    "see javascript://example.com/%0aalert(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
]


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_vector_is_neutralised(vector: str) -> None:
    assert_safe(render_markdown(vector))


def test_there_are_plenty_of_vectors() -> None:
    assert len(XSS_VECTORS) >= 40
    assert len(set(XSS_VECTORS)) == len(XSS_VECTORS)


def test_assert_safe_catches_unsafe_html() -> None:
    """The checker itself must fail on what it is meant to catch."""
    for unsafe in [
        "<script>x</script>",
        "<img src=x>",
        '<p onclick="x">a</p>',
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<a href=" JAVASCRIPT:x">x</a>',
        '<a href="data:text/html,x">x</a>',
        '<p style="color:red">x</p>',
    ]:
        with pytest.raises(AssertionError):
            assert_safe(unsafe)


# --- size and hostile input ---------------------------------------------------------


def _long_body(size: int) -> str:
    section = (
        "# A heading\n\nSome prose with *emphasis*, **strength** and a link to "
        "[the docs](https://example.com/docs) plus https://example.com/bare in "
        "passing. " * 3 + "\n\n- a list item\n- another with `code`\n\n> a quote\n\n"
    )
    return (section * (size // len(section) + 1))[:size]


def test_a_100000_character_body_renders() -> None:
    body = _long_body(100_000)
    assert len(body) == 100_000
    html = render_markdown(body)
    # Rendered as Markdown, not the plain-text fallback.
    assert html.count("<h2>A heading</h2>") > 100
    assert f'<a href="https://example.com/docs" {REL}>the docs</a>' in html
    assert_safe(html)


HOSTILE_INPUTS: dict[str, str] = {
    "open brackets": "[" * 100_000,
    "escaped brackets": "\\[" * 50_000,
    "image openers": "![a" * 33_333,
    "link openers": "[](" * 33_333,
    "misnested tags": "<b>" * 14_000 + "</i>" * 14_000,
    "unclosed formatting": "<em>" * 25_000,
    "nested lists in html": "<ul><li>" * 12_500,
    "unclosed autolinks": "<http://" * 12_500,
    "unclosed fences": "```a\n" * 20_000,
    "fence with spaces": "```" + " " * 100_000 + "x",
    "bold runs": "**a" * 33_333,
}


@pytest.mark.parametrize("text", HOSTILE_INPUTS.values(), ids=HOSTILE_INPUTS.keys())
def test_hostile_input_is_bounded(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each of these takes minutes or hours without the deadline."""
    monkeypatch.setattr(core.markdown, "RENDER_TIME_LIMIT", 0.3)
    start = time.monotonic()
    html = render_markdown(text)
    assert time.monotonic() - start < 2.5
    assert html
    assert_safe(html)


def test_deep_nesting_falls_back_to_plain_text() -> None:
    html = render_markdown("1. " * 3000)  # RecursionError inside Markdown
    assert html == "<p>" + "1. " * 2999 + "1.</p>"


def test_fallback_is_escaped_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(core.markdown, "RENDER_TIME_LIMIT", -1.0)  # always too late
    html = render_markdown("# Title\n<script>alert(1)</script> & *x*\r\n\r\n\nnext")
    assert html == (
        "<p># Title<br>\n&lt;script&gt;alert(1)&lt;/script&gt; &amp; *x*</p>\n"
        "<p>next</p>"
    )
    assert_safe(html)


def test_renders_again_after_a_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(core.markdown, "RENDER_TIME_LIMIT", -1.0)
    render_markdown("<b>" * 100)
    monkeypatch.undo()
    assert render_markdown("*ok*") == "<p><em>ok</em></p>"


def test_threads_do_not_share_a_parser() -> None:
    """bleach's Cleaner is not thread-safe; each thread gets its own."""
    texts = [f"# Title {i}\n\n*{i}* [link](https://example.com/{i})" for i in range(64)]
    expected = [render_markdown(text) for text in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(render_markdown, texts)) == expected


# --- as_safe_html --------------------------------------------------------------------


def test_as_safe_html_marks_stored_html_safe() -> None:
    stored = render_markdown("*hello*")
    safe = as_safe_html(stored)
    assert isinstance(safe, SafeString)
    assert safe == stored
    assert as_safe_html("") == ""
