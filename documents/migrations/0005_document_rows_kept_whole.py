"""Keep each document's row whole, up to a page (8 KB), on PostgreSQL only.

A search ranks every match by reading its stored search vector. A typical vector (2–3 KB)
pushed a row past PostgreSQL's default TOAST threshold (2 KB), so vectors were moved out to
the TOAST table, and ranking a hundred matches meant a hundred extra index lookups there:
half the time of the search query. With `toast_tuple_target` at its maximum, rows up to
8 KB stay in the table as they are; longer bodies and vectors are still compressed and
moved out. Rows already stored keep their layout until they are next written (editing a
document or refreshing its search index writes it again). See docs/performance.md.
"""

from django.db import migrations


def keep_rows_whole(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE documents_document SET (toast_tuple_target = 8160)")


def reset(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE documents_document RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0004_list_order_index"),
    ]

    operations = [migrations.RunPython(keep_rows_whole, reset)]
