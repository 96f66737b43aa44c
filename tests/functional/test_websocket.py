"""The member client's WebSocket at /api/v1/stream: the connection itself (hello, ping, errors,
limits, the upgrade). A member session opens it (the test-only route); what flows over it is in
test_member_stream.py."""
from __future__ import annotations

import json

import pytest
import requests
import websocket

from corphub_harness import parse_metrics, run_cli, sample
from member_api import TESTING_ENV, member_cookie

PATH = "/api/v1/stream"


@pytest.fixture(scope="module")
def storage(module_harness):
    return module_harness.storage()


@pytest.fixture(scope="module")
def server(module_harness, storage):
    return module_harness.server(storage, env=TESTING_ENV)


@pytest.fixture(scope="module")
def cookie(module_harness, storage, server) -> str:
    """A member's session cookie."""
    return member_cookie(module_harness, storage, server)


@pytest.fixture
def ws(server, cookie):
    conn = websocket.create_connection(server.ws_url + PATH, timeout=10, cookie=cookie)
    yield conn
    conn.close()


def recv_json(ws) -> dict:
    return json.loads(ws.recv())


def send_json(ws, obj):
    ws.send(json.dumps(obj, separators=(",", ":")))


def test_hello_carries_the_version(ws):
    hello = recv_json(ws)
    version = run_cli(["version"]).stdout.split()[-1]
    assert hello == {"type": "hello", "version": version, "last_seq": 0}


def test_ping_gets_pong(ws):
    recv_json(ws)
    for _ in range(3):
        send_json(ws, {"type": "ping"})
        assert recv_json(ws) == {"type": "pong"}


def test_ping_is_recognised_as_json_not_as_bytes(ws):
    """The same JSON message with other spacing or field order is still a ping."""
    recv_json(ws)
    missed = []
    for text in ('{"id":7,"type":"ping"}', '{"type": "ping"}', '{ "type" : "ping" }',
                 '{\n  "type": "ping"\n}'):
        ws.send(text)
        if recv_json(ws) != {"type": "pong"}:
            missed.append(text)
    assert not missed, f"valid JSON pings answered with an error: {missed}"


def test_unknown_message_gets_an_error_and_the_socket_stays_open(ws):
    recv_json(ws)
    send_json(ws, {"type": "subscribe", "topic": "x"})
    reply = recv_json(ws)
    assert reply["type"] == "error"
    assert reply.get("code") == "unknown_message"
    ws.send("not json at all")
    assert recv_json(ws)["type"] == "error"
    send_json(ws, {"type": "ping"})
    assert recv_json(ws) == {"type": "pong"}


def test_upgrade_response_carries_request_id(server, cookie):
    conn = websocket.create_connection(server.ws_url + PATH, timeout=10, cookie=cookie,
                                       header=["X-Request-Id: ws-test-42"])
    try:
        assert conn.getstatus() == 101
        assert conn.getheaders().get("x-request-id") == "ws-test-42"
    finally:
        conn.close()


def test_oversized_message_closes_the_socket(ws):
    recv_json(ws)
    try:
        ws.send("x" * (1 << 20))
    except (BrokenPipeError, ConnectionResetError):
        return  # the server hung up while the message was still being sent: closed, as it should
    with pytest.raises((websocket.WebSocketConnectionClosedException, ConnectionError,
                        websocket.WebSocketTimeoutException, OSError)):
        for _ in range(3):  # a close frame or EOF, never an answer
            opcode, data = ws.recv_data(control_frame=True)
            assert opcode == websocket.ABNF.OPCODE_CLOSE, f"answered a 1 MiB message: {data[:80]!r}"
            raise websocket.WebSocketConnectionClosedException("closed by the server")


def test_plain_get_without_upgrade_is_426(server, cookie):
    r = requests.get(server.url + PATH, timeout=10, headers={"Cookie": cookie})
    assert r.status_code == 426


def test_upgrades_are_counted(server, cookie):
    before = parse_metrics(requests.get(server.url + "/metrics", timeout=10).text)
    conn = websocket.create_connection(server.ws_url + PATH, timeout=10, cookie=cookie)
    assert json.loads(conn.recv())["type"] == "hello"
    conn.close()
    after = parse_metrics(requests.get(server.url + "/metrics", timeout=10).text)
    key = dict(route="ws:" + PATH, method="GET", status="101")
    assert sample(after, "corphub_http_requests_total", **key) == \
        sample(before, "corphub_http_requests_total", **key) + 1
