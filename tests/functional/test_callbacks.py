"""Callbacks (docs/admin-api.md "Callbacks", docs/wecom-api.md "Callbacks"), on SQLite and
PostgreSQL: setting an app's callback verifies the URL as WeCom does; directory changes reach an
app that asked for them (isreportuser) as encrypted change_contact events, which the receiver
checks and decrypts with wechatpy's crypto; deliveries are retried until the receiver takes them,
in order, and the delivery log shows and retries them.

Retries are fast here (CORPHUB_CALLBACK_RETRY_BASE_MS=50) so a flaky receiver's test is short."""
from __future__ import annotations

import socket

import pytest

from admin_api import error, ok, uname
from callback_receiver import Receiver, new_aes_key
from delegation_site import start_site

ENV = {"CORPHUB_CALLBACK_RETRY_BASE_MS": "50", "CORPHUB_CALLBACK_RETRY_MAX_MS": "400",
       "CORPHUB_CALLBACK_MAX_ATTEMPTS": "4"}


@pytest.fixture(scope="module")
def site(module_harness, backend):
    return start_site(module_harness, backend, env=ENV)


@pytest.fixture
def receivers():
    made = []

    def make(token="corphubToken1", key=None, corpid=None, site=None) -> Receiver:
        r = Receiver(token, key or new_aes_key(), corpid or site.console.corp["corpid"])
        made.append(r)
        return r
    yield make
    for r in made:
        r.close()


def callback_path(agentid) -> str:
    return f"/admin/api/apps/{agentid}/callback"


def attach(site, agentid, receiver) -> dict:
    return ok(site.admin.put(callback_path(agentid), json={
        "url": receiver.url, "token": receiver.token, "encoding_aes_key": receiver.aes_key}))


def changes_of(events, prefix=""):
    return [(e.fields.get("ChangeType"), e.fields.get("UserID") or e.fields.get("Name") or
             e.fields.get("TagId")) for e in events if e.event_id.startswith(prefix)]


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_setting_a_callback_verifies_the_url(site, receivers):
    agentid = site.app_out["agentid"]
    path = callback_path(agentid)
    assert ok(site.admin.get(path))["url"] == ""
    r = receivers(site=site)
    good = {"url": r.url, "token": r.token, "encoding_aes_key": r.aes_key}
    for bad in ({"encoding_aes_key": "short"}, {"encoding_aes_key": r.aes_key[:42] + "+"},
                {"token": "bad token!"}, {"token": ""}, {"token": "t" * 33},
                {"url": "ftp://127.0.0.1/x"}, {"url": ""}):
        error(site.admin.put(path, json={**good, **bad}), 400, "invalid_argument")
    # A receiver with another Token refuses the signature; one answering something else is
    # not verified; nobody listening is not either.
    other = receivers(token="anotherToken", key=r.aes_key, site=site)
    body = error(site.admin.put(path, json={**good, "url": other.url}), 400,
                 "callback_url_invalid")
    assert "HTTP 403" in body["message"], body
    r.verify_answer = "not the echostr"
    body = error(site.admin.put(path, json=good), 400, "callback_url_invalid")
    assert "echostr" in body["message"] and "not the echostr" in body["message"], body
    r.verify_answer = None
    body = error(site.admin.put(path, json={**good, "url": f"http://127.0.0.1:{free_port()}/"}),
                 400, "callback_url_invalid")
    assert "could not be reached" in body["message"], body
    assert ok(site.admin.get(path))["url"] == "", "nothing kept"

    got = attach(site, agentid, r)
    assert (got["url"], got["token"], got["encoding_aes_key"]) == (r.url, r.token, r.aes_key)
    assert ok(site.admin.get(path)) == got
    # Kept sealed at rest.
    stored = site.console.sql("SELECT token, aes_key FROM app_callbacks")
    assert stored and all(r.aes_key not in v and v != r.token for row in stored for v in row)
    audit = ok(site.admin.get("/admin/api/audit?action=app.callback"))["entries"]
    assert audit[0]["target"] == str(agentid) and r.aes_key not in str(audit)
    # Removed: nothing more goes there.
    assert ok(site.admin.delete(path))["url"] == ""
    assert ok(site.admin.get(path))["url"] == ""
    error(site.admin.put(callback_path(999999), json=good), 404, "invalid_agentid")


