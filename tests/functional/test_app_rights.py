"""An app's API rights, as WeCom gives them: its secret reads the directory only inside its
visible scope (60011 outside it) and never writes it (48002); the contacts-sync secret does both.
The console sets an app's scope and resets its secret (docs/admin-api.md, docs/wecom-api.md)."""
from __future__ import annotations

import json

import pytest
import requests

from corphub_harness import wait_until

from admin_api import error, ok, uid, uname
from delegation_site import start_site
from member_api import AppApi


@pytest.fixture(scope="module")
def site(module_harness, backend):
    s = start_site(module_harness, backend)
    # app_in sees department A (with A1), the scope's tag and one member of B by name.
    ok(s.admin.put(f"/admin/api/apps/{s.app_in['agentid']}/scope", json={
        "departments": [s.dept_a], "tags": [s.tag_in], "users": [s.outside]}))
    return s


@pytest.fixture(scope="module")
def app(site):
    return AppApi(site.console.server, site.app_in)


def codes(res: dict) -> int:
    return res["errcode"]


def test_the_console_shows_and_sets_an_apps_scope(site):
    got = ok(site.admin.get(f"/admin/api/apps/{site.app_in['agentid']}"))
    assert got["scope"] == {"users": [site.outside], "departments": [site.dept_a],
                            "tags": [site.tag_in]}
    assert got["right"] == "manage"
    agentid = site.app_out["agentid"]
    error(site.admin.put(f"/admin/api/apps/{agentid}/scope", json={}), 400, "invalid_argument")
    error(site.admin.put(f"/admin/api/apps/{agentid}/scope", json={"users": ["nobody-x"]}), 404,
          "user_not_found")
    error(site.admin.put(f"/admin/api/apps/{agentid}/scope", json={"departments": [987654]}),
          404, "department_not_found")
    error(site.admin.put("/admin/api/apps/999999/scope", json={"departments": [1]}), 404,
          "invalid_agentid")
    audit = ok(site.admin.get("/admin/api/audit?action=app.scope"))["entries"]
    assert any(e["target"] == str(site.app_in["agentid"]) for e in audit), audit


def test_a_scoped_manager_gives_an_app_only_what_they_see(site):
    gid = site.new_group(name=uname("应用"), apps=[{"agentid": site.app_out["agentid"],
                                                  "right": "manage"}])
    client, _, _, _ = site.scoped_admin([gid])
    path = f"/admin/api/apps/{site.app_out['agentid']}/scope"
    error(client.put(path, json={"departments": [site.dept_b]}), 403, "permission_denied")
    error(client.put(path, json={"departments": [1]}), 403, "permission_denied")
    error(client.put(path, json={"tags": [site.tag_out]}), 403, "permission_denied")
    error(client.put(path, json={"users": [site.outside]}), 403, "permission_denied")
    got = ok(client.put(path, json={"departments": [site.dept_a1], "users": [site.inside]}))
    assert got["scope"]["departments"] == [site.dept_a1] and got["right"] == "manage"
    # Send only: no changes.
    error(site.dean.put(f"/admin/api/apps/{site.app_in['agentid']}/scope",
                        json={"departments": [site.dept_a]}), 403, "permission_denied")
    ok(site.admin.put(path, json={"departments": [1]}))


def test_an_apps_token_reads_only_its_visible_scope(site, app):
    assert codes(app.get("user/get", {"userid": site.inside})) == 0
    assert codes(app.get("user/get", {"userid": site.tagged})) == 0, "through the tag"
    assert codes(app.get("user/get", {"userid": site.outside})) == 0, "named in the scope"
    extra = site.member(site.dept_b)
    assert codes(app.get("user/get", {"userid": extra})) == 60011
    assert codes(app.get("user/simplelist", {"department_id": site.dept_a1})) == 0
    assert codes(app.get("user/list", {"department_id": site.dept_a, "fetch_child": 1})) == 0
    assert codes(app.get("user/list", {"department_id": site.dept_b})) == 60011
    assert codes(app.get("user/list", {"department_id": 1})) == 60011
    depts = app.get("department/list")
    assert codes(depts) == 0
    assert {d["id"] for d in depts["department"]} == {site.dept_a, site.dept_a1}
    assert codes(app.get("department/list", {"id": site.dept_b})) == 60011
    assert codes(app.get("department/simplelist", {"id": site.dept_a})) == 0
    assert codes(app.get("department/get", {"id": site.dept_b})) == 60011
    assert codes(app.get("department/get", {"id": site.dept_a1})) == 0
    tags = app.get("tag/list")
    assert {t["tagid"] for t in tags["taglist"]} == {site.tag_in}
    assert codes(app.get("tag/get", {"tagid": site.tag_out})) == 60011
    assert codes(app.get("tag/get", {"tagid": site.tag_in})) == 0
    ids = app.post("user/list_id", {"limit": 10000})
    assert codes(ids) == 0
    seen = {e["userid"] for e in ids["dept_user"]}
    assert {site.inside, site.tagged, site.outside} <= seen and extra not in seen
    # The contacts-sync secret reads everything.
    assert codes(site.cgi.get("user/get", {"userid": extra})) == 0
    assert codes(site.cgi.get("user/list", {"department_id": 1})) == 0


