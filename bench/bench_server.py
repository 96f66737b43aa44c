"""What the Python benchmarks share: a corphub process of their own (fresh data directory,
free port, optional PostgreSQL database made for it and dropped afterwards) and its peak
memory."""
from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def binary_of(build: str) -> Path:
    return (ROOT / build / "corphub") if not Path(build).is_absolute() else Path(build) / "corphub"


def psql(url: str, sql: str):
    subprocess.run(["psql", "-q", "-X", url, "-c", sql], check=True, capture_output=True)


class ScratchDatabase:
    """A database of its own on the server at `admin_url` (None: SQLite, nothing to make)."""

    def __init__(self, admin_url: str):
        self.admin_url = admin_url
        self.url = None
        if admin_url:
            self.name = "corphub_bench_" + secrets.token_hex(4)
            psql(admin_url, f"CREATE DATABASE {self.name}")
            self.url = urllib.parse.urlunsplit(
                urllib.parse.urlsplit(admin_url)._replace(path="/" + self.name))

    def drop(self):
        if self.url:
            psql(self.admin_url, f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


class Process:
    """`corphub serve` on 127.0.0.1:<free port>, with `env` added to its environment;
    `before(binary, env, data)` runs first (e.g. to make an administrator)."""

    def __init__(self, binary: Path, storage_url: str | None, before=None,
                 env: dict | None = None):
        self.dir = Path(tempfile.mkdtemp(prefix="corphub-bench-"))
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("CORPHUB_")}
        self.env["CORPHUB_LOG_ACCESS_LOG"] = "false"
        # Load generators go far past WeCom's frequency limits and per-member message caps.
        for key, value in (("CORP_CALLS_PER_MINUTE", "1000000000"),
                           ("CORP_CALLS_PER_HOUR", "1000000000"),
                           ("IP_CALLS_PER_MINUTE", "1000000000"),
                           ("IP_CALLS_PER_HOUR", "1000000000"),
                           ("MEMBER_MESSAGES_PER_MINUTE", "1000000"),
                           ("MEMBER_MESSAGES_PER_HOUR", "100000000")):
            self.env["CORPHUB_API_" + key] = value
        self.env.update(env or {})
        if storage_url:
            self.env["CORPHUB_STORAGE_URL"] = storage_url
        self.data = str(self.dir / "data")
        self.before_result = before(binary, self.env, self.data) if before else None
        port_file = self.dir / "port"
        self.proc = subprocess.Popen(
            [str(binary), "serve", "--listen", "127.0.0.1:0", "--data", self.data,
             "--port-file", str(port_file)],
            env=self.env, stdout=subprocess.DEVNULL, stderr=open(self.dir / "stderr", "w"))
        deadline = time.time() + 20
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.time() > deadline or self.proc.poll() is not None:
                raise SystemExit("bench: corphub did not start: " + (self.dir / "stderr").read_text())
            time.sleep(0.02)
        self.port = int(port_file.read_text())

    def peak_rss_kib(self) -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        return 0

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.dir, ignore_errors=True)
