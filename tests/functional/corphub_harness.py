"""Helpers for the functional tests: the real corphub binary, its storage, raw HTTP.

Nothing here sleeps for a fixed time beyond short poll intervals; every wait has a bound.
"""
from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import ssl
import subprocess
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

REPO = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("CORPHUB_BIN", str(REPO / "build" / "corphub")))
POSTGRES_URL = os.environ.get("CORPHUB_TEST_POSTGRES_URL", "")
START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 20.0
POLL_S = 0.02


def known_schema_version() -> int:
    """The newest migration compiled into the binary: the highest NNNN in migrations/sqlite."""
    files = (REPO / "migrations" / "sqlite").glob("[0-9][0-9][0-9][0-9]_*.sql")
    versions = [int(p.name[:4]) for p in files]
    return max(versions)


# Test servers are not held to WeCom's frequency limits and per-member message caps (suites send
# far more than 30 messages a minute to one member); test_api_limits sets its own.
UNLIMITED = {
    "CORPHUB_API_CORP_CALLS_PER_MINUTE": "1000000000",
    "CORPHUB_API_CORP_CALLS_PER_HOUR": "1000000000",
    "CORPHUB_API_IP_CALLS_PER_MINUTE": "1000000000",
    "CORPHUB_API_IP_CALLS_PER_HOUR": "1000000000",
    "CORPHUB_API_MEMBER_MESSAGES_PER_MINUTE": "1000000",
    "CORPHUB_API_MEMBER_MESSAGES_PER_HOUR": "100000000",
}


def clean_env(extra: Optional[dict] = None) -> dict:
    """The caller's environment without any CORPHUB_* variable, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CORPHUB_")}
    env.update(extra or {})
    return env


def wait_until(predicate: Callable[[], object], timeout: float, what: str,
               interval: float = POLL_S):
    """Polls `predicate` until it returns something truthy; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:.1f}s waiting for {what}")
        time.sleep(interval)


