"""Studio: writing, reordering and publishing a programme's Things (owners only)."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from programmes import actions
from programmes.models import Thing
from tests.conftest import thing

NOT_OWNERS = ["facilitator", "other_facilitator", "author", "outsider"]


def thing_data(**overrides) -> dict:
    data = {
        "title": "Video calls",
        "slug": "",
        "introduction": "Meet **face to face**, online.",
        "questions": "How do you meet?\n\n  What works?  \n",
        "action": "Call a colleague.",
        "estimated_minutes": "30",
        "status": "draft",
        "save": "1",
    }
    return {**data, **overrides}


def numbers_and_slugs(programme) -> list[tuple[int, str]]:
    return list(programme.things.order_by("number").values_list("number", "slug"))


# New Thing


def test_owner_adds_a_thing_at_the_end(client_for, owner, programme):
    client = client_for(owner)
    url = reverse("studio:new_thing", args=["23-things"])
    assert client.get(url).status_code == HTTPStatus.OK

    response = client.post(url, thing_data())

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("studio:programme", args=["23-things"])
    new = programme.things.get(number=6)
    assert new.title == "Video calls"
    assert new.questions == ["How do you meet?", "What works?"]
    assert new.estimated_minutes == 30
    assert new.status == Thing.Status.DRAFT
    assert new.introduction_html == "<p>Meet <strong>face to face</strong>, online.</p>"


def test_a_blank_slug_comes_from_the_title(client_for, owner, programme):
    client_for(owner).post(
        reverse("studio:new_thing", args=["23-things"]),
        thing_data(title="Wikis & Collaboration!"),
    )

    assert programme.things.get(number=6).slug == "wikis-collaboration"


def test_a_given_slug_is_kept(client_for, owner, programme):
    client_for(owner).post(
        reverse("studio:new_thing", args=["23-things"]), thing_data(slug="calls")
    )

    assert programme.things.get(number=6).slug == "calls"


@pytest.mark.parametrize(
    "overrides",
    [{"slug": "blogging"}, {"title": "Blogging", "slug": ""}],
    ids=["given", "from-title"],
)
def test_a_duplicate_slug_is_refused_beside_the_field(
    client_for, owner, programme, overrides
):
    response = client_for(owner).post(
        reverse("studio:new_thing", args=["23-things"]),
        thing_data(introduction="My long introduction.", **overrides),
    )

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert 'id="id_slug_errors"' in page
    assert "Another Thing of this programme has it." in page
    assert "My long introduction." in page
    assert programme.things.count() == 5


def test_the_same_slug_in_another_programme_is_fine(client_for, owner, programme):
    other = actions.create_programme(owner=owner, title="O", slug="o", summary="")

    response = client_for(owner).post(
        reverse("studio:new_thing", args=["o"]), thing_data(slug="blogging")
    )

    assert response.status_code == HTTPStatus.FOUND
    assert other.things.get().slug == "blogging"


def test_bad_input_keeps_the_text(client_for, owner, programme):
    response = client_for(owner).post(
        reverse("studio:new_thing", args=["23-things"]),
        thing_data(title="", estimated_minutes="lots", introduction="Keep this."),
    )

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert 'id="id_title_errors"' in page
    assert 'id="id_estimated_minutes_errors"' in page
    assert "Keep this." in page
    assert "How do you meet?" in page
    assert "Call a colleague." in page
    assert programme.things.count() == 5


def test_the_preview_button_shows_the_introduction_without_saving(
    client_for, owner, programme
):
    data = thing_data(introduction="Some **bold** idea.")
    del data["save"]

    response = client_for(owner).post(
        reverse("studio:new_thing", args=["23-things"]), {**data, "preview": "1"}
    )

    assert response.status_code == HTTPStatus.OK
    assert response.context["preview_html"] == "<p>Some <strong>bold</strong> idea.</p>"
    assert "<p>Some <strong>bold</strong> idea.</p>" in response.content.decode()
    assert programme.things.count() == 5


def test_the_preview_is_sanitised(client_for, owner, programme):
    data = thing_data(introduction="Hi <script>alert('x')</script><b onclick=x>b</b>")
    del data["save"]

    response = client_for(owner).post(
        reverse("studio:new_thing", args=["23-things"]), {**data, "preview": "1"}
    )

    assert "<script>alert" not in response.context["preview_html"]
    assert "onclick" not in response.context["preview_html"]


def test_previewing_an_edit_does_not_save(client_for, owner, programme):
    url = reverse("studio:edit_thing", args=["23-things", "blogging"])
    data = thing_data(title="Changed", introduction="Changed *intro*.")
    del data["save"]

    response = client_for(owner).post(url, {**data, "preview": "1"})

    assert response.status_code == HTTPStatus.OK
    assert "<em>intro</em>" in response.context["preview_html"]
    blogging = thing(programme, 2)
    assert blogging.title == "Blogging"
    assert blogging.introduction == "Introduction to **Blogging**."


def test_a_script_in_the_introduction_is_neutralised(client_for, owner, programme):
    client_for(owner).post(
        reverse("studio:new_thing", args=["23-things"]),
        thing_data(
            introduction='<script>alert("x")</script>\n\n[x](javascript:alert(1))'
        ),
    )

    new = programme.things.get(number=6)
    assert "<script" not in new.introduction_html
    assert "javascript:" not in new.introduction_html
    assert "<script" not in new.introduction_safe


# Edit Thing


def test_owner_edits_a_thing(client_for, owner, programme):
    url = reverse("studio:edit_thing", args=["23-things", "blogging"])
    client = client_for(owner)
    page = client.get(url).content.decode()
    # The questions are edited one per line.
    assert "What do you know about blogging?\nWhat next?" in page

    response = client.post(
        url,
        thing_data(title="Blogs", slug="blogs", questions="One?\nTwo?\nThree?"),
    )

    assert response.status_code == HTTPStatus.FOUND
    blogging = programme.things.get(pk=thing(programme, 2).pk)
    assert blogging.title == "Blogs"
    assert blogging.questions == ["One?", "Two?", "Three?"]
    # A Thing's address never changes once made.
    assert blogging.slug == "blogging"
    assert blogging.number == 2


def test_editing_a_thing_keeps_its_own_slug_valid(client_for, owner, programme):
    response = client_for(owner).post(
        reverse("studio:edit_thing", args=["23-things", "feeds"]),
        thing_data(title="Feeds"),
    )

    assert response.status_code == HTTPStatus.FOUND


def test_unknown_thing_is_a_404(client_for, owner, programme):
    response = client_for(owner).get(
        reverse("studio:edit_thing", args=["23-things", "nope"])
    )

    assert response.status_code == HTTPStatus.NOT_FOUND


# Move and publish


@pytest.mark.parametrize(
    ("slug", "direction", "expected"),
    [
        ("feeds", "up", ["getting-started", "feeds", "blogging"]),
        ("feeds", "down", ["getting-started", "blogging", "networks"]),
        ("getting-started", "up", ["getting-started", "blogging", "feeds"]),
    ],
)
def test_owner_moves_a_thing(client_for, owner, programme, slug, direction, expected):
    response = client_for(owner).post(
        reverse("studio:move_thing", args=["23-things", slug]),
        {"direction": direction},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("studio:programme", args=["23-things"]) + "#things"
    order = numbers_and_slugs(programme)
    assert [number for number, _ in order] == [1, 2, 3, 4, 5]
    assert [slug for _, slug in order][:3] == expected


def test_moving_a_thing_needs_a_direction(client_for, owner, programme):
    response = client_for(owner).post(
        reverse("studio:move_thing", args=["23-things", "feeds"]),
        {"direction": "sideways"},
    )

    assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("view", ["move_thing", "publish_thing"])
def test_move_and_publish_take_post_only(client_for, owner, programme, view):
    response = client_for(owner).get(
        reverse(f"studio:{view}", args=["23-things", "feeds"])
    )

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_owner_publishes_a_draft(client_for, owner, programme):
    response = client_for(owner).post(
        reverse("studio:publish_thing", args=["23-things", "podcasts"]),
        {"publish": "1"},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert thing(programme, 5).status == Thing.Status.PUBLISHED


def test_owner_unpublishes_a_thing(client_for, owner, programme, cohort, author):
    response = client_for(owner).post(
        reverse("studio:unpublish_thing", args=["23-things", "feeds"]),
        {"confirmed": "1"},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert thing(programme, 3).status == Thing.Status.DRAFT
    assert cohort.visible_thing(author, "feeds") is None


def test_unpublishing_asks_first_and_says_what_happens(
    client_for, owner, programme, cohort, author
):
    client = client_for(owner)
    programme_page = client.get(reverse("studio:programme", args=["23-things"]))
    url = reverse("studio:unpublish_thing", args=["23-things", "feeds"])

    question = client.get(url)

    assert f'href="{url}"' in programme_page.content.decode()
    assert question.status_code == HTTPStatus.OK
    page = question.content.decode()
    assert "Unpublish Thing 3: Feeds?" in page
    assert "The participants of 1 cohort no longer see it: Spring cohort." in page
    assert 'name="confirmed" value="1"' in page
    assert thing(programme, 3).status == Thing.Status.PUBLISHED


@pytest.mark.parametrize(
    ("view", "data"),
    [("publish_thing", {"publish": "0"}), ("unpublish_thing", {})],
    ids=["old-button", "unconfirmed"],
)
def test_an_unconfirmed_unpublish_changes_nothing(
    client_for, owner, programme, cohort, author, view, data
):
    response = client_for(owner).post(
        reverse(f"studio:{view}", args=["23-things", "feeds"]), data, follow=True
    )

    assert "Unpublish Thing 3: Feeds?" in response.content.decode()
    assert thing(programme, 3).status == Thing.Status.PUBLISHED
    assert cohort.visible_thing(author, "feeds") is not None


# Everyone else


def non_owner_requests(programme) -> list[tuple[str, str, dict]]:
    return [
        ("get", reverse("studio:new_thing", args=["23-things"]), {}),
        ("post", reverse("studio:new_thing", args=["23-things"]), thing_data()),
        ("get", reverse("studio:edit_thing", args=["23-things", "feeds"]), {}),
        (
            "post",
            reverse("studio:edit_thing", args=["23-things", "feeds"]),
            thing_data(title="Hijacked"),
        ),
        (
            "post",
            reverse("studio:move_thing", args=["23-things", "feeds"]),
            {"direction": "up"},
        ),
        (
            "post",
            reverse("studio:publish_thing", args=["23-things", "podcasts"]),
            {"publish": "1"},
        ),
        (
            "post",
            reverse("studio:publish_thing", args=["23-things", "feeds"]),
            {"publish": "0"},
        ),
        ("get", reverse("studio:unpublish_thing", args=["23-things", "feeds"]), {}),
        (
            "post",
            reverse("studio:unpublish_thing", args=["23-things", "feeds"]),
            {"confirmed": "1"},
        ),
    ]


REQUEST_IDS = [
    "new-get",
    "new-post",
    "edit-get",
    "edit-post",
    "move",
    "publish",
    "unpublish",
    "unpublish-page",
    "unpublish-confirmed",
]


@pytest.mark.parametrize("persona", NOT_OWNERS)
@pytest.mark.parametrize("index", range(len(REQUEST_IDS)), ids=REQUEST_IDS)
def test_things_are_changed_by_owners_alone(
    client_as, programme, cohort, persona, index
):
    before = list(programme.things.order_by("number").values())
    method, url, data = non_owner_requests(programme)[index]

    response = getattr(client_as(persona), method)(url, data)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert list(programme.things.order_by("number").values()) == before


@pytest.mark.parametrize("index", range(len(REQUEST_IDS)), ids=REQUEST_IDS)
def test_visitors_are_sent_to_sign_in(client, programme, index):
    before = list(programme.things.order_by("number").values())
    method, url, data = non_owner_requests(programme)[index]

    response = getattr(client, method)(url, data)

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))
    assert list(programme.things.order_by("number").values()) == before


def test_a_long_title_makes_a_slug_that_fits(client_for, owner, programme):
    title = "A very long title about " + "many things " * 14

    response = client_for(owner).post(
        reverse("studio:new_thing", args=["23-things"]), thing_data(title=title[:200])
    )

    assert response.status_code == HTTPStatus.FOUND
    slug = programme.things.get(number=6).slug
    assert 0 < len(slug) <= Thing._meta.get_field("slug").max_length
    assert slug.startswith("a-very-long-title-about-many-things")
    assert not slug.endswith("-")


@pytest.mark.parametrize("minutes", ["6001", str(2**31), str(2**63), "-1"])
def test_minutes_beyond_the_bound_are_refused_on_every_database(
    minutes, client_for, owner, programme
):
    """SQLite holds far larger integers than PostgreSQL: the form's bound, not
    the database's, decides, so both answer alike."""
    response = client_for(owner).post(
        reverse("studio:new_thing", args=["23-things"]),
        thing_data(estimated_minutes=minutes),
    )
    assert response.status_code == HTTPStatus.OK  # the form again, with its error
    assert 'id="id_estimated_minutes_error"' in response.content.decode()
    assert not programme.things.filter(title="Video calls").exists()
