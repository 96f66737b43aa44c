"""Raw HTTP to corphub's console API /admin/api (docs/admin-api.md), shared by the
test_admin_* modules.

`start_console` makes a storage on a backend, creates super admins with `corphub admin create`
before the server starts, starts the server and logs in. `AdminClient` keeps the session cookie
(requests' cookie jar) and sends the session's X-CSRF-Token on every call that is not GET.
`Console.cgi` is a /cgi-bin client (contacts-sync secret) for test data and for reading back.
"""
from __future__ import annotations

import io
import itertools
import json
import random
import sqlite3
import subprocess
import time
import uuid
from dataclasses import dataclass
from typing import Optional

import requests

from wecom_api import Api, corp_show

COOKIE = "corphub_admin"
ADMIN_USER = "tester"
ADMIN_PASSWORD = "correct-horse-battery-1"
JOB_POLL_S = 0.05
JOB_DEADLINE_S = 30.0

_seq = itertools.count(1)


def uid(prefix: str = "a") -> str:
    """A userid no other call in this test process gets."""
    return f"{prefix}{next(_seq)}x{uuid.uuid4().hex[:6]}"


def uname(prefix: str = "部门") -> str:
    """A department name no other call in this test process gets."""
    return f"{prefix}{next(_seq)}{uuid.uuid4().hex[:4]}"


_mobiles: set = set()


def mobile() -> str:
    """A mobile number no other call in this test process gets: 11 random digits, so that
    any few of them in a row hardly ever occur in another one."""
    while True:
        m = "1" + str(random.randint(3, 9)) + f"{random.randrange(10 ** 9):09d}"
        if m not in _mobiles:
            _mobiles.add(m)
            return m


def create_admin(harness, storage, username: str, password: str):
    r = harness.cli("admin", "create", "--username", username, "--password-stdin",
                    storage=storage, input=password + "\n")
    assert r.returncode == 0, (r.stdout, r.stderr)


