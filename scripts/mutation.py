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
- It runs one mutmut session per group of modules (GROUPS: the modules and the tests that
  hold their rules), each in a copy of the project under var/mutation/<group>/
  (git-ignored), so the tool never writes next to the real code.
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

# What the copy needs to import and render: the apps and the project files around them.
SOURCES = ("policyhub", "process", "workinggroups", "meetings", "documents", "consultation")
ALSO_COPY = ("templates", "static", "locale", "manage.py", "scripts")

# Each group of modules and the tests that exercise them, run as one mutmut session in its
# own working copy. A rule is held by the tests of the app it lives in (and the probes that
# ask every app for objects by id), not by the cross-app matrices: those walk every page for
# every role, run minutes each, and would be rerun for every mutant of every function a page
# calls. mutmut narrows further: a mutant runs only the tests of its group that called its
# function in the group's first, recorded run.
PROBES = ("tests/security/test_object_probes.py",)
GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "roles": (
        ("policyhub/roles.py",),
        ("tests/policyhub/test_roles.py", "tests/policyhub/test_roles_rules.py"),
    ),
    "markup": (
        ("policyhub/markup.py",),
        (
            "tests/policyhub/test_markup.py",
            "tests/policyhub/test_markup_limits.py",
            "tests/policyhub/test_markup_rules.py",
        ),
    ),
    "chatham": (
        ("meetings/chatham.py",),
        (
            "tests/meetings/test_chatham.py",
            "tests/meetings/test_chatham_corpus.py",
            "tests/meetings/test_chatham_rules.py",
        ),
    ),
    "workinggroups": (("workinggroups/permissions.py",), ("tests/workinggroups", *PROBES)),
    "meetings": (
        ("meetings/permissions.py", "meetings/services/reminders.py"),
        ("tests/meetings", *PROBES),
    ),
    "documents": (
        ("documents/permissions.py", "documents/services.py"),
        ("tests/documents", *PROBES),
    ),
    "consultation": (
        (
            "consultation/permissions.py",
            "consultation/services/responses.py",  # submission
            "consultation/services/analysis.py",  # redaction
        ),
        ("tests/consultation", *PROBES),
    ),
}
MODULES = [module for modules, _ in GROUPS.values() for module in modules]

# Test files that need what a mutation run leaves out (migrations, a Celery worker, an S3
# server, the whole demo process) and exercise none of the modules on their own.
IGNORED_TESTS = (
    "tests/documents/test_migrations.py",
    "tests/meetings/test_migrations.py",
    "tests/meetings/test_worker.py",
    "tests/documents/test_s3_storage.py",
    "tests/documents/test_demo.py",
    "tests/meetings/test_demo.py",
    "tests/workinggroups/test_demo.py",
    "tests/consultation/test_demo.py",
)

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


def _write_config(work: Path, modules: list[str], tests: tuple[str, ...]) -> None:
    pytest_args = ["-p", "no:cacheprovider", "--nomigrations", "-p", "scripts.mutation"]
    pytest_args += [f"--ignore={ignored}" for ignored in IGNORED_TESTS]

    def listed(values) -> str:
        return "".join(f"\n    {v}" for v in values)

    (work / "setup.cfg").write_text(
        "[mutmut]\n"
        f"source_paths ={listed(SOURCES)}\n"
        f"only_mutate ={listed(modules)}\n"
        f"also_copy ={listed(ALSO_COPY)}\n"
        f"pytest_add_cli_args ={listed(pytest_args)}\n"
        f"pytest_add_cli_args_test_selection ={listed(t for t in tests if (ROOT / t).exists())}\n"
    )


def _prepare(work: Path, modules: list[str], tests: tuple[str, ...]) -> None:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in (*SOURCES, "tests", "templates", "static", "locale"):
        shutil.copytree(ROOT / name, work / name, ignore=skip)
    (work / "scripts").mkdir()
    shutil.copy2(ROOT / "scripts" / "mutation.py", work / "scripts" / "mutation.py")
    shutil.copy2(ROOT / "manage.py", work / "manage.py")
    # The pytest settings only: without [tool.mutmut] there, mutmut reads setup.cfg.
    shutil.copy2(ROOT / "pyproject.toml", work / "pyproject.toml")
    for module in modules:
        path = work / module
        path.write_text(_atomic_as_call(path.read_text()))
    _write_config(work, modules, tests)


# --- Running and reporting ------------------------------------------------------------------


def _run_mutmut(work: Path, jobs: int) -> int:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["DJANGO_SETTINGS_MODULE"] = "policyhub.settings.test"
    mutmut = Path(sys.executable).with_name("mutmut")
    with (work / "mutmut.log").open("w") as log:
        # Our own virtualenv's mutmut with fixed arguments: no shell, nothing from outside.
        done = subprocess.run(
            [str(mutmut), "run", "--max-children", str(jobs)],
            cwd=work,
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


def _results(work: Path, modules: list[str]) -> tuple[int, int, list[str]]:
    """Killed and total mutants of a finished group, and its survivors as printed lines."""
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.mutation.diff_apply import get_diff_for_mutant
    from mutmut.stats import status_by_exit_code
    from mutmut.utils.format_utils import orig_function_and_class_names_from_key

    os.chdir(work)  # mutmut reads its results from ./mutants
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
            survivors.append(f"{module}:{line}  [{status}]  {key.rsplit('.', 1)[1]}")
            survivors.append(f"    - {' / '.join(removed) or '(nothing)'}")
            survivors.append(f"    + {' / '.join(added) or '(removed)'}")
    os.chdir(ROOT)
    return killed, total, survivors


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
    chosen = args.module or MODULES

    started = time.monotonic()
    killed = total = 0
    survivors: list[str] = []
    for name, (group, tests) in GROUPS.items():
        modules = [module for module in group if module in chosen]
        if not modules:
            continue
        work = WORK / name
        began = time.monotonic()
        print(f"{name}: mutmut over {', '.join(modules)} ({args.jobs} workers)", flush=True)
        _prepare(work, modules, tests)
        code = _run_mutmut(work, args.jobs)
        if code != 0:
            print((work / "mutmut.log").read_text()[-4000:])
            print(f"mutmut stopped with exit code {code}; see {work / 'mutmut.log'}")
            return code
        k, t, s = _results(work, modules)
        print(f"{name}: {k} of {t} killed in {round(time.monotonic() - began)} s", flush=True)
        killed, total, survivors = killed + k, total + t, survivors + s

    print(f"\nSurvivors ({total - killed}):" if survivors else "\nSurvivors: none")
    if survivors:
        print("\n".join(survivors))
    minutes, seconds = divmod(round(time.monotonic() - started), 60)
    print(f"\ntime taken: {minutes} min {seconds} s")
    score = 100 * killed / total if total else 100.0
    print(f"mutation score: {killed} of {total} killed ({score:.1f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
