"""The messages of static/js/*.js come from Django's JavaScript catalogue,
served as a script file for each language (core/jsi18n.py)."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from core.jsi18n import catalogue_url, catalogue_version


def scripts(response) -> list[str]:
    return re.findall(r'<script src="([^"]+)"', response.content.decode())


def decimal_separator(response) -> str:
    return re.search(r'"DECIMAL_SEPARATOR": "(.)"', response.content.decode())[1]


@pytest.mark.parametrize("language", ["de", "nl", "en-gb"])
def test_a_page_loads_the_catalogue_of_its_language_before_our_scripts(
    client, db, language
):
    page = client.get(reverse("accessibility"), HTTP_ACCEPT_LANGUAGE=language)

    sources = scripts(page)
    assert catalogue_url(language) in sources
    assert f"/jsi18n/{language}/" in catalogue_url(language)
    ours = [index for index, src in enumerate(sources) if "/static/js/" in src]
    assert sources.index(catalogue_url(language)) < min(ours)


@pytest.mark.parametrize(
    ("language", "separator"), [("de", ","), ("nl", ","), ("en-gb", ".")]
)
def test_the_catalogue_is_in_the_language_of_its_url_not_of_the_browser(
    client, db, language, separator
):
    response = client.get(catalogue_url(language), HTTP_ACCEPT_LANGUAGE="fr, en")

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/javascript")
    body = response.content.decode()
    assert "django.gettext = function" in body
    assert "django.interpolate = function" in body
    assert decimal_separator(response) == separator
    assert response["Content-Language"] == language


def test_the_current_version_is_kept_for_a_year(client, db):
    response = client.get(catalogue_url("de"))

    cache_control = response["Cache-Control"]
    assert "public" in cache_control
    assert "max-age=31536000" in cache_control
    assert "immutable" in cache_control


def test_an_old_version_is_answered_but_not_kept(client, db):
    url = reverse("javascript_catalogue", kwargs={"language": "de", "version": "0ld"})

    response = client.get(url)

    assert response.status_code == HTTPStatus.OK
    assert decimal_separator(response) == ","
    assert "no-cache" in response["Cache-Control"]
    assert "max-age=31536000" not in response["Cache-Control"]


def test_a_language_the_site_does_not_offer_is_not_found(client, db):
    url = reverse(
        "javascript_catalogue",
        kwargs={"language": "fr", "version": catalogue_version("fr")},
    )

    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_new_compiled_messages_make_a_new_url(settings, tmp_path):
    before = catalogue_version("de")
    messages = tmp_path / "de" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "djangojs.mo").write_bytes(b"a compiled catalogue")

    settings.LOCALE_PATHS = [tmp_path]

    assert catalogue_version("de") != before
