"""Helpers for the messaging tests: apps and their tokens on /cgi-bin (message/send, recall,
media/upload), members in bulk, and the member side of corphub (docs/member-api.md): a session
from the test-only route, the JSON API under /api/v1 and the WebSocket stream.

`start_org` makes a storage on a backend, creates apps with `corphub app create` before the
server starts (so their secrets are known), and starts a server with the testing routes on.
`Member` is one signed-in member: a requests.Session holding the `corphub_member` cookie and
sending the session's X-CSRF-Token on every call, plus helpers to read what it received.
Nothing here sleeps to synchronise; every wait has a deadline.
"""
from __future__ import annotations

import itertools
import json
import random
import time
import uuid
from dataclasses import dataclass, field
from typing import Optional

import requests
import websocket

from wecom_api import Api, corp_show

TESTING_ENV = {"CORPHUB_TESTING_ENABLED": "true"}
MEMBER_COOKIE = "corphub_member"
STREAM_PATH = "/api/v1/stream"

# Tiny files each type's upload accepts (as in test_cgi_bin_media.py).
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(64))
AMR = b"#!AMR\n" + bytes(range(64))
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00\x00\x00\x00mp42isom" + bytes(range(64))
ANY = "任意内容 any bytes\n".encode("utf-8") + bytes(range(256))

_seq = itertools.count(1)
_mobiles: set = set()


def new_userid(prefix: str = "m") -> str:
    """A userid no other call in this test process gets."""
    return f"{prefix}{next(_seq)}x{uuid.uuid4().hex[:6]}"


def new_mobile() -> str:
    while True:
        m = "1" + str(random.randint(3, 9)) + f"{random.randrange(10 ** 9):09d}"
        if m not in _mobiles:
            _mobiles.add(m)
            return m


# --- apps ------------------------------------------------------------------------------------

def create_app(harness, storage, name: Optional[str] = None, *extra: str) -> dict:
    """`corphub app create --name NAME --json`: {"agentid", "name", "secret", "corpid", ...}."""
    name = name or f"app {next(_seq)}"
    r = harness.cli("app", "create", "--name", name, "--json", *extra, storage=storage)
    assert r.returncode == 0, r.stderr
    app = json.loads(r.stdout)
    assert type(app["agentid"]) is int and app["secret"] and app["corpid"], app
    return app


class AppApi(Api):
    """/cgi-bin with an app's token (gettoken with the app's secret)."""

    def __init__(self, server, app: dict):
        self.app = app
        self.agentid = app["agentid"]
        super().__init__(server, {"corpid": app["corpid"]})

    def refresh_token(self):
        r = requests.get(self.server.url + "/cgi-bin/gettoken",
                         params={"corpid": self.app["corpid"], "corpsecret": self.app["secret"]},
                         timeout=10)
        body = r.json()
        assert body["errcode"] == 0, body
        self.token = body["access_token"]

    # message/send and recall

    def send(self, body: dict, agentid=True) -> dict:
        """message/send with `body`; agentid is this app's unless the body or `agentid` says."""
        body = dict(body)
        if agentid is True:
            body.setdefault("agentid", self.agentid)
        return self.post("message/send", body)

    def send_ok(self, body: dict) -> dict:
        res = self.send(body)
        assert res["errcode"] == 0 and res["errmsg"] == "ok", (body, res)
        return res

    def text(self, touser: str = "", content: str = "hello", **body) -> dict:
        return self.send({"touser": touser, "msgtype": "text", "text": {"content": content},
                          **body})

    def text_ok(self, touser: str, content: str = "hello", **body) -> str:
        """A text message; returns its msgid."""
        res = self.text(touser, content, **body)
        assert res["errcode"] == 0 and res["errmsg"] == "ok", res
        return res["msgid"]

    def recall(self, msgid) -> dict:
        return self.post("message/recall", {"msgid": msgid})

    # media

    def upload(self, type_: str, data: bytes, filename: str = "f.bin") -> dict:
        boundary = "----corphub" + uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"media\"; "
                f"filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                ).encode("utf-8") + data + f"\r\n--{boundary}--\r\n".encode()
        r = self.http.post(self.server.url + "/cgi-bin/media/upload",
                           params={"access_token": self.token, "type": type_}, data=body,
                           headers={"Content-Type": "multipart/form-data; boundary=" + boundary},
                           timeout=30)
        return self._decode(r)

    def upload_ok(self, type_: str, data: bytes, filename: str = "f.bin") -> str:
        res = self.upload(type_, data, filename)
        assert res["errcode"] == 0, res
        return res["media_id"]


