"""Evidence comes from the working groups app with its rows (workinggroups 0004 renamed its
table to documents_evidence): the model is added to this app's state only, and its content
type is relabelled so permissions granted on it and the admin's history follow it."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def relabel_content_type(from_app: str, to_app: str):
    def relabel(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        if ContentType.objects.filter(app_label=to_app, model="evidence").exists():
            return  # already created for the new label: leave both as they are
        ContentType.objects.filter(app_label=from_app, model="evidence").update(app_label=to_app)

    return relabel


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("documents", "0005_document_rows_kept_whole"),
        ("workinggroups", "0004_evidence_moves_to_documents"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Evidence",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, editable=False
                            ),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("title", models.CharField(max_length=250)),
                        ("url", models.URLField(blank=True, max_length=500)),
                        (
                            "added_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "document",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="evidence_links",
                                to="documents.document",
                            ),
                        ),
                        (
                            "task",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="evidence",
                                to="workinggroups.task",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name_plural": "evidence",
                        "ordering": ["task", "created_at"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("url", ""), _negated=True),
                                    ("document__isnull", False),
                                    _connector="OR",
                                ),
                                name="evidence_links_somewhere",
                            )
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(
            relabel_content_type("workinggroups", "documents"),
            relabel_content_type("documents", "workinggroups"),
        ),
    ]
