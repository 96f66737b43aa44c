"""/cgi-bin/agent/get, agent/list, agent/set and menu/create, menu/get, menu/delete
(docs/wecom-api.md "Apps and menus"), and the same settings in the console
(PATCH /admin/api/apps/{agentid}, PUT and DELETE .../menu), on SQLite and PostgreSQL.

Each call takes the app's own token: another app's answers 301002, the contacts-sync secret's
48002. A refused change leaves what was there."""
from __future__ import annotations

import copy

import pytest
import requests

from admin_api import error, ok
from delegation_site import start_site
from member_api import AMR, PNG, AppApi


@pytest.fixture(scope="module")
def site(module_harness, backend):
    return start_site(module_harness, backend)


@pytest.fixture(scope="module")
def app(site):
    return AppApi(site.console.server, site.app_in)


@pytest.fixture(scope="module")
def other(site):
    return AppApi(site.console.server, site.app_out)


def code(res: dict) -> int:
    return res["errcode"]


def agent(app) -> dict:
    res = app.get("agent/get", {"agentid": app.agentid})
    assert code(res) == 0, res
    return res


MENU = {"button": [
    {"type": "click", "name": "今日待办", "key": "TODAY"},
    {"name": "工具", "sub_button": [
        {"type": "view", "name": "OA 首页", "url": "https://oa.example.com/home"},
        {"type": "scancode_push", "name": "扫一扫", "key": "SCAN"},
        {"type": "location_select", "name": "发送位置", "key": "LOC"},
    ]},
    {"type": "view_miniprogram", "name": "小程序", "appid": "wx123", "pagepath": "pages/index"},
]}


def test_agent_get_answers_the_apps_settings_and_scope(app, site):
    res = agent(app)
    assert res["agentid"] == app.agentid and type(res["agentid"]) is int
    assert res["name"] == site.app_in["name"]
    for key in ("square_logo_url", "description", "redirect_domain", "home_url"):
        assert type(res[key]) is str, key
    assert res["close"] == 0 and res["report_location_flag"] == 0 and res["isreportenter"] == 0
    assert set(res["allow_userinfos"]) == {"user"} and set(res["allow_partys"]) == {"partyid"}
    assert set(res["allow_tags"]) == {"tagid"}
    assert all(set(u) == {"userid"} for u in res["allow_userinfos"]["user"])
    # The console's scope is what agent/get shows.
    scope = ok(site.admin.get(f"/admin/api/apps/{app.agentid}"))["scope"]
    assert [u["userid"] for u in res["allow_userinfos"]["user"]] == scope["users"]
    assert res["allow_partys"]["partyid"] == scope["departments"]
    assert res["allow_tags"]["tagid"] == scope["tags"]


def test_agent_calls_take_the_apps_own_token(app, other, site):
    assert code(other.get("agent/get", {"agentid": app.agentid})) == 301002
    assert code(app.get("agent/get", {"agentid": 999999})) == 301002
    assert code(site.cgi.get("agent/get", {"agentid": app.agentid})) == 48002
    assert code(site.cgi.get("agent/list")) == 48002
    assert code(app.get("agent/get")) == 41011
    assert code(app.get("agent/get", {"agentid": "abc"})) == 40056
    assert code(other.post("agent/set", {"agentid": app.agentid, "name": "x"})) == 301002
    assert code(app.post("agent/set", {"name": "x"})) == 41011
    assert code(other.post("menu/create", MENU, {"agentid": app.agentid})) == 301002
    assert code(site.cgi.post("menu/create", MENU, {"agentid": app.agentid})) == 48002
    assert code(other.get("menu/get", {"agentid": app.agentid})) == 301002
    assert code(other.get("menu/delete", {"agentid": app.agentid})) == 301002


def test_agent_list_names_the_tokens_own_app(app):
    res = app.get("agent/list")
    assert code(res) == 0, res
    assert res["agentlist"] == [{"agentid": app.agentid, "name": agent(app)["name"],
                                 "square_logo_url": agent(app)["square_logo_url"]}]


