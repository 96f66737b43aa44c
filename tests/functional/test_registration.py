"""Open registration, on SQLite and PostgreSQL (docs/member-api.md "Applying to join",
docs/admin-api.md "Applications"): someone not in the directory applies; an administrator
approves (the member is created and invited by e-mail or SMS, and the invitation's code
activates them) or rejects (the applicant is told why). Closed unless the console opens it.
"""
from __future__ import annotations

import time

import pytest
import requests

from admin_api import AdminClient, error, ok
from identity_site import Site
from member_api import new_mobile, new_userid
from outbound_sinks import SmsGateway, SmtpSink, sms_code


@pytest.fixture(scope="module")
def sinks():
    smtp, sms = SmtpSink().start(), SmsGateway().start()
    yield smtp, sms
    smtp.stop()
    sms.stop()


@pytest.fixture(scope="module")
def site(module_harness, backend, sinks):
    s = Site(module_harness, backend, sinks, CORPHUB_IDENTITY_REQUESTS_PER_HOUR=100000,
             CORPHUB_IDENTITY_CODE_INTERVAL_S=0, CORPHUB_IDENTITY_APPLICATIONS_PER_HOUR=100000)
    ok(s.admin.put("/admin/api/identity/settings", json={"open_registration": True}))
    return s


def form(site) -> requests.Response:
    return requests.get(site.server.url + "/api/v1/registration", timeout=30)


def apply(site, **fields) -> requests.Response:
    return requests.post(site.server.url + "/api/v1/registration", json=fields, timeout=30)


def status_of(site, applied: dict, token: str | None = None) -> requests.Response:
    return requests.get(f"{site.server.url}/api/v1/registration/{applied['id']}",
                        headers={"X-Registration-Token": token or applied["token"]}, timeout=30)


def department(site, name: str | None = None) -> int:
    res = site.contacts.post("department/create",
                             {"name": name or f"申请{new_userid('d')}", "parentid": 1})
    assert res["errcode"] == 0, res
    return res["id"]


def queue(site, which: str = "pending") -> list[dict]:
    return ok(site.admin.get(f"/admin/api/registrations?status={which}"))["registrations"]


def in_queue(site, applied: dict, which: str = "pending") -> dict:
    found = [r for r in queue(site, which) if r["id"] == applied["id"]]
    assert len(found) == 1, (applied, queue(site, which))
    return found[0]


def applicant(**extra) -> dict:
    tag = new_userid("p")
    return {"name": "张三丰", "position": "讲师", "mobile": new_mobile(),
            "email": f"{tag}@apply.example.com", "note": "新入职", **extra}


# --- closed, then opened -------------------------------------------------------------------

def test_registration_is_closed_until_the_console_opens_it(harness, backend, sinks):
    closed = Site(harness, backend, sinks)
    body = ok(form(closed))
    assert body["open"] is False and body["departments"] == [], "no tree while closed"
    assert body["org_name"]
    error(apply(closed, **applicant(department=1)), 403, "registration_closed")
    settings = ok(closed.admin.get("/admin/api/identity/settings"))
    assert settings["open_registration"] is False
    assert ok(closed.admin.put("/admin/api/identity/settings",
                               json={"open_registration": True})) == \
        {"second_verification": False, "open_registration": True}
    assert ok(form(closed))["open"] is True
    ok(apply(closed, **applicant(department=1)), 201)
    # Each setting alone; anything but a bool is refused.
    ok(closed.admin.put("/admin/api/identity/settings", json={"second_verification": True}))
    assert ok(closed.admin.get("/admin/api/identity/settings"))["open_registration"] is True
    for bad in ({}, {"open_registration": "yes"}, {"open_registration": 1}):
        error(closed.admin.put("/admin/api/identity/settings", json=bad), 400, "invalid_argument")
    audit = ok(closed.admin.get("/admin/api/audit?action=identity.settings"))["entries"]
    assert any(e["detail"] == {"open_registration": True} for e in audit), audit


def test_the_form_lists_the_department_tree(site):
    d = department(site, f"物理学院{new_userid('x')}")
    body = ok(form(site))
    assert body["open"] is True
    by_id = {x["id"]: x for x in body["departments"]}
    assert by_id[d]["parentid"] == 1 and by_id[d]["name"].startswith("物理学院")
    assert 1 in by_id and set(by_id[d]) == {"id", "parentid", "name", "order"}


# --- applying ------------------------------------------------------------------------------

def test_an_application_waits_and_its_applicant_sees_its_status(site):
    d = department(site)
    fields = applicant(department=d, userid=new_userid("wish"))
    applied = ok(apply(site, **fields), 201)
    assert set(applied) == {"id", "token", "status"} and applied["status"] == "pending"
    assert len(applied["token"]) == 43 and len(applied["id"]) >= 22
    mine = ok(status_of(site, applied))
    assert mine["status"] == "pending" and mine["name"] == "张三丰"
    assert mine["department"] == d and mine["department_name"]
    assert "mobile" not in mine and "email" not in mine, "the applicant's view is minimal"
    error(status_of(site, applied, token="x" * 43), 404, "not_found")
    error(requests.get(f"{site.server.url}/api/v1/registration/{applied['id']}", timeout=30),
          404, "not_found")

    row = in_queue(site, applied)
    for key in ("name", "position", "mobile", "email", "note", "userid"):
        assert row[key] == fields[key], (key, row)
    assert row["department"] == d and row["address"] == "127.0.0.1"
    assert row["suggested_userid"] == fields["userid"], "the wished userid while it is free"


