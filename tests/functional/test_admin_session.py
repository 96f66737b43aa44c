"""/admin/api/session (docs/admin-api.md): login, the session cookie, the CSRF token, logout,
the login lock, and the rules every console call shares (401 without a session, 403 for a write
without the session's X-CSRF-Token, 400 for a body that is not JSON), on SQLite and PostgreSQL.

One server per backend; tests that lock or end sessions use admins or sessions of their own.
Logins cost an argon2id hash each, so the module keeps their number small.
"""
from __future__ import annotations

import email.utils
import re
import time

import pytest
import requests

from admin_api import (ADMIN_PASSWORD, ADMIN_USER, COOKIE, AdminClient, csv_bytes, error, ok,
                       row, start_console, uid, uname, ZH_HEADER)

LOCKED = ("locked-admin", "locked-password-1")
WRONG = ("wrong-admin", "wrong-password-ok-1")
OTHER = ("other-admin", "other-password-ok-1")
OTHER2 = ("third-admin", "third-password-ok-1")


@pytest.fixture(scope="module")
def console(module_harness, backend):
    return start_console(module_harness, backend, extra_admins=(LOCKED, WRONG, OTHER, OTHER2))


@pytest.fixture(scope="module")
def second(console):
    """A second session of the same admin (its CSRF token is not the first session's)."""
    c = console.client()
    c.login_ok(ADMIN_USER, ADMIN_PASSWORD)
    return c


def set_cookie(r: requests.Response) -> dict:
    """The Set-Cookie for corphub_admin as {"value", attrs...} (attribute names lower-case)."""
    headers = [v for k, v in r.raw.headers.items() if k.lower() == "set-cookie"]
    mine = [h for h in headers if h.split("=", 1)[0].strip() == COOKIE]
    assert len(mine) == 1, headers
    parts = [p.strip() for p in mine[0].split(";")]
    out = {"value": parts[0].split("=", 1)[1]}
    for p in parts[1:]:
        k, _, v = p.partition("=")
        out[k.strip().lower()] = v.strip() if _ else True
    return out


def has_session_cookie(r: requests.Response) -> bool:
    headers = [v for k, v in r.raw.headers.items() if k.lower() == "set-cookie"]
    return any(h.split("=", 1)[0].strip() == COOKIE and h.split("=", 1)[1].split(";")[0].strip()
               for h in headers)


def with_cookie(console, value: str) -> requests.Session:
    """A browser that sends exactly this cookie value."""
    s = requests.Session()
    s.headers["Cookie"] = f"{COOKIE}={value}"
    return s


# --- login -----------------------------------------------------------------------------------

def test_login_sets_a_strict_httponly_admin_cookie_and_answers_the_session(console):
    c = console.client()
    r = c.login(ADMIN_USER, ADMIN_PASSWORD)
    body = ok(r)
    assert body["admin"]["username"] == ADMIN_USER, body
    assert body["admin"]["role"] == "super", body
    assert type(body["admin"]["must_change_password"]) is bool, body
    assert type(body["csrf_token"]) is str and len(body["csrf_token"]) >= 16, body

    cookie = set_cookie(r)
    assert len(cookie["value"]) >= 16, cookie
    assert cookie.get("httponly") is True, cookie
    assert str(cookie.get("samesite", "")).lower() == "strict", cookie
    assert cookie.get("path") == "/admin", cookie

    # the session works: GET session answers the same object, and the token allows a write
    again = ok(c.get("/admin/api/session"))
    assert again == body, (again, body)
    name = uname("会话")
    id = c.create_dept(name)
    assert console.admin.dept(id)["name"] == name


def test_each_login_is_a_session_of_its_own(console, second):
    assert second.cookie and console.admin.cookie and second.cookie != console.admin.cookie
    assert second.csrf != console.admin.csrf
    assert ok(second.get("/admin/api/session"))["csrf_token"] == second.csrf
    assert ok(console.admin.get("/admin/api/session"))["csrf_token"] == console.admin.csrf


def test_wrong_password_is_401_invalid_credentials_and_gives_no_session(console):
    c = console.client()
    r = c.login(WRONG[0], WRONG[1] + "x")
    error(r, 401, "invalid_credentials")
    assert not has_session_cookie(r), r.headers
    error(c.get("/admin/api/session"), 401, "unauthenticated")
    # the right password still works (one failure does not lock)
    c.login_ok(*WRONG)


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(console):
    wrong = console.client().login(OTHER[0], "not-the-password-1")
    unknown = console.client().login("nobody-" + uid(), "not-the-password-1")
    error(wrong, 401, "invalid_credentials")
    error(unknown, 401, "invalid_credentials")
    assert unknown.json() == wrong.json(), (unknown.text, wrong.text)
    assert not has_session_cookie(unknown)


