"""A directory with delegated administration for the test_delegated_* modules.

Departments: A (with A/A1) inside the scope, B outside it. Members: `inside` in A1, `tagged` in B
but tagged with the scope's tag, `outside` in B. Apps: `app_in` (the group may send through it)
and `app_out`. The group "faculty" has the scope {A, tag_in}, the contacts edit right, the device
right and `app_in` (send); the administrator "dean" belongs to it. "reader" belongs to a group
with the same scope and only the read right.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import requests

from admin_api import (ADMIN_PASSWORD, ADMIN_USER, AdminClient, Console, create_admin, ok,
                       uid, uname)
from member_api import AppApi, create_app, open_session, MEMBER_COOKIE
from wecom_api import Api, corp_show

ENV = {"CORPHUB_TESTING_ENABLED": "true", "CORPHUB_IDENTITY_APPLICATIONS_PER_HOUR": "100000"}


@dataclass
class Site:
    console: Console
    app_in: dict
    app_out: dict
    dept_a: int = 0
    dept_a1: int = 0
    dept_b: int = 0
    tag_in: int = 0
    tag_out: int = 0
    inside: str = ""
    tagged: str = ""
    outside: str = ""
    group: int = 0
    read_group: int = 0
    dean: AdminClient = None
    dean_password: str = ""
    reader: AdminClient = None
    member_cookie: str = ""
    msg_in: str = ""
    msg_out: str = ""
    passwords: dict = field(default_factory=dict)

    @property
    def admin(self) -> AdminClient:
        return self.console.admin

    @property
    def cgi(self) -> Api:
        return self.console.cgi

    @property
    def url(self) -> str:
        return self.console.url

    def dept(self, parent: int) -> int:
        res = self.cgi.post("department/create", {"name": uname("委"), "parentid": parent})
        assert res["errcode"] == 0, res
        return res["id"]

    def member(self, department: int) -> str:
        return self.console.new_member(department=department)

    def scoped_admin(self, groups: list, username: str | None = None) -> tuple:
        """A new scoped administrator in `groups`, logged in with a changed password:
        (client, username, password, id)."""
        username = username or uid("adm")
        created = ok(self.admin.post("/admin/api/admins", json={
            "username": username, "role": "scoped", "groups": groups}), 201)
        client = AdminClient(self.url)
        client.login_ok(username, created["password"])
        password = "scoped-password-" + uid("p")
        ok(client.post("/admin/api/account/password", json={
            "current_password": created["password"], "new_password": password}))
        return client, username, password, created["id"]

    def new_group(self, **body) -> int:
        base = {"name": uname("组"), "departments": [self.dept_a], "tags": [self.tag_in],
                "contacts": "edit", "devices": True,
                "apps": [{"agentid": self.app_in["agentid"], "right": "send"}]}
        base.update(body)
        return ok(self.admin.post("/admin/api/admin-groups", json=base), 201)["id"]

    def apply(self, department: int) -> str:
        """An open registration to `department`; returns its id."""
        r = requests.post(self.url + "/api/v1/registration", json={
            "name": "申请人", "department": department, "mobile": "",
            "email": f"{uid('r')}@apply.example.com"}, timeout=30)
        assert r.status_code == 201, (r.status_code, r.text)
        return r.json()["id"]


def start_site(harness, backend: str, env: dict | None = None) -> Site:
    storage = harness.storage(backend)
    create_admin(harness, storage, ADMIN_USER, ADMIN_PASSWORD)
    app_in = create_app(harness, storage, "学院通知")
    app_out = create_app(harness, storage, "财务")
    corp = corp_show(harness, storage)
    server = harness.server(storage, env={**ENV, **(env or {})})
    admin = AdminClient(server.url)
    admin.login_ok(ADMIN_USER, ADMIN_PASSWORD)
    console = Console(harness, storage, server, corp, Api(server, corp), admin, ADMIN_USER,
                      ADMIN_PASSWORD)
    site = Site(console, app_in, app_out)
    site.dept_a = site.dept(1)
    site.dept_a1 = site.dept(site.dept_a)
    site.dept_b = site.dept(1)
    site.tag_in = console.new_tag()
    site.tag_out = console.new_tag()
    site.inside = site.member(site.dept_a1)
    site.tagged = site.member(site.dept_b)
    site.outside = site.member(site.dept_b)
    res = site.cgi.post("tag/addtagusers", {"tagid": site.tag_in, "userlist": [site.tagged]})
    assert res["errcode"] == 0, res
    site.group = site.new_group(name="学院管理员")
    site.read_group = site.new_group(name="只读", contacts="read", devices=False, apps=[])
    site.dean, _, site.dean_password, _ = site.scoped_admin([site.group], "dean")
    site.reader, _, site.passwords["reader"], _ = site.scoped_admin([site.read_group], "reader")
    site.member_cookie = f"{MEMBER_COOKIE}={open_session(server, site.inside)['token']}"
    for app, attr, to in ((app_in, "msg_in", site.inside), (app_out, "msg_out", site.outside)):
        setattr(site, attr, AppApi(server, app).text_ok(to, "通知"))
    ok(admin.put("/admin/api/identity/settings", json={"open_registration": True}))
    return site