def test_directory_changes_reach_an_app_that_asked_in_order(site, receivers):
    app_in, app_out = site.app_in["agentid"], site.app_out["agentid"]
    r_in, r_out = receivers(site=site), receivers(site=site)
    attach(site, app_in, r_in)
    attach(site, app_out, r_out)
    ok(site.admin.patch(f"/admin/api/apps/{app_in}", json={"isreportuser": True}))
    ok(site.admin.patch(f"/admin/api/apps/{app_out}", json={"isreportuser": False}))
    userid = site.console.new_member(department=site.dept_a)
    cgi = site.cgi
    assert cgi.post("user/update", {"userid": userid, "name": "改名后"})["errcode"] == 0
    dept_name = uname()
    assert cgi.post("department/create", {"name": dept_name, "parentid": site.dept_a})[
        "errcode"] == 0
    assert cgi.post("tag/addtagusers", {"tagid": site.tag_in, "userlist": [userid]})[
        "errcode"] == 0
    assert cgi.get("user/delete", {"userid": userid})["errcode"] == 0

    want = ["create_user", "update_user", "create_party", "update_tag", "delete_user"]
    events = r_in.wait_for(lambda got: got if len(got) >= len(want) else None,
                           what="five change_contact events")
    assert [e.fields["ChangeType"] for e in events] == want
    corpid = site.console.corp["corpid"]
    for e in events:
        assert e.fields["ToUserName"] == corpid and e.fields["FromUserName"] == "sys"
        assert e.fields["MsgType"] == "event" and e.fields["Event"] == "change_contact"
        assert e.fields["AgentID"] == str(app_in) and int(e.fields["CreateTime"]) > 0
        assert e.event_id.startswith("contact-")
    assert events[0].fields["UserID"] == userid and events[1].fields["Name"] == "改名后"
    assert events[2].fields["Name"] == dept_name
    assert events[3].fields["TagId"] == str(site.tag_in) and userid in events[3].fields[
        "AddUserItems"]
    seqs = [int(e.event_id.split("-")[1]) for e in events]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert r_in.rejected_signatures == 0
    # The app that did not ask heard nothing, and has nothing queued.
    assert r_out.events() == []
    assert ok(site.admin.get(callback_path(app_out) + "/deliveries"))["deliveries"] == []
    # The log is written once a batch is answered: wait for the last of them there too.
    from corphub_harness import wait_until
    ids = {e.event_id for e in events}

    def logged():
        got = ok(site.admin.get(callback_path(app_in) + "/deliveries?state=delivered"))
        mine = [d for d in got["deliveries"] if d["event_id"] in ids]
        return mine if len(mine) == len(want) else None
    log = wait_until(logged, 10, "the five delivered in the log")
    assert [d["kind"] for d in reversed(log)] == ["change_contact/" + w for w in want]
    assert all(d["attempts"] == 1 and d["last_status"] == 200 for d in log)
    ok(site.admin.delete(callback_path(app_out)))


def test_a_receiver_failing_half_the_time_gets_every_event_once_in_order(site, receivers):
    agentid = site.app_in["agentid"]
    r = receivers(site=site)
    r.fail = lambda n: n % 2 == 1  # every other POST answers HTTP 500
    attach(site, agentid, r)
    ok(site.admin.patch(f"/admin/api/apps/{agentid}", json={"isreportuser": True}))
    names = [uname("重试") for _ in range(20)]
    for name in names:
        assert site.cgi.post("department/create", {"name": name, "parentid": site.dept_b})[
            "errcode"] == 0
    events = r.wait_for(
        lambda got: got if [e.fields.get("Name") for e in got if e.fields.get("Name") in names]
        == names else None, what="20 departments, in order")
    ids = [e.event_id for e in r.events() if e.fields.get("Name") in names]
    assert len(ids) == len(set(ids)) == 20, "each accepted once"
    assert r.attempts >= 40, r.attempts
    assert all(e.attempt == 2 for e in events if e.fields.get("Name") in names)
    # The log is written once a batch is answered: wait for the last of them there too.
    from corphub_harness import wait_until

    def logged():
        got = ok(site.admin.get(callback_path(agentid) + "/deliveries?state=delivered&limit=50"))
        mine = [d for d in got["deliveries"] if d["event_id"] in ids]
        return mine if len(mine) == 20 else None
    assert all(d["attempts"] == 2 for d in wait_until(logged, 10, "20 delivered in the log"))