# --- members in the directory ----------------------------------------------------------------

def create_members(api: Api, n: int, department=1, prefix: str = "m", **fields) -> list[str]:
    """`n` new members (user/create over one keep-alive connection); returns their userids."""
    out = []
    for _ in range(n):
        userid = new_userid(prefix)
        res = api.post("user/create", {"userid": userid, "name": f"成员 {userid}",
                                       "mobile": new_mobile(), "department": department,
                                       **fields})
        assert res["errcode"] == 0 and res["errmsg"] == "created", (userid, res)
        out.append(userid)
    return out


def create_member(api: Api, department=1, prefix: str = "m", **fields) -> str:
    return create_members(api, 1, department, prefix, **fields)[0]


def sync_members(api: Api, n: int, department: int = 1, prefix: str = "s",
                 deadline_s: float = 60.0) -> list[str]:
    """`n` new members through one batch/syncuser job (fast for hundreds); their userids."""
    userids = [new_userid(prefix) for _ in range(n)]
    lines = ["姓名,帐号,手机号,所在部门"]
    lines += [f"成员{u},{u},{new_mobile()},{department}" for u in userids]
    data = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    boundary = "----corphub" + uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"media\"; "
            f"filename=\"members.csv\"\r\nContent-Type: text/csv\r\n\r\n").encode() + data + \
        f"\r\n--{boundary}--\r\n".encode()
    r = api.http.post(api.server.url + "/cgi-bin/media/upload",
                      params={"access_token": api.token, "type": "file"}, data=body,
                      headers={"Content-Type": "multipart/form-data; boundary=" + boundary},
                      timeout=60)
    up = api._decode(r)
    assert up["errcode"] == 0, up
    res = api.post("batch/syncuser", {"media_id": up["media_id"], "to_invite": False})
    assert res["errcode"] == 0, res
    deadline = time.monotonic() + deadline_s
    while True:
        job = api.get("batch/getresult", {"jobid": res["jobid"]})
        assert job["errcode"] == 0, job
        if job["status"] == 3:
            break
        assert time.monotonic() < deadline, f"syncuser not finished in {deadline_s}s: {job}"
        time.sleep(0.05)
    failed = [row for row in job["result"] if row.get("errcode") != 0]
    assert not failed, failed[:5]
    return userids


def new_department(api: Api, parentid: int = 1) -> int:
    res = api.post("department/create", {"name": f"部门{next(_seq)}x{uuid.uuid4().hex[:4]}",
                                         "parentid": parentid})
    assert res["errcode"] == 0, res
    return res["id"]


def new_tag(api: Api, userlist=(), partylist=()) -> int:
    res = api.post("tag/create", {"tagname": f"t{next(_seq)}{uuid.uuid4().hex[:6]}"})
    assert res["errcode"] == 0, res
    tagid = res["tagid"]
    if userlist or partylist:
        add = api.post("tag/addtagusers", {"tagid": tagid, "userlist": list(userlist),
                                           "partylist": list(partylist)})
        assert add["errcode"] == 0 and "invalidlist" not in add and "invalidparty" not in add, add
    return tagid


def disable(api: Api, userid: str):
    res = api.post("user/update", {"userid": userid, "enable": 0})
    assert res["errcode"] == 0, res


# --- the member side -------------------------------------------------------------------------

def open_session(server, userid: str) -> dict:
    """POST /testing/member-session: {"token", "csrf_token", "member_id"} (and the cookie)."""
    r = requests.post(server.url + "/testing/member-session", json={"userid": userid}, timeout=10)
    assert r.status_code == 200, (r.status_code, r.text)
    body = r.json()
    assert r.cookies.get(MEMBER_COOKIE) == body["token"], (r.headers, body)
    return body


