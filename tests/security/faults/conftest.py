"""Fault tests run on their own (`pytest -m faults tests/security/faults`, as .ci/run does):
they start servers, kill processes and take a minute or two."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path

import pytest

from .servers import Postgres, Redis


def pytest_collection_modifyitems(config, items):
    """In a normal run the fault tests skip, saying where they do run: their own step of
    .ci/run (`pytest -m faults`, with POLICYHUB_REQUIRE_FAULTS=1 so a missing server binary
    fails there instead of skipping; tests/test_ci.py checks that step stays)."""
    chosen = (config.option.markexpr or "").strip() == "faults"
    for item in items:
        if "faults" in item.keywords and not chosen:
            item.add_marker(
                pytest.mark.skip(
                    reason="fault tests run in their own .ci/run step: pytest -m faults"
                )
            )


@pytest.fixture
def postgres():
    # Not under pytest's tmp folder: as root, the cluster runs as postgres, who must reach it.
    folder = Path(tempfile.mkdtemp(prefix="policyhub-faults-pg-"))
    folder.chmod(0o755)
    server = Postgres(folder).init()
    server.start()
    yield server
    with contextlib.suppress(Exception):  # already stopped by the test
        server.stop("immediate")
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def redis(tmp_path_factory):
    server = Redis(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()
