"""The editor's words fit what is being written: a free reflection is on no
Thing, and saving a published entry again updates it."""

from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from journal.models import Entry
from tests.conftest import thing


def test_a_free_reflection_says_nothing_of_a_thing(client_for, author):
    page = client_for(author).get(reverse("journal:write"))

    assert page.status_code == HTTPStatus.OK
    assert "for this thing" not in page.text.lower()
    assert '<label for="id_action">My action' in page.text


def test_an_entry_on_a_thing_names_its_action_for_the_thing(client_for, author, cohort):
    url = reverse(
        "journal:write_on_thing",
        kwargs={"cohort": cohort.slug, "thing": thing(cohort.programme, 1).slug},
    )

    page = client_for(author).get(url)

    assert '<label for="id_action">My action for this Thing' in page.text


def saved_message(client, url: str, **data) -> str:
    form = {"title": "Notes", "body": "Words.", "visibility": "private", **data}
    response = client.post(url, form)
    assert response.status_code == HTTPStatus.FOUND
    return [str(message) for message in get_messages(response.wsgi_request)][-1]


@pytest.mark.parametrize(
    ("publish", "button", "message"),
    [
        (False, "publish", "Published."),
        (True, "publish", "Updated."),
        (False, "save", "Draft saved."),
    ],
    ids=["publishing-a-draft", "updating", "saving-a-draft"],
)
def test_the_message_after_saving_says_what_happened(
    client_for, author, make_entry, publish, button, message
):
    entry = make_entry(author, visibility=Entry.Visibility.PRIVATE, publish=publish)

    said = saved_message(client_for(author), entry.get_edit_url(), **{button: "1"})

    assert said == message


def test_a_new_free_reflection_published_says_published(client_for, author):
    said = saved_message(client_for(author), reverse("journal:write"), publish="1")

    assert said == "Published."
