"""Production settings pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def production_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PONDER_"))
    }
    env.update(
        DJANGO_SECRET_KEY="x" * 60 + "a-long-random-production-secret-for-the-check",
        DJANGO_ALLOWED_HOSTS="ponder.example.org",
        **extra,
    )
    return env


def test_check_deploy_reports_nothing() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=production_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def run_without_secret_key(*command: str) -> subprocess.CompletedProcess:
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    return subprocess.run(
        [sys.executable, *command],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_web_server_refuses_to_start_without_a_secret_key() -> None:
    result = run_without_secret_key("-c", "import config.wsgi")
    assert result.returncode != 0
    assert "SECRET_KEY setting must not be empty" in result.stderr


def test_the_deploy_check_reports_a_missing_secret_key() -> None:
    result = run_without_secret_key(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


def test_commands_that_sign_nothing_run_without_a_secret_key() -> None:
    result = run_without_secret_key("manage.py", "makemigrations", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
