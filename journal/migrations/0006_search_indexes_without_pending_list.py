"""Search indexes that take each write at once, on PostgreSQL only.

By default a GIN index queues new rows in a pending list, merged into the
index only by VACUUM or once the list passes gin_pending_list_limit (4 MB);
every search reads the whole list meanwhile. On the bench (docs/PERFORMANCE.md)
a list of 16,000 comments cost each search 2 ms, though no comment matched.
Entries and comments are written by people, a few a second at most, and read
by search far more often: with `fastupdate` off each write updates the index
itself, and search time no longer depends on how long ago VACUUM ran.
"""

from django.db import migrations

INDEXES = ["entry_search_vector", "comment_search_vector"]  # 0005's


def write_through(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"ALTER INDEX {index} SET (fastupdate = off)")
        # Turning it off leaves the rows already queued in the list.
        schema_editor.execute(f"SELECT gin_clean_pending_list('{index}'::regclass)")


def queue_writes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"ALTER INDEX {index} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("journal", "0005_stored_search_vectors")]

    operations = [migrations.RunPython(write_through, queue_writes)]
