"""Mutation testing of the modules that decide access and business rules (`make mutation`).

Why: a suite can be large and green and still not notice a broken rule. A mutation tool
changes one thing at a time in the code that decides who sees what and what a write may do (a
comparison, a boolean, a condition dropped), runs the tests that call the changed function,
and reports each change no test noticed (a *survivor*): either a hole in the tests, or a
change that cannot alter behaviour (an *equivalent* mutant, to be explained in
docs/mutation.md or removed as dead code).

Why mutmut: it forks each mutant from a process that has already imported Django and run the
tests once, and it runs only the tests that called the mutated function in that first run,
so a whole run fits in minutes on two cores; a tool that starts a fresh test process per
mutant would take hours here.

What this script adds around it, and why:
- It works in a copy of the project under var/mutation/ (git-ignored), so the tool never
  writes next to the real code and a stopped run leaves nothing behind.
- mutmut leaves decorated functions alone; our services are `@transaction.atomic` by house
  style, so in that copy each top-level `@transaction.atomic def f` is rewritten as `def f`
  followed by `f = transaction.atomic(f)`, which behaves the same and lets them be mutated.
  Functions behind `@cache`/`@lru_cache` stay decorated, so unmutated, and what they
  cached is forgotten when each mutant's tests start (the hook below): a forked mutant
  would otherwise be served what its parent cached and look like a survivor.
- The test database is built without migrations (in seconds, not per mutant), with the
  reference data migrations add (the default workplan tasks) put back by this module's
  pytest hook below, which each mutant's test run loads.
- It prints each survivor as module:line and the change, and ends with the score line.

Usage: `make mutation` (everything below), or `python scripts/mutation.py --module
policyhub/roles.py` for one module with its tests; `--jobs` sets the worker processes (2).
"""

from __future__ import annotations

import argparse
import ast
import importlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "mutation"
LOG = WORK / "mutmut.log"

# What the copy needs to import and render: the apps and the project files around them.
SOURCES = ("policyhub", "process", "workinggroups", "meetings", "documents", "consultation")
ALSO_COPY = ("templates", "static", "manage.py", "scripts")

# Test files that need what a mutation run leaves out (migrations, a Celery worker, an S3
# server, the whole demo process): they exercise none of the modules below on their own.
IGNORED_TESTS = (
    "tests/documents/test_migrations.py",
    "tests/meetings/test_migrations.py",
    "tests/meetings/test_worker.py",
    "tests/documents/test_s3_storage.py",
)

# The pages every role reaches, checked across apps: each permissions module needs them.
SECURITY_TESTS = (
    "tests/security/test_access_matrix.py",
    "tests/security/test_object_probes.py",
    "tests/security/test_admin_withholds.py",
    "tests/security/test_exports.py",
    "tests/security/test_withdrawn_notes.py",
)
APP_TESTS = {app: (f"tests/{app}",) for app in SOURCES[2:]}
PERMISSION_TESTS = tuple(f"tests/{app}/test_permissions.py" for app in SOURCES[2:])

# Each module and the tests that exercise it. mutmut narrows further: a mutant runs only the
# tests that called its function in the first, recorded run of these.
MODULES: dict[str, tuple[str, ...]] = {
    "policyhub/roles.py": (
        "tests/policyhub/test_roles.py",
        "tests/policyhub/test_roles_rules.py",
        "tests/policyhub/test_two_factor.py",
        *PERMISSION_TESTS,
        *SECURITY_TESTS,
    ),
    "policyhub/markup.py": (
        "tests/policyhub/test_markup.py",
        "tests/policyhub/test_markup_limits.py",
        "tests/policyhub/test_markup_rules.py",
        "tests/security/test_xss.py",
        "tests/security/test_xss_outputs.py",
    ),
    "workinggroups/permissions.py": (*APP_TESTS["workinggroups"], *SECURITY_TESTS),
    "meetings/permissions.py": (*APP_TESTS["meetings"], *SECURITY_TESTS),
    "documents/permissions.py": (*APP_TESTS["documents"], *SECURITY_TESTS),
    "consultation/permissions.py": (*APP_TESTS["consultation"], *SECURITY_TESTS),
    "meetings/chatham.py": APP_TESTS["meetings"],
    "meetings/services/reminders.py": APP_TESTS["meetings"],
    "documents/services.py": APP_TESTS["documents"],
    "consultation/services/responses.py": APP_TESTS["consultation"],
    "consultation/services/analysis.py": APP_TESTS["consultation"],
}

