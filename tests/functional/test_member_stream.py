"""The member's event stream (docs/member-api.md): live events on /api/v1/stream, replay after a
sequence number, refusals, the lagging client, and that acknowledged sends survive kill -9 with
gapless sequence numbers, on SQLite and PostgreSQL.

Waits are socket timeouts and polls with deadlines, never sleeps.
"""
from __future__ import annotations

import json
import socket
import threading
import time
import uuid

import pytest
import requests
import websocket

from corphub_harness import run_cli, wait_until
from member_api import (PNG, AppApi, Member, assert_silent, connect_stream, new_department,
                        new_tag, recv_events, recv_json, start_org, sync_members)


@pytest.fixture(scope="module")
def org(module_harness, backend):
    return start_org(module_harness, backend)


@pytest.fixture(scope="module")
def version() -> str:
    return run_cli(["version"]).stdout.split()[-1]


def without_seq(item: dict) -> dict:
    return {k: v for k, v in item.items() if k != "seq"}


def recv_close(ws, timeout: float) -> tuple[list[dict], bytes]:
    """Reads messages until the server's close frame: (the messages, the close payload)."""
    deadline = time.monotonic() + timeout
    got = []
    while True:
        left = deadline - time.monotonic()
        assert left > 0, f"no close frame within {timeout}s (got {len(got)} messages)"
        ws.settimeout(left)
        opcode, data = ws.recv_data(control_frame=True)
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            return got, data
        if opcode == websocket.ABNF.OPCODE_TEXT:
            got.append(json.loads(data))


def close_reason(payload: bytes) -> str:
    return payload[2:].decode("utf-8", "replace") if len(payload) >= 2 else ""


# --- live events -----------------------------------------------------------------------------

def test_send_read_and_recall_arrive_live(org, version):
    userid = org.new_member()
    first = org.app.text_ok(userid, "连接前")
    m = org.member(userid)
    ws = m.stream()
    try:
        assert recv_json(ws, 5) == {"type": "hello", "version": version, "last_seq": 1}
        assert_silent(ws, 0.3)  # without `after`, nothing is replayed

        started = time.monotonic()
        msgid = org.app.text_ok(userid, "实时消息")
        [ev] = recv_events(ws, 1, timeout=5)
        assert time.monotonic() - started < 1.0, "the message event took more than a second"
        assert ev["seq"] == 2 and ev["type"] == "message", ev
        page = m.messages(org.app.agentid)["messages"]
        assert ev["message"] == without_seq(page[0]) and page[0]["msgid"] == msgid, (ev, page)

        started = time.monotonic()
        assert m.read_ok(org.app.agentid)["marked"] is True
        [ev] = recv_events(ws, 1, timeout=5)
        assert time.monotonic() - started < 1.0
        assert ev == {"seq": 3, "type": "read", "agentid": org.app.agentid, "chatid": "", "msgid": msgid}, ev

        started = time.monotonic()
        assert org.app.recall(first)["errcode"] == 0
        [ev] = recv_events(ws, 1, timeout=5)
        assert time.monotonic() - started < 1.0
        assert ev == {"seq": 4, "type": "recall", "agentid": org.app.agentid, "chatid": "", "msgid": first}, ev
        assert [e["seq"] for e in m.all_events()] == [1, 2, 3, 4]
        assert_silent(ws, 0.2)
    finally:
        ws.close()


def test_each_send_is_the_previous_seq_plus_one(org):
    userid = org.new_member()
    m = org.member(userid)
    ws = m.stream()
    try:
        assert recv_json(ws, 5)["last_seq"] == 0
        for i in range(1, 21):
            started = time.monotonic()
            msgid = org.app.text_ok(userid, f"#{i}")
            [ev] = recv_events(ws, 1, timeout=5)
            assert time.monotonic() - started < 1.0, f"event {i} took more than a second"
            assert ev["seq"] == i and ev["message"]["msgid"] == msgid, ev
    finally:
        ws.close()


def test_reconnect_after_n_replays_exactly_what_came_after(org):
    userid = org.new_member()
    ids = [org.app.text_ok(userid, f"离线 {i}") for i in range(5)]
    m = org.member(userid)
    stored = m.all_events()
    assert [e["seq"] for e in stored] == [1, 2, 3, 4, 5]

    ws = m.stream(after=2)
    try:
        assert recv_json(ws, 5)["last_seq"] == 5
        assert recv_events(ws, 3) == stored[2:]
        assert_silent(ws, 0.3)
        live = org.app.text_ok(userid, "上线后")
        [ev] = recv_events(ws, 1)
        assert ev["seq"] == 6 and ev["message"]["msgid"] == live
    finally:
        ws.close()

    ws = m.stream(after=0)
    try:
        assert recv_json(ws, 5)["last_seq"] == 6
        got = recv_events(ws, 6)
        assert [e["seq"] for e in got] == [1, 2, 3, 4, 5, 6]
        assert [e["message"]["msgid"] for e in got] == ids + [live]
        assert_silent(ws, 0.3)
    finally:
        ws.close()

    ws = m.stream(after=6)
    try:
        assert recv_json(ws, 5)["last_seq"] == 6
        assert_silent(ws, 0.3)
    finally:
        ws.close()


