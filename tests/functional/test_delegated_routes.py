"""Every console API route against every kind of caller: a super admin, a scoped administrator
acting inside their scope and outside it, a read-only scoped administrator, a member (with a
member session) and an anonymous caller. The routes come from the server itself
(/testing/routes), so a new route without a row here fails the test."""
from __future__ import annotations

import pytest
import requests

from admin_api import ADMIN_PASSWORD, ADMIN_USER, AdminClient, ok, uid, uname
from delegation_site import start_site

DENIALS = {"unauthenticated", "permission_denied", "csrf_mismatch"}


@pytest.fixture(scope="module")
def site(module_harness, backend):
    return start_site(module_harness, backend)


def fresh_admin(site) -> int:
    return ok(site.admin.post("/admin/api/admins", json={
        "username": uid("tmp"), "role": "scoped", "groups": [site.read_group]}), 201)["id"]


def password_of(site, who: str) -> str:
    return {"super": ADMIN_PASSWORD, "dean": site.dean_password,
            "reader": site.passwords["reader"]}[who]


# need: what the route asks of a scoped administrator ("any", "read", "edit", "devices",
# "apps", "manage" (an app), "super"). inside(site, who) and outside(site, who) give (path, json body or None);
# outside is for routes that name something the scope may not cover. own_session: the call ends
# or changes the caller's session, so it runs on a new login.
def row(need, inside, outside=None, own_session=False):
    return {"need": need, "inside": inside, "outside": outside, "own_session": own_session}


def at(path, body=None):
    return lambda site, who: (path, body)


