"""`{% load people %}`: the `name` filter shows a person's display name."""

from django.contrib.auth.models import User
from django.template import Context, Template


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_name_is_the_display_name_escaped(make_user) -> None:
    user = make_user("ada", display_name="Ada <b>L</b>")
    assert render("{% load people %}{{ user|name }}", user=user) == (
        "Ada &lt;b&gt;L&lt;/b&gt;"
    )


def test_name_is_the_username_without_a_profile(db) -> None:
    user = User.objects.create_user(username="nobody")
    assert render("{% load people %}{{ user|name }}", user=user) == "nobody"
