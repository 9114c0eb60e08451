"""Images in Markdown: ours shown with srcset and alt text, nobody else's
fetched, and no entry published with an image left undescribed."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from core.markdown import render_markdown
from journal import actions
from journal.models import Entry, Image
from tests.images import image_bytes, upload


@pytest.fixture
def slide(author) -> Image:
    return actions.upload_image(
        owner=author, upload=upload(image_bytes(1200, 600)), alt="My slide, before"
    )


def shown(text: str, owner) -> str:
    return render_markdown(
        text, images=Image.objects.shown_in(text, owner_ids=[owner.pk])
    )


def test_our_image_gets_srcset_sizes_alt_and_dimensions(author, slide):
    html = shown(f"![ignored]({slide.get_absolute_url()})", author)
    url = slide.get_absolute_url()
    assert f'src="{url}"' in html
    assert f'srcset="{url}480/ 480w, {url}960/ 960w, {url} 1200w"' in html
    assert 'sizes="' in html
    assert 'alt="My slide, before"' in html
    assert 'width="1200" height="600"' in html
    assert 'loading="lazy"' in html


def test_the_brackets_give_alt_text_to_an_image_without_its_own(author):
    image = actions.upload_image(owner=author, upload=upload(image_bytes()))
    html = shown(f"![A chart of my week]({image.get_absolute_url()})", author)
    assert 'alt="A chart of my week"' in html


def test_a_decorative_image_has_empty_alt(author):
    image = actions.upload_image(
        owner=author, upload=upload(image_bytes()), decorative=True
    )
    html = shown(f"![a border]({image.get_absolute_url()})", author)
    assert 'alt=""' in html


def test_images_from_other_sites_become_links_never_fetched(author):
    html = shown("![A cat](https://example.com/cat.png)", author)
    assert "<img" not in html
    assert (
        '<a href="https://example.com/cat.png" rel="nofollow ugc noopener">A cat</a>'
        in html
    )


@pytest.mark.parametrize(
    "markdown",
    [
        '<img src="https://tracker.example/pixel.gif" alt="">',
        '<img src="x" onerror="alert(1)">',
        "![x](javascript:alert(1))",
        '<img src="data:image/png;base64,AAAA">',
    ],
)
def test_no_other_image_survives(author, markdown):
    html = shown(markdown, author)
    assert "<img" not in html
    assert "onerror" not in html
    assert "javascript" not in html


def test_raw_html_of_our_image_gets_our_attributes_only(author, slide):
    url = slide.get_absolute_url()
    html = shown(
        f'<img src="{url}" alt="x" srcset="https://evil/ 1w" onload="a()">', author
    )
    assert "evil" not in html and "onload" not in html
    assert 'alt="My slide, before"' in html


def test_an_entry_cannot_be_published_with_an_undescribed_image(
    author, cohort, client_for
):
    image = actions.upload_image(owner=author, upload=upload(image_bytes()))
    body = f"Look:\n\n![]({image.get_absolute_url()})"
    data = {"title": "With a picture", "body": body, "visibility": "cohort"}
    client = client_for(author)
    thing_url = reverse(
        "journal:write_on_thing", kwargs={"cohort": cohort.slug, "thing": "blogging"}
    )

    refused = client.post(thing_url, {**data, "publish": "1"})

    assert refused.status_code == HTTPStatus.OK
    assert "has no alt text" in refused.context["form"].errors["body"][0]
    assert body in refused.content.decode()  # the words are kept
    assert not Entry.objects.filter(status="published").exists()

    # A draft may be saved; once described, it publishes.
    client.post(thing_url, {**data, "save": "1"})
    entry = Entry.objects.get()
    assert list(entry.images.all()) == [image]
    actions.set_image_alt(image=image, alt="A poster on a wall")
    edit = client.post(entry.get_edit_url(), {**data, "publish": "1"})
    assert edit.status_code == HTTPStatus.FOUND
    entry.refresh_from_db()
    assert entry.is_published
    assert 'alt="A poster on a wall"' in entry.body_html


def test_alt_text_changed_later_shows_on_the_entry(
    author, cohort, make_entry, slide, client_for, cohort_mate
):
    entry = make_entry(author, cohort=cohort, body=slide.markdown())
    page = client_for(cohort_mate).get(entry.get_absolute_url())
    assert 'alt="My slide, before"' in page.content.decode()

    actions.set_image_alt(image=slide, alt="My slide, after")

    page = client_for(cohort_mate).get(entry.get_absolute_url())
    assert 'alt="My slide, after"' in page.content.decode()


def test_the_preview_shows_my_images(author, slide, client_for):
    response = client_for(author).post(reverse("preview"), {"body": slide.markdown()})
    assert f'src="{slide.get_absolute_url()}"' in response.content.decode()