def test_failed_deliveries_are_kept_and_retried_on_demand(site, receivers):
    agentid = site.app_in["agentid"]
    path = callback_path(agentid)
    r = receivers(site=site)
    r.fail = lambda n: True
    attach(site, agentid, r)
    ok(site.admin.patch(f"/admin/api/apps/{agentid}", json={"isreportuser": True}))
    name = uname("失败")
    assert site.cgi.post("department/create", {"name": name, "parentid": site.dept_b})[
        "errcode"] == 0

    def failed():
        got = ok(site.admin.get(path + "/deliveries?state=failed"))["deliveries"]
        return got or None
    from corphub_harness import wait_until
    failures = wait_until(failed, 30, "a failed delivery")
    d = failures[0]
    assert d["attempts"] == 4 and d["last_status"] == 500 and d["last_error"] == "HTTP 500"
    assert d["next_attempt_at"] is None and d["delivered_at"] is None
    assert r.events() == []
    r.fail = lambda n: False
    assert ok(site.admin.post(f"{path}/deliveries/{d['id']}/retry"))["id"] == d["id"]
    r.wait_for(lambda got: [e for e in got if e.fields.get("Name") == name], what="the retry")
    wait_until(lambda: not ok(site.admin.get(path + "/deliveries?state=failed"))["deliveries"],
               10, "no failed delivery left")
    error(site.admin.post(f"{path}/deliveries/987654321/retry"), 404, "not_found")
    audit = ok(site.admin.get("/admin/api/audit?action=app.callback_retry"))["entries"]
    assert audit[0]["target"] == str(agentid)
    error(site.admin.get(path + "/deliveries?state=lost"), 400, "invalid_argument")
    error(site.admin.get(path + "/deliveries?limit=0"), 400, "invalid_argument")
    ok(site.admin.delete(path))


def test_members_leaving_and_following_an_app_are_its_subscribe_events(site, receivers):
    agentid = site.app_in["agentid"]
    r = receivers(site=site)
    attach(site, agentid, r)
    ok(site.admin.patch(f"/admin/api/apps/{agentid}", json={"isreportuser": False}))
    who = site.console.new_member(department=site.dept_a)
    # Activated (second verification passed), the member follows the apps they see; frozen,
    # leaves them; unfrozen, follows again.
    assert site.cgi.get("user/authsucc", {"userid": who})["errcode"] == 0
    ok(site.admin.post("/admin/api/members/freeze", json={"userids": [who], "frozen": True}))
    ok(site.admin.post("/admin/api/members/freeze", json={"userids": [who], "frozen": False}))
    events = r.wait_for(lambda got: got if len(got) >= 3 else None,
                        what="subscribe, unsubscribe, subscribe")
    assert [(e.fields["Event"], e.fields["FromUserName"]) for e in events] == [
        ("subscribe", who), ("unsubscribe", who), ("subscribe", who)]
    assert all(e.fields["MsgType"] == "event" and e.fields["AgentID"] == str(agentid)
               for e in events)
    log = ok(site.admin.get(callback_path(agentid) + "/deliveries?limit=2"))["deliveries"]
    assert [(d["kind"], d["member"]) for d in log] == [("subscribe", who), ("unsubscribe", who)]
    ok(site.admin.delete(callback_path(agentid)))


