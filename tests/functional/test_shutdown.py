"""Graceful drain on SIGTERM/SIGINT: idle connections closed at once, requests in progress
finish (up to http.shutdown_grace_s), no new connections, a second signal stops at once."""
from __future__ import annotations

import http.client
import signal
import socket
import subprocess
import time

import pytest
import requests
import websocket

from corphub_harness import RawConn
from member_api import TESTING_ENV, member_cookie

GRACE_S = 60  # long: a quick exit can only come from the drain, never from the deadline


def open_idle_keep_alive(server) -> http.client.HTTPConnection:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", "/healthz")
    r = conn.getresponse()
    assert r.status == 200
    r.read()
    assert conn.sock is not None
    return conn


def start_stalled_upload(server, key: str, total: int = 2000) -> RawConn:
    """A request whose header the server has certainly read (it sent 100 Continue) and whose
    body is only half there."""
    c = RawConn(server.port, timeout=10)
    c.send(f"POST /testing/probe?key={key} HTTP/1.1\r\nHost: x\r\nContent-Length: {total}\r\n"
           "Expect: 100-continue\r\n\r\n")
    assert c.read_response().status == 100
    c.send(b"h" * (total // 2))
    return c


def assert_still_running(server, seconds: float):
    try:
        code = server.wait_exit(timeout=seconds)
    except subprocess.TimeoutExpired:
        return
    pytest.fail(f"corphub exited ({code}) with a request in progress:\n{server.stderr_text()}")


def assert_refuses_connections(port: int):
    with pytest.raises(OSError):
        s = socket.create_connection(("127.0.0.1", port), timeout=2)
        try:
            # Accepted by a backlog that no one serves would still be a failure to refuse.
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            s.settimeout(2)
            data = s.recv(100)
            if not data:
                raise ConnectionResetError("closed without an answer")
        finally:
            s.close()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_with_idle_keep_alive_exits_quickly(harness, sig):
    server = harness.server(env={"CORPHUB_HTTP_SHUTDOWN_GRACE_S": str(GRACE_S)})
    conn = open_idle_keep_alive(server)
    started = time.monotonic()
    server.signal(sig)
    code = server.wait_exit(timeout=10)
    elapsed = time.monotonic() - started
    assert code == 0, server.stderr_text()
    assert elapsed < 5, f"took {elapsed:.1f}s to stop with only an idle connection"
    # The idle connection was closed by the server, not left dangling.
    conn.sock.settimeout(2)
    assert conn.sock.recv(10) == b""
    conn.close()


def test_signal_with_open_websocket_exits_quickly(harness):
    storage = harness.storage()
    server = harness.server(storage,
                            env={**TESTING_ENV, "CORPHUB_HTTP_SHUTDOWN_GRACE_S": str(GRACE_S)})
    ws = websocket.create_connection(server.ws_url + "/api/v1/stream", timeout=10,
                                     cookie=member_cookie(harness, storage, server))
    assert '"hello"' in ws.recv()
    started = time.monotonic()
    server.signal(signal.SIGTERM)
    assert server.wait_exit(timeout=10) == 0
    assert time.monotonic() - started < 5
    ws.close()


def test_in_flight_request_finishes_during_drain(harness):
    storage = harness.storage()
    env = {"CORPHUB_TESTING_ENABLED": "true", "CORPHUB_HTTP_SHUTDOWN_GRACE_S": str(GRACE_S),
           "CORPHUB_HTTP_READ_TIMEOUT_S": "30"}
    server = harness.server(storage, env=env)
    idle = open_idle_keep_alive(server)
    upload = start_stalled_upload(server, "in-flight")
    server.signal(signal.SIGTERM)
    assert_still_running(server, 1.5)
    assert_refuses_connections(server.port)
    # The idle connection was closed although the process is still draining.
    idle.sock.settimeout(5)
    assert idle.sock.recv(10) == b""
    upload.send(b"h" * 1000)
    r = upload.read_response()
    assert r.status == 200 and r.body == b'{"ok":true}'
    assert (r.header("connection") or "").lower() == "close"
    upload.wait_closed(5)
    assert server.wait_exit(timeout=10) == 0
    upload.close()
    # It was committed, not just answered.
    again = harness.server(storage, env=env)
    assert "in-flight" in requests.get(again.url + "/testing/probe/keys", timeout=10).json()["keys"]
    assert again.stop() == 0


def test_second_signal_stops_at_once(harness):
    env = {"CORPHUB_TESTING_ENABLED": "true", "CORPHUB_HTTP_SHUTDOWN_GRACE_S": str(GRACE_S),
           "CORPHUB_HTTP_READ_TIMEOUT_S": "30"}
    server = harness.server(env=env)
    upload = start_stalled_upload(server, "cut-off")
    server.signal(signal.SIGTERM)
    assert_still_running(server, 1.0)
    started = time.monotonic()
    server.signal(signal.SIGTERM)
    code = server.wait_exit(timeout=10)
    assert code == 0, server.stderr_text()
    assert time.monotonic() - started < 3
    upload.close()


def test_drain_deadline_cuts_a_stalled_request(harness):
    env = {"CORPHUB_TESTING_ENABLED": "true", "CORPHUB_HTTP_SHUTDOWN_GRACE_S": "1",
           "CORPHUB_HTTP_READ_TIMEOUT_S": "60"}
    server = harness.server(env=env)
    upload = start_stalled_upload(server, "too-slow")
    started = time.monotonic()
    server.signal(signal.SIGTERM)
    assert server.wait_exit(timeout=10) == 0
    elapsed = time.monotonic() - started
    assert 0.5 <= elapsed < 5, f"stopped after {elapsed:.1f}s with shutdown_grace_s = 1"
    upload.close()


def test_sigterm_right_after_ready_is_graceful(harness):
    """The port file says the server is up; a SIGTERM from then on is a graceful stop (exit 0),
    never death by the signal's default action."""
    storage = harness.storage()
    for attempt in range(20):
        server = harness.server(storage, start=False)
        server.start(wait=False)
        server.wait_port(interval=0.0005)
        server.signal(signal.SIGTERM)
        code = server.wait_exit(timeout=10)
        assert code == 0, (f"attempt {attempt}: SIGTERM just after the port file was written "
                           f"ended the process with {code}")