def free_port_holder(listen: bool = False) -> socket.socket:
    """A socket bound to a free loopback port (kept bound so nobody else takes it)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    if listen:
        s.listen(16)
    return s


# --- PostgreSQL ------------------------------------------------------------------------------

def psql(url: str, sql: str, timeout: float = 30) -> str:
    r = subprocess.run(["psql", url, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql],
                       capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError(f"psql failed ({r.returncode}): {r.stderr.strip()}")
    return r.stdout


def url_with_database(url: str, dbname: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + dbname))


def url_with_password(url: str, password: str) -> str:
    parts = urllib.parse.urlsplit(url)
    user = parts.username or "postgres"
    host = parts.hostname or "127.0.0.1"
    netloc = f"{user}:{password}@{host}" + (f":{parts.port}" if parts.port else "")
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


class PgDatabase:
    """A fresh database on the test cluster, dropped by drop()."""

    def __init__(self, admin_url: str):
        self.admin_url = admin_url
        self.name = "corphub_f_" + secrets.token_hex(6)
        psql(admin_url, f"CREATE DATABASE {self.name}")
        self.url = url_with_database(admin_url, self.name)

    def query(self, sql: str) -> str:
        return psql(self.url, sql)

    def drop(self):
        psql(self.admin_url, f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


# --- storage ---------------------------------------------------------------------------------

@dataclass
class Storage:
    """Where one corphub instance keeps its data: a data dir, and a database on PostgreSQL."""
    backend: str
    data_dir: Path
    pg: Optional[PgDatabase] = None

    def env(self) -> dict:
        return {"CORPHUB_STORAGE_URL": self.pg.url} if self.pg else {}

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "corphub.db"

    def insert_schema_version(self, version: int, name: str):
        if self.pg:
            self.pg.query(f"INSERT INTO schema_migrations (version, name, applied_at) "
                          f"VALUES ({version}, '{name}', 0)")
        else:
            import sqlite3
            con = sqlite3.connect(self.sqlite_path)
            try:
                con.execute("INSERT INTO schema_migrations (version, name, applied_at) "
                            "VALUES (?, ?, 0)", (version, name))
                con.commit()
            finally:
                con.close()

    def schema_rows(self) -> list[tuple[int, str]]:
        if self.pg:
            out = self.pg.query("SELECT version, name FROM schema_migrations ORDER BY version")
            rows = []
            for line in out.splitlines():
                if line.strip():
                    v, n = line.split("|", 1)
                    rows.append((int(v), n))
            return rows
        import sqlite3
        con = sqlite3.connect(self.sqlite_path)
        try:
            return [(int(v), n) for v, n in
                    con.execute("SELECT version, name FROM schema_migrations ORDER BY version")]
        finally:
            con.close()


# --- the server process ----------------------------------------------------------------------

class Server:
    """One `corphub serve` process on 127.0.0.1 with a port the OS picks."""

    def __init__(self, run_dir: Path, storage: Storage, env: Optional[dict] = None,
                 config: Optional[str] = None, args: Optional[list] = None):
        self.run_dir = run_dir
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.storage = storage
        self.port_file = run_dir / "port"
        self.stdout_path = run_dir / "stdout.txt"
        self.stderr_path = run_dir / "stderr.txt"
        self.env = clean_env({**UNLIMITED, **storage.env(), **(env or {})})
        self.args = [str(BIN), "serve", "--listen", "127.0.0.1:0", "--data", str(storage.data_dir),
                     "--port-file", str(self.port_file)]
        if config is not None:
            cfg = run_dir / "corphub.toml"
            cfg.write_text(config)
            self.args += ["--config", str(cfg)]
        self.args += list(args or [])
        self.proc: Optional[subprocess.Popen] = None
        self.port: Optional[int] = None
        self.scheme = "http"

    # lifecycle

    def start(self, wait: bool = True) -> "Server":
        for p in (self.port_file, self.stdout_path, self.stderr_path):
            if p.exists():
                p.unlink()
        self.port = None
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(self.args, env=self.env, stdout=out, stderr=err,
                                         stdin=subprocess.DEVNULL)
        if wait:
            self.wait_ready()
        return self

    def wait_port(self, timeout: float = START_TIMEOUT_S, interval: float = POLL_S) -> int:
        """Waits for the port file only (the server is bound, maybe not yet serving)."""
        def ready():
            if self.proc.poll() is not None:
                raise AssertionError(f"corphub exited with {self.proc.returncode} before "
                                     "listening:\n"
                                     f"stdout: {self.stdout_text()}\nstderr: {self.stderr_text()}")
            try:
                text = self.port_file.read_text()
            except FileNotFoundError:
                return None
            return int(text) if text.strip() else None
        self.port = wait_until(ready, timeout, "the port file", interval)
        return self.port

    def wait_ready(self, timeout: float = START_TIMEOUT_S):
        """The port file, the banner, then one answered request: the server is serving."""
        deadline = time.monotonic() + timeout
        self.wait_port(timeout)
        # stdout is written just after the port file; the banner's last line ends it.
        wait_until(lambda: "Listening on" in self.stdout_text() or self.proc.poll() is not None,
                   max(0.1, deadline - time.monotonic()), "the start-up banner")
        if "https://" in self.stdout_text():
            self.scheme = "https"
        wait_until(self._answers, max(0.1, deadline - time.monotonic()), "a first response")

    def _answers(self) -> bool:
        if self.proc.poll() is not None:
            raise AssertionError(
                f"corphub exited with {self.proc.returncode}:\n{self.stderr_text()}")
        try:
            if self.scheme == "https":
                conn = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=5,
                                                   context=ssl._create_unverified_context())
            else:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            conn.close()
            return True
        except (OSError, http.client.HTTPException):
            return False

    def wait_exit(self, timeout: float) -> int:
        return self.proc.wait(timeout=timeout)

    def signal(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> int:
        """SIGTERM and wait (bounded); returns the exit code."""
        if self.proc is None:
            return 0
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill9()
                raise AssertionError(f"corphub did not stop within {timeout}s of SIGTERM")
        return self.proc.returncode

    def kill9(self):
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=STOP_TIMEOUT_S)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    # addresses and output

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return ("wss" if self.scheme == "https" else "ws") + f"://127.0.0.1:{self.port}"

    def stdout_text(self) -> str:
        try:
            return self.stdout_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def stderr_text(self) -> str:
        try:
            return self.stderr_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""


# --- command-line runs -----------------------------------------------------------------------

def run_cli(args: list, env: Optional[dict] = None, input: Optional[str] = None,
            timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), *map(str, args)], env=clean_env(env), input=input,
                          capture_output=True, text=True, timeout=timeout)


def error_lines(stderr: str) -> list[str]:
    return [l for l in stderr.splitlines() if l.startswith("corphub: ")]


# --- the harness object the fixtures hand out ------------------------------------------------

class Harness:
    """Makes storages and servers under one temp dir, and cleans all of them up."""

    def __init__(self, base: Path):
        self.base = base
        self._n = 0
        self.servers: list[Server] = []
        self.databases: list[PgDatabase] = []

    def _next(self, prefix: str) -> Path:
        self._n += 1
        p = self.base / f"{prefix}{self._n}"
        p.mkdir(parents=True, exist_ok=True)
        return p

    def storage(self, backend: str = "sqlite") -> Storage:
        data = self._next("data")
        if backend == "postgres":
            if not POSTGRES_URL:
                import pytest
                pytest.skip("CORPHUB_TEST_POSTGRES_URL is not set")
            db = PgDatabase(POSTGRES_URL)
            self.databases.append(db)
            return Storage("postgres", data, db)
        return Storage("sqlite", data)

    def server(self, storage: Optional[Storage] = None, *, env: Optional[dict] = None,
               config: Optional[str] = None, args: Optional[list] = None,
               start: bool = True) -> Server:
        s = Server(self._next("run"), storage or self.storage("sqlite"), env, config, args)
        self.servers.append(s)
        if start:
            s.start()
        return s

    def cli(self, *args, storage: Optional[Storage] = None, env: Optional[dict] = None,
            input: Optional[str] = None, timeout: float = 60) -> subprocess.CompletedProcess:
        full = list(args)
        if storage is not None:
            full += ["--data", str(storage.data_dir)]
        return run_cli(full, env={**(storage.env() if storage else {}), **(env or {})},
                       input=input, timeout=timeout)

    def close(self):
        for s in self.servers:
            if s.proc is not None and s.proc.poll() is None:
                try:
                    os.kill(s.proc.pid, signal.SIGKILL)
                    s.proc.wait(timeout=STOP_TIMEOUT_S)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    pass
        for db in self.databases:
            try:
                db.drop()
            except Exception:  # noqa: BLE001 - cleanup must go on
                pass


# --- raw HTTP over a socket ------------------------------------------------------------------

@dataclass
class RawResponse:
    status: int
    reason: str
    headers: dict = field(default_factory=dict)  # lower-case names
    body: bytes = b""

    def header(self, name: str) -> Optional[str]:
        return self.headers.get(name.lower())


class RawConn:
    """A TCP connection where the test decides every byte (for limits, timeouts, drains)."""

    def __init__(self, port: int, timeout: float = 10.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""

    def send(self, data: bytes | str):
        self.sock.sendall(data.encode() if isinstance(data, str) else data)

    def _fill(self) -> bool:
        chunk = self.sock.recv(65536)
        if not chunk:
            return False
        self.buf += chunk
        return True

    def read_head(self) -> RawResponse:
        while b"\r\n\r\n" not in self.buf:
            if not self._fill():
                raise ConnectionError(f"connection closed before a response head; got {self.buf!r}")
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        version, status, *reason = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        return RawResponse(int(status), reason[0] if reason else "", headers)

    def read_response(self, head_only: bool = False) -> RawResponse:
        r = self.read_head()
        if head_only or r.status in (204, 304) or 100 <= r.status < 200:
            return r
        n = int(r.header("content-length") or 0)
        while len(self.buf) < n:
            if not self._fill():
                raise ConnectionError("connection closed inside a response body")
        r.body, self.buf = self.buf[:n], self.buf[n:]
        return r

    def wait_closed(self, timeout: float) -> float:
        """Reads until EOF (or reset); returns the seconds it took. Fails after `timeout`."""
        start = time.monotonic()
        self.sock.settimeout(timeout)
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    break
                self.buf += chunk
        except (ConnectionResetError, BrokenPipeError):
            pass
        except socket.timeout:
            raise AssertionError(f"connection still open after {timeout}s")
        return time.monotonic() - start

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# --- Prometheus text -------------------------------------------------------------------------

_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)$')
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_metrics(text: str) -> dict:
    """{(name, frozenset(labels.items())): value} for every sample line."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = _SAMPLE.match(line)
        assert m, f"not a Prometheus sample line: {line!r}"
        labels = frozenset(_LABEL.findall(m.group(2) or ""))
        out[(m.group(1), labels)] = float(m.group(3))
    return out


def sample(metrics: dict, name: str, **labels) -> float:
    return metrics.get((name, frozenset(labels.items())), 0.0)
