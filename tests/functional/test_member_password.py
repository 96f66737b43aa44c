"""Members' optional password, on SQLite and PostgreSQL (docs/member-api.md, "Password"): a
signed-in member sets one; another device then signs in with the registered mobile or e-mail
and the password instead of a code. One answer for every failure; wrong passwords lock it.
"""
from __future__ import annotations

import pytest
import requests

from admin_api import error, ok
from identity_site import DESKTOP_UA, Site
from member_api import MEMBER_COOKIE
from outbound_sinks import SmsGateway, SmtpSink

PASSWORD = "garden-Path-2026"


@pytest.fixture(scope="module")
def sinks():
    smtp, sms = SmtpSink().start(), SmsGateway().start()
    yield smtp, sms
    smtp.stop()
    sms.stop()


@pytest.fixture(scope="module")
def site(module_harness, backend, sinks):
    return Site(module_harness, backend, sinks, CORPHUB_IDENTITY_REQUESTS_PER_HOUR=100000,
                CORPHUB_IDENTITY_CODE_INTERVAL_S=0)


def sign_in(site, identifier: str, password: str, ua: str = DESKTOP_UA) -> requests.Response:
    return requests.post(site.server.url + "/api/v1/auth/password",
                         json={"identifier": identifier, "password": password},
                         headers={"User-Agent": ua}, timeout=30)


def test_a_member_sets_a_password_and_another_device_signs_in_with_it(site):
    m = site.member(email=True)
    phone = site.sign_in(m["mobile"])
    assert ok(phone.get("/api/v1/password")) == {"set": False}
    error(phone.http.put(site.server.url + "/api/v1/password", json={"password": "short"},
                         timeout=30), 400, "invalid_argument")
    assert ok(phone.http.put(site.server.url + "/api/v1/password",
                             json={"password": PASSWORD}, timeout=30)) == {"set": True}
    assert ok(phone.get("/api/v1/password")) == {"set": True}

    for identifier in (m["mobile"], m["email"].upper()):
        r = sign_in(site, identifier, PASSWORD)
        body = ok(r)
        assert body["result"] == "signed_in" and body["userid"] == m["userid"]
        assert r.cookies.get(MEMBER_COOKIE) and body["csrf_token"]
    devices = ok(phone.get("/api/v1/sessions"))["sessions"]
    assert len(devices) == 3 and devices[0]["device"] == "Edge on Windows", devices

    # Changing it needs the current one; the old one stops working.
    error(phone.http.put(site.server.url + "/api/v1/password",
                         json={"current": "wrong", "password": "another-Pass-1"}, timeout=30),
          401, "invalid_credentials")
    ok(phone.http.put(site.server.url + "/api/v1/password",
                      json={"current": PASSWORD, "password": "another-Pass-1"}, timeout=30))
    error(sign_in(site, m["mobile"], PASSWORD), 401, "invalid_credentials")
    ok(sign_in(site, m["mobile"], "another-Pass-1"))
    # Removing it needs it too.
    error(phone.post("/api/v1/password/remove", json={"current": PASSWORD}), 401,
          "invalid_credentials")
    assert ok(phone.post("/api/v1/password/remove", json={"current": "another-Pass-1"})) == \
        {"set": False}
    error(sign_in(site, m["mobile"], "another-Pass-1"), 401, "invalid_credentials")
    actions = [e["action"] for e in
               ok(site.admin.get(f"/admin/api/audit?target={m['userid']}&action=member."))
               ["entries"]]
    assert actions == ["member.password_remove", "member.password_set", "member.password_set"]


def test_every_failure_gets_the_same_answer(site):
    with_pw = site.member()
    dev = site.sign_in(with_pw["mobile"])
    ok(dev.http.put(site.server.url + "/api/v1/password", json={"password": PASSWORD},
                    timeout=30))
    without = site.member()
    site.sign_in(without["mobile"])
    answers = [error(sign_in(site, ident, pw), 401, "invalid_credentials")["message"]
               for ident, pw in ((with_pw["mobile"], "wrong-password"),
                                 (without["mobile"], PASSWORD),
                                 ("19999999999", PASSWORD), ("", ""))]
    assert len(set(answers)) == 1, answers


