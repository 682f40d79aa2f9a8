"""Actions are published with a version of the notes (PublishedAction), not shown from the
draft (docs/decisions/0203). Readers already saw every action of a meeting whose notes were
published, so each becomes part of that meeting's latest version, with its status; actions
of meetings whose notes were never published are the draft's from now on."""

import django.db.models.deletion
from django.db import migrations, models


def publish_with_latest_version(apps, schema_editor):
    Action = apps.get_model("meetings", "Action")
    NotesVersion = apps.get_model("meetings", "NotesVersion")
    PublishedAction = apps.get_model("meetings", "PublishedAction")
    latest: dict[int, object] = {}
    for version in NotesVersion.objects.select_related("notes").order_by("number"):
        latest[version.notes.meeting_id] = version
    rows = [
        PublishedAction(
            version=latest[action.meeting_id],
            action=action,
            description=action.description,
            owner=action.owner,
            due_on=action.due_on,
            published_status=action.status,
        )
        for action in Action.objects.filter(meeting_id__in=latest).order_by(
            "status", "due_on", "id"
        )
    ]
    PublishedAction.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0005_finding_overridden_audit_without_words"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublishedAction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("description", models.TextField()),
                ("owner", models.CharField(max_length=200)),
                ("due_on", models.DateField(blank=True, null=True)),
                (
                    "published_status",
                    models.CharField(
                        choices=[("open", "Open"), ("done", "Done")], max_length=10
                    ),
                ),
                (
                    "action",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="publications",
                        to="meetings.action",
                    ),
                ),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="actions",
                        to="meetings.notesversion",
                    ),
                ),
            ],
            options={"ordering": ["version", "id"]},
        ),
        # Going back drops the table, and with it these rows.
        migrations.RunPython(publish_with_latest_version, migrations.RunPython.noop),
    ]