def test_five_failures_lock_the_username_even_for_the_right_password(console):
    c = console.client()
    for i in range(4):
        error(c.login(LOCKED[0], f"bad-password-{i}-x"), 401, "invalid_credentials")
    # The contract leaves open whether the fifth failure itself is answered 401 or already 429.
    fifth = c.login(LOCKED[0], "bad-password-4-x")
    assert (fifth.status_code, fifth.json()["code"]) in (
        (401, "invalid_credentials"), (429, "login_locked")), fifth.text
    r = c.login(*LOCKED)
    error(r, 429, "login_locked")
    assert not has_session_cookie(r)
    error(c.get("/admin/api/session"), 401, "unauthenticated")
    error(c.login(LOCKED[0], "bad-password-6-x"), 429, "login_locked")
    # the lock is for that username: another admin logs in
    other = console.client()
    other.login_ok(*OTHER)
    ok(other.get("/admin/api/session"))


def test_an_unknown_username_gets_the_same_answers_as_a_known_one_when_locked(console):
    """The answers to the same six failed tries: the same for an existing admin as for a name
    nobody has (else the lock tells which usernames exist)."""
    known, unknown = console.client(), console.client()
    ghost = "ghost-" + uid()
    for i in range(6):
        a = known.login(OTHER2[0], f"bad-password-{i}-x")
        b = unknown.login(ghost, f"bad-password-{i}-x")
        assert (b.status_code, b.json()["code"]) == (a.status_code, a.json()["code"]), (
            i, a.text, b.text)
    error(a, 429, "login_locked")


@pytest.mark.parametrize("body", [b"{not json", b"[]", b"", b'"text"'])
def test_login_with_a_body_that_is_not_a_json_object_is_400(console, body):
    r = requests.post(console.url + "/admin/api/session", data=body,
                      headers={"Content-Type": "application/json"}, timeout=10)
    error(r, 400, "invalid_json")
    assert not has_session_cookie(r)


@pytest.mark.parametrize("body", [{}, {"username": ADMIN_USER}, {"password": ADMIN_PASSWORD},
                                  {"username": 1, "password": ADMIN_PASSWORD}])
def test_login_without_username_and_password_strings_is_400(console, body):
    r = requests.post(console.url + "/admin/api/session", json=body, timeout=10)
    error(r, 400)
    assert not has_session_cookie(r)


# --- the session -----------------------------------------------------------------------------

ANY_CALLS = [
    ("GET", "/admin/api/session"),
    ("GET", "/admin/api/departments"),
    ("GET", "/admin/api/members"),
    ("GET", "/admin/api/tags"),
    ("GET", "/admin/api/imports/template?format=csv"),
    ("GET", "/admin/api/members/export?format=csv"),
    ("DELETE", "/admin/api/session"),
    ("POST", "/admin/api/departments"),
]


@pytest.mark.parametrize("method,path", ANY_CALLS)
def test_calls_without_a_session_are_401_unauthenticated(console, method, path):
    before = console.admin.tree()
    r = requests.request(method, console.url + path, json={"name": uname(), "parentid": 1},
                         timeout=10)
    error(r, 401, "unauthenticated")
    r = with_cookie(console, "made-up-session-token-0123456789").request(
        method, console.url + path, json={"name": uname(), "parentid": 1},
        headers={"X-CSRF-Token": console.admin.csrf}, timeout=10)
    error(r, 401, "unauthenticated")
    assert console.admin.tree() == before


@pytest.mark.parametrize("method,path", [("GET", "/admin/api/nothing-here"),
                                         ("GET", "/admin/api/members/zhangsan"),
                                         ("POST", "/admin/api/departments/2/children")])
def test_unknown_admin_api_addresses_are_a_json_404_not_the_console_page(console, method, path):
    r = console.admin.request(method, path)
    error(r, 404, "api_not_found")
    assert r.headers["Content-Type"].startswith("application/json"), r.headers


def test_get_session_answers_the_login_object(console):
    body = ok(console.admin.get("/admin/api/session"))
    assert body == {"admin": {"username": ADMIN_USER, "role": "super",
                              "must_change_password": body["admin"]["must_change_password"],
                              "totp_enabled": False},
                    "rights": {"super": True, "contacts": "edit", "devices": True, "apps": [],
                               "all_apps": True, "scope": {"departments": [], "tags": []}},
                    "csrf_token": console.admin.csrf}, body