def test_the_contacts_sync_callback_hears_every_directory_change(site, receivers):
    path = "/admin/api/contacts/callback"
    r = receivers(site=site)
    got = ok(site.admin.put(path, json={"url": r.url, "token": r.token,
                                        "encoding_aes_key": r.aes_key}))
    assert got["agentid"] == 0 and got["url"] == r.url
    # Only super admins: the dean (a scoped administrator) may not.
    error(site.dean.get(path), 403, "permission_denied")
    name = uname("通讯录")
    assert site.cgi.post("department/create", {"name": name, "parentid": site.dept_b})[
        "errcode"] == 0
    events = r.wait_for(lambda got: [e for e in got if e.fields.get("Name") == name],
                        what="create_party on the contacts-sync callback")
    e = events[0]
    assert e.fields["ChangeType"] == "create_party" and "AgentID" not in e.fields
    assert e.query.keys() >= {"msg_signature", "timestamp", "nonce"}
    from corphub_harness import wait_until

    def logged():
        got = ok(site.admin.get(path + "/deliveries"))["deliveries"]
        return got if got and got[0]["state"] == "delivered" else None
    log = wait_until(logged, 10, "the delivery logged as delivered")
    assert log[0]["kind"] == "change_contact/create_party" and log[0]["event_id"] == e.event_id
    assert ok(site.admin.delete(path))["url"] == ""


def test_what_members_do_in_an_app_reaches_its_callback(site, receivers):
    from member_api import Member
    agentid = site.app_in["agentid"]
    path = f"/admin/api/apps/{agentid}"
    r = receivers(site=site)
    attach(site, agentid, r)
    ok(site.admin.put(path + "/menu", json={"button": [
        {"type": "click", "name": "今日", "key": "TODAY"},
        {"name": "更多", "sub_button": [{"type": "view", "name": "主页",
                                         "url": "https://oa.example.com/"}]}]}))
    ok(site.admin.patch(path, json={"isreportenter": True, "report_location_flag": 1}))
    member = Member(site.console.server, site.inside)
    app = member.get_ok(f"/api/v1/apps/{agentid}")
    assert app["menu"]["button"][0]["key"] == "TODAY" and app["report_enter"] is True
    events = f"/api/v1/apps/{agentid}/events"

    def post(body):
        return member.http.post(site.url + events, json=body, timeout=10)
    for body in ({"event": "enter_agent"}, {"event": "click", "key": "TODAY"},
                 {"event": "view", "key": "https://oa.example.com/"},
                 {"event": "LOCATION", "latitude": 23.1291, "longitude": 113.2644,
                  "precision": 30}):
        res = post(body)
        assert res.status_code == 202 and res.json() == {"queued": True}, (body, res.text)
    got = r.wait_for(lambda got: got if len(got) >= 4 else None, what="four member events")
    assert [(e.fields["Event"], e.fields.get("EventKey")) for e in got] == [
        ("enter_agent", ""), ("click", "TODAY"), ("view", "https://oa.example.com/"),
        ("LOCATION", None)]
    assert all(e.fields["FromUserName"] == site.inside and e.fields["AgentID"] == str(agentid)
               for e in got)
    assert got[3].fields["Latitude"] == "23.129100" and got[3].fields["Precision"] == "30.000000"
    assert len({e.event_id for e in got}) == 4
    # Buttons the menu does not have, and unknown events, are refused; nothing queued.
    for body in ({"event": "click", "key": "NOPE"}, {"event": "view", "key": "https://evil/"},
                 {"event": "subscribe"}, {"event": "LOCATION", "latitude": 91}):
        res = post(body)
        assert res.status_code == 400 and res.json()["code"] == "invalid_argument", res.text
    # What the app did not ask for is accepted and not sent.
    ok(site.admin.patch(path, json={"isreportenter": False}))
    assert post({"event": "enter_agent"}).json() == {"queued": False}
    # Without a CSRF token, no event; outside the app's scope, no app.
    assert requests_post_without_csrf(member, site.url + events) == 403
    ok(site.admin.put(path + "/scope", json={"departments": [site.dept_b]}))
    try:
        res = member.get(f"/api/v1/apps/{agentid}")
        assert res.status_code == 403 and res.json()["code"] == "permission_denied", res.text
        assert post({"event": "click", "key": "TODAY"}).status_code == 403
    finally:
        ok(site.admin.put(path + "/scope", json={"departments": [1]}))
    assert member.get("/api/v1/apps/999999").status_code == 404
    ok(site.admin.delete(callback_path(agentid)))
    # Without a callback, nothing is queued.
    assert post({"event": "click", "key": "TODAY"}).json() == {"queued": False}


def requests_post_without_csrf(member, url) -> int:
    import requests
    s = requests.Session()
    s.cookies.update(member.http.cookies)
    return s.post(url, json={"event": "click", "key": "TODAY"}, timeout=10).status_code