def test_replay_while_sends_go_on_has_no_gap_and_no_duplicate(org):
    userid = org.new_member()
    before, during = 60, 120
    for i in range(before):
        org.app.text_ok(userid, f"先 {i}")
    m = org.member(userid)
    sender = AppApi(org.server, org.app.app)
    errors = []

    def send():
        for i in range(during):
            res = sender.text(userid, f"同时 {i}")
            if res["errcode"] != 0:
                errors.append(res)
                return

    t = threading.Thread(target=send, daemon=True)
    t.start()
    try:
        ws = m.stream(after=0)
        try:
            hello = recv_json(ws, 5)
            assert before <= hello["last_seq"] <= before + during, hello
            got = recv_events(ws, before + during, timeout=60)
            assert [e["seq"] for e in got] == list(range(1, before + during + 1))
            assert_silent(ws, 0.3)
        finally:
            ws.close()
    finally:
        t.join(timeout=60)
    assert not errors, errors[:3]
    assert len({e["message"]["msgid"] for e in got}) == before + during
    assert [e["seq"] for e in m.all_events()] == list(range(1, before + during + 1))


def test_two_sockets_of_one_member_both_receive(org):
    userid = org.new_member()
    m = org.member(userid)
    a, b = m.stream(), m.stream()
    try:
        assert recv_json(a, 5)["type"] == "hello" and recv_json(b, 5)["type"] == "hello"
        msgid = org.app.text_ok(userid, "两个设备")
        ea, eb = recv_events(a, 1)[0], recv_events(b, 1)[0]
        assert ea == eb and ea["seq"] == 1 and ea["message"]["msgid"] == msgid
        # Marking read on one device: the other hears of it.
        assert m.read_ok(org.app.agentid)["marked"] is True
        assert recv_events(a, 1)[0] == recv_events(b, 1)[0] == {
            "seq": 2, "type": "read", "agentid": org.app.agentid, "chatid": "", "msgid": msgid}
    finally:
        a.close()
        b.close()


def test_another_members_events_do_not_arrive(org):
    me, other = org.new_members(2)
    ws = org.member(me).stream()
    try:
        recv_json(ws, 5)
        org.app.text_ok(other, "不是给你的")
        mine = org.app.text_ok(me, "给你的")
        [ev] = recv_events(ws, 1)
        assert ev["message"]["msgid"] == mine and ev["seq"] == 1
    finally:
        ws.close()


# --- refusals --------------------------------------------------------------------------------

@pytest.mark.parametrize("token", [None, "not-a-session-token"])
def test_without_a_session_the_stream_says_unauthenticated_and_closes(org, token):
    ws = connect_stream(org.server, token, after=0)
    try:
        msgs, payload = recv_close(ws, 5)
        assert len(msgs) == 1, msgs
        assert msgs[0]["type"] == "error" and msgs[0]["code"] == "unauthenticated", msgs
    finally:
        ws.close()


def test_a_foreign_origin_is_refused(org):
    userid = org.new_member()
    org.app.text_ok(userid, "跨站")
    m = org.member(userid)
    ws = m.stream(after=0, origin="https://evil.example")
    try:
        msgs, _ = recv_close(ws, 5)
        assert len(msgs) == 1 and msgs[0]["type"] == "error", msgs
        assert not any("seq" in x or x.get("type") == "hello" for x in msgs), msgs
    finally:
        ws.close()
    # The server's own origin is fine.
    ws = m.stream(after=0, origin=org.server.url)
    try:
        assert recv_json(ws, 5)["type"] == "hello"
        assert recv_events(ws, 1)[0]["seq"] == 1
    finally:
        ws.close()


def test_a_foreign_origin_gets_the_documented_error_code(org):
    m = org.member(org.new_member())
    ws = m.stream(origin="https://evil.example")
    try:
        msgs, _ = recv_close(ws, 5)
        assert msgs and msgs[0]["code"] == "forbidden_origin", msgs
    finally:
        ws.close()


