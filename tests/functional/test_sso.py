"""Single sign-on with WeCom's OAuth2 and the JS-SDK tickets (docs/wecom-api.md "Single
sign-on"), on SQLite and PostgreSQL.

An app's page sends the browser to /connect/oauth2/authorize; corphub hands it to the member
client's /sso/authorize, whose requests (GET and POST /api/v1/sso/authorize, the member's own
session) check the request and get a one-time code; the browser goes back to the app's
redirect_uri with it, and the app's server trades it for the member (auth/getuserinfo, the legacy
user/getuserinfo, auth/getuserdetail). The rules are WeCom's: 40013, 41011, 50001, 50002, 40029."""
from __future__ import annotations

import urllib.parse

import pytest
import requests

from admin_api import ok
from delegation_site import start_site
from member_api import AppApi, Member

DOMAIN = "oa.example.com"
OTHER_DOMAIN = "erp.example.com"


@pytest.fixture(scope="module")
def site(module_harness, backend):
    s = start_site(module_harness, backend)
    for app, domain in ((s.app_in, DOMAIN), (s.app_out, OTHER_DOMAIN)):
        ok(s.admin.patch(f"/admin/api/apps/{app['agentid']}", json={"redirect_domain": domain}))
    return s


@pytest.fixture(scope="module")
def app(site):
    return AppApi(site.console.server, site.app_in)


@pytest.fixture(scope="module")
def other(site):
    return AppApi(site.console.server, site.app_out)


@pytest.fixture(scope="module")
def member(site):
    return Member(site.console.server, site.inside)


def request(site, **over) -> dict:
    q = {"appid": site.console.corp["corpid"], "redirect_uri": f"https://{DOMAIN}/sso/back?x=1",
         "response_type": "code", "scope": "snsapi_base", "state": "STATE-1"}
    q.update(over)
    return {k: v for k, v in q.items() if v is not None}


def authorize(site, member, **over) -> requests.Response:
    return member.http.post(site.url + "/api/v1/sso/authorize", json=request(site, **over),
                            timeout=10)


def code_of(res: requests.Response) -> str:
    assert res.status_code == 200, res.text
    url = urllib.parse.urlsplit(res.json()["redirect_url"])
    return urllib.parse.parse_qs(url.query)["code"][0]


def test_the_authorize_url_hands_the_browser_to_the_member_client(site):
    q = urllib.parse.urlencode(request(site))
    r = requests.get(site.url + "/connect/oauth2/authorize?" + q, allow_redirects=False,
                     timeout=10)
    assert r.status_code == 302 and r.headers["Location"] == "/sso/authorize?" + q
    assert r.headers["Cache-Control"] == "no-store"


def test_a_member_signs_in_to_an_apps_page_with_snsapi_base(site, app, member):
    checked = member.get_ok("/api/v1/sso/authorize?" + urllib.parse.urlencode(request(site)))
    assert checked == {"agentid": 0, "app_name": "", "logo_url": "", "scope": "snsapi_base",
                       "redirect_host": DOMAIN}
    res = authorize(site, member)
    back = urllib.parse.urlsplit(res.json()["redirect_url"])
    query = urllib.parse.parse_qs(back.query)
    assert (back.scheme, back.netloc, back.path) == ("https", DOMAIN, "/sso/back")
    assert query["x"] == ["1"] and query["state"] == ["STATE-1"] and len(query["code"][0]) == 64
    code = query["code"][0]
    got = app.get("auth/getuserinfo", {"code": code})
    assert got["errcode"] == 0 and got["userid"] == site.inside, got
    assert "user_ticket" not in got
    # Single use.
    assert app.get("auth/getuserinfo", {"code": code})["errcode"] == 40029


def test_the_legacy_getuserinfo_answers_camelcase(site, app, member):
    got = app.get("user/getuserinfo", {"code": code_of(authorize(site, member))})
    assert got["errcode"] == 0 and got["UserId"] == site.inside and got["DeviceId"], got
    assert "userid" not in got


def test_privateinfo_gives_a_ticket_for_the_members_details(site, app, other, member):
    res = authorize(site, member, scope="snsapi_privateinfo", agentid=str(app.agentid))
    code = code_of(res)
    # Another app cannot take a code asked for this one, and does not spend it.
    assert other.get("auth/getuserinfo", {"code": code})["errcode"] == 40029
    got = app.get("auth/getuserinfo", {"code": code})
    assert got["errcode"] == 0 and got["userid"] == site.inside and got["expires_in"] == 1800
    ticket = got["user_ticket"]
    detail = app.post("auth/getuserdetail", {"user_ticket": ticket})
    assert detail["errcode"] == 0, detail
    user = site.cgi.get("user/get", {"userid": site.inside})
    assert (detail["userid"], detail["mobile"], detail["email"]) == (
        site.inside, user["mobile"], user["email"])
    assert detail["gender"] == str(user["gender"]) and "biz_mail" in detail
    # The ticket is the app's alone, and a made-up one is refused.
    assert other.post("auth/getuserdetail", {"user_ticket": ticket})["errcode"] == 40058
    assert app.post("auth/getuserdetail", {"user_ticket": "x" * 64})["errcode"] == 40058
    assert app.post("auth/getuserdetail", {})["errcode"] == 40058
    # The screen names the app it signs in to.
    checked = member.get_ok("/api/v1/sso/authorize?" + urllib.parse.urlencode(
        request(site, scope="snsapi_privateinfo", agentid=str(app.agentid))))
    assert checked["agentid"] == app.agentid and checked["app_name"] == site.app_in["name"]