class AdminClient:
    """One browser: a cookie jar and the CSRF token of its session."""

    def __init__(self, base_url: str):
        self.base = base_url
        self.http = requests.Session()
        self.csrf: Optional[str] = None

    def login(self, username: str, password: str) -> requests.Response:
        r = self.http.post(self.base + "/admin/api/session",
                           json={"username": username, "password": password}, timeout=30)
        if r.status_code == 200:
            self.csrf = r.json()["csrf_token"]
        return r

    def login_ok(self, username: str, password: str) -> dict:
        r = self.login(username, password)
        assert r.status_code == 200, (r.status_code, r.text)
        return r.json()

    @property
    def cookie(self) -> Optional[str]:
        return self.http.cookies.get(COOKIE)

    def request(self, method: str, path: str, *, csrf=True, headers: Optional[dict] = None,
                timeout: float = 60, **kw) -> requests.Response:
        """`csrf` True sends the session's token on writes, a string sends that string,
        None/False sends no header."""
        h = dict(headers or {})
        if method not in ("GET", "HEAD"):
            if csrf is True and self.csrf is not None:
                h["X-CSRF-Token"] = self.csrf
            elif isinstance(csrf, str):
                h["X-CSRF-Token"] = csrf
        return self.http.request(method, self.base + path, headers=h, timeout=timeout, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def patch(self, path, **kw):
        return self.request("PATCH", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    # --- directory ---------------------------------------------------------------------------

    def tree(self) -> list:
        return ok(self.get("/admin/api/departments"))["departments"]

    def dept(self, id: int) -> Optional[dict]:
        return next((d for d in self.tree() if d["id"] == id), None)

    def create_dept(self, name: Optional[str] = None, parentid: int = 1, **body) -> int:
        body = {"name": name or uname(), "parentid": parentid, **body}
        res = ok(self.post("/admin/api/departments", json=body), 201)
        assert type(res.get("id")) is int, res
        return res["id"]

    def members(self, **params) -> dict:
        return ok(self.get("/admin/api/members", params=params))

    def userids(self, **params) -> list:
        return [m["userid"] for m in self.members(**params)["members"]]

    def bulk(self, action: str, userids: list, **body) -> requests.Response:
        return self.post("/admin/api/members/bulk",
                         json={"action": action, "userids": userids, **body})

    def tags(self) -> list:
        return ok(self.get("/admin/api/tags"))["tags"]

    # --- import / export ---------------------------------------------------------------------

    def upload(self, data: bytes, filename: str = "members.csv", dry_run: bool = False,
               content_type: str = "application/octet-stream") -> requests.Response:
        return self.post("/admin/api/imports", params={"dry_run": "1"} if dry_run else None,
                         files={"file": (filename, data, content_type)})

    def dry_run(self, data: bytes, filename: str = "members.csv") -> dict:
        return ok(self.upload(data, filename, dry_run=True))

    def wait_job(self, job_id: str) -> dict:
        deadline = time.monotonic() + JOB_DEADLINE_S
        while True:
            st = ok(self.get("/admin/api/imports/" + job_id))
            assert st["job_id"] == job_id, st
            assert st["status"] in ("queued", "running", "finished", "failed"), st
            assert type(st["percentage"]) is int and 0 <= st["percentage"] <= 100, st
            if st["status"] in ("finished", "failed"):
                return st
            assert time.monotonic() < deadline, f"import {job_id} not done in time: {st}"
            time.sleep(JOB_POLL_S)

    def run_import(self, data: bytes, filename: str = "members.csv") -> dict:
        """Submits a real import, checks the 202 answer, waits; returns the final status."""
        res = ok(self.upload(data, filename), 202)
        assert type(res.get("job_id")) is str and res["job_id"], res
        st = self.wait_job(res["job_id"])
        assert st["status"] == "finished", st
        assert st["total"] == res["total"] and st["done"] == st["total"], (res, st)
        assert st["percentage"] == 100, st
        return st

    def export(self, format: str = "csv", lang: str = "zh-CN", **params) -> requests.Response:
        r = self.get("/admin/api/members/export", params={"format": format, "lang": lang,
                                                         **params})
        assert r.status_code == 200, (r.status_code, r.text)
        return r


def ok(r: requests.Response, status: int = 200) -> dict:
    """The JSON body of an answer with `status`."""
    assert r.status_code == status, f"expected {status}, got {r.status_code}: {r.text[:2000]}"
    if status == 204:
        assert r.content == b"", r.content
        return {}
    assert r.headers.get("Content-Type", "").startswith("application/json"), r.headers
    body = r.json()
    assert isinstance(body, dict), body
    return body


def error(r: requests.Response, status: int, code: Optional[str] = None) -> dict:
    """The error body {"code","message"} of an answer with `status` (and `code`)."""
    assert r.status_code == status, f"expected {status} {code}, got {r.status_code}: {r.text}"
    assert r.headers.get("Content-Type", "").startswith("application/json"), r.headers
    body = r.json()
    assert isinstance(body.get("code"), str) and body["code"], body
    assert isinstance(body.get("message"), str) and body["message"], body
    if code is not None:
        assert body["code"] == code, body
    return body


@dataclass
class Console:
    harness: object
    storage: object
    server: object
    corp: dict
    cgi: Api
    admin: AdminClient
    username: str
    password: str

    @property
    def url(self) -> str:
        return self.server.url

    def client(self) -> AdminClient:
        """A new browser without a session."""
        return AdminClient(self.server.url)

    def root(self) -> dict:
        roots = [d for d in self.admin.tree() if d["parentid"] == 0]
        assert len(roots) == 1, roots
        return roots[0]

    def all_members(self) -> list:
        """Every member as the console lists them (paged)."""
        out, offset = [], 0
        while True:
            page = self.admin.members(offset=offset, limit=500)
            out += page["members"]
            offset += 500
            if offset >= page["total"]:
                assert len(out) == page["total"], (len(out), page["total"])
                return out

    def snapshot(self) -> tuple:
        """The whole directory as the console and /cgi-bin see it (to prove nothing changed):
        the tree with its counts, every member with departments and tags, the tags, and
        /cgi-bin's department/list and user/list of the whole organisation."""
        users = self.cgi.get("user/list", {"department_id": 1, "fetch_child": 1})
        assert users["errcode"] == 0, users
        return (self.admin.tree(), self.all_members(), self.admin.tags(), self.cgi.list(),
                sorted(users["userlist"], key=lambda u: u["userid"]))

    def sql(self, query: str) -> list:
        """Rows (tuples of text) of a read-only query against the server's store."""
        if self.storage.pg:
            out = subprocess.run(["psql", self.storage.pg.url, "-X", "-q", "-A", "-t",
                                  "-F", "\x1f", "-v", "ON_ERROR_STOP=1", "-c", query],
                                 capture_output=True, text=True, timeout=30)
            assert out.returncode == 0, out.stderr
            return [tuple(line.split("\x1f")) for line in out.stdout.splitlines() if line]
        con = sqlite3.connect(f"file:{self.storage.sqlite_path}?mode=ro", uri=True)
        try:
            return [tuple("" if v is None else str(v) for v in r) for r in con.execute(query)]
        finally:
            con.close()

    def events_since(self, seq: int) -> list:
        """(change_type, detail as a dict) of the contact events after `seq`."""
        return [(t, json.loads(d)) for t, d in self.sql(
            f"SELECT change_type, detail FROM contact_events WHERE seq > {int(seq)} ORDER BY seq")]

    def audit_since(self, id: int) -> list:
        """(actor, address, action, target, detail as a dict) of the audit records after `id`."""
        return [(a, ad, ac, t, json.loads(d)) for a, ad, ac, t, d in self.sql(
            f"SELECT actor, address, action, target, detail FROM audit_log WHERE id > {int(id)} "
            "ORDER BY id")]

    def marks(self) -> tuple:
        """The last contact event's seq and the last audit record's id."""
        (seq, aid), = self.sql("SELECT (SELECT COALESCE(MAX(seq), 0) FROM contact_events), "
                               "(SELECT COALESCE(MAX(id), 0) FROM audit_log)")
        return int(seq), int(aid)

    # /cgi-bin helpers for test data

    def new_member(self, department=1, **body) -> str:
        body.setdefault("userid", uid())
        body.setdefault("name", "成员" + body["userid"][-4:])
        if "mobile" not in body and "email" not in body:
            body["mobile"] = mobile()
        res = self.cgi.user_create(department=department, **body)
        assert res["errcode"] == 0, (body, res)
        return body["userid"]

    def new_tag(self, name: Optional[str] = None) -> int:
        res = self.cgi.post("tag/create", {"tagname": name or uname("标签")[:32]})
        assert res["errcode"] == 0, res
        return res["tagid"]

    def tag_users(self, tagid: int) -> set:
        res = self.cgi.get("tag/get", {"tagid": tagid})
        assert res["errcode"] == 0, res
        return {u["userid"] for u in res["userlist"]}


def start_console(harness, backend: str, extra_admins: tuple = (),
                  env: Optional[dict] = None) -> Console:
    """A new storage on `backend` with the test admin (and `extra_admins`, (name, password)
    pairs), a server on it, a logged-in AdminClient and a /cgi-bin Api."""
    storage = harness.storage(backend)
    create_admin(harness, storage, ADMIN_USER, ADMIN_PASSWORD)
    for name, password in extra_admins:
        create_admin(harness, storage, name, password)
    corp = corp_show(harness, storage)
    server = harness.server(storage, env=env)
    admin = AdminClient(server.url)
    admin.login_ok(ADMIN_USER, ADMIN_PASSWORD)
    return Console(harness, storage, server, corp, Api(server, corp), admin, ADMIN_USER,
                   ADMIN_PASSWORD)


# --- import files ----------------------------------------------------------------------------

ZH_HEADER = ["账号", "姓名", "IM账号", "手机", "邮箱", "部门", "职务"]
EN_HEADER = ["Account", "Name", "IM ID", "Mobile", "Email", "Departments", "Positions"]
KEYS = ["userid", "name", "im", "mobile", "email", "departments", "positions"]


def row(**kw) -> list:
    """A row under ZH_HEADER / EN_HEADER from keyword cells (missing ones empty)."""
    assert set(kw) <= set(KEYS), kw
    return [kw.get(k, "") for k in KEYS]


def csv_bytes(header: list, rows: list, encoding: str = "utf-8") -> bytes:
    def cell(v):
        v = "" if v is None else str(v)
        if any(c in v for c in ',"\r\n'):
            v = '"' + v.replace('"', '""') + '"'
        return v
    lines = [",".join(cell(c) for c in header)]
    lines += [",".join(cell(c) for c in r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(header: list, rows: list) -> bytes:
    """A workbook with `header` and `rows` in its first sheet; cells keep their Python types
    (an int becomes a numeric cell), None stays empty."""
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "成员"
    ws.append(header)
    for r in rows:
        ws.append([None if c == "" else c for c in r])
    other = wb.create_sheet("other")
    other.append(["账号", "姓名"])
    other.append(["not-imported", "第二张表"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read_xlsx(data: bytes) -> list:
    """The first sheet's rows as lists of cell values (trailing empty cells kept as None)."""
    import openpyxl
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    ws = wb.worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def read_csv(data: bytes) -> list:
    import csv
    assert data.startswith(b"\xef\xbb\xbf"), data[:16]
    text = data[3:].decode("utf-8")
    return [r for r in csv.reader(io.StringIO(text, newline=""))]


def dump(o) -> str:
    return json.dumps(o, ensure_ascii=False, sort_keys=True)
