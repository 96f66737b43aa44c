"""Verified activation and sign-in, on SQLite and PostgreSQL (docs/member-api.md, "Sign-in"):
a member names their registered mobile or e-mail, the code arrives by SMS (an HTTP gateway
stand-in) or e-mail (a real SMTP server, aiosmtpd), and the right code activates the account or
signs a device in; devices are listed and ended; a freeze cuts the member's open stream; second
verification holds activations for an administrator (the console or user/authsucc).

Each test makes its own members. Rate limits are tested on a server of their own with small
limits; the shared server's limits are high enough for the whole module.
"""
from __future__ import annotations

import json
import time

import pytest
import requests
import websocket

from admin_api import ADMIN_USER, error, ok
from identity_site import DESKTOP_UA, PHONE_UA, Device, Site
from member_api import (MEMBER_COOKIE, TESTING_ENV, new_mobile, new_userid,
                        recv_json)
from outbound_sinks import SmsGateway, SmtpSink, outbound_env, sms_code
from wecom_api import Api, corp_show

@pytest.fixture(scope="module")
def sinks():
    smtp, sms = SmtpSink().start(), SmsGateway().start()
    yield smtp, sms
    smtp.stop()
    sms.stop()


@pytest.fixture(scope="module")
def site(module_harness, backend, sinks):
    return Site(module_harness, backend, sinks, CORPHUB_IDENTITY_REQUESTS_PER_HOUR=100000,
                CORPHUB_IDENTITY_CODE_INTERVAL_S=0, CORPHUB_IDENTITY_CODES_PER_DAY=1000)


# --- activation by e-mail and SMS ----------------------------------------------------------

def test_an_emailed_code_activates_a_new_member_and_opens_a_session(site):
    m = site.member(email=True)
    assert site.status(m["userid"]) == 4, "created members wait for activation"
    before = site.smtp.count()
    sent = ok(site.ask(m["email"].upper()))  # e-mail addresses match ignoring case
    assert set(sent) == {"challenge", "channel", "sent_to", "expires_at", "resend_after"}, sent
    assert sent["channel"] == "email"
    assert sent["sent_to"] == m["userid"][0] + "***@example.com"
    assert len(sent["challenge"]) == 43 and sent["challenge"].isalnum()
    assert 500 <= sent["expires_at"] - time.time() <= 700

    mail = site.smtp.wait_for(m["email"], after=before)
    assert mail.mail_from == "noreply@corphub.test"
    assert "验证码" in mail.subject and "verification code" in mail.subject
    assert m["name"] in mail.text and "10 分钟" in mail.text and "10 minutes" in mail.text
    assert mail.message["From"].addresses[0].display_name == "企业门户"
    code = mail.code()
    site.codes.append(code)

    r = site.verify(sent["challenge"], code)
    body = ok(r)
    assert body["result"] == "activated" and body["userid"] == m["userid"], body
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie, cookie
    assert site.status(m["userid"]) == 1

    device = Device(site, r.cookies[MEMBER_COOKIE], body["csrf_token"])
    me = ok(device.get("/api/v1/me"))
    assert me["userid"] == m["userid"] and me["csrf_token"] == body["csrf_token"]

    again = site.verify(sent["challenge"], code)
    error(again, 400, "code_expired")


def test_an_sms_code_activates_then_signs_in_a_second_device(site):
    m = site.member()
    before = site.sms.count()
    sent = ok(site.ask(m["mobile"][:3] + " " + m["mobile"][3:7] + "-" + m["mobile"][7:]))
    assert sent["channel"] == "sms"
    assert sent["sent_to"] == m["mobile"][:3] + "****" + m["mobile"][-4:]
    req = site.sms.wait_for(m["mobile"], after=before)
    assert req["headers"]["authorization"] == "Bearer gateway-key"
    assert req["headers"]["content-type"] == "application/json"
    assert "验证码" in req["json"]["text"]
    code = sms_code(req)
    site.codes.append(code)
    first = ok(site.verify(sent["challenge"], code))
    assert first["result"] == "activated"

    phone = site.sign_in(m["mobile"], PHONE_UA)
    desk = site.sign_in(m["mobile"], DESKTOP_UA)
    sessions = ok(desk.get("/api/v1/sessions"))["sessions"]
    assert len(sessions) == 3, sessions
    assert [s["current"] for s in sessions] == [True, False, False], "newest first"
    assert sessions[0]["device"] == "Edge on Windows"
    assert sessions[1]["device"] == "Chrome on Android"
    assert set(sessions[0]) == {"id", "device", "address", "created_at", "last_seen_at",
                                "current"}

    # The desktop ends the phone's session: the phone is signed out.
    ok(desk.delete(f"/api/v1/sessions/{sessions[1]['id']}"))
    error(phone.get("/api/v1/me"), 401, "unauthenticated")
    error(desk.delete(f"/api/v1/sessions/{sessions[1]['id']}"), 404, "not_found")
    # And then every other one.
    assert ok(desk.post("/api/v1/sessions/end_others"))["ended"] == 1
    assert [s["current"] for s in ok(desk.get("/api/v1/sessions"))["sessions"]] == [True]