def test_logout_ends_the_session_on_the_server(console):
    c = console.client()
    c.login_ok(ADMIN_USER, ADMIN_PASSWORD)
    token, csrf = c.cookie, c.csrf
    assert token

    # logging out is a write: it needs the token too
    error(c.delete("/admin/api/session", csrf=None), 403, "csrf_mismatch")
    ok(c.get("/admin/api/session"))

    r = c.delete("/admin/api/session")
    ok(r, 204)
    cleared = set_cookie(r)
    assert cleared["value"] in ("", '""'), cleared
    assert cleared.get("path") == "/admin", cleared
    expired = cleared.get("max-age") == "0"
    if "expires" in cleared:
        expired = expired or email.utils.parsedate_to_datetime(cleared["expires"]).timestamp() \
            < time.time()
    assert expired, cleared
    error(c.get("/admin/api/session"), 401, "unauthenticated")

    # a copy of the old cookie no longer works either: the session ended on the server
    old = with_cookie(console, token)
    error(old.get(console.url + "/admin/api/session", timeout=10), 401, "unauthenticated")
    error(old.get(console.url + "/admin/api/departments", timeout=10), 401, "unauthenticated")
    before = console.admin.tree()
    error(old.post(console.url + "/admin/api/departments", json={"name": uname(), "parentid": 1},
                   headers={"X-CSRF-Token": csrf}, timeout=10), 401, "unauthenticated")
    assert console.admin.tree() == before
    # and other sessions are untouched
    ok(console.admin.get("/admin/api/session"))


# --- CSRF ------------------------------------------------------------------------------------

def _writes(console):
    """(method, path, kwargs) of one write of each kind, each of which would change the
    directory if it were let through."""
    d = console.admin.create_dept(uname("csrf"))
    child = console.admin.create_dept(uname("csrf子"), parentid=d)
    u = console.new_member(d)
    data = csv_bytes(ZH_HEADER, [row(userid=uid(), name="跨站", mobile="13911112222")])
    return [
        ("POST", "/admin/api/departments", {"json": {"name": uname(), "parentid": d}}),
        ("PATCH", f"/admin/api/departments/{child}", {"json": {"name": uname("改名")}}),
        ("DELETE", f"/admin/api/departments/{child}", {}),
        ("POST", "/admin/api/members/bulk", {"json": {"action": "delete", "userids": [u]}}),
        ("POST", "/admin/api/members/bulk",
         {"json": {"action": "move", "userids": [u], "department_id": child}}),
        ("POST", "/admin/api/imports", {"files": {"file": ("m.csv", data)}}),
        ("POST", "/admin/api/imports?dry_run=1", {"files": {"file": ("m.csv", data)}}),
    ]


@pytest.mark.parametrize("how", ["missing", "empty", "wrong", "another_session"])
def test_writes_without_the_sessions_csrf_token_are_403_and_change_nothing(console, second,
                                                                           how):
    writes = _writes(console)
    before = console.snapshot()
    token = {"missing": None, "empty": "", "wrong": console.admin.csrf[:-1] + (
        "A" if console.admin.csrf[-1] != "A" else "B"), "another_session": second.csrf}[how]
    for method, path, kw in writes:
        r = console.admin.request(method, path, csrf=token, **kw)
        error(r, 403, "csrf_mismatch")
    assert console.snapshot() == before


def test_the_token_is_a_header_not_a_query_parameter_or_body_field(console):
    before = console.admin.tree()
    r = console.admin.post("/admin/api/departments", csrf=None,
                           params={"csrf_token": console.admin.csrf},
                           json={"name": uname(), "parentid": 1, "csrf_token": console.admin.csrf})
    error(r, 403, "csrf_mismatch")
    assert console.admin.tree() == before


# --- bodies ----------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [b"{\"name\": ", b"not json", b"[1, 2]", b""])
def test_write_bodies_that_are_not_json_objects_are_400_and_change_nothing(console, body):
    d = console.admin.create_dept(uname("json"))
    u = console.new_member(d)
    before = console.snapshot()
    for method, path in [("POST", "/admin/api/departments"),
                         ("PATCH", f"/admin/api/departments/{d}"),
                         ("POST", "/admin/api/members/bulk")]:
        r = console.admin.request(method, path, data=body,
                                  headers={"Content-Type": "application/json"})
        error(r, 400, "invalid_json")
    assert console.snapshot() == before
    assert console.cgi.member(u)["department"] == [d]


# --- the first admin -------------------------------------------------------------------------

def test_the_first_admin_signs_in_with_the_password_printed_at_the_first_start(module_harness,
                                                                               backend):
    server = module_harness.server(module_harness.storage(backend))
    out = server.stdout_text()
    m = re.search(r"username: (\S+)\s+password: (\S+)", out)
    assert m, out
    c = AdminClient(server.url)
    body = c.login_ok(m.group(1), m.group(2))
    assert body["admin"]["username"] == m.group(1) == "admin", body
    assert body["admin"]["role"] == "super", body
    assert ok(c.get("/admin/api/session"))["csrf_token"] == body["csrf_token"]
    # a restart prints no password again (it was shown only once)
    server.stop()
    server.start()
    assert "password:" not in server.stdout_text(), server.stdout_text()
    c2 = AdminClient(server.url)
    c2.login_ok(m.group(1), m.group(2))