def test_ping_pong_and_unknown_messages(org):
    userid = org.new_member()
    ws = org.member(userid).stream()
    try:
        recv_json(ws, 5)
        for _ in range(3):
            ws.send(json.dumps({"type": "ping"}))
            assert recv_json(ws, 5) == {"type": "pong"}
        for text in (json.dumps({"type": "subscribe", "topic": "x"}), "not json", "[1]", "{}"):
            ws.send(text)
            reply = recv_json(ws, 5)
            assert reply["type"] == "error" and reply["code"] == "unknown_message", (text, reply)
        ws.send(json.dumps({"type": "ping"}))
        assert recv_json(ws, 5) == {"type": "pong"}
        msgid = org.app.text_ok(userid, "还开着")
        [ev] = recv_events(ws, 1)
        assert ev["seq"] == 1 and ev["message"]["msgid"] == msgid
    finally:
        ws.close()


# --- the lagging client ----------------------------------------------------------------------

BIG_EVENTS = 16          # mpnews of ~600 KB each: fill the socket buffers on both sides
SMALL_EVENTS = 1300      # more than the 1024 events a connection may queue
SENDERS = 4
LAG_BUDGET_S = 90


def test_heartbeats_come_after_the_configured_silence(harness, backend):
    # A server whose streams beat every second (stream.heartbeat_s), so the wait is short.
    o = start_org(harness, backend, env={"CORPHUB_STREAM_HEARTBEAT_S": "1"})
    userid = o.new_member()
    m = o.member(userid)
    ws = m.stream(after=0)
    try:
        assert recv_json(ws, 5)["type"] == "hello"
        t = time.monotonic()
        beat = recv_json(ws, 5)
        waited = time.monotonic() - t
        assert beat == {"type": "heartbeat", "last_seq": 0}, beat
        assert 0.7 <= waited <= 3.0, waited
        o.app.text_ok(userid, "心跳之间")
        got = recv_json(ws, 5)
        assert got["type"] == "message" and got["seq"] == 1, got
        # A write resets the timer; the next beat says where the stream now stands.
        assert recv_json(ws, 5) == {"type": "heartbeat", "last_seq": 1}
    finally:
        ws.close()