def test_writes_need_the_session_and_its_csrf_token(site):
    m = site.member()
    dev = site.sign_in(m["mobile"])
    r = requests.put(site.server.url + "/api/v1/password", json={"password": PASSWORD},
                     cookies={MEMBER_COOKIE: dev.token}, timeout=30)
    error(r, 403, "csrf_mismatch")
    error(requests.get(site.server.url + "/api/v1/password", timeout=30), 401, "unauthenticated")
    r = requests.post(site.server.url + "/api/v1/auth/password",
                      data={"identifier": m["mobile"], "password": PASSWORD}, timeout=30)
    error(r, 400, "invalid_argument")


def test_wrong_passwords_lock_it_and_a_frozen_member_cannot_use_it(site):
    m = site.member()
    dev = site.sign_in(m["mobile"])
    ok(dev.http.put(site.server.url + "/api/v1/password", json={"password": PASSWORD},
                    timeout=30))
    for _ in range(4):
        error(sign_in(site, m["mobile"], "nope-nope"), 401, "invalid_credentials")
    body = error(sign_in(site, m["mobile"], "nope-nope"), 429, "login_locked")
    assert "code" in body["message"], "the way out is a code"
    error(sign_in(site, m["mobile"], PASSWORD), 429, "login_locked")
    # A code still signs in while the password is locked.
    site.sign_in(m["mobile"])

    other = site.member()
    dev2 = site.sign_in(other["mobile"])
    ok(dev2.http.put(site.server.url + "/api/v1/password", json={"password": PASSWORD},
                     timeout=30))
    assert site.contacts.post("user/update", {"userid": other["userid"], "enable": 0})[
        "errcode"] == 0
    error(sign_in(site, other["mobile"], PASSWORD), 403, "account_unavailable")


def test_the_address_limit_covers_failed_password_tries_only(harness, backend, sinks):
    tight = Site(harness, backend, sinks, CORPHUB_IDENTITY_REQUESTS_PER_HOUR=4,
                 CORPHUB_IDENTITY_CODE_INTERVAL_S=0)
    m = tight.member()
    dev = tight.sign_in(m["mobile"])  # codes have a limiter of their own
    ok(dev.http.put(tight.server.url + "/api/v1/password", json={"password": PASSWORD},
                    timeout=30))
    for _ in range(5):
        ok(sign_in(tight, m["mobile"], PASSWORD))  # successes do not count
    for _ in range(4):
        error(sign_in(tight, "13900000000", "whatever-1"), 401, "invalid_credentials")
    error(sign_in(tight, "13900000000", "whatever-1"), 429, "rate_limited")


def test_the_length_is_counted_in_characters(site):
    m = site.member()
    dev = site.sign_in(m["mobile"])
    error(dev.http.put(site.server.url + "/api/v1/password", json={"password": "密码密码abc"},
                       timeout=30), 400, "invalid_argument")
    ok(dev.http.put(site.server.url + "/api/v1/password", json={"password": "我的密码很长很长"},
                    timeout=30))
    ok(sign_in(site, m["mobile"], "我的密码很长很长"))


def test_guessing_the_current_password_locks_it_too(site):
    m = site.member()
    dev = site.sign_in(m["mobile"])
    ok(dev.http.put(site.server.url + "/api/v1/password", json={"password": PASSWORD},
                    timeout=30))
    for _ in range(4):
        error(dev.http.put(site.server.url + "/api/v1/password",
                           json={"current": "guess-guess", "password": "new-Pass-1234"},
                           timeout=30), 401, "invalid_credentials")
    error(dev.post("/api/v1/password/remove", json={"current": "guess-guess"}), 429,
          "login_locked")
    error(dev.http.put(site.server.url + "/api/v1/password",
                       json={"current": PASSWORD, "password": "new-Pass-1234"}, timeout=30),
          429, "login_locked")
    error(sign_in(site, m["mobile"], PASSWORD), 429, "login_locked")
