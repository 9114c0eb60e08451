"""DATABASE_PREPARED_STATEMENTS: PostgreSQL keeps the plans of repeated
queries unless turned off (for a pooler in transaction mode). SQLite waits
its turn to write (tests/deploy/test_many_writers.py shows why)."""

from tests.core.test_cache_settings import run_in_django

POSTGRES = "postgres://postgres@127.0.0.1:5432/ponder"
DESCRIBE = """
import json
from django.conf import settings
print(json.dumps(settings.DATABASES["default"].get("OPTIONS", {})))
"""


def test_postgresql_prepares_repeated_queries_by_default() -> None:
    options = run_in_django(DESCRIBE, DATABASE_URL=POSTGRES)

    assert options == {"server_side_binding": True, "prepare_threshold": 5}


def test_prepared_statements_can_be_turned_off() -> None:
    options = run_in_django(
        DESCRIBE, DATABASE_URL=POSTGRES, DATABASE_PREPARED_STATEMENTS="false"
    )

    assert options == {}


def test_sqlite_lets_several_workers_write_in_turn() -> None:
    options = run_in_django(DESCRIBE, DATABASE_URL="sqlite:///:memory:")

    assert options == {
        "init_command": "PRAGMA journal_mode=WAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
