# ruff: noqa: E501 (the corpus is a table: one vector a line)
"""The XSS corpus of the browser test (tests/browser/test_xss.py).

Written for the browser, apart from the unit corpus of tests/core/test_markdown.py:
each vector, if it ever ran, would call ``__xss(marker)`` (or ``alert(marker)``)
with a marker naming the vector and the field it was put in (``v17-body``), so
a failure says at once which vector ran where.

``MARK`` in a template is replaced by the marker; a callable template gets the
marker and returns the payload (for encodings that must wrap the marker too).

* ``MARKDOWN``: for fields rendered by ``core.markdown.render_markdown`` (entry
  bodies, comments, nudge bodies, the editor's preview).
* ``PLAIN``: for fields shown as escaped text (titles, display names, bios, the
  "my action" field, nudge subjects); short enough for a display name (80).
* ``TAGS``: tag names (``journal.tags.parse_tags``: at most 50 characters, no
  commas, lower-cased).
* ``WEBSITES_REFUSED`` / ``WEBSITES_KEPT``: the profile's website, a URL field:
  script URLs must be refused (or made https), odd but valid URLs are kept
  and must be shown inert.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass

Template = str | Callable[[str], str]


@dataclass(frozen=True)
class Vector:
    id: str
    note: str
    template: Template

    def marker(self, place: str) -> str:
        return f"{self.id}-{place}"

    def render(self, place: str) -> str:
        marker = self.marker(place)
        if callable(self.template):
            return self.template(marker)
        return self.template.replace("MARK", marker)


def hex_entities(text: str) -> str:
    return "".join(f"&#x{ord(char):x};" for char in text)


def padded_decimal_entities(text: str) -> str:
    """``&#0000106`` style: decimal, zero-padded, no semicolons."""
    return "".join(f"&#{ord(char):07d}" for char in text)


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def call(marker: str) -> str:
    """A call with no quotes: Python-Markdown escapes raw HTML whose unquoted
    attributes hold a quote, which would defuse the vector before the sanitiser."""
    return f"__xss(/{marker}/.source)"


