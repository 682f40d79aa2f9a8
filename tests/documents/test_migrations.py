"""Evidence moved from the working groups app to documents with every row, and back again
(documents 0006, workinggroups 0004; docs/decisions/0102-workinggroups-links-to-other-apps.md)."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from documents.models import Evidence
from tests.documents.factories import DocumentFactory
from tests.workinggroups.factories import TaskFactory

BEFORE = [("workinggroups", "0003_default_tasks"), ("documents", "0005_document_rows_kept_whole")]
AFTER = [
    ("workinggroups", "0004_evidence_moves_to_documents"),
    ("documents", "0006_evidence_from_workinggroups"),
]


def _migrate(targets: list[tuple[str, str]]):
    """Migrate the test database to `targets`; the project's models as they were then."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _evidence_type_label() -> set[str]:
    return set(ContentType.objects.filter(model="evidence").values_list("app_label", flat=True))


@pytest.mark.django_db(transaction=True)
def test_evidence_rows_survive_the_move_and_its_reversal():
    task = TaskFactory()
    document = DocumentFactory(process=task.group.process)
    try:
        old = _migrate(BEFORE).get_model("workinggroups", "Evidence")
        assert _evidence_type_label() == {"workinggroups"}
        old.objects.create(task_id=task.pk, title="A web page", url="https://www.example.org/")
        old.objects.create(task_id=task.pk, title="A paper", document_id=document.pk)

        _migrate(AFTER)
        moved = Evidence.objects.order_by("pk")
        assert [(e.task, e.title, e.url, e.document) for e in moved] == [
            (task, "A web page", "https://www.example.org/", None),
            (task, "A paper", "", document),
        ]
        assert _evidence_type_label() == {"documents"}

        back = _migrate(BEFORE).get_model("workinggroups", "Evidence")
        assert sorted(back.objects.values_list("title", flat=True)) == ["A paper", "A web page"]
        assert _evidence_type_label() == {"workinggroups"}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert Evidence.objects.count() == 2
    assert _evidence_type_label() == {"documents"}
