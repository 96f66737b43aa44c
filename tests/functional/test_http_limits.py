"""Bounded HTTP: body and header limits, Expect: 100-continue, malformed requests, idle and
read timeouts. Raw sockets, so the test controls every byte and every pause."""
from __future__ import annotations

import socket
import time

import pytest
import requests

from corphub_harness import RawConn, wait_until

MAX_BODY = 4096
MAX_HEADER = 4096
IDLE_S = 1
READ_S = 2
CONFIG = f"""
[http]
max_body_bytes = {MAX_BODY}
max_header_bytes = {MAX_HEADER}
idle_timeout_s = {IDLE_S}
read_timeout_s = {READ_S}

[testing]
enabled = true
"""


@pytest.fixture(scope="module")
def server(module_harness):
    return module_harness.server(config=CONFIG)


def keys(server) -> set:
    return set(requests.get(server.url + "/testing/probe/keys", timeout=10).json()["keys"])


def post_head(path: str, length: int | None = None, extra: str = "") -> str:
    h = f"POST {path} HTTP/1.1\r\nHost: x\r\n"
    if length is not None:
        h += f"Content-Length: {length}\r\n"
    return h + extra + "\r\n"


# --- body limits -----------------------------------------------------------------------------

def test_body_at_the_limit_is_accepted(server):
    with RawConn(server.port) as c:
        c.send(post_head("/testing/probe?key=at-limit", MAX_BODY) + "v" * MAX_BODY)
        r = c.read_response()
        assert r.status == 200, r.body
    assert "at-limit" in keys(server)


def test_over_limit_content_length_is_413_without_reading_the_body(server):
    with RawConn(server.port, timeout=READ_S + 3) as c:
        started = time.monotonic()
        # Only the header is sent: an answer can come only if the server does not wait for
        # the body (it would otherwise time out after read_timeout_s and say nothing).
        c.send(post_head("/testing/probe?key=too-big", 10_000_000))
        r = c.read_response()
        assert r.status == 413
        assert time.monotonic() - started < READ_S, "413 came only after the read timeout"
        assert (r.header("connection") or "close").lower() == "close"
        c.wait_closed(5)
    with RawConn(server.port) as c:
        c.send(post_head("/testing/probe?key=one-over", MAX_BODY + 1) + "v" * (MAX_BODY + 1))
        assert c.read_response().status == 413
    assert not {"too-big", "one-over"} & keys(server)


def test_over_limit_chunked_body_is_413(server):
    chunk = b"v" * (MAX_BODY + 1000)
    with RawConn(server.port) as c:
        c.send(post_head("/testing/probe?key=chunked-big", None, "Transfer-Encoding: chunked\r\n"))
        c.send(b"%x\r\n" % len(chunk) + chunk + b"\r\n0\r\n\r\n")
        r = c.read_response()
        assert r.status == 413
        c.wait_closed(5)
    assert "chunked-big" not in keys(server)


def test_chunked_body_within_limit_is_read(server):
    with RawConn(server.port) as c:
        c.send(post_head("/testing/probe?key=chunked-ok", None, "Transfer-Encoding: chunked\r\n"))
        for part in (b"a" * 1000, b"b" * 1000, b"c" * 1000):
            c.send(b"%x\r\n" % len(part) + part + b"\r\n")
        c.send(b"0\r\n\r\n")
        assert c.read_response().status == 200
    assert "chunked-ok" in keys(server)


@pytest.mark.parametrize("path,status", [("/no/such/route", 404), ("/healthz", 405)])
def test_unwanted_body_is_answered_without_reading_it(server, path, status):
    with RawConn(server.port, timeout=READ_S + 3) as c:
        started = time.monotonic()
        c.send(post_head(path, 1000))  # the body never comes
        r = c.read_response()
        assert r.status == status
        assert time.monotonic() - started < READ_S
        c.wait_closed(5)


# --- header limits ---------------------------------------------------------------------------

def test_header_within_limit_is_served(server):
    with RawConn(server.port) as c:
        c.send(f"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: {'p' * (MAX_HEADER // 2)}\r\n\r\n")
        assert c.read_response().status == 200


def test_huge_header_is_431(server):
    with RawConn(server.port) as c:
        c.send(f"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: {'p' * (MAX_HEADER * 2)}\r\n\r\n")
        r = c.read_response()
        assert r.status == 431
        c.wait_closed(5)


def test_many_header_fields_over_the_limit_are_431(server):
    fields = "".join(f"X-F{i}: {'v' * 40}\r\n" for i in range(200))
    with RawConn(server.port) as c:
        c.send(f"GET /healthz HTTP/1.1\r\nHost: x\r\n{fields}\r\n")
        assert c.read_response().status == 431


# --- Expect: 100-continue --------------------------------------------------------------------

def test_expect_100_continue(server):
    body = b"continued value"
    with RawConn(server.port) as c:
        c.send(post_head("/testing/probe?key=continued", len(body), "Expect: 100-continue\r\n"))
        interim = c.read_response()
        assert interim.status == 100, "no 100 Continue before the body was sent"
        c.send(body)
        final = c.read_response()
        assert final.status == 200
        assert final.body == b'{"ok":true}'
    assert "continued" in keys(server)