def test_a_lagging_client_is_closed_and_catches_up_on_reconnect(org):
    userid = org.new_member()
    m = org.member(userid)
    # A tiny receive buffer, and the test reads nothing while the events pile up.
    slow = websocket.create_connection(
        org.server.ws_url + "/api/v1/stream?after=0", cookie=f"corphub_member={m.token}",
        timeout=30, sockopt=((socket.SOL_SOCKET, socket.SO_RCVBUF, 4096),))
    started = time.monotonic()
    try:
        assert recv_json(slow, 5)["last_seq"] == 0
        thumb = org.app.upload_ok("image", PNG, "thumb.png")
        for i in range(BIG_EVENTS):
            res = org.app.send({"touser": userid, "msgtype": "mpnews", "mpnews": {"articles": [
                {"title": f"大 {i}", "thumb_media_id": thumb, "content": "y" * 600_000}]}})
            assert res["errcode"] == 0, res
        errors = []

        def sender(k: int):
            api = AppApi(org.server, org.app.app)
            for i in range(k, SMALL_EVENTS, SENDERS):
                res = api.text(userid, f"小 {i}")
                if res["errcode"] != 0:
                    errors.append(res)
                    return

        threads = [threading.Thread(target=sender, args=(k,), daemon=True)
                   for k in range(SENDERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=LAG_BUDGET_S)
        assert not any(t.is_alive() for t in threads), "the senders did not finish"
        assert not errors, errors[:3]
        sent_for = time.monotonic() - started
        total = BIG_EVENTS + SMALL_EVENTS
        assert m.last_seq() == total

        seen, payload = recv_close(slow, 60)
        assert close_reason(payload) == "lagging", payload
    finally:
        slow.close()
    seqs = [e["seq"] for e in seen]
    assert seqs == list(range(1, len(seqs) + 1)), seqs[:20]
    assert len(seqs) < total, "every event arrived: the connection never lagged"

    last = seqs[-1] if seqs else 0
    ws = m.stream(after=last, timeout=30)
    try:
        assert recv_json(ws, 5)["last_seq"] == total
        rest = recv_events(ws, total - last, timeout=60)
        assert_silent(ws, 0.3)
    finally:
        ws.close()
    all_seqs = seqs + [e["seq"] for e in rest]
    assert all_seqs == list(range(1, total + 1))
    stored = m.all_events()
    assert [e["message"]["msgid"] for e in seen + rest] == \
        [e["message"]["msgid"] for e in stored]
    # /api/v1/events pages: 200 by default, at most 1000.
    assert [e["seq"] for e in m.events(after=10)["events"]] == list(range(11, 211))
    assert [e["seq"] for e in m.events(after=10, limit=1000)["events"]] == list(range(11, 1011))
    assert time.monotonic() - started < LAG_BUDGET_S, f"took {time.monotonic() - started:.1f}s"
    print(f"lagging: {total} events sent in {sent_for:.1f}s, {len(seqs)} before the close")


# --- durability ------------------------------------------------------------------------------

MEMBERS = 300
ACKED_BEFORE_KILL = 80


def test_acknowledged_sends_survive_kill9_with_gapless_seqs(harness, backend):
    o = start_org(harness, backend)
    c = o.contacts
    left_dept, right_dept = new_department(c), new_department(c)
    members = sync_members(c, MEMBERS // 2, left_dept) + sync_members(c, MEMBERS // 2, right_dept)
    tag = new_tag(c, userlist=members[50:250])
    # Four senders, each to a different set of recipients, reached four ways.
    groups = [
        ({"touser": "|".join(members)}, set(members)),
        ({"toparty": str(left_dept)}, set(members[:MEMBERS // 2])),
        ({"touser": "|".join(members[100:])}, set(members[100:])),
        ({"totag": str(tag)}, set(members[50:250])),
    ]
    recipients: dict[str, set] = {}   # the token in a message's content -> its recipients
    acked: dict[str, str] = {}        # token -> msgid, answered errcode 0 before the kill
    lock = threading.Lock()
    stop = threading.Event()
    errors = []

    def writer(n: int):
        api = AppApi(o.server, o.app.app)
        target, who = groups[n]
        i = 0
        while not stop.is_set():
            token = f"w{n}-{i}-{uuid.uuid4().hex[:6]}"
            i += 1
            with lock:
                recipients[token] = who
            try:
                r = api.http.post(o.server.url + "/cgi-bin/message/send",
                                  params={"access_token": api.token},
                                  json={**target, "agentid": api.agentid, "msgtype": "text",
                                        "text": {"content": token}}, timeout=30)
                res = r.json()
            except (requests.RequestException, ValueError):  # the server is gone
                break
            if res.get("errcode") == 0:
                with lock:
                    acked[token] = res["msgid"]
            else:
                with lock:
                    errors.append(res)
                break

    threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(4)]
    for t in threads:
        t.start()
    try:
        wait_until(lambda: len(acked) >= ACKED_BEFORE_KILL or errors or
                   not all(t.is_alive() for t in threads), 120,
                   f"{ACKED_BEFORE_KILL} acknowledged sends")
        assert not errors, errors[:3]
        assert all(t.is_alive() for t in threads), "a sender stopped before the kill"
        o.server.kill9()  # the senders are mid-request
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a sender hung after the kill"
    with lock:
        acknowledged = dict(acked)
        expected = dict(recipients)
    assert len(acknowledged) >= ACKED_BEFORE_KILL

    r = o.restart()
    have: dict[str, set] = {}  # token -> the members that have it
    for userid in members:
        m = Member(r.server, userid)
        events = m.all_events()
        seqs = [e["seq"] for e in events]
        assert seqs == list(range(1, len(seqs) + 1)), (userid, seqs[:10])
        assert all(e["type"] == "message" for e in events), userid
        tokens = [e["message"]["content"]["content"] for e in events]
        assert len(tokens) == len(set(tokens)), f"{userid} has a message twice"
        for e in events:
            token = e["message"]["content"]["content"]
            assert token in expected, f"{userid} has a message nobody sent: {token}"
            assert userid in expected[token], f"{userid} got {token}, not sent to it"
            if token in acknowledged:
                assert e["message"]["msgid"] == acknowledged[token], (userid, token)
            have.setdefault(token, set()).add(userid)
    lost = {t: len(who - have.get(t, set())) for t, who in
            ((t, expected[t]) for t in acknowledged) if who - have.get(t, set())}
    assert not lost, f"{len(lost)} of {len(acknowledged)} acknowledged sends lost rows: " \
                     f"{list(lost.items())[:5]}"
    partial = {t: len(h) for t, h in have.items() if h != expected[t]}
    assert not partial, f"messages in some of their recipients' inboxes only: {partial}"

    # The restarted server goes on numbering where each member's sequence stopped.
    someone = members[0]
    m = Member(r.server, someone)
    before = m.last_seq()
    ws = m.stream()
    try:
        assert recv_json(ws, 5)["last_seq"] == before
        msgid = r.app.text_ok(someone, "重启之后")
        [ev] = recv_events(ws, 1)
        assert ev["seq"] == before + 1 and ev["message"]["msgid"] == msgid
    finally:
        ws.close()
    print(f"kill -9: {len(acknowledged)} acknowledged sends, {len(have)} stored")
    assert r.server.stop() == 0
