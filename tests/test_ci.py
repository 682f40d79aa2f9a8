"""The checks that skip in a normal run must still run in CI: .ci/run is where they do."""

from __future__ import annotations

from pathlib import Path

CI = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()


def test_ci_runs_the_fault_tests_and_forbids_them_to_skip():
    assert "export POLICYHUB_REQUIRE_FAULTS=1" in CI
    assert "pytest -m faults" in CI and "tests/security/faults" in CI


def test_ci_requires_the_browser_and_html_checker_tests():
    assert "export POLICYHUB_REQUIRE_BROWSER=1" in CI
    assert "make test" in CI


def test_ci_runs_the_postgresql_only_checks_and_forbids_them_to_skip():
    """Row-lock tests skip on SQLite (tests/tools.py, needs_row_locks); the PostgreSQL step
    requires them."""
    step = CI[CI.index('step "pytest against PostgreSQL + Redis"') :]
    step = step[: step.index("step ", 1)]
    assert "POLICYHUB_REQUIRE_POSTGRES=1" in step and "DATABASE_URL=" in step


def test_ci_holds_the_apps_to_their_one_way_dependencies():
    step = CI[CI.index('step "lint-imports') :]
    assert ".venv/bin/lint-imports" in step[: step.index("step ", 1)]


def test_ci_runs_the_deploy_kit_end_to_end_after_the_fault_tests():
    """make prod-smoke starts deploy/Procfile under production settings; CI runs it after
    the fault tests, whose servers it does not share."""
    assert CI.index("pytest -m faults") < CI.index("\nmake prod-smoke\n")