def test_expect_100_continue_over_limit_gets_413_not_100(server):
    with RawConn(server.port) as c:
        c.send(post_head("/testing/probe?key=never", MAX_BODY * 10, "Expect: 100-continue\r\n"))
        r = c.read_response()
        assert r.status == 413


# --- malformed requests ----------------------------------------------------------------------

@pytest.mark.parametrize("raw", [
    b"GARBAGE\r\n\r\n",
    b"GET /healthz HTTX/1.1\r\nHost: x\r\n\r\n",
    b"GET /healthz HTTP/1.1 trailing\r\nHost: x\r\n\r\n",
    b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + b"\x00" * 20 + b"\r\n\r\n",
    b"POST /testing/probe?key=x HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
])
def test_malformed_request_is_400(server, raw):
    with RawConn(server.port) as c:
        c.send(raw)
        r = c.read_response()
        assert r.status == 400
        c.wait_closed(5)


# --- timeouts --------------------------------------------------------------------------------

def test_idle_keep_alive_connection_is_closed(server):
    with RawConn(server.port) as c:
        c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert c.read_response().status == 200
        # Still open for a second request: this is a keep-alive connection.
        c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert c.read_response().status == 200
        elapsed = c.wait_closed(IDLE_S + 4)
        assert elapsed >= IDLE_S * 0.5, f"closed after {elapsed:.2f}s, before the idle timeout"


def test_partial_header_is_cut_after_read_timeout(server):
    with RawConn(server.port) as c:
        c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        elapsed = c.wait_closed(READ_S + 4)
        assert elapsed >= READ_S * 0.5
        assert b"HTTP/1.1 200" not in c.buf


def test_trickled_header_does_not_extend_the_deadline(server):
    """Slowloris: a byte every 200 ms keeps the connection busy but must not keep it open."""
    with RawConn(server.port) as c:
        c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        closed = False
        c.sock.settimeout(0.2)
        while time.monotonic() - started < READ_S + 4:
            try:
                c.sock.sendall(b"X")
                if c.sock.recv(65536) == b"":
                    closed = True
                    break
            except socket.timeout:
                continue
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
        assert closed, f"a trickled header kept the connection open for {READ_S + 4}s"


def test_stalled_body_is_cut_after_read_timeout(server):
    with RawConn(server.port) as c:
        c.send(post_head("/testing/probe?key=stalled", 1000) + "v" * 100)
        elapsed = c.wait_closed(READ_S + 4)
        assert elapsed >= READ_S * 0.5
    assert "stalled" not in keys(server)


# --- connection and in-flight budgets --------------------------------------------------------

def stalled_upload(port: int, key: str, length: int) -> RawConn:
    c = RawConn(port)
    c.send(post_head(f"/testing/probe?key={key}", length, "Expect: 100-continue\r\n"))
    assert c.read_response().status == 100  # the body's bytes are reserved by now
    return c


def test_in_flight_body_budget_gives_503(harness):
    server = harness.server(env={"CORPHUB_TESTING_ENABLED": "true",
                                 "CORPHUB_HTTP_MAX_BODY_BYTES": "4096",
                                 "CORPHUB_HTTP_MAX_INFLIGHT_BODY_BYTES": "8192"})
    first, second = stalled_upload(server.port, "b1", 4096), stalled_upload(server.port, "b2", 4096)
    try:
        with RawConn(server.port) as third:
            third.send(post_head("/testing/probe?key=b3", 100) + "v" * 100)
            r = third.read_response()
            assert r.status == 503
            assert r.header("retry-after")
        # Finishing one upload frees its share of the budget.
        first.send(b"v" * 4096)
        assert first.read_response().status == 200
        with RawConn(server.port) as fourth:
            fourth.send(post_head("/testing/probe?key=b4", 100) + "v" * 100)
            assert fourth.read_response().status == 200
    finally:
        first.close()
        second.close()


def test_max_connections_closes_extra_connections(harness):
    server = harness.server(env={"CORPHUB_HTTP_MAX_CONNECTIONS": "2"})
    held = []

    def hold():
        # The harness's own start-up probe may still hold a slot for a moment after it closed
        # (the server counts a connection until its session ends): retry until this one is
        # accepted, served and counted.
        c = RawConn(server.port)
        try:
            c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            if c.read_response().status == 200:
                held.append(c)
                return True
        except (OSError, ConnectionError):
            pass
        c.close()
        return False

    try:
        for _ in range(2):
            wait_until(hold, 5, "a connection slot for a held connection")
        with RawConn(server.port) as extra:
            try:
                extra.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
            extra.wait_closed(5)
            assert not extra.buf.startswith(b"HTTP/1.1 200")
    finally:
        for c in held:
            c.close()

    def serves():
        try:
            with RawConn(server.port, timeout=2) as c:
                c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                return c.read_response().status == 200
        except (OSError, ConnectionError):
            return False
    wait_until(serves, 5, "a connection slot to free up")
