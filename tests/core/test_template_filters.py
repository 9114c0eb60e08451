"""The shared template filters that show user content."""

import pytest
from django.template import Context, Template

from core.markdown import render_markdown


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_excerpt_shows_characters_once_escaped() -> None:
    stored = render_markdown("Fish & chips <3 and *more*")
    assert (
        render("{{ html|excerpt:10 }}", html=stored)
        == "Fish &amp; chips &lt;3 and more"
    )


def test_excerpt_never_lets_markup_through() -> None:
    stored = "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    assert "<script" not in render("{{ html|excerpt }}", html=stored)


def test_excerpt_cuts_to_the_number_of_words() -> None:
    stored = render_markdown("one two three four five")
    assert render("{{ html|excerpt:3 }}", html=stored) == "one two three…"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "",
    ],
)
def test_web_url_drops_anything_but_http(url: str) -> None:
    assert render("{{ url|web_url }}", url=url) == ""


@pytest.mark.parametrize("url", ["https://example.org/me", "http://example.org"])
def test_web_url_keeps_web_addresses(url: str) -> None:
    assert render("{{ url|web_url }}", url=url) == url


def test_a_stored_script_url_never_becomes_a_link(client, make_user) -> None:
    user = make_user("ada")
    user.profile.website = "javascript:alert(1)"
    user.profile.save()
    response = client.get(f"/@{user.username}/")
    assert b"javascript:" not in response.content
