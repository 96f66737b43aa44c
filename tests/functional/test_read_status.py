"""Read statistics, on SQLite and PostgreSQL: corphub's own /cgi-bin/message/get_read_status,
WeCom's message/get_statistics, the console's /admin/api/apps/{agentid}/messages and
/admin/api/messages/{msgid}/receipts, and the member's /api/v1/me and /api/v1/logout
(docs/wecom-api.md, docs/admin-api.md, docs/member-api.md).

One server per backend with two apps and an administrator. Each test sends to members it
creates, so counts are its own.
"""
from __future__ import annotations

import time

import pytest
import requests

from admin_api import ADMIN_PASSWORD, ADMIN_USER, AdminClient, create_admin, error, ok
from member_api import TESTING_ENV, AppApi, Org, create_app, recv_json
from wecom_api import Api, corp_show


@pytest.fixture(scope="module")
def org(module_harness, backend):
    storage = module_harness.storage(backend)
    create_admin(module_harness, storage, ADMIN_USER, ADMIN_PASSWORD)
    corp = corp_show(module_harness, storage)
    made = [create_app(module_harness, storage, name) for name in ("通知", "人事")]
    server = module_harness.server(storage, env=TESTING_ENV)
    return Org(module_harness, storage, server, Api(server, corp),
               [AppApi(server, a) for a in made])


@pytest.fixture(scope="module")
def admin(org):
    a = AdminClient(org.server.url)
    a.login_ok(ADMIN_USER, ADMIN_PASSWORD)
    return a


def read_status(app: AppApi, msgid: str, **body) -> dict:
    return app.post("message/get_read_status", {"msgid": msgid, **body})


def read_status_ok(app: AppApi, msgid: str, **body) -> dict:
    res = read_status(app, msgid, **body)
    assert res["errcode"] == 0 and res["errmsg"] == "ok", res
    return res


def sent_to_three(org):
    """Three new members, a text to them, and the first one reads it: (userids, msgid)."""
    users = org.new_members(3)
    msgid = org.app.text_ok("|".join(users), "季度会议")
    org.member(users[0]).read_ok(org.app.agentid)
    return users, msgid


# --- message/get_read_status (corphub's own) --------------------------------------------------

def test_read_status_counts_and_lists_every_recipient_with_read_time(org):
    before = int(time.time())
    users, msgid = sent_to_three(org)
    res = read_status_ok(org.app, msgid)
    assert set(res) == {"errcode", "errmsg", "msgid", "agentid", "chatid", "send_time",
                        "recalled", "total", "read", "unread", "list", "next_cursor"}, res
    assert (res["msgid"], res["agentid"], res["chatid"]) == (msgid, org.app.agentid, "")
    assert (res["total"], res["read"], res["unread"], res["recalled"]) == (3, 1, 2, 0), res
    assert before - 1 <= res["send_time"] <= time.time() + 1
    assert res["next_cursor"] == ""
    by_user = {x["userid"]: x["read_time"] for x in res["list"]}
    assert set(by_user) == set(users), res
    assert before - 1 <= by_user[users[0]] <= time.time() + 1
    assert by_user[users[1]] == 0 and by_user[users[2]] == 0

    unread = read_status_ok(org.app, msgid, status=2)
    assert {x["userid"] for x in unread["list"]} == set(users[1:]), unread
    assert unread["total"] == 3, "the counts are the message's, whatever the filter"
    read = read_status_ok(org.app, msgid, status=1)
    assert [x["userid"] for x in read["list"]] == [users[0]], read


def test_read_status_pages_with_a_cursor_and_follows_recall(org):
    users, msgid = sent_to_three(org)
    seen, cursor, pages = [], "", 0
    while True:
        res = read_status_ok(org.app, msgid, cursor=cursor, limit=1)
        seen += [x["userid"] for x in res["list"]]
        pages += 1
        cursor = res["next_cursor"]
        if not cursor:
            break
        assert pages < 10
    assert sorted(seen) == sorted(users) and len(seen) == 3, seen

    assert org.app.recall(msgid)["errcode"] == 0
    after = read_status_ok(org.app, msgid)
    assert after["recalled"] == 1 and after["total"] == 3 and after["read"] == 1, after