def test_session_changes_need_the_csrf_token(site):
    m = site.member()
    device = site.sign_in(m["mobile"])
    bare = requests.Session()
    bare.cookies.set(MEMBER_COOKIE, device.token)
    r = bare.post(site.server.url + "/api/v1/sessions/end_others", timeout=30)
    error(r, 403, "csrf_mismatch")
    r = bare.post(site.server.url + "/api/v1/logout", timeout=30)
    error(r, 403, "csrf_mismatch")
    ok(device.get("/api/v1/me"))


def test_sign_in_takes_only_json_bodies(site):
    m = site.member()
    r = requests.post(site.server.url + "/api/v1/auth/code", data={"identifier": m["mobile"]},
                      timeout=30)
    error(r, 400, "invalid_argument")


def test_an_unknown_mobile_or_email_says_so_without_naming_anyone(site):
    site.member(email=True)
    r = site.ask(new_mobile())
    body = error(r, 404, "no_match")
    assert "mobile" in body["message"]
    body = error(site.ask("nobody-here@example.com"), 404, "no_match")
    assert "e-mail" in body["message"]
    error(site.ask("not a number"), 400, "invalid_argument")
    error(site.ask(""), 400, "invalid_argument")


def test_wrong_codes_run_out_and_then_even_the_right_one_fails(site):
    m = site.member()
    sent, code = site.sms_code_for(m["mobile"])
    wrong = "%06d" % ((int(code) + 1) % 1000000)
    for left in (4, 3, 2, 1):
        body = error(site.verify(sent["challenge"], wrong), 400, "wrong_code")
        assert f"{left} tr" in body["message"], body
    error(site.verify(sent["challenge"], wrong), 400, "code_expired")
    error(site.verify(sent["challenge"], code), 400, "code_expired")
    assert site.status(m["userid"]) == 4
    error(site.verify(sent["challenge"], "12ab56"), 400, "wrong_code")
    error(site.verify("x" * 43, code), 400, "code_expired")


def test_a_new_code_replaces_the_old_one(site):
    m = site.member()
    first, first_code = site.sms_code_for(m["mobile"])
    second, second_code = site.sms_code_for(m["mobile"])
    error(site.verify(first["challenge"], first_code), 400, "code_expired")
    assert ok(site.verify(second["challenge"], second_code))["result"] == "activated"


# --- freezing ------------------------------------------------------------------------------

def test_freezing_cuts_the_open_stream_within_a_second_and_blocks_sign_in(site):
    m = site.member()
    device = site.sign_in(m["mobile"])
    ws = device.stream()
    started = time.monotonic()
    res = site.contacts.post("user/update", {"userid": m["userid"], "enable": 0})
    assert res["errcode"] == 0, res
    ws.settimeout(5)
    msg = json.loads(ws.recv())
    elapsed = time.monotonic() - started
    assert msg["type"] == "error" and msg["code"] == "unauthenticated", msg
    assert elapsed < 1.0, f"the stream was cut after {elapsed:.2f}s"
    try:
        assert ws.recv() in ("", None), "nothing after the error but the close"
    except websocket.WebSocketConnectionClosedException:
        pass
    error(device.get("/api/v1/me"), 401, "unauthenticated")
    error(site.ask(m["mobile"]), 403, "account_unavailable")

    # Unfrozen, the member's session speaks again and a new code can be asked for.
    res = site.contacts.post("user/update", {"userid": m["userid"], "enable": 1})
    assert res["errcode"] == 0, res
    ok(device.get("/api/v1/me"))
    ok(site.ask(m["mobile"]))


def test_a_departed_members_stream_is_cut_too(site):
    m = site.member()
    device = site.sign_in(m["mobile"])
    ws = device.stream()
    res = site.contacts.get("user/delete", {"userid": m["userid"]})
    assert res["errcode"] == 0, res
    ws.settimeout(5)
    assert json.loads(ws.recv())["code"] == "unauthenticated"
    error(site.ask(m["mobile"]), 404, "no_match")