def member_cookie(harness, storage, server) -> str:
    """A new member's session cookie ("corphub_member=..."), on a server with TESTING_ENV."""
    userid = create_member(Api(server, corp_show(harness, storage)))
    return f"{MEMBER_COOKIE}={open_session(server, userid)['token']}"


def connect_stream(server, token: Optional[str], after: Optional[int] = None,
                   timeout: float = 10, origin: Optional[str] = None,
                   header: Optional[list] = None) -> websocket.WebSocket:
    path = STREAM_PATH + ("" if after is None else f"?after={after}")
    kw = {}
    if token is not None:
        kw["cookie"] = f"{MEMBER_COOKIE}={token}"
    if origin is not None:
        kw["origin"] = origin
    if header is not None:
        kw["header"] = header
    return websocket.create_connection(server.ws_url + path, timeout=timeout, **kw)


def recv_json(ws, timeout: Optional[float] = None) -> dict:
    """The next text message as JSON (fails on a close frame or after `timeout`)."""
    if timeout is not None:
        ws.settimeout(timeout)
    text = ws.recv()
    assert text, "the stream was closed"
    return json.loads(text)


def recv_events(ws, count: int, timeout: float = 10) -> list[dict]:
    """The next `count` messages with a seq, skipping heartbeats; fails after `timeout`."""
    deadline = time.monotonic() + timeout
    out = []
    while len(out) < count:
        left = deadline - time.monotonic()
        assert left > 0, f"got {len(out)} of {count} events within {timeout}s: {out[-3:]}"
        msg = recv_json(ws, left)
        if msg.get("type") == "heartbeat":
            continue
        assert "seq" in msg, f"not an event: {msg}"
        out.append(msg)
    return out


def assert_silent(ws, timeout: float = 0.3):
    """Nothing but heartbeats arrives for `timeout` seconds (a bounded wait, not a sync)."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return
        ws.settimeout(left)
        try:
            msg = json.loads(ws.recv())
        except websocket.WebSocketTimeoutException:
            return
        assert msg.get("type") == "heartbeat", f"unexpected message: {msg}"


class Member:
    """One signed-in member on /api/v1."""

    def __init__(self, server, userid: str):
        self.server = server
        self.userid = userid
        s = open_session(server, userid)
        self.token = s["token"]
        self.csrf_token = s["csrf_token"]
        self.member_id = s["member_id"]
        self.http = requests.Session()
        self.http.cookies.set(MEMBER_COOKIE, self.token)
        self.http.headers["X-CSRF-Token"] = self.csrf_token

    def get(self, path: str, **params) -> requests.Response:
        return self.http.get(self.server.url + path, params=params or None, timeout=30)

    def get_ok(self, path: str, **params) -> dict:
        r = self.get(path, **params)
        assert r.status_code == 200, (path, r.status_code, r.text)
        assert r.headers.get("Content-Type", "").startswith("application/json"), r.headers
        return r.json()

    def conversations(self) -> dict:
        return self.get_ok("/api/v1/conversations")

    def conversation(self, agentid: int) -> Optional[dict]:
        found = [c for c in self.conversations()["conversations"] if c["agentid"] == agentid]
        assert len(found) <= 1, found
        return found[0] if found else None

    def messages(self, agentid: int, **params) -> dict:
        return self.get_ok(f"/api/v1/conversations/{agentid}/messages", **params)

    def all_messages(self, agentid: int) -> list[dict]:
        """Every message of the conversation, newest first, through every page."""
        out, before = [], None
        for _ in range(1000):
            page = self.messages(agentid, limit=100, **({} if before is None else
                                                        {"before": before}))
            out += page["messages"]
            if not page["next_before"]:
                return out
            before = page["next_before"]
        raise AssertionError("more than 1000 pages")

    def events(self, after: int = 0, limit: Optional[int] = None) -> dict:
        params = {"after": after}
        if limit is not None:
            params["limit"] = limit
        return self.get_ok("/api/v1/events", **params)

    def all_events(self, after: int = 0) -> list[dict]:
        out = []
        for _ in range(100000):
            page = self.events(after, 1000)
            if not page["events"]:
                return out
            out += page["events"]
            after = page["events"][-1]["seq"]
        raise AssertionError("too many pages")

    def last_seq(self) -> int:
        return self.events(0, 1)["last_seq"]

    def read(self, agentid: int, body: Optional[dict] = None, csrf=True) -> requests.Response:
        """POST .../read with `body` (none when None); csrf False leaves the header out, a
        string sends that instead of the session's token."""
        headers = {}
        if csrf is False:
            headers["X-CSRF-Token"] = None
        elif isinstance(csrf, str):
            headers["X-CSRF-Token"] = csrf
        return self.http.post(self.server.url + f"/api/v1/conversations/{agentid}/read",
                              json=body, headers=headers, timeout=30)

    def read_ok(self, agentid: int, up_to_seq: Optional[int] = None) -> dict:
        r = self.read(agentid, None if up_to_seq is None else {"up_to_seq": up_to_seq})
        assert r.status_code == 200, (r.status_code, r.text)
        body = r.json()
        assert set(body) == {"marked", "msgid"} and type(body["marked"]) is bool, body
        return body

    def media(self, media_id: str) -> requests.Response:
        return self.http.get(self.server.url + f"/api/v1/media/{media_id}", timeout=30)

    def stream(self, after: Optional[int] = None, timeout: float = 10, **kw):
        return connect_stream(self.server, self.token, after, timeout, **kw)