# fmt: off
MARKDOWN: list[Vector] = [
    # <script> in its many spellings
    Vector("v01", "plain script block", "<script>__xss(/MARK/.source)</script>"),
    Vector("v02", "upper-case script", "<SCRIPT>__xss(/MARK/.source)</SCRIPT>"),
    Vector("v03", "mixed case with attributes", "<ScRiPt type=\"text/javascript\" async>__xss(/MARK/.source)</sCrIpT>"),
    Vector("v04", "script src data: URL", "<script src=\"data:text/javascript,__xss(/MARK/.source)\"></script>"),
    Vector("v05", "script split by an inner script", "<scr<script>ipt>__xss(/MARK/.source)</scr</script>ipt>"),
    Vector("v06", "script with newline in the tag", "<script\n>__xss(/MARK/.source)</script\n>"),
    Vector("v07", "script/x", "<script/x>__xss(/MARK/.source)</script>"),
    Vector("v08", "double angle brackets", "<<script>script>__xss(/MARK/.source)<</script>/script>"),
    Vector("v09", "inline script mid-paragraph", "Some words <script>__xss(/MARK/.source)</script> more words."),
    Vector("v10", "closing the paragraph first", "</p><script>__xss(/MARK/.source)</script><p>"),
    # event handlers
    Vector("v11", "img onerror", "<img src=x onerror=__xss(/MARK/.source)>"),
    Vector("v12", "img onerror inline, quoted", "A picture: <img src=\"/nope.png\" onerror=\"__xss(/MARK/.source)\"> here."),
    Vector("v13", "slash-separated img", "<img/src=x/onerror=__xss(/MARK/.source)>"),
    Vector("v14", "body onload", "<body onload=__xss(/MARK/.source)>"),
    Vector("v15", "svg onload", "<svg onload=__xss(/MARK/.source)>"),
    Vector("v16", "autofocus onfocus", "<input autofocus onfocus=__xss(/MARK/.source)>"),
    Vector("v17", "full-page onmouseover", "<div onmouseover=\"__xss(/MARK/.source)\" style=\"position:fixed;inset:0\">hover me</div>"),
    Vector("v18", "details ontoggle", "<details open ontoggle=__xss(/MARK/.source)><summary>s</summary>x</details>"),
    Vector("v19", "svg animate onbegin", "<svg><animate onbegin=__xss(/MARK/.source) attributeName=x dur=1s></svg>"),
    Vector("v20", "allowed <a> with handlers", "<a href=\"https://example.org\" onclick=\"__xss(/MARK/.source)\" onmouseover=\"__xss(/MARK/.source)\">link</a>"),
    Vector("v21", "allowed <p> with a handler", "<p onmouseover=__xss(/MARK/.source)>a paragraph</p>"),
    Vector("v22", "video source onerror", "<video><source onerror=__xss(/MARK/.source)></video>"),
    Vector("v23", "marquee onstart", "<marquee onstart=__xss(/MARK/.source)>m</marquee>"),
    Vector("v24", "no space between attributes", "<a href=\"https://example.org\" title=\"x\"onmouseover=\"__xss(/MARK/.source)\">a</a>"),
    Vector("v25", "entity-encoded handler body", "<img src=x onerror=\"&#95;&#95;xss('MARK')\">"),
    Vector("v26", "autofocus on an allowed link", "<a href=\"https://example.org\" autofocus onfocus=__xss(/MARK/.source) tabindex=1>f</a>"),
    # javascript:, data: and vbscript: in Markdown links and images
    Vector("v27", "Markdown link", "[click](javascript:__xss(/MARK/.source))"),
    Vector("v28", "Markdown link, mixed case", "[click](JaVaScRiPt:__xss(/MARK/.source))"),
    Vector("v29", "Markdown link, &#106; for j", "[click](&#106;avascript:__xss(/MARK/.source))"),
    Vector("v30", "Markdown link, all hex entities", lambda m: f"[click]({hex_entities('javascript:')}{call(m)})"),
    Vector("v31", "Markdown link, angle-bracket destination", "[click](<javascript:__xss(/MARK/.source)>)"),
    Vector("v32", "Markdown link, &colon;", "[click](javascript&colon;__xss(/MARK/.source))"),
    Vector("v33", "Markdown link, data:text/html base64", lambda m: f"[click](data:text/html;base64,{b64(f'<script>{call(m)}</script>')})"),
    Vector("v34", "Markdown link, vbscript:", "[click](vbscript:msgbox(\"MARK\"))"),
    Vector("v35", "Markdown image, javascript:", "![pic](javascript:__xss(/MARK/.source))"),
    Vector("v36", "Markdown image, title breakout", "![pic](https://example.org/a.png \"t\\\" onerror=\\\"__xss(/MARK/.source)\")"),
    Vector("v37", "reference link, javascript:", "[ref][jsref-MARK]\n\n[jsref-MARK]: javascript:__xss(/MARK/.source)"),
    Vector("v38", "reference link, padded entities", lambda m: f"[ref][padref-{m}]\n\n[padref-{m}]: {padded_decimal_entities('javascript:')}{call(m)}"),
    Vector("v39", "link title breakout", "[x](https://example.org \"t\\\" onmouseover=\\\"__xss(/MARK/.source)\")"),
    Vector("v40", "autolink with javascript:", "<javascript:__xss(/MARK/.source)>"),
    Vector("v41", "javascript:// comment and newline", "[x](javascript://example.org/%0A__xss(/MARK/.source))"),
    Vector("v42", "data: SVG link", "[svg](data:image/svg+xml,<svg onload=__xss(/MARK/.source)>)"),
    # javascript: and friends in raw HTML <a>
    Vector("v43", "HTML a, javascript:", "<a href=\"javascript:__xss(/MARK/.source)\">x</a>"),
    Vector("v44", "HTML a, JAVASCRIPT:", "<a href=\"JAVASCRIPT:__xss(/MARK/.source)\">x</a>"),
    Vector("v45", "HTML a, &#x6a; for j", "<a href=\"&#x6a;avascript:__xss(/MARK/.source)\">x</a>"),
    Vector("v46", "HTML a, tab entity inside the scheme", "<a href=\"java&#x09;script:__xss(/MARK/.source)\">x</a>"),
    Vector("v47", "HTML a, literal tab inside the scheme", "<a href=\"java\tscript:__xss(/MARK/.source)\">x</a>"),
    Vector("v48", "HTML a, &NewLine; inside the scheme", "<a href=\"java&NewLine;script:__xss(/MARK/.source)\">x</a>"),
    Vector("v49", "HTML a, control character and spaces first", "<a href=\" &#14;  javascript:__xss(/MARK/.source)\">x</a>"),
    Vector("v50", "HTML a, data:text/html", "<a href=\"data:text/html,<script>__xss(/MARK/.source)</script>\">x</a>"),
    Vector("v51", "HTML a, vbscript:", "<a href=\"vbscript:__xss(/MARK/.source)\">x</a>"),
    Vector("v52", "HTML a, padded decimal entities", lambda m: f"<a href=\"{padded_decimal_entities('javascript:')}{call(m)}\">x</a>"),
    Vector("v53", "HTML a, carriage return entity", "<a href=\"jav&#x0D;ascript:__xss(/MARK/.source)\">x</a>"),
    # embedding
    Vector("v54", "iframe srcdoc", "<iframe srcdoc=\"<script>__xss(/MARK/.source)</script>\"></iframe>"),
    Vector("v55", "iframe javascript: src", "<iframe src=\"javascript:__xss(/MARK/.source)\"></iframe>"),
    Vector("v56", "object data javascript:", "<object data=\"javascript:__xss(/MARK/.source)\"></object>"),
    Vector("v57", "object data data:text/html", "<object data=\"data:text/html,<script>__xss(/MARK/.source)</script>\"></object>"),
    Vector("v58", "embed javascript:", "<embed src=\"javascript:__xss(/MARK/.source)\">"),
    Vector("v59", "svg script", "<svg><script>__xss(/MARK/.source)</script></svg>"),
    Vector("v60", "svg link xlink:href", "<svg><a xlink:href=\"javascript:__xss(/MARK/.source)\"><text x=20 y=20>svg link</text></a></svg>"),
    # namespace confusion and raw-text elements
    Vector("v61", "math mtext mglyph style", "<math><mtext><table><mglyph><style><img src=x onerror=__xss(/MARK/.source)>"),
    Vector("v62", "math mtext h1 a h6 mglyph svg", "<math><mtext><h1><a><h6></a></h6><mglyph><svg><mtext><style><a title=\"</style><img src onerror=__xss(/MARK/.source)>\"></a></style></mtext></svg></mglyph></mtext></math>"),
    Vector("v63", "form math mtext form mglyph", "<form><math><mtext></form><form><mglyph><style></math><img src onerror=__xss(/MARK/.source)>"),
    Vector("v64", "noscript title breakout", "<noscript><p title=\"</noscript><img src=x onerror=__xss(/MARK/.source)>\"></noscript>"),
    Vector("v65", "template content", "<template><img src=x onerror=__xss(/MARK/.source)></template>"),
    Vector("v66", "style breakout", "<style></style><img src=x onerror=__xss(/MARK/.source)><style>p{color:red}</style>"),
    Vector("v67", "img inside style", "<style><img src=x onerror=__xss(/MARK/.source)></style>"),
    Vector("v68", "svg style", "<svg><style><img src=x onerror=__xss(/MARK/.source)></style></svg>"),
    Vector("v69", "textarea breakout", "</textarea><script>__xss(/MARK/.source)</script>"),
    Vector("v70", "textarea breakout with img", "<textarea></textarea><img src=x onerror=__xss(/MARK/.source)></textarea>"),
    Vector("v71", "title element", "<title><img src=x onerror=__xss(/MARK/.source)></title>"),
    Vector("v72", "xmp element", "<xmp><img src=x onerror=__xss(/MARK/.source)></xmp>"),
    # comments, CDATA, processing instructions
    Vector("v73", "HTML comment", "<!--<img src=x onerror=__xss(/MARK/.source)>-->"),
    Vector("v74", "comment closed with --!>", "<!-- --!><img src=x onerror=__xss(/MARK/.source)> -->"),
    Vector("v75", "CDATA section", "<![CDATA[><img src=x onerror=__xss(/MARK/.source)>]]>"),
    Vector("v76", "processing instruction", "<? ><img src=x onerror=__xss(/MARK/.source)> ?>"),
    # page-level tricks
    Vector("v77", "meta refresh to javascript:", "<meta http-equiv=\"refresh\" content=\"0;url=javascript:__xss(/MARK/.source)\">"),
    Vector("v78", "base href", "<base href=\"javascript:__xss(/MARK/.source)//\"><a href=\"x\">relative</a>"),
    Vector("v79", "form action javascript:", "<form action=\"javascript:__xss(/MARK/.source)\"><button>go</button></form>"),
    Vector("v80", "button formaction", "<button formaction=\"javascript:__xss(/MARK/.source)\">go</button>"),
    Vector("v81", "CSS expression and url()", "<p style=\"width:expression(__xss(/MARK/.source));background:url(javascript:__xss(/MARK/.source))\">css</p>"),
    Vector("v82", "stylesheet link", "<link rel=stylesheet href=\"javascript:__xss(/MARK/.source)\">"),
    Vector("v83", "htmx attributes", "<div hx-get=\"/\" hx-trigger=\"load\" hx-on::after-request=\"__xss(/MARK/.source)\" hx-on:click=\"__xss(/MARK/.source)\">htmx</div>"),
    Vector("v84", "htmx data- attributes on an allowed tag", "<a href=\"https://example.org\" data-hx-on:mouseover=\"__xss(/MARK/.source)\" data-hx-get=\"javascript:__xss(/MARK/.source)\" data-hx-trigger=\"load\">h</a>"),
    # broken nesting and unclosed tags
    Vector("v85", "misnested tags then an unclosed img", "<a href=\"https://example.org\"><b>bold <i>it</a></b> <img src=x onerror=__xss(/MARK/.source)"),
    Vector("v86", "unclosed img at the end of a block", "Last words <img src=x onerror=\"__xss(/MARK/.source)\""),
    Vector("v87", "unclosed attribute quote", "<a href=\"https://example.org\" title='a onmouseover=__xss(/MARK/.source) x='>y</a>"),
    Vector("v88", "table cell with a handler", "| a | b |\n|---|---|\n| <img src=x onerror=__xss(/MARK/.source)> | c |"),
    Vector("v89", "blockquote and list wrapping", "> - <svg/onload=__xss(/MARK/.source)>"),
    # code must stay code
    Vector("v90", "fenced code", "```html\n<script>__xss(/MARK/.source)</script>\n```"),
    Vector("v91", "inline code", "Code: `<img src=x onerror=__xss(/MARK/.source)>`"),
    # template-looking text and linkify
    Vector("v92", "Django template syntax", "{{ '<script>__xss(/MARK/.source)</script>'|safe }} {% autoescape off %}<img src=x onerror=__xss(/MARK/.source)>{% endautoescape %}"),
    Vector("v93", "bare URL with quotes", "www.example.org/\"onmouseover=\"__xss(/MARK/.source)\" and https://example.org/<script>__xss(/MARK/.source)</script>"),
    Vector("v94", "alert() variant", "<img src=x onerror=alert(/MARK/.source)>"),
    Vector("v95", "alert() in a javascript: link", "[alert](javascript:alert(/MARK/.source))"),
]

