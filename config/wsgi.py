"""WSGI entry point: `gunicorn config.wsgi`."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# Django checks the key only when it is first used: read it now, so a server
# without DJANGO_SECRET_KEY fails at start-up instead of on its first request.
settings.SECRET_KEY  # noqa: B018
