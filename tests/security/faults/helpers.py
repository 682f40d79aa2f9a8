"""Running the project's own processes against the throwaway servers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent


def environment(postgres, redis, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.security.faults.fault_settings",
        DATABASE_URL=postgres.url(),
        REDIS_URL=redis.url(),
        CELERY_BROKER_URL=redis.url(1),
        CONN_MAX_AGE="0",
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


def run(env: dict[str, str], *args: str, timeout: int = 300) -> str:
    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def prepare_database(postgres, env: dict[str, str]) -> None:
    postgres.create_database()
    run(env, "manage.py", "migrate", "--noinput", "-v0")


def scenario(env: dict[str, str], *args: str) -> str:
    return run(env, "-m", "tests.security.faults.scenario", *args)


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(BIN / "celery"),
            "-A",
            "policyhub",
            "worker",
            "--pool=solo",
            "--loglevel=info",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            "faults@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