# --- one organisation: a server with apps -----------------------------------------------------

@dataclass
class Org:
    harness: object
    storage: object
    server: object
    contacts: Api
    apps: list = field(default_factory=list)  # AppApi, in creation order
    _members: dict = field(default_factory=dict)

    @property
    def app(self) -> AppApi:
        return self.apps[0]

    def member(self, userid: str) -> Member:
        """A session for `userid` (one per userid, reused)."""
        if userid not in self._members:
            self._members[userid] = Member(self.server, userid)
        return self._members[userid]

    def new_members(self, n: int, department=1, **fields) -> list[str]:
        return create_members(self.contacts, n, department, **fields)

    def new_member(self, department=1, **fields) -> str:
        return create_member(self.contacts, department, **fields)

    def restart(self, **kw) -> "Org":
        """A new server on the same storage (after the old one stopped or was killed)."""
        server = self.harness.server(self.storage, env={**TESTING_ENV, **kw.pop("env", {})},
                                     **kw)
        contacts = Api(server, self.contacts.corp)
        apps = [AppApi(server, a.app) for a in self.apps]
        return Org(self.harness, self.storage, server, contacts, apps)


def start_org(harness, backend: str, apps: int = 1, env: Optional[dict] = None,
              config: Optional[str] = None) -> Org:
    storage = harness.storage(backend)
    corp = corp_show(harness, storage)
    made = [create_app(harness, storage, f"应用 {i + 1}") for i in range(apps)]
    server = harness.server(storage, env={**TESTING_ENV, **(env or {})}, config=config)
    return Org(harness, storage, server, Api(server, corp),
               [AppApi(server, a) for a in made])


# What the member API answers (docs/member-api.md): a message's keys and a conversation's.
MESSAGE_KEYS = {"seq", "msgid", "agentid", "chatid", "msgtype", "content", "preview", "safe",
                "created_at", "read_at", "recalled"}
CONVERSATION_KEYS = {"agentid", "chatid", "name", "app_name", "unread", "messages", "last"}


def upload_each_kind(app, image_name: str = "photo.png", file_name: str = "报告 2026.txt") -> dict:
    """One uploaded media_id per kind (png, jpg, voice, video, file), through the app's token."""
    return {
        "png": app.upload_ok("image", PNG, image_name),
        "jpg": app.upload_ok("image", JPEG, "photo.jpg"),
        "voice": app.upload_ok("voice", AMR, "voice.amr"),
        "video": app.upload_ok("video", MP4, "clip.mp4"),
        "file": app.upload_ok("file", ANY, file_name),
    }