def test_signing_out_cuts_that_devices_stream_only(site):
    m = site.member()
    a, b = site.sign_in(m["mobile"]), site.sign_in(m["mobile"], DESKTOP_UA)
    wa, wb = a.stream(), b.stream()
    ok(a.post("/api/v1/logout"))
    wa.settimeout(5)
    assert json.loads(wa.recv())["code"] == "unauthenticated"
    wb.send(json.dumps({"type": "ping"}))
    assert recv_json(wb, 5)["type"] == "pong", "the other device stays connected"
    wb.close()


def test_an_administrator_logs_a_member_out_everywhere(site):
    m = site.member()
    a, b = site.sign_in(m["mobile"]), site.sign_in(m["mobile"], DESKTOP_UA)
    ws = a.stream()
    listed = ok(site.admin.get(f"/admin/api/members/{m['userid']}/sessions"))["sessions"]
    assert len(listed) == 2 and {s["device"] for s in listed} == {"Chrome on Android",
                                                                 "Edge on Windows"}
    error(site.admin.post(f"/admin/api/members/{m['userid']}/sessions/end", csrf=False), 403,
          "csrf_mismatch")
    assert ok(site.admin.post(f"/admin/api/members/{m['userid']}/sessions/end"))["ended"] == 2
    ws.settimeout(5)
    assert json.loads(ws.recv())["code"] == "unauthenticated"
    error(a.get("/api/v1/me"), 401)
    error(b.get("/api/v1/me"), 401)
    error(site.admin.get("/admin/api/members/nobody/sessions"), 404, "user_not_found")


# --- second verification -------------------------------------------------------------------

def test_second_verification_holds_activation_for_an_administrator(site):
    settings = ok(site.admin.get("/admin/api/identity/settings"))
    assert settings == {"second_verification": False, "open_registration": False,
                        "mail_enabled": True, "sms_enabled": True}, settings
    error(site.admin.request("PUT", "/admin/api/identity/settings",
                             json={"second_verification": "yes"}), 400, "invalid_argument")
    ok(site.admin.request("PUT", "/admin/api/identity/settings",
                          json={"second_verification": True}))
    try:
        m, n = site.member(), site.member()
        for who in (m, n):
            sent, code = site.sms_code_for(who["mobile"])
            r = site.verify(sent["challenge"], code)
            assert ok(r, 202) == {"result": "pending_approval", "userid": who["userid"]}
            assert MEMBER_COOKIE not in r.cookies, "no session before the approval"
            assert site.status(who["userid"]) == 4
        pending = ok(site.admin.get("/admin/api/identity/pending"))["pending"]
        mine = [p for p in pending if p["userid"] in (m["userid"], n["userid"])]
        assert [p["userid"] for p in mine] == [m["userid"], n["userid"]], pending
        assert mine[0]["channel"] == "sms" and mine[0]["name"] == m["name"]

        # The console approves one; the organisation's own system confirms the other.
        ok(site.admin.post(f"/admin/api/identity/pending/{m['userid']}/approve"))
        res = site.contacts.get("user/authsucc", {"userid": n["userid"]})
        assert res["errcode"] == 0, res
        assert site.status(m["userid"]) == 1 and site.status(n["userid"]) == 1
        left = ok(site.admin.get("/admin/api/identity/pending"))["pending"]
        assert not [p for p in left if p["userid"] in (m["userid"], n["userid"])], left

        # Approved, the member signs in as anyone active does.
        sent, code = site.sms_code_for(m["mobile"])
        assert ok(site.verify(sent["challenge"], code))["result"] == "signed_in"

        # A rejection leaves the member waiting to be activated, off the queue.
        x = site.member()
        sent, code = site.sms_code_for(x["mobile"])
        ok(site.verify(sent["challenge"], code), 202)
        ok(site.admin.post(f"/admin/api/identity/pending/{x['userid']}/reject"))
        assert site.status(x["userid"]) == 4
        assert x["userid"] not in [p["userid"] for p in
                                   ok(site.admin.get("/admin/api/identity/pending"))["pending"]]
    finally:
        ok(site.admin.request("PUT", "/admin/api/identity/settings",
                              json={"second_verification": False}))


# --- delivery and secrets ------------------------------------------------------------------

