"""GIN index on the stored search vector, on PostgreSQL only.

SQLite has no GIN indexes (and search there reads the columns directly), so the index is
created by SQL that runs only when the database is PostgreSQL. See
docs/decisions/0303-documents-search.md.
"""

from django.db import migrations

INDEX = "documents_document_search_vector_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON documents_document USING gin (search_vector)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_document_fields_versions_files_restrictions"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