def test_agent_set_changes_what_it_names_and_refuses_bad_values(app, site):
    before = agent(app)
    res = app.post("agent/set", {"agentid": str(app.agentid), "name": "教务通知",
                                 "description": "教务处的通知与提醒", "redirect_domain":
                                 "oa.example.edu.cn:8443", "home_url": "https://oa.example.edu.cn/",
                                 "report_location_flag": 1, "isreportenter": 1,
                                 "isreportuser": 0})
    assert code(res) == 0, res
    now = agent(app)
    assert (now["name"], now["description"], now["redirect_domain"], now["home_url"]) == (
        "教务通知", "教务处的通知与提醒", "oa.example.edu.cn:8443", "https://oa.example.edu.cn/")
    assert now["report_location_flag"] == 1 and now["isreportenter"] == 1
    assert now["allow_partys"] == before["allow_partys"], "the scope is not agent/set's"
    # Only what is named changes.
    assert code(app.post("agent/set", {"agentid": app.agentid, "isreportenter": 0})) == 0
    assert agent(app)["name"] == "教务通知" and agent(app)["isreportenter"] == 0
    kept = agent(app)
    bad = [({"name": ""}, 45022), ({"name": "名" * 33}, 45022), ({"description": "短"}, 40058),
           ({"description": "长" * 121}, 40058), ({"redirect_domain": "oa example"}, 40058),
           ({"redirect_domain": "https://oa.example.com"}, 40058),
           ({"home_url": "ftp://oa.example.com/"}, 40058), ({"home_url": "oa.example.com"}, 40058),
           ({"report_location_flag": 3}, 40058), ({"isreportenter": 2}, 40058),
           ({"name": ["list"]}, 40058)]
    for body, want in bad:
        res = app.post("agent/set", {"agentid": app.agentid, **body})
        assert code(res) == want, (body, res)
    assert agent(app) == kept
    # The console shows and audits it.
    got = ok(site.admin.get(f"/admin/api/apps/{app.agentid}"))
    assert got["name"] == "教务通知" and got["home_url"] == "https://oa.example.edu.cn/"
    assert got["redirect_domain"] == "oa.example.edu.cn:8443" and got["report_location_flag"] == 1
    audit = ok(site.admin.get("/admin/api/audit?action=app.settings"))["entries"]
    assert audit[0]["target"] == str(app.agentid)
    assert audit[0]["actor"] == f"app:{app.agentid}"


def test_a_logo_is_an_uploaded_image_kept_for_good(app):
    media_id = app.upload_ok("image", PNG, "logo.png")
    assert code(app.post("agent/set", {"agentid": app.agentid, "logo_mediaid": media_id})) == 0
    url = agent(app)["square_logo_url"]
    assert url.startswith(app.server.url + "/media/img/") and media_id not in url
    got = requests.get(url, timeout=10)
    assert got.status_code == 200 and got.content == PNG
    voice = app.upload_ok("voice", AMR, "v.amr")
    assert code(app.post("agent/set", {"agentid": app.agentid, "logo_mediaid": voice})) == 40007
    assert code(app.post("agent/set", {"agentid": app.agentid, "logo_mediaid": "nope"})) == 40007
    assert agent(app)["square_logo_url"] == url


def test_a_menu_is_created_read_and_deleted(app, site):
    app.get("menu/delete", {"agentid": app.agentid})
    assert code(app.get("menu/get", {"agentid": app.agentid})) == 46003
    res = app.post("menu/create", MENU, {"agentid": app.agentid})
    assert code(res) == 0, res
    got = app.get("menu/get", {"agentid": app.agentid})
    assert code(got) == 0 and got["button"] == MENU["button"], got
    # Fields a type does not use are not kept.
    extra = copy.deepcopy(MENU)
    extra["button"][0]["url"] = "https://ignored.example.com/"
    assert code(app.post("menu/create", extra, {"agentid": app.agentid})) == 0
    assert app.get("menu/get", {"agentid": app.agentid})["button"] == MENU["button"]
    # The console sees the same menu.
    assert ok(site.admin.get(f"/admin/api/apps/{app.agentid}"))["menu"] == {
        "button": MENU["button"]}
    assert code(app.get("menu/delete", {"agentid": app.agentid})) == 0
    assert code(app.get("menu/get", {"agentid": app.agentid})) == 46003
    assert code(app.get("menu/delete", {"agentid": app.agentid})) == 0
    assert ok(site.admin.get(f"/admin/api/apps/{app.agentid}"))["menu"] is None


def leaf(**kw):
    return {"type": "click", "name": "按钮", "key": "K", **kw}


