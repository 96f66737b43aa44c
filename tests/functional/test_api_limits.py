"""/cgi-bin's protection: WeCom's frequency limits (45009, per organisation and per caller
address, each API on its own; lowered here so a test reaches them) and an app's allowlist of
caller addresses (60020)."""
from __future__ import annotations

import pytest
import requests

from admin_api import error, ok
from delegation_site import ENV, start_site
from member_api import AppApi, start_org
from wecom_api import make_api


def test_an_organisation_past_an_apis_minute_limit_gets_45009(harness, backend):
    api = make_api(harness, backend, env={"CORPHUB_API_CORP_CALLS_PER_MINUTE": "5"})
    for _ in range(5):
        assert api.get("department/list")["errcode"] == 0
    res = api.get("department/list")
    assert res["errcode"] == 45009, res
    assert "freq" in res["errmsg"]
    # Other APIs have their own count; the blocked one stays blocked (for 60 s).
    assert api.get("department/simplelist")["errcode"] == 0
    assert api.get("department/list")["errcode"] == 45009
    # gettoken is not an API call of the organisation's token, and still works.
    api.refresh_token()


def test_a_caller_address_past_its_limit_gets_45009(harness, backend):
    api = make_api(harness, backend, env={"CORPHUB_API_IP_CALLS_PER_HOUR": "3"})
    for _ in range(3):
        assert api.get("tag/list")["errcode"] == 0
    assert api.get("tag/list")["errcode"] == 45009


@pytest.fixture(scope="module")
def site(module_harness, backend):
    return start_site(module_harness, backend)


def test_an_apps_allowlist_keeps_other_addresses_out(site):
    agentid = site.app_in["agentid"]
    app = AppApi(site.console.server, site.app_in)
    path = f"/admin/api/apps/{agentid}/allowlist"
    assert app.get("department/list")["errcode"] == 0
    got = ok(site.admin.put(path, json={"ip_allowlist": ["10.0.0.0/8", "192.168.1.7"]}))
    assert got["ip_allowlist"] == ["10.0.0.0/8", "192.168.1.7"]
    res = app.get("department/list")
    assert res["errcode"] == 60020, res
    assert "127.0.0.1" in res["errmsg"]
    assert app.text(site.inside)["errcode"] == 60020, "sending too"
    # The contacts-sync secret and other apps are not held to it.
    assert site.cgi.get("department/list")["errcode"] == 0
    assert AppApi(site.console.server, site.app_out).get("department/list")["errcode"] == 0
    # A range with the caller's address lets it in; so does an empty list.
    got = ok(site.admin.put(path, json={"ip_allowlist": "127.0.0.0/8\n::1"}))
    assert got["ip_allowlist"] == ["127.0.0.0/8", "::1"]
    assert app.get("department/list")["errcode"] == 0
    ok(site.admin.put(path, json={"ip_allowlist": []}))
    assert app.get("department/list")["errcode"] == 0
    assert ok(site.admin.get(f"/admin/api/apps/{agentid}"))["ip_allowlist"] == []
    error(site.admin.put(path, json={"ip_allowlist": ["10.0.0.300"]}), 400, "invalid_argument")
    error(site.admin.put(path, json={"ip_allowlist": 5}), 400, "invalid_argument")
    error(site.dean.put(path, json={"ip_allowlist": []}), 403, "permission_denied")
    audit = ok(site.admin.get("/admin/api/audit?action=app.allowlist"))["entries"]
    assert [e["detail"]["allowlist"] for e in audit][:3] == [
        [], ["127.0.0.0/8", "::1"], ["10.0.0.0/8", "192.168.1.7"]]


def test_an_app_sends_one_member_at_most_its_caps(harness, backend):
    org = start_org(harness, backend, apps=2, env={"CORPHUB_API_MEMBER_MESSAGES_PER_MINUTE": "3"})
    app, other = org.apps
    busy = org.new_member()
    calm = org.new_member()
    for i in range(5):
        res = app.text(busy, f"通知 {i}")
        assert res["errcode"] == 0 and res.get("invaliduser", "") == "", res
    # Past 3 in a minute the member quietly gets no more from that app; the sends still succeed.
    got = [m["content"]["content"] for m in org.member(busy).all_messages(app.agentid)]
    assert sorted(got) == ["通知 0", "通知 1", "通知 2"], got
    # A send to both reaches the one under the cap; another app and another member are free.
    app.text_ok(f"{busy}|{calm}", "二人")
    assert [m["preview"] for m in org.member(calm).all_messages(app.agentid)] == ["二人"]
    other.text_ok(busy, "另一个应用")
    assert len(org.member(busy).all_messages(other.agentid)) == 1
    assert len(org.member(busy).all_messages(app.agentid)) == 3