def test_read_status_refuses_what_is_not_the_apps(org):
    users, msgid = sent_to_three(org)
    other = org.apps[1]
    assert read_status(other, msgid)["errcode"] == 40058, "another app's message"
    assert read_status(org.app, "no-such-msgid")["errcode"] == 40058
    assert org.app.post("message/get_read_status", {})["errcode"] == 40058
    assert read_status(org.app, msgid, status=3)["errcode"] == 40058
    assert read_status(org.app, msgid, cursor="abc")["errcode"] == 40058
    assert read_status(org.app, msgid, status="x")["errcode"] == 40058
    assert org.contacts.post("message/get_read_status", {"msgid": msgid})["errcode"] == 48002
    r = requests.post(org.server.url + "/cgi-bin/message/get_read_status",
                      params={"access_token": org.app.token}, data=b"{not json", timeout=10)
    assert r.json()["errcode"] == 47001
    r = requests.post(org.server.url + "/cgi-bin/message/get_read_status",
                      json={"msgid": msgid}, timeout=10)
    assert r.json()["errcode"] == 41001


# --- message/get_statistics (WeCom) -----------------------------------------------------------

def statistics(api, **body) -> dict:
    return api.post("message/get_statistics", body)


def count_of(res: dict, agentid: int) -> int:
    assert res["errcode"] == 0 and res["errmsg"] == "ok", res
    found = [s for s in res["statistics"] if s["agentid"] == agentid]
    assert len(found) <= 1, res
    return found[0]["count"] if found else 0


def test_statistics_count_todays_person_deliveries_per_app(org):
    first, second = org.app, org.apps[1]
    a0, b0 = count_of(statistics(first), first.agentid), count_of(statistics(first),
                                                                    second.agentid)
    users = org.new_members(4)
    first.text_ok("|".join(users))
    first.text_ok(users[0])
    second.text_ok("|".join(users[:2]))
    res = statistics(first, time_type=0)
    assert count_of(res, first.agentid) == a0 + 5, res
    assert count_of(res, second.agentid) == b0 + 2, res
    for item in res["statistics"]:
        assert set(item) == {"agentid", "app_name", "count"}, item
    names = {s["agentid"]: s["app_name"] for s in res["statistics"]}
    assert names[first.agentid] == "通知" and names[second.agentid] == "人事"
    # Any token may ask (WeCom names no right for it), and no body means today.
    assert count_of(org.contacts.post("message/get_statistics", {}), first.agentid) == a0 + 5
    assert count_of(statistics(second, time_type=1), first.agentid) == 0, "nothing yesterday"
    assert statistics(first, time_type=2)["errcode"] == 40058
    assert statistics(first, time_type="today")["errcode"] == 40058


# --- the console ------------------------------------------------------------------------------

def test_console_lists_apps_and_their_messages_with_read_counts(org, admin):
    apps = ok(admin.get("/admin/api/apps"))["apps"]
    mine = [a for a in apps if a["agentid"] == org.app.agentid]
    assert len(mine) == 1 and mine[0]["name"] == "通知", apps
    assert set(mine[0]) == {"agentid", "name", "description", "retention_days", "closed",
                            "created_at", "right"}
    assert mine[0]["right"] == "manage", "a super admin manages every app"
    assert mine[0]["retention_days"] == 5 and mine[0]["closed"] is False

    users, msgid = sent_to_three(org)
    page = ok(admin.get(f"/admin/api/apps/{org.app.agentid}/messages", params={"limit": 1}))
    assert len(page["messages"]) == 1 and page["next_before"] > 0, page
    m = page["messages"][0]
    assert m["msgid"] == msgid, "newest first"
    assert (m["recipients"], m["read"], m["unread"]) == (3, 1, 2), m
    assert m["msgtype"] == "text" and m["content"] == {"content": "季度会议"}
    assert m["preview"] == "季度会议" and m["sender"] == f"app:{org.app.agentid}"
    assert m["recalled_at"] is None and m["expires_at"] > m["created_at"]
    nxt = ok(admin.get(f"/admin/api/apps/{org.app.agentid}/messages",
                       params={"limit": 1, "before": page["next_before"]}))
    assert all(x["msgid"] != msgid for x in nxt["messages"]), nxt

    receipts = ok(admin.get(f"/admin/api/messages/{msgid}/receipts"))
    assert receipts["message"]["msgid"] == msgid and receipts["next_after"] == 0
    rows = {r["userid"]: r for r in receipts["receipts"]}
    assert set(rows) == set(users)
    assert rows[users[0]]["read_at"] is not None and rows[users[1]]["read_at"] is None
    assert set(rows[users[0]]) == {"userid", "name", "read_at"}
    unread = ok(admin.get(f"/admin/api/messages/{msgid}/receipts",
                          params={"status": "unread", "limit": 1}))
    assert len(unread["receipts"]) == 1 and unread["next_after"] > 0, unread
    rest = ok(admin.get(f"/admin/api/messages/{msgid}/receipts",
                        params={"status": "unread", "after": unread["next_after"]}))
    assert {r["userid"] for r in unread["receipts"] + rest["receipts"]} == set(users[1:])