BAD_MENUS = [
    ({"button": []}, 40016),
    ({"button": [leaf(), leaf(), leaf(), leaf()]}, 40016),
    ({}, 40016),
    ({"button": [{"name": "空", "sub_button": []}]}, 40017),
    ({"button": [{"name": "多", "sub_button": [leaf()] * 6}]}, 40017),
    ({"button": [{"name": "深", "sub_button": [{"name": "再深", "sub_button": [leaf()]}]}]},
     40022),
    ({"button": [leaf(type="tap")]}, 40015),
    ({"button": [{"name": "无类型"}]}, 40015),
    ({"button": [leaf(type="view_miniprogram", appid="wx1")]}, 40015),
    ({"button": [leaf(name="")]}, 40018),
    ({"button": [leaf(name="六个汉字呀呀")]}, 40018),
    ({"button": [{"name": "子", "sub_button": [leaf(name="a" * 41)]}]}, 40018),
    ({"button": [leaf(key="")]}, 40019),
    ({"button": [leaf(key="k" * 129)]}, 40019),
    ({"button": [{"type": "view", "name": "网页", "url": "javascript:alert(1)"}]}, 40054),
    ({"button": [{"type": "view", "name": "网页"}]}, 40054),
    ({"button": [leaf(key=5)]}, 40058),
]


@pytest.mark.parametrize("body,want", BAD_MENUS)
def test_a_bad_menu_is_refused_and_the_old_one_kept(app, body, want):
    assert code(app.post("menu/create", MENU, {"agentid": app.agentid})) == 0
    res = app.post("menu/create", body, {"agentid": app.agentid})
    assert code(res) == want, res
    assert app.get("menu/get", {"agentid": app.agentid})["button"] == MENU["button"]


def test_menu_create_refuses_a_body_that_is_not_json(app):
    res = app.post_raw("menu/create", b"{not json", {"agentid": app.agentid})
    assert code(res) == 47001


def test_the_console_sets_the_menu_and_settings(site, other):
    path = f"/admin/api/apps/{other.agentid}"
    got = ok(site.admin.put(path + "/menu", json=MENU))
    assert got["menu"] == {"button": MENU["button"]}
    assert other.get("menu/get", {"agentid": other.agentid})["button"] == MENU["button"]
    error(site.admin.put(path + "/menu", json={"button": []}), 400, "menu_button_count")
    error(site.admin.put(path + "/menu", json={"button": [leaf(type="tap")]}), 400,
          "menu_button_type")
    assert ok(site.admin.delete(path + "/menu"))["menu"] is None
    assert code(other.get("menu/get", {"agentid": other.agentid})) == 46003
    audit = ok(site.admin.get("/admin/api/audit?action=app.menu"))["entries"]
    assert audit[0]["actor"] == "admin:tester" and audit[0]["target"] == str(other.agentid)

    got = ok(site.admin.patch(path, json={"description": "由控制台设置", "isreportuser": True,
                                          "home_url": "http://intranet.example.com/app"}))
    assert got["description"] == "由控制台设置" and got["isreportuser"] is True
    assert agent(other)["home_url"] == "http://intranet.example.com/app"
    error(site.admin.patch(path, json={"name": ""}), 400, "app_name_length")
    error(site.admin.patch(path, json={"closed": "yes"}), 400, "invalid_argument")
    error(site.admin.patch(path, json={"report_location_flag": 2}), 400, "invalid_argument")
    error(site.admin.patch("/admin/api/apps/999999", json={"name": "x"}), 404, "invalid_agentid")


def test_closing_an_app_stops_its_tokens_and_sends(site, other):
    path = f"/admin/api/apps/{other.agentid}"
    assert code(agent(other)) == 0
    assert ok(site.admin.patch(path, json={"closed": True}))["closed"] is True
    try:
        assert code(other.get("agent/get", {"agentid": other.agentid})) == 50003
        assert code(other.post("message/send", {
            "touser": site.inside, "msgtype": "text", "agentid": other.agentid,
            "text": {"content": "关闭后"}})) == 50003
        r = requests.get(site.url + "/cgi-bin/gettoken", params={
            "corpid": site.app_out["corpid"], "corpsecret": site.app_out["secret"]},
            timeout=10).json()
        assert r["errcode"] == 50003, r
        error(site.admin.post(path + "/messages", json={
            "touser": [site.inside], "msgtype": "text", "text": {"content": "关闭后"}}), 403,
            "app_disabled")
    finally:
        assert ok(site.admin.patch(path, json={"closed": False}))["closed"] is False
    assert code(other.get("agent/get", {"agentid": other.agentid})) == 0