def test_applying_needs_a_json_body(site):
    r = requests.post(site.server.url + "/api/v1/registration",
                      data={"name": "x", "department": "1"}, timeout=30)
    error(r, 400, "invalid_argument")
    error(apply(site, **applicant(department=1, name=5)), 400, "invalid_argument")


def test_bad_applications_say_what_is_wrong_without_naming_members(site):
    member = site.member(email=True)
    cases = [
        (applicant(department=1, name=""), 400, "member_name_invalid"),
        (applicant(department=1, mobile="", email=""), 400, "mobile_or_email_required"),
        (applicant(department=987654), 404, "department_not_found"),
        (applicant(), 404, "department_not_found"),
        (applicant(department=1, mobile="12"), 400, "mobile_invalid"),
        (applicant(department=1, email="not-an-address"), 400, "email_invalid"),
        (applicant(department=1, userid="-bad"), 400, "invalid_userid"),
        (applicant(department=1, userid=member["userid"]), 409, "userid_exists"),
        (applicant(department=1, mobile=member["mobile"]), 409, "mobile_exists"),
        (applicant(department=1, email=member["email"], mobile=""), 409, "email_exists"),
        (applicant(department=1, note="长" * 501), 400, "invalid_argument"),
    ]
    for fields, status, code in cases:
        body = error(apply(site, **fields), status, code)
        assert member["userid"] not in body["message"], body
    # The same mobile twice while the first waits.
    first = applicant(department=1)
    ok(apply(site, **first), 201)
    again = error(apply(site, **applicant(department=1, mobile=first["mobile"])), 409, "conflict")
    assert "waiting" in again["message"]


def test_the_suggested_userid_comes_from_the_name_when_none_is_wished(site):
    res = site.contacts.post("user/create", {"userid": "lisiguang", "name": "李四光",
                                             "department": [1], "mobile": new_mobile()})
    assert res["errcode"] in (0, 60102), res
    applied = ok(apply(site, **applicant(department=1, name="李四光")), 201)
    assert in_queue(site, applied)["suggested_userid"] == "lisiguang2"


# --- approval and rejection ----------------------------------------------------------------

def test_approval_creates_the_member_invites_them_and_the_code_activates_them(site):
    d, d2 = department(site), department(site)
    fields = applicant(department=d)
    applied = ok(apply(site, **fields), 201)
    userid = new_userid("ok")
    mails = site.smtp.count()
    done = ok(site.admin.post(f"/admin/api/registrations/{applied['id']}/approve",
                              json={"userid": userid, "department": d2, "position": "副教授"}))
    assert done["userid"] == userid and done["jobid"]
    got = site.contacts.get("user/get", {"userid": userid})
    assert got["errcode"] == 0 and got["status"] == 4, got
    assert got["name"] == "张三丰" and got["department"] == [d2] and got["position"] == "副教授"
    assert got["mobile"] == fields["mobile"] and got["email"] == fields["email"]

    mail = site.smtp.wait_for(fields["email"], after=mails)
    assert "邀请" in mail.subject and f"/signin?id={fields['email']}" in mail.text, mail.text
    # The invited applicant activates with a code sent to the same address.
    before = site.smtp.count()
    sent = ok(site.ask(fields["email"]))
    code = site.smtp.wait_for(fields["email"], after=before).code()
    assert ok(site.verify(sent["challenge"], code))["result"] == "activated"
    assert site.status(userid) == 1

    mine = ok(status_of(site, applied))
    assert mine["status"] == "approved" and mine["member_userid"] == userid
    assert mine["decided_at"] >= mine["submitted_at"] > 0
    row = in_queue(site, applied, "approved")
    assert row["decided_by"].startswith("admin:"), row
    assert all(r["id"] != applied["id"] for r in queue(site)), "off the pending queue"
    error(site.admin.post(f"/admin/api/registrations/{applied['id']}/approve", json={}), 409,
          "conflict")
    error(site.admin.post(f"/admin/api/registrations/{applied['id']}/reject", json={}), 409,
          "conflict")
    audit = ok(site.admin.get(f"/admin/api/audit?target={userid}"))["entries"]
    assert {"registration.approve", "user.create"} <= {e["action"] for e in audit}, audit
    applied_audit = ok(site.admin.get(f"/admin/api/audit?target={applied['id']}"))["entries"]
    assert [e["actor"] for e in applied_audit] == ["applicant"], applied_audit


