"""The benchmark's own Redis, and the three ways the fault passes break it.

The site under test uses a throwaway `redis-server` on a free port for the whole run, never
the machine's, so stopping, freezing, filling it or making it a replica disturbs nothing
else. Between faults it is made healthy again: restarted, thawed, emptied of the junk that
filled it, or made a primary again.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator

import redis

# A cache's usual configuration: bounded, least recently used keys evicted first.
MAXMEMORY = "512mb"
POLICY = "allkeys-lru"
# What fills the Redis when it is full: values of 16 KB under a prefix of the harness's own.
JUNK_PREFIX = "bench:junk:"
JUNK_VALUE = b"x" * 16_384

# What each fault pass does, as the results describe it.
FAULTS = {
    "stopped": "redis-server terminated (connections refused); started again afterwards",
    "frozen": "redis-server sent SIGSTOP (connections accepted, nothing answered); "
    "SIGCONT afterwards",
    "full": "maxmemory set just above the memory in use with maxmemory-policy noeviction, "
    "then junk keys written until Redis refused writes with OOM; junk deleted and the "
    "usual limit restored afterwards",
    "read-only": "made a replica of a primary that never answers, as after a failover "
    "(every write refused with READONLY); made a primary again afterwards",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class BenchRedis:
    """A redis-server of the harness's own, without persistence."""

    def __init__(self) -> None:
        self.port = free_port()
        self.folder = tempfile.mkdtemp(prefix="policyhub-bench-redis-")
        self.process: subprocess.Popen | None = None
        self.client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=10)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", self.folder,
             "--maxmemory", MAXMEMORY, "--maxmemory-policy", POLICY],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(redis.RedisError):
                if self.client.ping():
                    return
            time.sleep(0.1)
        raise RuntimeError(f"redis-server did not answer on port {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)  # a frozen server cannot act on TERM
            self.process.terminate()
            self.process.wait(timeout=30)

    def version(self) -> str:
        return self.client.info("server")["redis_version"]

    @contextlib.contextmanager
    def fault(self, state: str) -> Iterator[None]:
        """Redis in `state` for the duration of the block, healthy again after it."""
        assert self.process is not None
        if state == "stopped":
            self.stop()
            try:
                yield
            finally:
                self.start()
        elif state == "frozen":
            os.kill(self.process.pid, signal.SIGSTOP)
            try:
                yield
            finally:
                os.kill(self.process.pid, signal.SIGCONT)
        elif state == "full":
            written = self._fill()
            try:
                yield
            finally:
                self._empty(written)
        elif state == "read-only":
            self.client.replicaof("127.0.0.1", free_port())
            try:
                yield
            finally:
                self.client.replicaof("NO", "ONE")
        else:
            raise ValueError(state)

    def _fill(self) -> int:
        """Writes junk until Redis refuses a write for lack of memory; returns the count."""
        self.client.config_set("maxmemory-policy", "noeviction")
        used = int(self.client.info("memory")["used_memory"])
        self.client.config_set("maxmemory", str(used + 2 * 1024 * 1024))
        written = 0
        while True:
            try:
                self.client.set(f"{JUNK_PREFIX}{written}", JUNK_VALUE)
            except redis.OutOfMemoryError:
                return written
            written += 1

    def _empty(self, written: int) -> None:
        for first in range(0, written, 1000):
            keys = [f"{JUNK_PREFIX}{n}" for n in range(first, min(written, first + 1000))]
            self.client.unlink(*keys)
        self.client.config_set("maxmemory", MAXMEMORY)
        self.client.config_set("maxmemory-policy", POLICY)
