"""Stored search vectors, on PostgreSQL only.

Entries and comments get a generated column `search` holding the very vector
0004's expression indexes were built on (config 'english', entry title weight A,
bodies weight B), so ranking reads it instead of parsing each match's text
again. A GIN index on each column serves the match and replaces 0004's.

The models do not declare the column: Django never selects it and never names
it in an INSERT or UPDATE, which is what a generated column needs, and SQLite
has no tsvector. journal/search.py refers to it by name.
"""

from django.db import migrations

ENTRY_VECTOR = (
    "setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A')"
    " || setweight(to_tsvector('english'::regconfig, COALESCE(body, '')), 'B')"
)
COMMENT_VECTOR = "setweight(to_tsvector('english'::regconfig, COALESCE(body, '')), 'B')"

# (table, index prefix, vector): 0004's indexes are named <prefix>_search.
SEARCHED = [
    ("journal_entry", "entry", ENTRY_VECTOR),
    ("journal_comment", "comment", COMMENT_VECTOR),
]


def store_vectors(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, prefix, vector in SEARCHED:
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search tsvector"
            f" GENERATED ALWAYS AS ({vector}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX {prefix}_search_vector ON {table} USING gin (search)"
        )
        schema_editor.execute(f"DROP INDEX {prefix}_search")
        _analyze(schema_editor, table)


def compute_vectors(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, prefix, vector in SEARCHED:
        schema_editor.execute(
            f"CREATE INDEX {prefix}_search ON {table} USING gin (({vector}))"
        )
        schema_editor.execute(f"DROP INDEX {prefix}_search_vector")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN search")
        _analyze(schema_editor, table)


def _analyze(schema_editor, table: str) -> None:
    # A new column or index expression has no statistics until the table is
    # analyzed, and rewriting the table does not prompt autovacuum to do it:
    # meanwhile the planner guesses (on the bench, 90 rows for a word in 12,000).
    schema_editor.execute(f"ANALYZE {table}")


class Migration(migrations.Migration):
    dependencies = [("journal", "0004_search_indexes")]

    operations = [
        migrations.RunPython(store_vectors, compute_vectors),
    ]