def test_approval_without_a_userid_uses_the_suggestion(site):
    fields = applicant(department=1, name="王五", email="", mobile=new_mobile())
    applied = ok(apply(site, **fields), 201)
    suggested = in_queue(site, applied)["suggested_userid"]
    assert suggested.startswith("wangwu")
    texts = site.sms.count()
    done = ok(site.admin.post(f"/admin/api/registrations/{applied['id']}/approve"))
    assert done["userid"] == suggested
    sms = site.sms.wait_for(fields["mobile"], after=texts)
    assert f"/signin?id={fields['mobile']}" in sms["json"]["text"]


def test_approval_fails_cleanly_when_the_mobile_was_taken_meanwhile(site):
    fields = applicant(department=1)
    applied = ok(apply(site, **fields), 201)
    res = site.contacts.post("user/create", {"userid": new_userid("t"), "name": "先到",
                                             "department": [1], "mobile": fields["mobile"]})
    assert res["errcode"] == 0, res
    body = error(site.admin.post(f"/admin/api/registrations/{applied['id']}/approve"), 409,
                 "mobile_exists")
    assert body["message"]
    assert in_queue(site, applied)["status"] == "pending", "nothing half-written"
    error(site.admin.post(f"/admin/api/registrations/{applied['id']}/approve",
                          json={"userid": "-bad"}), 400, "invalid_userid")
    error(site.admin.post(f"/admin/api/registrations/{applied['id']}/approve",
                          json={"department": "x"}), 400, "invalid_argument")
    error(site.admin.post("/admin/api/registrations/nope/approve"), 404, "not_found")


def test_rejection_tells_the_applicant_why_by_mail_or_sms(site):
    by_mail = applicant(department=1)
    by_sms = applicant(department=1, email="")
    a1, a2 = ok(apply(site, **by_mail), 201), ok(apply(site, **by_sms), 201)
    mails, texts = site.smtp.count(), site.sms.count()
    r1 = ok(site.admin.post(f"/admin/api/registrations/{a1['id']}/reject",
                            json={"reason": "请用学校邮箱申请"}))
    assert r1["ok"] is True and r1["notice_jobid"]
    ok(site.admin.post(f"/admin/api/registrations/{a2['id']}/reject"))
    mail = site.smtp.wait_for(by_mail["email"], after=mails)
    assert "未通过" in mail.subject and "did not accept" in mail.subject
    assert "请用学校邮箱申请" in mail.text
    sms = site.sms.wait_for(by_sms["mobile"], after=texts)
    assert "未通过" in sms["json"]["text"]

    mine = ok(status_of(site, a1))
    assert mine["status"] == "rejected" and mine["reason"] == "请用学校邮箱申请"
    deadline = time.monotonic() + 10
    while in_queue(site, a1, "rejected")["notice"] != "sent":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert site.contacts.post("user/getuserid", {"mobile": by_sms["mobile"]})["errcode"] == 46004
    error(site.admin.post(f"/admin/api/registrations/{a1['id']}/reject", json={}), 409,
          "conflict")
    error(site.admin.post(f"/admin/api/registrations/{a2['id']}/approve"), 409, "conflict")
    all_rows = queue(site, "all")
    assert {a1["id"], a2["id"]} <= {r["id"] for r in all_rows}
    error(site.admin.get("/admin/api/registrations?status=maybe"), 400, "invalid_argument")


def test_a_too_long_reason_is_refused_and_nothing_changes(site):
    applied = ok(apply(site, **applicant(department=1)), 201)
    error(site.admin.post(f"/admin/api/registrations/{applied['id']}/reject",
                          json={"reason": "长" * 201}), 400, "invalid_argument")
    error(site.admin.post(f"/admin/api/registrations/{applied['id']}/reject",
                          json={"reason": 3}), 400, "invalid_argument")
    assert in_queue(site, applied)["status"] == "pending"


def test_the_queue_needs_an_administrator_and_writes_need_csrf(site):
    anon = AdminClient(site.server.url)
    error(anon.get("/admin/api/registrations"), 401, "unauthenticated")
    applied = ok(apply(site, **applicant(department=1)), 201)
    error(site.admin.post(f"/admin/api/registrations/{applied['id']}/approve", csrf=None), 403,
          "csrf_mismatch")
    assert in_queue(site, applied)["status"] == "pending"


def test_applications_are_limited_per_address(harness, backend, sinks):
    tight = Site(harness, backend, sinks, CORPHUB_IDENTITY_APPLICATIONS_PER_HOUR=3)
    ok(tight.admin.put("/admin/api/identity/settings", json={"open_registration": True}))
    member = tight.member()
    ok(apply(tight, **applicant(department=1)), 201)
    # A typing mistake does not count; an answer that says someone is registered does.
    for _ in range(3):
        error(apply(tight, **applicant(department=1, name="")), 400, "member_name_invalid")
    error(apply(tight, **applicant(department=1, mobile=member["mobile"])), 409, "mobile_exists")
    ok(apply(tight, **applicant(department=1)), 201)
    body = error(apply(tight, **applicant(department=1)), 429, "rate_limited")
    assert "minutes" in body["message"]


def test_no_applicant_token_appears_in_the_logs(site):
    applied = ok(apply(site, **applicant(department=1)), 201)
    ok(status_of(site, applied))
    logs = site.server.stdout_text() + site.server.stderr_text()
    assert applied["token"] not in logs
