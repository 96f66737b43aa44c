"""Administrators' two-step login (TOTP, RFC 6238), on SQLite and PostgreSQL
(docs/admin-api.md "Two-step login"): set up with the password, confirmed by the app's first
code, then every login asks for a code; recovery codes work once each; wrong codes count
towards the lock; turning it off needs the password; `corphub admin reset-totp` is the way back
for one who lost everything. Codes are computed here as an authenticator app would.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time
import urllib.parse

import pytest

from admin_api import COOKIE, AdminClient, create_admin, error, ok, uid
from wecom_api import corp_show

PASSWORD = "totp-Passw0rd-long"


def totp(secret_b32: str, at: float | None = None, offset: int = 0) -> str:
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    step = int((time.time() if at is None else at) // 30) + offset
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    o = mac[-1] & 0x0F
    value = (struct.unpack(">I", mac[o:o + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{value:06d}"


@pytest.fixture(scope="module")
def server(module_harness, backend):
    storage = module_harness.storage(backend)
    corp_show(module_harness, storage)
    srv = module_harness.server(storage)
    return module_harness, storage, srv


def admin_of(server) -> tuple[str, AdminClient]:
    harness, storage, srv = server
    name = uid("t")
    create_admin(harness, storage, name, PASSWORD)
    client = AdminClient(srv.url)
    client.login_ok(name, PASSWORD)
    return name, client


ENROLLED_AT: dict[str, float] = {}


def enrol(client: AdminClient) -> tuple[str, list[str]]:
    setup = ok(client.post("/admin/api/account/totp/setup", json={"password": PASSWORD}))
    assert "no-store" in client.post("/admin/api/account/totp/setup",
                                     json={"password": PASSWORD}).headers["Cache-Control"]
    setup = ok(client.post("/admin/api/account/totp/setup", json={"password": PASSWORD}))
    at = time.time()
    done = ok(client.post("/admin/api/account/totp/enable",
                          json={"code": totp(setup["secret"], at=at)}))
    ENROLLED_AT[setup["secret"]] = at
    return setup["secret"], done["recovery_codes"]


def login(srv, name: str, password: str = PASSWORD, code: str | None = None):
    c = AdminClient(srv.url)
    body = {"username": name, "password": password}
    if code is not None:
        body["code"] = code
    r = c.http.post(srv.url + "/admin/api/session", json=body, timeout=30)
    return c, r


def test_setup_needs_the_password_and_the_first_code_confirms_it(server):
    _, _, srv = server
    name, client = admin_of(server)
    assert ok(client.get("/admin/api/account/totp")) == \
        {"enabled": False, "pending": False, "recovery_codes_left": 0}
    error(client.post("/admin/api/account/totp/setup", json={"password": "wrong"}), 401,
          "invalid_credentials")
    error(client.post("/admin/api/account/totp/setup", json={"password": PASSWORD}, csrf=None),
          403, "csrf_mismatch")
    setup = ok(client.post("/admin/api/account/totp/setup", json={"password": PASSWORD}))
    secret = setup["secret"]
    assert len(base64.b32decode(secret + "=" * (-len(secret) % 8))) == 20, "160-bit secret"
    uri = urllib.parse.urlparse(setup["otpauth_uri"])
    assert uri.scheme == "otpauth" and uri.netloc == "totp"
    assert urllib.parse.unquote(uri.path) == f"/corphub:{name}"
    q = urllib.parse.parse_qs(uri.query)
    assert q["secret"] == [secret] and q["issuer"] == ["corphub"] and q["digits"] == ["6"]
    assert ok(client.get("/admin/api/account/totp"))["pending"] is True
    # Pending is not on: the password alone still logs in.
    _, r = login(srv, name)
    assert r.status_code == 200, r.text

    error(client.post("/admin/api/account/totp/enable", json={"code": "000000"
                      if totp(secret) != "000000" else "111111"}), 401, "totp_invalid")
    done = ok(client.post("/admin/api/account/totp/enable", json={"code": totp(secret)}))
    codes = done["recovery_codes"]
    assert done["enabled"] is True and len(codes) == 10 and len(set(codes)) == 10
    assert all(len(c) == 11 and c[5] == "-" for c in codes), codes
    assert ok(client.get("/admin/api/account/totp")) == \
        {"enabled": True, "pending": False, "recovery_codes_left": 10}
    assert ok(client.get("/admin/api/session"))["admin"]["totp_enabled"] is True
    error(client.post("/admin/api/account/totp/setup", json={"password": PASSWORD}), 409,
          "conflict")
    audit = [e for e in ok(client.get(f"/admin/api/audit?target={name}"))["entries"]
             if e["action"].startswith("admin.totp")]
    assert [e["action"] for e in audit] == ["admin.totp_enable"], audit
    assert audit[0]["actor"] == f"admin:{name}"


def test_every_login_then_asks_for_a_code_that_works_once(server):
    _, _, srv = server
    name, client = admin_of(server)
    secret, _ = enrol(client)
    c, r = login(srv, name)
    body = error(r, 401, "totp_required")
    assert "code" in body["message"] and c.http.cookies.get(COOKIE) is None
    c, r = login(srv, name, password="wrong", code=totp(secret))
    error(r, 401, "invalid_credentials")
    # The code that confirmed the setup was spent then: it does not work again (its step is
    # taken from the enrolment's time, so crossing a 30-second boundary meanwhile changes nothing).
    at = ENROLLED_AT[secret]
    _, r = login(srv, name, code=totp(secret, at=at))
    error(r, 401, "totp_invalid")
    # The next step's code (one step of clock drift is allowed) logs in, once.
    c, r = login(srv, name, code=totp(secret, at=at, offset=1))
    assert r.status_code == 200, r.text
    assert r.json()["admin"]["totp_enabled"] is True and c.http.cookies.get(COOKIE)
    _, r = login(srv, name, code=totp(secret, at=at, offset=1))
    error(r, 401, "totp_invalid")
    _, r = login(srv, name, code=totp(secret, offset=-3))
    error(r, 401, "totp_invalid")
    _, r = login(srv, name, code=5)
    error(r, 400, "invalid_argument")


def test_recovery_codes_work_once_each(server):
    _, _, srv = server
    name, client = admin_of(server)
    _, codes = enrol(client)
    _, r = login(srv, name, code=codes[0].upper())
    assert r.status_code == 200, r.text
    _, r = login(srv, name, code=codes[0])
    error(r, 401, "totp_invalid")
    _, r = login(srv, name, code=codes[1].replace("-", ""))
    assert r.status_code == 200, r.text
    assert ok(client.get("/admin/api/account/totp"))["recovery_codes_left"] == 8


def test_wrong_codes_lock_the_account_like_wrong_passwords(server):
    _, _, srv = server
    name, client = admin_of(server)
    secret, _ = enrol(client)
    right = totp(secret, offset=1)
    wrong = "123456" if right != "123456" else "654321"
    for _ in range(4):
        _, r = login(srv, name, code=wrong)
        error(r, 401, "totp_invalid")
    _, r = login(srv, name, code=wrong)
    error(r, 429, "login_locked")
    _, r = login(srv, name, code=right)
    error(r, 429, "login_locked")


def test_turning_it_off_needs_the_password(server):
    _, _, srv = server
    name, client = admin_of(server)
    enrol(client)
    error(client.post("/admin/api/account/totp/disable", json={"password": "nope"}), 401,
          "invalid_credentials")
    assert ok(client.post("/admin/api/account/totp/disable", json={"password": PASSWORD})) == \
        {"enabled": False}
    _, r = login(srv, name)
    assert r.status_code == 200, r.text
    assert ok(client.get("/admin/api/account/totp"))["recovery_codes_left"] == 0
    actions = [e["action"] for e in
               ok(client.get(f"/admin/api/audit?target={name}"))["entries"]
               if e["action"].startswith("admin.totp")]
    assert actions == ["admin.totp_disable", "admin.totp_enable"], actions


def test_the_command_line_resets_a_lost_second_factor(server):
    harness, storage, srv = server
    name, client = admin_of(server)
    enrol(client)
    r = harness.cli("admin", "reset-totp", "--username", name, storage=storage)
    assert r.returncode == 0, (r.stdout, r.stderr)
    assert "off" in r.stdout
    _, r2 = login(srv, name)
    assert r2.status_code == 200, r2.text
    r = harness.cli("admin", "reset-totp", "--username", "nobody-" + uid(), storage=storage)
    assert r.returncode != 0 and "nobody" in r.stderr
    audit = ok(client.get(f"/admin/api/audit?target={name}&actor=cli"))["entries"]
    assert [e["action"] for e in audit] == ["admin.totp_disable"], audit


def test_logins_and_their_failures_are_audited(server):
    _, _, srv = server
    name, client = admin_of(server)
    secret, _ = enrol(client)
    login(srv, name, password="wrong")
    login(srv, name, code="000000" if totp(secret, offset=1) != "000000" else "111111")
    c, r = login(srv, name, code=totp(secret, offset=1))
    assert r.status_code == 200
    c.csrf = r.json()["csrf_token"]
    assert c.delete("/admin/api/session").status_code == 204
    entries = ok(client.get(f"/admin/api/audit?target={name}&action=admin.login_failed"))[
        "entries"]
    assert [e["detail"]["reason"] for e in entries] == ["totp_invalid", "invalid_credentials"]
    assert all(e["address"] == "127.0.0.1" and e["actor"] == f"admin:{name}" for e in entries)
    ins = ok(client.get(f"/admin/api/audit?target={name}&action=admin.login"))["entries"]
    assert ins[0]["detail"] == {"totp": True} and ins[-1]["detail"] == {"totp": False}
    outs = ok(client.get(f"/admin/api/audit?target={name}&action=admin.logout"))["entries"]
    assert len(outs) == 1


def test_the_account_routes_need_a_session(server):
    _, _, srv = server
    anon = AdminClient(srv.url)
    error(anon.get("/admin/api/account/totp"), 401, "unauthenticated")
    error(anon.post("/admin/api/account/totp/setup", json={"password": PASSWORD}), 401,
          "unauthenticated")