KILLED = {"killed", "timeout", "segfault", "caught by type check"}


# --- The pytest hook each mutant's test run loads ("-p scripts.mutation") ------------------


def pytest_sessionstart(session) -> None:
    """Without migrations the tables come from the models; put back the reference rows a
    migration adds, so the tests see the database a migrated one would be. And forget what
    the mutated modules memoised (the checker's lexicons): a mutant's run is forked from the
    first run, and an answer cached there would hide the mutant. Factories count from the
    start again, as in a fresh `pytest`: admin lists sort "person1000" before "person999"."""
    import factory
    from django.db.models.signals import post_migrate

    post_migrate.connect(_add_reference_data, dispatch_uid="mutation-reference-data")
    pending = [factory.base.Factory]
    while pending:
        for subclass in pending.pop().__subclasses__():
            subclass._meta.reset_sequence(force=True)
            pending.append(subclass)
    for module in MODULES:
        loaded = sys.modules.get(module.removesuffix(".py").replace("/", "."))
        for value in vars(loaded).values() if loaded else ():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
    from policyhub.markup import forget_rendered

    forget_rendered()  # rendered Markdown, memoised by its text


def _add_reference_data(sender, **kwargs) -> None:
    if sender.label != "workinggroups":
        return
    from django.apps import apps

    seed = importlib.import_module("workinggroups.migrations.0003_default_tasks")
    seed.add_seed_tasks(apps, None)


# --- Preparing the copy ---------------------------------------------------------------------


def _atomic_as_call(source: str) -> str:
    """`@transaction.atomic def f` → `def f` … `f = transaction.atomic(f)`: the same function,
    in a shape mutmut mutates."""
    lines = source.splitlines(keepends=True)
    found = [
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef)
        and len(node.decorator_list) == 1
        and ast.unparse(node.decorator_list[0]) == "transaction.atomic"
    ]
    for node in reversed(found):
        decorator_line = node.decorator_list[0].lineno - 1
        if lines[decorator_line].strip() != "@transaction.atomic":
            continue
        lines.insert(node.end_lineno, f"{node.name} = transaction.atomic({node.name})\n")
        del lines[decorator_line]
    return "".join(lines)


def _write_config(modules: list[str]) -> None:
    tests: list[str] = []
    for module in modules:
        tests += [t for t in MODULES[module] if t not in tests and (ROOT / t).exists()]
    pytest_args = ["-p", "no:cacheprovider", "--nomigrations", "-p", "scripts.mutation"]
    for ignored in IGNORED_TESTS:
        pytest_args.append(f"--ignore={ignored}")

    def listed(values) -> str:
        return "".join(f"\n    {v}" for v in values)

    (WORK / "setup.cfg").write_text(
        "[mutmut]\n"
        f"source_paths ={listed(SOURCES)}\n"
        f"only_mutate ={listed(modules)}\n"
        f"also_copy ={listed(ALSO_COPY)}\n"
        f"pytest_add_cli_args ={listed(pytest_args)}\n"
        f"pytest_add_cli_args_test_selection ={listed(tests)}\n"
    )


def _prepare(modules: list[str]) -> None:
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in (*SOURCES, "tests", "templates", "static"):
        shutil.copytree(ROOT / name, WORK / name, ignore=skip)
    (WORK / "scripts").mkdir()
    shutil.copy2(ROOT / "scripts" / "mutation.py", WORK / "scripts" / "mutation.py")
    shutil.copy2(ROOT / "manage.py", WORK / "manage.py")
    # The pytest settings only: without [tool.mutmut] there, mutmut reads setup.cfg.
    shutil.copy2(ROOT / "pyproject.toml", WORK / "pyproject.toml")
    for module in modules:
        path = WORK / module
        path.write_text(_atomic_as_call(path.read_text()))
    _write_config(modules)