PLAIN: list[Vector] = [
    Vector("p01", "script in text", "<script>__xss(/MARK/.source)</script>"),
    Vector("p02", "double-quoted attribute breakout", "\"><script>__xss(/MARK/.source)</script>"),
    Vector("p03", "single-quoted attribute breakout", "'><img src=x onerror=__xss(/MARK/.source)>"),
    Vector("p04", "out of <title>", "</title><script>__xss(/MARK/.source)</script>"),
    Vector("p05", "out of <textarea>", "</textarea><script>__xss(/MARK/.source)</script>"),
    Vector("p06", "attribute injection without tags", "\" autofocus onfocus=\"__xss(/MARK/.source)\" x=\""),
    Vector("p07", "single-quoted handler injection", "' onmouseover='__xss(/MARK/.source)' x='"),
    Vector("p08", "Django template syntax", "{{ '<b>'|safe }}{% autoescape off %}<svg onload=__xss(/MARK/.source)>{% endautoescape %}"),
    Vector("p09", "javascript: URL as text", "javascript:__xss(/MARK/.source)"),
    Vector("p10", "already escaped markup", "&lt;img src=x onerror=__xss(/MARK/.source)&gt;"),
    Vector("p11", "out of a <script> (json_script)", "</script><script>__xss(/MARK/.source)</script>"),
    Vector("p12", "comment", "<!--<img src=x onerror=__xss(/MARK/.source)>-->"),
    Vector("p13", "Markdown link in a plain field", "[x](javascript:__xss(/MARK/.source))"),
    Vector("p14", "out of <style>", "</style><img src=x onerror=__xss(/MARK/.source)>"),
    Vector("p15", "math breakout", "<math><mtext></p><img src=x onerror=__xss(/MARK/.source)>"),
    Vector("p16", "alert() variant", "<svg/onload=alert(/MARK/.source)>"),
]

