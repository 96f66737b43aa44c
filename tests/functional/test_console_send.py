"""Sending a notice through an app from the console (docs/admin-api.md, "Sending from the
console"): a super admin sends anywhere the app reaches; a department administrator only to the
departments, tags and members of their scope, and a target outside it refuses the whole send."""
from __future__ import annotations

import pytest

from admin_api import error, ok, uid
from delegation_site import start_site
from member_api import Member


@pytest.fixture(scope="module")
def site(module_harness, backend):
    return start_site(module_harness, backend)


def path(site, app="app_in") -> str:
    return f"/admin/api/apps/{getattr(site, app)['agentid']}/messages"


def text(content: str, **targets) -> dict:
    return {"msgtype": "text", "text": {"content": content}, **targets}


def sent_by(site, app="app_in") -> list:
    return ok(site.admin.get(path(site, app) + "?limit=100"))["messages"]


def received(site, userid: str, msgid: str) -> bool:
    agentid = site.app_in["agentid"]
    return any(m["msgid"] == msgid for m in Member(site.console.server, userid)
               .all_messages(agentid))


def test_a_super_admin_sends_to_members_departments_and_tags(site):
    body = text("全体教师：周五下午开会", touser=[site.outside], toparty=[site.dept_a],
                totag=[site.tag_in])
    got = ok(site.admin.post(path(site), json=body), 201)
    assert got["recipients"] == 3, got
    assert got["invalid_users"] == [] and got["invalid_parties"] == [] and got["invalid_tags"] == []
    for userid in (site.inside, site.tagged, site.outside):
        assert received(site, userid, got["msgid"]), userid
    listed = [m for m in sent_by(site) if m["msgid"] == got["msgid"]]
    assert listed and listed[0]["sender"] == "admin:" + site.console.username, listed
    assert listed[0]["recipients"] == 3 and listed[0]["preview"].startswith("全体教师")
    audit = ok(site.admin.get("/admin/api/audit?action=message.send"))["entries"]
    mine = [e for e in audit if e["target"] == got["msgid"]]
    assert mine and mine[0]["actor"] == "admin:" + site.console.username, audit
    assert mine[0]["detail"]["recipients"] == 3 and mine[0]["detail"]["msgtype"] == "text"


def test_a_super_admin_hears_which_targets_were_not_found(site):
    got = ok(site.admin.post(path(site), json=text("hi", touser=[site.inside, "nobody-here"],
                                                  toparty=[987654])), 201)
    assert got["recipients"] == 1
    assert got["invalid_users"] == ["nobody-here"] and got["invalid_parties"] == ["987654"]
    body = error(site.admin.post(path(site), json=text("hi", touser=["nobody-at-all"])), 400,
                 "no_valid_recipient")
    assert "visible scope" in body["message"]


def test_a_department_administrator_sends_inside_their_scope(site):
    got = ok(site.dean.post(path(site), json=text("学院通知", toparty=[site.dept_a1],
                                                totag=[site.tag_in])), 201)
    assert got["recipients"] == 2, got
    assert received(site, site.inside, got["msgid"])
    assert received(site, site.tagged, got["msgid"])
    assert not received(site, site.outside, got["msgid"])
    # A member held only by the scope's tag is inside it, by userid too.
    ok(site.dean.post(path(site), json=text("个别通知", touser=[site.tagged, site.inside])), 201)


# Each case: the send's targets beside a member inside the scope, and what the refusal names.
OUTSIDE = {
    "a department of B": (lambda s: {"toparty": [s.dept_b]}, lambda s: f"department {s.dept_b}"),
    "the root": (lambda s: {"toparty": [1]}, lambda s: "department 1"),
    "a tag outside": (lambda s: {"totag": [s.tag_out]}, lambda s: f"tag {s.tag_out}"),
    "a member of B": (lambda s: {"touser": [s.inside, s.outside]},
                      lambda s: f"member {s.outside}"),
    "an unknown userid": (lambda s: {"touser": [s.inside, "nobody-known"]},
                          lambda s: "member nobody-known"),
    "everyone": (lambda s: {"touser": "@all"}, lambda s: "@all"),
}


