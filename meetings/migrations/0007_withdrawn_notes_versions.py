"""A published version of the notes can be withdrawn: when, by whom and why, with its
words erased, which the database holds it to (docs/decisions/0203)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0006_published_actions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="notesversion",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="notesversion",
            name="withdrawn_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="notesversion",
            name="withdrawal_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("attributed", "It attributed a comment (Chatham House Rule)"),
                    ("mistake", "It was published by mistake"),
                    ("other", "Another reason"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="notesversion",
            name="withdrawal_note",
            field=models.TextField(
                blank=True, help_text="The reason in the convenor's words, for another reason."
            ),
        ),
        migrations.AddConstraint(
            model_name="notesversion",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("withdrawal_note", ""),
                        ("withdrawal_reason", ""),
                        ("withdrawn_at__isnull", True),
                    ),
                    models.Q(
                        ("withdrawn_at__isnull", False),
                        models.Q(("withdrawal_reason", ""), _negated=True),
                        ("change_note", ""),
                        ("decisions", ""),
                        ("discussion_points", ""),
                        ("summary", ""),
                    ),
                    _connector="OR",
                ),
                name="notes_version_withdrawn_is_erased",
            ),
        ),
        migrations.AddConstraint(
            model_name="notesversion",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("withdrawal_reason", "other"), _negated=True),
                    models.Q(("withdrawal_note", ""), _negated=True),
                    _connector="OR",
                ),
                name="notes_version_other_reason_is_given",
            ),
        ),
    ]