def test_a_gateway_failure_is_reported_and_its_code_never_works(site):
    m = site.member()
    site.sms.status = 500
    try:
        before = site.sms.count()
        body = error(site.ask(m["mobile"]), 502, "delivery_failed")
        assert "HTTP 500" in body["message"] and "gateway-key" not in body["message"]
        code = sms_code(site.sms.wait_for(m["mobile"], after=before))
        site.codes.append(code)
    finally:
        site.sms.status = 200
    assert site.status(m["userid"]) == 4
    # The member asks again and gets a working code.
    device = site.sign_in(m["mobile"])
    ok(device.get("/api/v1/me"))


def test_no_code_or_token_reaches_the_logs(site):
    assert len(site.codes) >= 5, "the tests above sent codes"
    m = site.member()
    device = site.sign_in(m["mobile"])
    logs = site.server.stdout_text() + site.server.stderr_text()
    assert "/api/v1/auth/verify" in logs, "the access log is on"
    for code in site.codes:
        assert code not in logs, f"code {code} is in the logs"
    assert device.token not in logs and device.csrf not in logs
    assert "gateway-key" not in logs


# --- limits --------------------------------------------------------------------------------

def test_requests_and_wrong_codes_are_limited(harness, backend, sinks):
    tight = Site(harness, backend, sinks, CORPHUB_IDENTITY_REQUESTS_PER_HOUR=6,
                 CORPHUB_IDENTITY_CODE_INTERVAL_S=60)
    m = tight.member()
    sent, code = tight.sms_code_for(m["mobile"])  # 1
    body = error(tight.ask(m["mobile"]), 429, "rate_limited")  # 2: one a minute per member
    assert "seconds" in body["message"]
    error(tight.ask(new_mobile()), 404, "no_match")  # 3: misses count as well
    error(tight.ask(new_mobile()), 404, "no_match")  # 4
    error(tight.verify(sent["challenge"], "000000" if code != "000000" else "111111"), 400,
          "wrong_code")  # 5: a wrong code counts
    error(tight.ask(new_mobile()), 404, "no_match")  # 6
    error(tight.ask(new_mobile()), 429, "rate_limited")  # over: this address waits an hour
    error(tight.verify(sent["challenge"], code), 429, "rate_limited")
    assert tight.status(m["userid"]) == 4


def test_codes_per_day_are_capped_per_member(harness, backend, sinks):
    tight = Site(harness, backend, sinks, CORPHUB_IDENTITY_CODE_INTERVAL_S=0,
                 CORPHUB_IDENTITY_CODES_PER_DAY=2)
    m = tight.member()
    tight.sms_code_for(m["mobile"])
    tight.sms_code_for(m["mobile"])
    body = error(tight.ask(m["mobile"]), 429, "rate_limited")
    assert "today" in body["message"]
    other = tight.member()
    tight.sms_code_for(other["mobile"])


def test_without_mail_or_sms_the_member_is_told_to_use_the_other(harness, backend, sinks):
    smtp, sms = sinks
    storage = harness.storage(backend)
    server = harness.server(storage, env={**TESTING_ENV, **outbound_env(
        smtp, sms, CORPHUB_MAIL_DRIVER="off", CORPHUB_SMS_DRIVER="off")})
    api = Api(server, corp_show(harness, storage))
    userid = new_userid("off")
    mobile = new_mobile()
    assert api.post("user/create", {"userid": userid, "name": "离线", "department": [1],
                                    "mobile": mobile,
                                    "email": f"{userid}@example.com"})["errcode"] == 0
    r = requests.post(server.url + "/api/v1/auth/code", json={"identifier": mobile}, timeout=30)
    error(r, 503, "channel_unavailable")
    r = requests.post(server.url + "/api/v1/auth/code",
                      json={"identifier": f"{userid}@example.com"}, timeout=30)
    error(r, 503, "channel_unavailable")


# --- invitations ---------------------------------------------------------------------------

