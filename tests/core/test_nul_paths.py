"""A NUL byte in any part of a path is a 404, on SQLite as on PostgreSQL
(whose text cannot hold one), signed in or not."""

from http import HTTPStatus

import pytest
from django.test import Client

PATHS = [
    "/certificates/%00/",
    "/@ada%00/",
    "/@ada/%00/",
    "/c/spring%00/",
    "/c/spring/things/%00/",
    "/join/%00/",
    "/join/invite/%00/",
    "/notifications/unsubscribe/%00/",
    "/feeds/%00/@ada/",
    "/studio/programmes/%00/",
]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("signed_in", [False, True])
def test_a_nul_in_the_path_is_not_found(path, signed_in, author, client_for) -> None:
    client = client_for(author) if signed_in else Client()
    assert client.get(path).status_code == HTTPStatus.NOT_FOUND
