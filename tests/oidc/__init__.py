"""A real OpenID Connect provider for the tests: node's oidc-provider
(tests/oidc/provider.mjs), started on loopback."""

import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).resolve().parent / "provider.mjs"
CLIENT_ID = "ponder-tests"
CLIENT_SECRET = "a secret only the tests know"


def skip_without_node() -> None:
    if shutil.which("node") is None:
        pytest.skip(
            "the OpenID Connect tests need Node.js: install it, then `make test`"
        )
    if not (ROOT / "node_modules" / "oidc-provider").is_dir():
        pytest.skip("the OpenID Connect tests need oidc-provider from npm: `make test`")


@contextmanager
def running_provider(redirect_uri: str) -> Iterator[str]:
    """Start the provider for a client that comes back to `redirect_uri`;
    its issuer URL while it runs."""
    skip_without_node()
    with subprocess.Popen(
        ["node", str(SCRIPT), redirect_uri, CLIENT_ID, CLIENT_SECRET],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as process:
        try:
            issuer = process.stdout.readline().strip()
            if not issuer.startswith("http://127.0.0.1:"):
                pytest.fail(f"the OpenID Connect provider did not start: {issuer!r}")
            yield issuer
        finally:
            process.terminate()


def provider_app(issuer: str, provider_id: str = "uni", **settings) -> dict:
    """The provider as config/settings.py's oidc_provider() makes it."""
    return {
        "provider_id": provider_id,
        "name": "Example University",
        "client_id": CLIENT_ID,
        "secret": CLIENT_SECRET,
        "settings": {
            "server_url": issuer,
            "oauth_pkce_enabled": True,
            "email_authentication": True,
            "trust_mfa": False,
            **settings,
        },
    }


def use_providers(settings, apps: list[dict]) -> None:
    """Configure these providers, as the environment would (pytest-django's
    `settings`), with their origins allowed as form targets."""
    settings.OIDC_APPS = apps
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": apps}}
    policy = settings.CONTENT_SECURITY_POLICY
    directives = policy["DIRECTIVES"]
    origins = [app["settings"]["server_url"] for app in apps]
    settings.CONTENT_SECURITY_POLICY = {
        **policy,
        "DIRECTIVES": {
            **directives,
            "form-action": [*directives["form-action"], *origins],
        },
    }