@pytest.mark.parametrize("case", sorted(OUTSIDE))
def test_a_target_outside_the_scope_refuses_the_whole_send(site, case):
    targets, named = OUTSIDE[case]
    body = text("越权", **{"touser": [site.inside], **targets(site)})
    before = len(sent_by(site))
    denied = error(site.dean.post(path(site), json=body), 403, "permission_denied")
    assert named(site) in denied["message"] and "outside your scope" in denied["message"], denied
    assert len(sent_by(site)) == before, "nothing is stored"


def test_apps_without_a_right_and_administrators_without_apps_cannot_send(site):
    error(site.dean.post(path(site, "app_out"), json=text("x", touser=[site.inside])), 403,
          "permission_denied")
    error(site.reader.post(path(site), json=text("x", touser=[site.inside])), 403,
          "permission_denied")


def test_the_console_learns_what_it_may_offer(site):
    agentid = site.app_in["agentid"]
    everything = ok(site.admin.get(f"/admin/api/apps/{agentid}/targets"))
    assert everything["everything"] is True
    scoped = ok(site.dean.get(f"/admin/api/apps/{agentid}/targets"))
    assert scoped["everything"] is False
    assert site.dept_a in scoped["departments"] and site.dept_a1 in scoped["departments"]
    assert site.dept_b not in scoped["departments"] and 1 not in scoped["departments"]
    assert scoped["tags"] == [site.tag_in]
    error(site.dean.get(f"/admin/api/apps/{site.app_out['agentid']}/targets"), 403,
          "permission_denied")
    error(site.reader.get(f"/admin/api/apps/{agentid}/targets"), 403, "permission_denied")


@pytest.mark.parametrize("body,status,code", [
    ({"touser": [], "msgtype": "text", "text": {"content": "x"}}, 400, "no_valid_recipient"),
    ({"touser": ["u"], "text": {"content": "x"}}, 400, "invalid_msgtype"),
    ({"touser": ["u"], "msgtype": "text", "text": {"content": ""}}, 400, "empty_content"),
    ({"touser": ["u"], "msgtype": "textcard", "textcard": {"description": "d", "url": "https://x"}},
     400, "missing_title"),
    ({"touser": ["a|b"], "msgtype": "text", "text": {"content": "x"}}, 400,
     "invalid_userid_list"),
    ({"touser": ["u"], "toparty": ["x"], "msgtype": "text", "text": {"content": "x"}}, 400,
     "invalid_department_list"),
    ({"touser": ["u"], "msgtype": "text", "text": {"content": "x"}, "safe": 3}, 400,
     "invalid_parameter"),
    ({"touser": ["u"], "msgtype": "text", "text": {"content": "x"}, "keep_permanently": 1}, 400,
     "invalid_argument"),
])
def test_bad_sends_say_what_is_wrong(site, body, status, code):
    before = len(sent_by(site))
    error(site.admin.post(path(site), json=body), status, code)
    assert len(sent_by(site)) == before


def test_markdown_and_cards_go_out_and_unknown_apps_are_404(site):
    card = {"touser": [site.inside], "msgtype": "textcard", "textcard": {
        "title": "停电通知", "description": "明日 8:00-12:00 图书馆停电", "url": "https://example.com/n",
        "btntxt": "详情"}}
    got = ok(site.admin.post(path(site), json=card), 201)
    assert received(site, site.inside, got["msgid"])
    md = {"toparty": [site.dept_a], "msgtype": "markdown", "markdown": {"content": "**注意**"}}
    ok(site.dean.post(path(site), json=md), 201)
    error(site.admin.post("/admin/api/apps/999999/messages", json=text("x", touser=[site.inside])),
          404)
    error(site.admin.post(path(site), json=text("x", touser=[site.inside]), csrf="wrong"),
          403, "csrf_mismatch")


def test_a_department_administrator_sees_who_read_it_only_in_their_scope(site):
    got = ok(site.admin.post(path(site), json=text("两处", touser=[site.inside, site.outside])),
             201)
    everyone = ok(site.admin.get(f"/admin/api/messages/{got['msgid']}/receipts"))
    assert {r["userid"] for r in everyone["receipts"]} == {site.inside, site.outside}
    theirs = ok(site.dean.get(f"/admin/api/messages/{got['msgid']}/receipts"))
    assert [r["userid"] for r in theirs["receipts"]] == [site.inside], theirs
    assert theirs["message"]["recipients"] == 2, "the counts stay the message's"