ROUTES = {
    ("POST", "/admin/api/session"): {"public": True},
    ("GET", "/admin/api/session"): row("any", at("/admin/api/session")),
    ("DELETE", "/admin/api/session"): row("any", at("/admin/api/session"), own_session=True),
    ("GET", "/admin/api/account/totp"): row("any", at("/admin/api/account/totp")),
    ("POST", "/admin/api/account/totp/setup"): row(
        "any", lambda s, w: ("/admin/api/account/totp/setup", {"password": password_of(s, w)}),
        own_session=True),
    ("POST", "/admin/api/account/totp/enable"): row(
        "any", at("/admin/api/account/totp/enable", {"code": "abc"}), own_session=True),
    ("POST", "/admin/api/account/totp/disable"): row(
        "any", lambda s, w: ("/admin/api/account/totp/disable", {"password": password_of(s, w)}),
        own_session=True),
    ("POST", "/admin/api/account/password"): row(
        "any", lambda s, w: ("/admin/api/account/password",
                             {"current_password": password_of(s, w), "new_password": "short"}),
        own_session=True),
    ("GET", "/admin/api/departments"): row("read", at("/admin/api/departments")),
    ("POST", "/admin/api/departments"): row(
        "edit", lambda s, w: ("/admin/api/departments", {"name": uname(), "parentid": s.dept_a}),
        lambda s, w: ("/admin/api/departments", {"name": uname(), "parentid": s.dept_b})),
    ("PATCH", "/admin/api/departments/{id}"): row(
        "edit", lambda s, w: (f"/admin/api/departments/{s.dept_a1}", {"order": 7}),
        lambda s, w: (f"/admin/api/departments/{s.dept_b}", {"order": 7})),
    ("DELETE", "/admin/api/departments/{id}"): row(
        "edit", lambda s, w: (f"/admin/api/departments/{s.dept(s.dept_a)}", None),
        lambda s, w: (f"/admin/api/departments/{s.dept(s.dept_b)}", None)),
    ("GET", "/admin/api/members"): row(
        "read", lambda s, w: (f"/admin/api/members?department_id={s.dept_a1}", None),
        lambda s, w: (f"/admin/api/members?department_id={s.dept_b}", None)),
    ("POST", "/admin/api/members/bulk"): row(
        "edit", lambda s, w: ("/admin/api/members/bulk", {
            "action": "add_tag", "userids": [s.inside], "tag_id": s.tag_in}),
        lambda s, w: ("/admin/api/members/bulk", {
            "action": "add_tag", "userids": [s.outside], "tag_id": s.tag_in})),
    ("GET", "/admin/api/tags"): row("read", at("/admin/api/tags")),
    ("GET", "/admin/api/audit"): row("any", at("/admin/api/audit")),
    ("GET", "/admin/api/identity/settings"): row("any", at("/admin/api/identity/settings")),
    ("PUT", "/admin/api/identity/settings"): row(
        "super", at("/admin/api/identity/settings", {"open_registration": True})),
    ("GET", "/admin/api/identity/pending"): row("edit", at("/admin/api/identity/pending")),
    ("POST", "/admin/api/identity/pending/{userid}/approve"): row(
        "edit", lambda s, w: (f"/admin/api/identity/pending/{s.inside}/approve", None),
        lambda s, w: (f"/admin/api/identity/pending/{s.outside}/approve", None)),
    ("POST", "/admin/api/identity/pending/{userid}/reject"): row(
        "edit", lambda s, w: (f"/admin/api/identity/pending/{s.inside}/reject", None),
        lambda s, w: (f"/admin/api/identity/pending/{s.outside}/reject", None)),
    ("POST", "/admin/api/members/invite"): row(
        "edit", lambda s, w: ("/admin/api/members/invite", {"userids": [s.inside]}),
        lambda s, w: ("/admin/api/members/invite", {"userids": [s.outside]})),
    ("GET", "/admin/api/members/{userid}/sessions"): row(
        "devices", lambda s, w: (f"/admin/api/members/{s.inside}/sessions", None),
        lambda s, w: (f"/admin/api/members/{s.outside}/sessions", None)),
    ("POST", "/admin/api/members/{userid}/sessions/end"): row(
        "devices", lambda s, w: (f"/admin/api/members/{s.tagged}/sessions/end", None),
        lambda s, w: (f"/admin/api/members/{s.outside}/sessions/end", None)),
    ("GET", "/admin/api/imports/template"): row("edit", at("/admin/api/imports/template")),
    # Which rows of a file fall inside the scope is test_scoped_import.py's.
    ("POST", "/admin/api/imports"): row("edit", at("/admin/api/imports", {"not": "a file"})),
    ("GET", "/admin/api/imports/{job_id}"): row("edit", at("/admin/api/imports/nosuchjob")),
    ("GET", "/admin/api/members/export"): row(
        "read", lambda s, w: (f"/admin/api/members/export?department_id={s.dept_a}", None),
        lambda s, w: (f"/admin/api/members/export?department_id={s.dept_b}", None)),
    ("POST", "/admin/api/members/freeze"): row(
        "devices", lambda s, w: ("/admin/api/members/freeze", {"userids": [s.tagged],
                                                             "frozen": False}),
        lambda s, w: ("/admin/api/members/freeze", {"userids": [s.outside], "frozen": False})),
    ("GET", "/admin/api/apps"): row("apps", at("/admin/api/apps")),
    ("GET", "/admin/api/apps/{agentid}"): row(
        "apps", lambda s, w: (f"/admin/api/apps/{s.app_in['agentid']}", None),
        lambda s, w: (f"/admin/api/apps/{s.app_out['agentid']}", None)),
    ("PUT", "/admin/api/apps/{agentid}/scope"): row(
        "manage", lambda s, w: (f"/admin/api/apps/{s.app_out['agentid']}/scope",
                                {"departments": [1]})),
    ("PUT", "/admin/api/apps/{agentid}/allowlist"): row(
        "manage", lambda s, w: (f"/admin/api/apps/{s.app_out['agentid']}/allowlist",
                                {"ip_allowlist": []})),
    ("PATCH", "/admin/api/apps/{agentid}"): row(
        "manage", lambda s, w: (f"/admin/api/apps/{s.app_out['agentid']}", {"home_url": ""})),
    ("PUT", "/admin/api/apps/{agentid}/menu"): row(
        "manage", lambda s, w: (f"/admin/api/apps/{s.app_out['agentid']}/menu", {
            "button": [{"type": "click", "name": "a", "key": "k"}]})),
    ("DELETE", "/admin/api/apps/{agentid}/menu"): row(
        "manage", lambda s, w: (f"/admin/api/apps/{s.app_out['agentid']}/menu", None)),
    ("GET", "/admin/api/apps/{agentid}/callback"): row(
        "manage", lambda s, w: (f"/admin/api/apps/{s.app_out['agentid']}/callback", None)),
    # Refused for its body (no URL is called), once the right is granted.
    ("PUT", "/admin/api/apps/{agentid}/callback"): row(
        "manage", lambda s, w: (f"/admin/api/apps/{s.app_out['agentid']}/callback", {
            "url": "http://127.0.0.1:9/", "token": "t", "encoding_aes_key": "short"})),
    ("DELETE", "/admin/api/apps/{agentid}/callback"): row(
        "manage", lambda s, w: (f"/admin/api/apps/{s.app_out['agentid']}/callback", None)),
    ("GET", "/admin/api/apps/{agentid}/callback/deliveries"): row(
        "manage", lambda s, w: (f"/admin/api/apps/{s.app_out['agentid']}/callback/deliveries",
                                None)),
    ("POST", "/admin/api/apps/{agentid}/callback/deliveries/{id}/retry"): row(
        "manage", lambda s, w: (
            f"/admin/api/apps/{s.app_out['agentid']}/callback/deliveries/1/retry", None)),
    ("GET", "/admin/api/contacts/callback"): row("super", at("/admin/api/contacts/callback")),
    ("PUT", "/admin/api/contacts/callback"): row("super", at("/admin/api/contacts/callback", {
        "url": "http://127.0.0.1:9/", "token": "t", "encoding_aes_key": "short"})),
    ("DELETE", "/admin/api/contacts/callback"): row("super", at("/admin/api/contacts/callback")),
    ("GET", "/admin/api/contacts/callback/deliveries"): row(
        "super", at("/admin/api/contacts/callback/deliveries")),
    ("POST", "/admin/api/contacts/callback/deliveries/{id}/retry"): row(
        "super", at("/admin/api/contacts/callback/deliveries/1/retry")),
    ("POST", "/admin/api/apps/{agentid}/secret"): row(
        "manage", lambda s, w: (f"/admin/api/apps/{s.app_out['agentid']}/secret", None)),
    ("GET", "/admin/api/apps/{agentid}/messages"): row(
        "apps", lambda s, w: (f"/admin/api/apps/{s.app_in['agentid']}/messages", None),
        lambda s, w: (f"/admin/api/apps/{s.app_out['agentid']}/messages", None)),
    ("GET", "/admin/api/apps/{agentid}/targets"): row(
        "apps", lambda s, w: (f"/admin/api/apps/{s.app_in['agentid']}/targets", None),
        lambda s, w: (f"/admin/api/apps/{s.app_out['agentid']}/targets", None)),
    # Inside: a member of the scope through the app of the right; outside: a member of B.
    ("POST", "/admin/api/apps/{agentid}/messages"): row(
        "apps", lambda s, w: (f"/admin/api/apps/{s.app_in['agentid']}/messages", {
            "touser": [s.inside], "msgtype": "text", "text": {"content": "通知"}}),
        lambda s, w: (f"/admin/api/apps/{s.app_in['agentid']}/messages", {
            "touser": [s.outside], "msgtype": "text", "text": {"content": "通知"}})),
    ("GET", "/admin/api/messages/{msgid}/receipts"): row(
        "apps", lambda s, w: (f"/admin/api/messages/{s.msg_in}/receipts", None),
        lambda s, w: (f"/admin/api/messages/{s.msg_out}/receipts", None)),
    ("GET", "/admin/api/registrations"): row("edit", at("/admin/api/registrations")),
    ("POST", "/admin/api/registrations/{id}/approve"): row(
        "edit", lambda s, w: (f"/admin/api/registrations/{s.apply(s.dept_a1)}/approve", {}),
        lambda s, w: (f"/admin/api/registrations/{s.apply(s.dept_b)}/approve", {})),
    ("POST", "/admin/api/registrations/{id}/reject"): row(
        "edit", lambda s, w: (f"/admin/api/registrations/{s.apply(s.dept_a1)}/reject", {}),
        lambda s, w: (f"/admin/api/registrations/{s.apply(s.dept_b)}/reject", {})),
    ("GET", "/admin/api/admin-groups"): row("super", at("/admin/api/admin-groups")),
    ("POST", "/admin/api/admin-groups"): row("super", at("/admin/api/admin-groups", {})),
    ("PATCH", "/admin/api/admin-groups/{id}"): row(
        "super", lambda s, w: (f"/admin/api/admin-groups/{s.read_group}", {"description": "只读"})),
    ("DELETE", "/admin/api/admin-groups/{id}"): row(
        "super", lambda s, w: (f"/admin/api/admin-groups/{s.new_group(name=uname('删'))}", None)),
    ("GET", "/admin/api/admins"): row("super", at("/admin/api/admins")),
    ("POST", "/admin/api/admins"): row(
        "super", lambda s, w: ("/admin/api/admins", {
            "username": uid("new"), "role": "scoped", "groups": [s.read_group]})),
    ("PATCH", "/admin/api/admins/{id}"): row(
        "super", lambda s, w: (f"/admin/api/admins/{fresh_admin(s)}", {"groups": [s.group]})),
    ("DELETE", "/admin/api/admins/{id}"): row(
        "super", lambda s, w: (f"/admin/api/admins/{fresh_admin(s)}", None)),
    ("POST", "/admin/api/admins/{id}/password"): row(
        "super", lambda s, w: (f"/admin/api/admins/{fresh_admin(s)}/password", None)),
}