def test_an_apps_token_never_writes_the_directory(site, app):
    before = site.console.snapshot()
    calls = [
        ("user/create", {"userid": uid(), "name": "x", "department": [site.dept_a],
                         "mobile": "13900000000"}),
        ("user/update", {"userid": site.inside, "name": "改"}),
        ("user/batchdelete", {"useridlist": [site.inside]}),
        ("department/create", {"name": uname(), "parentid": site.dept_a}),
        ("department/update", {"id": site.dept_a1, "name": uname()}),
        ("tag/create", {"tagname": uname("t")[:30]}),
        ("tag/update", {"tagid": site.tag_in, "tagname": "改名"}),
        ("tag/addtagusers", {"tagid": site.tag_in, "userlist": [site.inside]}),
        ("tag/deltagusers", {"tagid": site.tag_in, "userlist": [site.tagged]}),
        ("batch/syncuser", {"media_id": "x"}),
        ("batch/replaceuser", {"media_id": "x"}),
        ("batch/replaceparty", {"media_id": "x"}),
    ]
    for path, body in calls:
        assert codes(app.post(path, body)) == 48002, path
    for path, params in (("user/delete", {"userid": site.inside}),
                         ("department/delete", {"id": site.dept_a1}),
                         ("tag/delete", {"tagid": site.tag_in})):
        assert codes(app.get(path, params)) == 48002, path
    assert site.console.snapshot() == before, "nothing was written"


def test_a_reset_secret_ends_the_old_one_and_its_tokens(site):
    app_out = dict(site.app_out)
    old = AppApi(site.console.server, app_out)
    assert codes(old.get("department/list")) == 0
    fresh = ok(site.admin.post(f"/admin/api/apps/{app_out['agentid']}/secret"))
    assert fresh["agentid"] == app_out["agentid"] and fresh["secret"] != app_out["secret"]
    assert codes(old.get("department/list")) == 40014, "the old token is revoked"
    r = requests.get(site.url + "/cgi-bin/gettoken",
                     params={"corpid": app_out["corpid"], "corpsecret": app_out["secret"]},
                     timeout=10).json()
    assert r["errcode"] == 40001, r
    site.app_out = {**app_out, "secret": fresh["secret"]}
    new = AppApi(site.console.server, site.app_out)
    assert codes(new.get("department/list")) == 0
    audit = ok(site.admin.get("/admin/api/audit?action=app.secret_reset"))["entries"]
    assert audit[0]["target"] == str(app_out["agentid"]) and audit[0]["actor"] == "admin:tester"
    assert fresh["secret"] not in str(audit)


def test_the_command_line_resets_a_secret_and_the_running_server_refuses_the_old_token(site):
    """`corphub app reset-secret` runs beside the server: the server still holds the old token in
    memory (as another node would), and refuses it once its app guard is read again (≤ 5 s)."""
    app_out = dict(site.app_out)
    old = AppApi(site.console.server, app_out)
    assert codes(old.get("department/list")) == 0
    console = site.console
    r = console.harness.cli("app", "reset-secret", "--agentid", str(app_out["agentid"]),
                            "--json", storage=console.storage)
    assert r.returncode == 0, r.stderr
    fresh = json.loads(r.stdout)
    assert fresh["agentid"] == app_out["agentid"] and fresh["corpid"] == app_out["corpid"]
    assert fresh["secret"] and fresh["secret"] != app_out["secret"]

    def refused():
        res = old.get("department/list")
        return res if res["errcode"] != 0 else None
    res = wait_until(refused, 15, "the old token refused")
    assert res["errcode"] == 40014 and "reset" in res["errmsg"], res
    r = requests.get(site.url + "/cgi-bin/gettoken",
                     params={"corpid": app_out["corpid"], "corpsecret": app_out["secret"]},
                     timeout=10).json()
    assert r["errcode"] == 40001, r
    site.app_out = {**app_out, "secret": fresh["secret"]}
    assert codes(AppApi(console.server, site.app_out).get("department/list")) == 0
    audit = ok(site.admin.get("/admin/api/audit?action=app.secret_reset"))["entries"]
    assert audit[0]["actor"] == "cli" and audit[0]["target"] == str(app_out["agentid"]), audit

    missing = console.harness.cli("app", "reset-secret", "--agentid", "999999",
                                  storage=console.storage)
    assert missing.returncode != 0 and "999999" in missing.stderr, missing.stderr
    assert codes(AppApi(console.server, site.app_out).get("department/list")) == 0
