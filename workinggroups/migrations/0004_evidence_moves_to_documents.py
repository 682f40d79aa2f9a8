"""Evidence moves to the documents app (docs/decisions/0102-workinggroups-links-to-other-apps.md).

Rows are kept: the table is renamed to the documents app's name while this app forgets the
model; documents 0006 then takes the model over without touching the database. Reversible:
backwards, the table gets its old name back and this app the model.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("workinggroups", "0003_default_tasks"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="evidence", table="documents_evidence"),
            ],
            state_operations=[
                migrations.DeleteModel(name="evidence"),
            ],
        ),
    ]