@pytest.mark.parametrize("over, status, code", [
    ({"redirect_uri": "https://evil.example.net/steal"}, 400, "redirect_untrusted"),
    ({"redirect_uri": f"https://{OTHER_DOMAIN}/x", "agentid": "APP_IN"}, 400,
     "redirect_untrusted"),
    ({"redirect_uri": f"https://user@{DOMAIN}/x"}, 400, "invalid_parameter"),
    ({"redirect_uri": "/relative"}, 400, "invalid_parameter"),
    ({"appid": "wwnotthiscorp0000"}, 400, "invalid_corpid"),
    ({"scope": "snsapi_privateinfo"}, 400, "missing_agentid"),
    ({"scope": "snsapi_login"}, 400, "invalid_parameter"),
    ({"response_type": "token"}, 400, "invalid_parameter"),
    ({"agentid": "999999"}, 404, "invalid_agentid"),
    ({"state": "s" * 129}, 400, "invalid_parameter"),
])
def test_a_bad_request_gets_wecoms_error_and_no_code(site, app, member, over, status, code):
    if over.get("agentid") == "APP_IN":
        over = {**over, "agentid": str(app.agentid)}
    for res in (authorize(site, member, **over),
                member.get("/api/v1/sso/authorize?" + urllib.parse.urlencode(
                    request(site, **over)))):
        assert res.status_code == status and res.json()["code"] == code, res.text


def test_the_apps_scope_and_trusted_domain_hold_when_the_code_is_redeemed(site, app, other):
    path = f"/admin/api/apps/{app.agentid}"
    outsider = Member(site.console.server, site.outside)
    ok(site.admin.put(path + "/scope", json={"departments": [site.dept_a]}))
    try:
        res = authorize(site, outsider, agentid=str(app.agentid))
        assert res.status_code == 403 and res.json()["code"] == "out_of_app_scope", res.text
        # Asked for no app, the code's member is checked against the app that redeems it.
        code = code_of(authorize(site, outsider))
        assert app.get("auth/getuserinfo", {"code": code})["errcode"] == 50002
    finally:
        ok(site.admin.put(path + "/scope", json={"departments": [1]}))
    # A code that went to one app's domain is not another app's.
    code = code_of(authorize(site, Member(site.console.server, site.inside)))
    assert other.get("auth/getuserinfo", {"code": code})["errcode"] == 50001
    # The contacts-sync secret redeems nothing.
    assert site.cgi.get("auth/getuserinfo", {"code": "x"})["errcode"] == 48002
    assert app.get("auth/getuserinfo", {})["errcode"] == 40029


def test_a_signed_out_browser_and_a_write_without_csrf_get_no_code(site, member):
    r = requests.get(site.url + "/api/v1/sso/authorize?" + urllib.parse.urlencode(request(site)),
                     timeout=10)
    assert r.status_code == 401
    r = requests.post(site.url + "/api/v1/sso/authorize", json=request(site), timeout=10,
                      cookies=member.http.cookies)
    assert r.status_code == 403 and r.json()["code"] == "csrf_mismatch"


def test_a_closed_app_signs_nobody_in(site, app, member):
    path = f"/admin/api/apps/{app.agentid}"
    ok(site.admin.patch(path, json={"closed": True}))
    try:
        res = authorize(site, member, agentid=str(app.agentid))
        assert res.status_code == 403 and res.json()["code"] == "app_disabled", res.text
    finally:
        ok(site.admin.patch(path, json={"closed": False}))


def test_jsapi_tickets_are_stable_and_per_app(site, app, other):
    first = app.get("get_jsapi_ticket")
    assert first["errcode"] == 0 and 7100 <= first["expires_in"] <= 7200, first
    again = other.get("get_jsapi_ticket")
    assert again["ticket"] == first["ticket"], "the organisation's ticket is one"
    mine = app.get("ticket/get", {"type": "agent_config"})
    theirs = other.get("ticket/get", {"type": "agent_config"})
    assert mine["errcode"] == 0 and theirs["errcode"] == 0
    assert len({first["ticket"], mine["ticket"], theirs["ticket"]}) == 3
    assert app.get("ticket/get", {"type": "agent_config"})["ticket"] == mine["ticket"]
    assert app.get("ticket/get", {"type": "jsapi"})["errcode"] == 40058
    assert site.cgi.get("get_jsapi_ticket")["errcode"] == 48002