def test_console_errors(org, admin):
    error(admin.get("/admin/api/apps/4242/messages"), 404, "not_found")
    error(admin.get("/admin/api/messages/nope/receipts"), 404, "not_found")
    error(admin.get(f"/admin/api/apps/{org.app.agentid}/messages", params={"before": "x"}),
          400)
    _, msgid = sent_to_three(org)
    error(admin.get(f"/admin/api/messages/{msgid}/receipts", params={"status": "maybe"}), 400)
    anonymous = requests.get(org.server.url + "/admin/api/apps", timeout=10)
    assert anonymous.status_code == 401
    member = org.member(org.new_member())
    assert member.get("/admin/api/apps").status_code == 401, "a member session is not an admin's"


# --- the member's own session -----------------------------------------------------------------

def test_me_says_who_the_session_is_and_logout_ends_it(org):
    userid = org.new_member(name="张三", position="工程师")
    m = org.member(userid)
    me = m.get_ok("/api/v1/me")
    assert set(me) == {"userid", "name", "position", "avatar", "org_name", "csrf_token",
                       "session_expires_at"}, me
    assert (me["userid"], me["name"], me["position"]) == (userid, "张三", "工程师")
    assert me["csrf_token"] == m.csrf_token and me["org_name"]
    assert me["session_expires_at"] > time.time() + 29 * 86400

    no_csrf = requests.post(org.server.url + "/api/v1/logout",
                            cookies={"corphub_member": m.token}, timeout=10)
    assert no_csrf.status_code == 403 and no_csrf.json()["code"] == "csrf_mismatch"
    assert m.get("/api/v1/me").status_code == 200, "a refused logout changes nothing"

    r = m.http.post(org.server.url + "/api/v1/logout", timeout=10)
    assert r.status_code == 200 and r.json() == {"ok": True}, r.text
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("corphub_member=;") and "Max-Age=0" in cookie, cookie
    gone = requests.get(org.server.url + "/api/v1/me", cookies={"corphub_member": m.token},
                        timeout=10)
    assert gone.status_code == 401 and gone.json()["code"] == "unauthenticated"


def test_a_disabled_members_session_speaks_for_nobody_until_enabled_again(org):
    userid = org.new_member()
    m = org.member(userid)
    assert m.get("/api/v1/me").status_code == 200
    res = org.contacts.post("user/update", {"userid": userid, "enable": 0})
    assert res["errcode"] == 0, res
    frozen = m.get("/api/v1/me")
    assert frozen.status_code == 401 and frozen.json()["code"] == "unauthenticated", frozen.text
    assert m.get("/api/v1/conversations").status_code == 401
    ws = m.stream()
    try:
        got = recv_json(ws, 5)
        assert got["type"] == "error" and got["code"] == "unauthenticated", got
    finally:
        ws.close()
    res = org.contacts.post("user/update", {"userid": userid, "enable": 1})
    assert res["errcode"] == 0, res
    assert m.get_ok("/api/v1/me")["userid"] == userid, "enabled again, the session works again"
