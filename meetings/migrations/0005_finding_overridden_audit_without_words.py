"""The audit log of overridden findings keeps the finding's kind, the part of the notes and
the reason, never the sentence or whom it named: a version of the notes may be withdrawn,
and its words must then be nowhere (docs/decisions/0203). Entries written before this
change lose `sentence` and `matched`; nothing else in them changes."""

from django.db import migrations

DROPPED = ("sentence", "matched")


def drop_words(apps, schema_editor):
    AuditEntry = apps.get_model("policyhub", "AuditEntry")
    entries = AuditEntry.objects.filter(action="meetings.finding_overridden")
    for entry in entries.iterator():
        if any(key in entry.payload for key in DROPPED):
            entry.payload = {k: v for k, v in entry.payload.items() if k not in DROPPED}
            entry.save(update_fields=["payload"])


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0004_reminder_claim_token"),
        ("policyhub", "0002_secretariat_added_at_not_editable"),
    ]

    # Going back cannot bring the words back (that is the point), and needs not: the
    # entries stay valid without them.
    operations = [migrations.RunPython(drop_words, migrations.RunPython.noop)]
