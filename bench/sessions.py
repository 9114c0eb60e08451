"""Signed-in sessions made straight in the session store, for load runs.

Signing in many users through allauth's form from one address would hit its
per-IP rate limit (30 a minute), so `make soak` and the database-restart test
create each user's session directly, as `django.contrib.auth.login` would, and
send its key as the `sessionid` cookie.

    .venv/bin/python -m bench.sessions USERNAME...   # prints {"username": key}

Run it with the server's environment (DATABASE_URL, REDIS_URL), so the sessions
land where the server reads them.
"""

import json
import os
import sys
from importlib import import_module


def new_session(user) -> str:
    """A new signed-in session for `user` (the model backend), as
    `django.contrib.auth.login` writes it; its key."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def signed_in(usernames: list[str]) -> dict[str, str]:
    """A new session key for each username, signed in with the model backend."""
    from django.contrib.auth.models import User

    users = User.objects.filter(username__in=usernames)
    keys = {user.username: new_session(user) for user in users}
    missing = set(usernames) - set(keys)
    if missing:
        raise SystemExit(f"no such users: {', '.join(sorted(missing))}")
    return keys


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


if __name__ == "__main__":
    setup_django()
    print(json.dumps(signed_in(sys.argv[1:])))