def test_batch_invite_mails_and_texts_the_members_not_activated_yet(site):
    by_mail = site.member(email=True)
    by_sms = site.member()
    active = site.member()
    dept = site.contacts.post("department/create", {"name": f"邀请{new_userid('d')}",
                                                    "parentid": 1})
    assert dept["errcode"] == 0, dept
    in_dept = site.member(department=[dept["id"]])
    mails, texts = site.smtp.count(), site.sms.count()
    # Activate `active` for real: the invitation leaves it out.
    sent = ok(site.ask(active["mobile"]))
    code = sms_code(site.sms.wait_for(active["mobile"], after=texts))
    site.codes.append(code)
    assert ok(site.verify(sent["challenge"], code))["result"] == "activated"
    texts = site.sms.count()

    res = site.contacts.post("batch/invite", {
        "user": [by_mail["userid"], by_sms["userid"], active["userid"], "nobody-here"],
        "party": [dept["id"], 876543], "tag": [876543]})
    assert res["errcode"] == 0 and res["errmsg"] == "ok", res
    assert (res["invaliduser"], res["invalidparty"], res["invalidtag"]) == \
        (["nobody-here"], [876543], [876543])

    mail = site.smtp.wait_for(by_mail["email"], after=mails)
    assert "邀请" in mail.subject and "invites you" in mail.subject
    link = f"{site.server.url}/signin?id={by_mail['email']}"
    assert link in mail.text, mail.text
    sms = site.sms.wait_for(by_sms["mobile"], after=texts)
    assert f"/signin?id={by_sms['mobile']}" in sms["json"]["text"]
    site.sms.wait_for(in_dept["mobile"], after=texts)

    deadline = time.monotonic() + 20
    while True:
        job = site.contacts.get("batch/getresult", {"jobid": res["jobid"]})
        if job.get("status") == 3:
            break
        assert time.monotonic() < deadline, job
        time.sleep(0.05)
    assert job["type"] == "invite_user" and job["total"] == 3, job
    assert not [r for r in site.sms.requests[texts:] if active["mobile"] in r["body"]], \
        "an active member is not invited"

    # The console invites too.
    again = ok(site.admin.post("/admin/api/members/invite",
                               json={"userids": [by_sms["userid"], "ghost"]}))
    assert again["invited"] == 1 and again["invalid_userids"] == ["ghost"]
    error(site.admin.post("/admin/api/members/invite", json={"userids": "x"}), 400,
          "invalid_argument")
    res = site.contacts.post("batch/invite", {})
    assert res["errcode"] == 40058, res


# --- the audit log -------------------------------------------------------------------------

def test_the_audit_log_shows_who_did_what_newest_first_with_filters(site):
    m = site.member()
    ok(site.admin.post(f"/admin/api/members/{m['userid']}/sessions/end"))
    sent, code = site.sms_code_for(m["mobile"])
    ok(site.verify(sent["challenge"], code))  # activation, by the member themselves

    page = ok(site.admin.get("/admin/api/audit", params={"target": m["userid"]}))
    actions = [e["action"] for e in page["entries"]]
    assert actions == ["user.authsucc", "user.sessions_end", "user.create"], page
    first = page["entries"][0]
    assert set(first) == {"id", "at", "actor", "address", "action", "target", "detail"}
    assert first["actor"] == f"member:{m['userid']}" and first["address"] == "127.0.0.1"
    assert page["entries"][1]["actor"] == f"admin:{ADMIN_USER}"
    assert page["entries"][1]["detail"] == {"sessions": 0}
    assert page["entries"][2]["actor"] == "contacts"
    assert abs(first["at"] - time.time()) < 60
    # A last page that is exactly full says there is no next one.
    exact = ok(site.admin.get("/admin/api/audit", params={"target": m["userid"], "limit": 3}))
    assert len(exact["entries"]) == 3 and exact["next_before"] == 0, exact
    two = ok(site.admin.get("/admin/api/audit", params={"target": m["userid"], "limit": 2}))
    assert two["next_before"] == two["entries"][1]["id"]

    users = ok(site.admin.get("/admin/api/audit", params={"action": "user.", "limit": 2}))
    assert len(users["entries"]) == 2 and users["next_before"] == users["entries"][1]["id"]
    assert all(e["action"].startswith("user.") for e in users["entries"])
    older = ok(site.admin.get("/admin/api/audit",
                              params={"action": "user.", "before": users["next_before"]}))
    assert all(e["id"] < users["next_before"] for e in older["entries"])
    mine = ok(site.admin.get("/admin/api/audit", params={"actor": f"admin:{ADMIN_USER}"}))
    assert mine["entries"] and all(e["actor"] == f"admin:{ADMIN_USER}" for e in mine["entries"])
    future = ok(site.admin.get("/admin/api/audit", params={"since": int(time.time()) + 3600}))
    assert future == {"entries": [], "next_before": 0}
    error(site.admin.get("/admin/api/audit", params={"limit": "many"}), 400, "invalid_argument")
    error(requests.get(site.server.url + "/admin/api/audit", timeout=10), 401, "unauthenticated")
