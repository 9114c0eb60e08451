"""Ponder's own settings with one change: the baseline's URLconf.

Same middleware, templates, sessions, security headers and CSP as the real
site; only ROOT_URLCONF differs, so the production URLconf never carries a
benchmark route.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