# What each scoped administrator of the site has.
DEAN_HAS = {"any", "read", "edit", "devices", "apps"}
READER_HAS = {"any", "read"}


def code_of(r: requests.Response) -> str:
    try:
        body = r.json()
    except ValueError:
        return ""
    return body.get("code", "") if isinstance(body, dict) else ""


def call(client: AdminClient | None, site, method: str, path: str, body, cookie: str = ""):
    if client is None:
        headers = {"Cookie": cookie} if cookie else {}
        return requests.request(method, site.url + path, json=body, headers=headers, timeout=60)
    return client.request(method, path, json=body)


def client_for(site, who: str, own_session: bool) -> AdminClient:
    if not own_session:
        return {"super": site.admin, "dean": site.dean, "reader": site.reader}[who]
    username = {"super": ADMIN_USER, "dean": "dean", "reader": "reader"}[who]
    client = AdminClient(site.url)
    client.login_ok(username, password_of(site, who))
    return client


def assert_allowed(r, what):
    assert r.status_code != 500 and code_of(r) not in DENIALS | {"api_not_found"}, (
        what, r.status_code, r.text)


def assert_denied(r, status, code, what):
    assert (r.status_code, code_of(r)) == (status, code), (what, r.status_code, r.text)


def test_every_console_route_allows_and_denies_as_the_rights_say(site):
    routes = requests.get(site.url + "/testing/routes", timeout=30).json()["routes"]
    served = {(r["method"], r["pattern"]) for r in routes
              if r["pattern"].startswith("/admin/api/") and r["pattern"] != "/admin/api/*"}
    assert served == set(ROUTES), {"without a row here": sorted(served - set(ROUTES)),
                                   "no longer served": sorted(set(ROUTES) - served)}
    for (method, pattern), spec in sorted(ROUTES.items()):
        if spec.get("public"):
            continue
        what = f"{method} {pattern}"
        path, body = spec["inside"](site, "super")
        assert_denied(call(None, site, method, path, body), 401, "unauthenticated",
                      what + " anonymous")
        assert_denied(call(None, site, method, path, body, site.member_cookie), 401,
                      "unauthenticated", what + " as a member")
        need = spec["need"]
        for who, has in (("reader", READER_HAS), ("dean", DEAN_HAS)):
            if spec["outside"] is not None and need in has:
                path, body = spec["outside"](site, who)
                client = client_for(site, who, spec["own_session"])
                assert_denied(call(client, site, method, path, body), 403, "permission_denied",
                              f"{what} {who} outside the scope ({path})")
            path, body = spec["inside"](site, who)
            client = client_for(site, who, spec["own_session"])
            r = call(client, site, method, path, body)
            if need in has:
                assert_allowed(r, f"{what} {who} inside the scope ({path})")
            else:
                assert_denied(r, 403, "permission_denied", f"{what} {who} ({path})")
        path, body = spec["inside"](site, "super")
        r = call(client_for(site, "super", spec["own_session"]), site, method, path, body)
        assert_allowed(r, what + " super admin")
