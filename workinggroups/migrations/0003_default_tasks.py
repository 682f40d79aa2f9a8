"""The seed's ten workplan tasks, as the default list new working groups start with.

Reference data, not demo data: every installation needs it. The secretariat may edit the
list afterwards (admin, or the default tasks page); this migration only adds rows that are
missing and, when reversed, removes only rows it would have added and nobody has changed.
"""

from django.db import migrations

SEED_TASKS = [
    (1, "Agree the intended purpose of data sharing", "The problem data sharing in this strand is meant to solve."),
    (2, "Identify the scope", "What can realistically be achieved in the time available."),
    (3, "Explore the scale of the problem", "How big the problem is that data sharing is proposed to solve."),
    (4, "Review evidence of current barriers", "What stops data being shared today."),
    (5, "Review evidence of the risks", "The risks of sharing the data."),
    (6, "Review evidence of public views", "What the public thinks about sharing this data."),
    (7, "Explore options", "Different ways to solve the problem, including alternatives to data sharing."),
    (8, "Explore the safeguards", "The safeguards required and whether they are proportionate."),
    (9, "Identify wider issues", "Issues outside the group's scope, for further exploration in future."),
    (10, "Make proposals", "The conditions under which data sharing should be allowed, and the safeguards required."),
]


def add_seed_tasks(apps, schema_editor):
    DefaultTask = apps.get_model("workinggroups", "DefaultTask")
    for position, title, hint in SEED_TASKS:
        DefaultTask.objects.get_or_create(position=position, defaults={"title": title, "hint": hint})


def remove_seed_tasks(apps, schema_editor):
    DefaultTask = apps.get_model("workinggroups", "DefaultTask")
    for position, title, hint in SEED_TASKS:
        DefaultTask.objects.filter(position=position, title=title, hint=hint).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("workinggroups", "0002_workplan_proposals_issues_concerns"),
    ]

    operations = [migrations.RunPython(add_seed_tasks, remove_seed_tasks)]
