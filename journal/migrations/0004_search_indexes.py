"""GIN indexes for full-text search, on PostgreSQL only.

Each index is on exactly the expression journal/search.py matches with
(ENTRY_VECTOR, COMMENT_VECTOR), or PostgreSQL would not use it. SQLite has no
such index: a `GinIndex` in `Meta.indexes` would break its `migrate`.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations


def search_indexes(apps) -> list:
    entry = apps.get_model("journal", "Entry")
    comment = apps.get_model("journal", "Comment")
    entry_vector = SearchVector("title", weight="A", config="english") + SearchVector(
        "body", weight="B", config="english"
    )
    comment_vector = SearchVector("body", weight="B", config="english")
    return [
        (entry, GinIndex(entry_vector, name="entry_search")),
        (comment, GinIndex(comment_vector, name="comment_search")),
    ]


def add_search_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for model, index in search_indexes(apps):
            schema_editor.add_index(model, index)


def remove_search_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for model, index in search_indexes(apps):
            schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [("journal", "0003_community")]

    operations = [
        migrations.RunPython(add_search_indexes, remove_search_indexes),
    ]
