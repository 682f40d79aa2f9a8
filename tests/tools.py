"""Locating the external checkers the accessibility and validity tests use.

Chromium (Debian's package) and the Nu Html Checker (npm's vnu-jar, run on Java) are not
Python packages, so a machine may lack them: the tests then skip, saying why. CI sets
POLICYHUB_REQUIRE_BROWSER=1, which turns that skip into a failure, so CI always runs them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR_DEFAULT = ROOT / "var" / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _missing(reason: str) -> None:
    if os.environ.get("POLICYHUB_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (required because POLICYHUB_REQUIRE_BROWSER=1)")
    pytest.skip(reason)


def needs_row_locks() -> None:
    """Skip on a database without row locks (SQLite) unless the run must have them: the
    PostgreSQL step of .ci/run sets POLICYHUB_REQUIRE_POSTGRES=1, so there a skip fails."""
    from django.db import connection

    if connection.features.has_select_for_update:
        return
    _postgresql_only("row locks need PostgreSQL")


def needs_postgresql(why: str) -> None:
    """Skip on SQLite, as needs_row_locks does, for behaviour only PostgreSQL has."""
    from django.db import connection

    if connection.vendor != "postgresql":
        _postgresql_only(why)


def _postgresql_only(why: str) -> None:
    reason = f"{why}: runs in the PostgreSQL step of .ci/run"
    if os.environ.get("POLICYHUB_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"{reason} (required because POLICYHUB_REQUIRE_POSTGRES=1)")
    pytest.skip(reason)


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not path:
        _missing("Chromium is not installed: apt-get install chromium (CI installs it)")
    return path


def vnu_command() -> list[str]:
    jar = Path(os.environ.get("VNU_JAR", VNU_JAR_DEFAULT))
    java = shutil.which("java")
    if not java:
        _missing("Java is not installed, so the Nu Html Checker cannot run")
    if not jar.exists():
        _missing(f"vnu.jar not found at {jar}: run `make tools` (needs npm)")
    return [java, "-Xss2m", "-jar", str(jar)]