# --- Running and reporting ------------------------------------------------------------------


def _run_mutmut(jobs: int) -> int:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["DJANGO_SETTINGS_MODULE"] = "policyhub.settings.test"
    mutmut = Path(sys.executable).with_name("mutmut")
    with LOG.open("w") as log:
        # Our own virtualenv's mutmut with fixed arguments: no shell, nothing from outside.
        done = subprocess.run(
            [str(mutmut), "run", "--max-children", str(jobs)],
            cwd=WORK,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        )
    return done.returncode


def _change(diff: str) -> tuple[list[str], list[str]]:
    body = [line for line in diff.splitlines() if not line.startswith(("---", "+++", "@@"))]
    removed = [line[1:].strip() for line in body if line.startswith("-")]
    added = [line[1:].strip() for line in body if line.startswith("+")]
    return removed, added


def _line_of(module: str, function: str, class_name: str | None, removed: list[str]) -> int:
    """The line in the real source that the mutant changed (its first removed line, looked
    up inside the function it belongs to)."""
    source = (ROOT / module).read_text()
    scope: list[ast.stmt] = ast.parse(source).body
    if class_name:
        scope = next(
            (n.body for n in scope if isinstance(n, ast.ClassDef) and n.name == class_name), []
        )
    node = next(
        (
            n
            for n in scope
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == function
        ),
        None,
    )
    if node is None:
        return 0
    lines = source.splitlines()
    for number in range(node.lineno, (node.end_lineno or node.lineno) + 1):
        if removed and lines[number - 1].strip() == removed[0]:
            return number
    return node.lineno


def _report(modules: list[str]) -> tuple[int, int]:
    os.chdir(WORK)
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.mutation.diff_apply import get_diff_for_mutant
    from mutmut.stats import status_by_exit_code
    from mutmut.utils.format_utils import orig_function_and_class_names_from_key

    killed = total = 0
    survivors: list[str] = []
    for module in modules:
        data = SourceFileMutationData(path=Path(module))
        data.load()
        for key, exit_code in sorted(data.exit_code_by_key.items()):
            status = status_by_exit_code[exit_code]
            total += 1
            if status in KILLED:
                killed += 1
                continue
            removed, added = _change(get_diff_for_mutant(key, path=Path(module)))
            function, class_name = orig_function_and_class_names_from_key(key)
            line = _line_of(module, function, class_name, removed)
            before = " / ".join(removed) or "(nothing)"
            after = " / ".join(added) or "(removed)"
            survivors.append(f"{module}:{line}  [{status}]  {key.rsplit('.', 1)[1]}")
            survivors.append(f"    - {before}")
            survivors.append(f"    + {after}")
    print()
    print(f"Survivors ({total - killed}):" if survivors else "Survivors: none")
    print("\n".join(survivors))
    return killed, total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--module",
        action="append",
        choices=sorted(MODULES),
        help="mutate only this module (repeatable); default: all of them",
    )
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    args = parser.parse_args()
    modules = args.module or list(MODULES)

    started = time.monotonic()
    _prepare(modules)
    print(f"mutmut over {len(modules)} module(s), {args.jobs} worker(s); log: {LOG}")
    code = _run_mutmut(args.jobs)
    if code != 0:
        print(LOG.read_text()[-4000:])
        print(f"mutmut stopped with exit code {code}; see {LOG}")
        return code
    killed, total = _report(modules)
    minutes, seconds = divmod(round(time.monotonic() - started), 60)
    print(f"\ntime taken: {minutes} min {seconds} s")
    score = 100 * killed / total if total else 100.0
    print(f"mutation score: {killed} of {total} killed ({score:.1f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