TAGS: list[Vector] = [
    Vector("t01", "script tag name", "<script>__xss('MARK')</script>"),
    Vector("t02", "img onerror tag name", "<img src=x onerror=__xss('MARK')>"),
    Vector("t03", "attribute breakout tag name", "\"><svg onload=__xss('MARK')>"),
    Vector("t04", "javascript: tag name", "javascript:__xss('MARK')"),
    Vector("t05", "details ontoggle tag name", "'><details open ontoggle=__xss('MARK')>"),
    Vector("t06", "textarea breakout tag name", "</textarea><script>__xss('MARK')</script>"),
    Vector("t07", "handler injection tag name", "\" onfocus=\"__xss('MARK')\" autofocus x=\""),
    Vector("t08", "template syntax tag name", "{{ x|safe }}<b onmouseover=__xss('MARK')>"),
]

WEBSITES_REFUSED: list[Vector] = [
    Vector("w01", "javascript:", "javascript:__xss(/MARK/.source)"),
    Vector("w02", "mixed-case javascript:", "JaVaScRiPt:__xss(/MARK/.source)"),
    Vector("w03", "javascript:// comment", "javascript://example.org/%0A__xss(/MARK/.source)"),
    Vector("w04", "data:text/html", "data:text/html,<script>__xss(/MARK/.source)</script>"),
    Vector("w05", "vbscript:", "vbscript:__xss(/MARK/.source)"),
    Vector("w06", "tab inside the scheme", "java\tscript:__xss(/MARK/.source)"),
    Vector("w07", "leading spaces", "   javascript:__xss(/MARK/.source)"),
    Vector("w08", "entity-encoded scheme", "&#106;avascript:__xss(/MARK/.source)"),
]

WEBSITES_KEPT: list[Vector] = [
    Vector("w09", "valid URL with markup in the query", "https://example.org/?q=\"><script>__xss(/MARK/.source)</script>"),
    Vector("w10", "valid URL with a handler in the fragment", "https://example.org/#\"onmouseover=\"__xss(/MARK/.source)\""),
    Vector("w11", "valid URL with a quote breakout", "https://example.org/'><img/src=x/onerror=__xss(/MARK/.source)>"),
]
# fmt: on

ALL: list[Vector] = [*MARKDOWN, *PLAIN, *TAGS, *WEBSITES_REFUSED, *WEBSITES_KEPT]


def batches(vectors: list[Vector], size: int) -> list[list[Vector]]:
    return [vectors[start : start + size] for start in range(0, len(vectors), size)]


def markdown_batch(vectors: list[Vector], place: str, canary: str) -> str:
    """A Markdown text holding the vectors, one block each, after a canary line."""
    return "\n\n".join([canary, *(vector.render(place) for vector in vectors)])


def plain_batch(vectors: list[Vector], place: str, canary: str = "") -> str:
    return " ".join([canary, *(vector.render(place) for vector in vectors)]).strip()


assert len({vector.id for vector in ALL}) == len(ALL), "vector ids are unique"
