"""Delegated administration through the console API: admin groups and administrators managed by
a super admin, and what a scoped administrator then sees and may change (docs/admin-api.md)."""
from __future__ import annotations

import pytest

from admin_api import ADMIN_PASSWORD, ADMIN_USER, AdminClient, error, ok, read_csv, uid, uname
from delegation_site import start_site


@pytest.fixture(scope="module")
def site(module_harness, backend):
    return start_site(module_harness, backend)


def rights_of(client: AdminClient) -> dict:
    return ok(client.get("/admin/api/session"))["rights"]


def test_the_session_tells_the_console_what_the_caller_may_do(site):
    sup = rights_of(site.admin)
    assert sup["super"] is True and sup["contacts"] == "edit" and sup["all_apps"] is True
    dean = rights_of(site.dean)
    assert dean == {"super": False, "contacts": "edit", "devices": True, "all_apps": False,
                    "apps": [{"agentid": site.app_in["agentid"], "right": "send"}],
                    "scope": {"departments": [site.dept_a], "tags": [site.tag_in]}}
    reader = rights_of(site.reader)
    assert (reader["contacts"], reader["devices"], reader["apps"]) == ("read", False, [])
    assert ok(site.dean.get("/admin/api/session"))["admin"]["role"] == "scoped"


def test_a_scoped_administrator_sees_only_their_scope(site):
    ids = {d["id"] for d in site.dean.tree()}
    assert ids == {site.dept_a, site.dept_a1}, "their departments, without the rest of the tree"
    assert set(site.dean.userids()) == {site.inside, site.tagged}
    assert ok(site.dean.get("/admin/api/members"))["total"] == 2
    assert set(site.dean.userids(department_id=site.dept_a, recursive=1)) == {site.inside}
    assert {t["id"] for t in site.dean.tags()} == {site.tag_in}
    error(site.dean.get(f"/admin/api/members?department_id={site.dept_b}"), 403,
          "permission_denied")
    # The export holds what they see, nothing else.
    r = site.dean.export("csv")
    assert r.status_code == 200, r.text
    exported = {row[0] for row in read_csv(r.content)[1:]}
    assert exported == {site.inside, site.tagged}
    apps = ok(site.dean.get("/admin/api/apps"))["apps"]
    assert [(a["agentid"], a["right"]) for a in apps] == [(site.app_in["agentid"], "send")]
    everyone = ok(site.admin.get("/admin/api/apps"))["apps"]
    assert {a["agentid"] for a in everyone} == {site.app_in["agentid"], site.app_out["agentid"]}
    assert {a["right"] for a in everyone} == {"manage"}


def test_a_scoped_administrator_changes_only_what_is_inside(site):
    dean = site.dean
    error(dean.patch(f"/admin/api/departments/{site.dept_a}", json={"name": "改名"}), 403,
          "permission_denied")
    error(dean.delete(f"/admin/api/departments/{site.dept_a}"), 403, "permission_denied")
    error(dean.patch(f"/admin/api/departments/{site.dept_a1}", json={"parentid": site.dept_b}),
          403, "permission_denied")
    child = dean.create_dept(parentid=site.dept_a1)
    ok(dean.patch(f"/admin/api/departments/{child}", json={"name": uname("改")}))
    r = dean.delete(f"/admin/api/departments/{child}")
    assert r.status_code == 204, r.text
    error(dean.bulk("move", [site.inside], department_id=site.dept_b), 403, "permission_denied")
    error(dean.bulk("add_tag", [site.inside], tag_id=site.tag_out), 403, "permission_denied")
    error(dean.bulk("delete", [site.inside, site.outside]), 403, "permission_denied")
    assert site.console.tag_users(site.tag_out) == set(), "a refused change leaves nothing"
    ok(dean.bulk("add_tag", [site.inside], tag_id=site.tag_in))
    assert site.inside in site.console.tag_users(site.tag_in)
    # The read-only administrator changes nothing.
    error(site.reader.bulk("remove_tag", [site.inside], tag_id=site.tag_in), 403,
          "permission_denied")
    error(site.reader.post("/admin/api/departments", json={"name": uname(), "parentid":
                                                           site.dept_a}), 403, "permission_denied")


def test_a_scoped_administrator_reads_the_audit_of_their_own_actions(site):
    dept = site.dean.create_dept(parentid=site.dept_a)
    mine = ok(site.dean.get("/admin/api/audit"))["entries"]
    assert mine and {e["actor"] for e in mine} == {"admin:dean"}
    assert any(e["action"] == "department.create" and e["target"] == str(dept) for e in mine)
    error(site.dean.get(f"/admin/api/audit?actor=admin:{ADMIN_USER}"), 403, "permission_denied")
    everyone = ok(site.admin.get("/admin/api/audit?limit=200"))["entries"]
    assert {"admin:dean", f"admin:{ADMIN_USER}"} <= {e["actor"] for e in everyone}


def test_applications_reach_the_administrators_of_their_department(site):
    inside = site.apply(site.dept_a1)
    outside = site.apply(site.dept_b)
    listed = {r["id"] for r in ok(site.dean.get("/admin/api/registrations"))["registrations"]}
    assert inside in listed and outside not in listed
    error(site.dean.post(f"/admin/api/registrations/{outside}/reject", json={}), 403,
          "permission_denied")
    error(site.dean.post(f"/admin/api/registrations/{inside}/approve",
                         json={"department": site.dept_b}), 403, "permission_denied")
    ok(site.dean.post(f"/admin/api/registrations/{inside}/reject", json={"reason": "重复"}))
    everyone = {r["id"] for r in ok(site.admin.get("/admin/api/registrations?status=all"))[
        "registrations"]}
    assert {inside, outside} <= everyone


def test_groups_are_checked_and_audited(site):
    admin = site.admin
    base = {"name": uname("组"), "departments": [site.dept_a], "contacts": "read"}
    error(admin.post("/admin/api/admin-groups", json={**base, "departments": []}), 400,
          "invalid_argument")
    error(admin.post("/admin/api/admin-groups", json={**base, "departments": [987654]}), 404,
          "department_not_found")
    error(admin.post("/admin/api/admin-groups", json={**base, "tags": [987654]}), 400,
          "invalid_tag_id")
    error(admin.post("/admin/api/admin-groups",
                     json={**base, "apps": [{"agentid": 999999, "right": "send"}]}), 404,
          "invalid_agentid")
    error(admin.post("/admin/api/admin-groups",
                     json={**base, "apps": [{"agentid": site.app_in["agentid"], "right": "x"}]}),
          400, "invalid_argument")
    error(admin.post("/admin/api/admin-groups", json={**base, "contacts": "all"}), 400,
          "invalid_argument")
    error(admin.post("/admin/api/admin-groups", json={**base, "name": "学院管理员"}), 409,
          "already_exists")
    gid = ok(admin.post("/admin/api/admin-groups", json=base), 201)["id"]
    ok(admin.patch(f"/admin/api/admin-groups/{gid}", json={
        "contacts": "edit", "apps": [{"agentid": site.app_out["agentid"], "right": "manage"}]}))
    groups = {g["id"]: g for g in ok(admin.get("/admin/api/admin-groups"))["groups"]}
    g = groups[gid]
    assert (g["name"], g["departments"], g["contacts"], g["devices"]) == (
        base["name"], [site.dept_a], "edit", False)
    assert g["apps"] == [{"agentid": site.app_out["agentid"], "right": "manage"}]
    assert groups[site.group]["admins"], "the faculty group has the dean"
    error(admin.patch("/admin/api/admin-groups/987654", json={"name": "x"}), 404, "not_found")
    r = admin.delete(f"/admin/api/admin-groups/{gid}")
    assert r.status_code == 204, r.text
    error(admin.delete(f"/admin/api/admin-groups/{gid}"), 404, "not_found")
    actions = [(e["action"], e["target"]) for e in ok(admin.get(
        "/admin/api/audit?action=admin_group.&limit=200"))["entries"]]
    for action in ("admin_group.create", "admin_group.update", "admin_group.delete"):
        assert (action, str(gid)) in actions, actions


def test_administrators_are_managed_by_super_admins(site):
    admin = site.admin
    error(admin.post("/admin/api/admins", json={"username": uid("x"), "role": "scoped"}), 400,
          "invalid_argument")
    error(admin.post("/admin/api/admins", json={"username": "dean", "role": "scoped",
                                                "groups": [site.group]}), 409, "already_exists")
    error(admin.post("/admin/api/admins", json={"username": uid("x"), "role": "boss"}), 400,
          "invalid_argument")
    error(admin.post("/admin/api/admins", json={"username": uid("x"), "groups": [987654]}),
          404, "not_found")
    me = next(a for a in ok(admin.get("/admin/api/admins"))["admins"]
              if a["username"] == ADMIN_USER)
    error(admin.delete(f"/admin/api/admins/{me['id']}"), 409, "conflict")
    error(admin.patch(f"/admin/api/admins/{me['id']}", json={"role": "scoped",
                                                              "groups": [site.group]}), 409,
          "conflict")

    client, username, password, aid = site.scoped_admin([site.group])
    listed = next(a for a in ok(admin.get("/admin/api/admins"))["admins"] if a["id"] == aid)
    assert (listed["role"], listed["groups"], listed["must_change_password"]) == (
        "scoped", [site.group], False)
    ok(client.bulk("add_tag", [site.inside], tag_id=site.tag_in))
    # Rights change at once: with the read-only group only, the next change is refused.
    ok(admin.patch(f"/admin/api/admins/{aid}", json={"groups": [site.read_group]}))
    error(client.bulk("add_tag", [site.inside], tag_id=site.tag_in), 403, "permission_denied")
    assert rights_of(client)["contacts"] == "read"
    # A reset password ends their sessions; the new one must be changed.
    reset = ok(admin.post(f"/admin/api/admins/{aid}/password"))["password"]
    error(client.get("/admin/api/session"), 401, "unauthenticated")
    again = AdminClient(site.url)
    assert again.login_ok(username, reset)["admin"]["must_change_password"] is True
    # Until the generated password is changed, the session does nothing else.
    error(again.get("/admin/api/departments"), 403, "password_change_required")
    error(again.get("/admin/api/audit"), 403, "password_change_required")
    ok(again.get("/admin/api/session"))
    error(again.post("/admin/api/account/password", json={
        "current_password": "wrong-password-1", "new_password": "another-password-2"}), 401,
        "invalid_credentials")
    error(again.post("/admin/api/account/password", json={
        "current_password": reset, "new_password": "short"}), 400, "invalid_argument")
    other = AdminClient(site.url)
    other.login_ok(username, reset)
    ok(again.post("/admin/api/account/password", json={
        "current_password": reset, "new_password": "another-password-2"}))
    assert ok(again.get("/admin/api/session"))["admin"]["must_change_password"] is False
    error(other.get("/admin/api/session"), 401, "unauthenticated")
    # Removed: their session ends with them.
    r = admin.delete(f"/admin/api/admins/{aid}")
    assert r.status_code == 204, r.text
    error(again.get("/admin/api/session"), 401, "unauthenticated")
    actions = [(e["action"], e["target"]) for e in ok(admin.get(
        "/admin/api/audit?action=admin.&limit=200"))["entries"]]
    for action in ("admin.create", "admin.update", "admin.reset_password", "admin.delete"):
        assert (action, username) in actions, (action, actions)
    assert ("admin.password", username) in actions


def test_a_super_admin_can_make_another_and_hand_over(site):
    admin = site.admin
    boss = ok(admin.post("/admin/api/admins", json={"username": uid("boss"), "role": "super"}),
              201)
    client = AdminClient(site.url)
    client.login_ok(boss["username"], boss["password"])
    password = "boss-password-" + uid("p")
    ok(client.post("/admin/api/account/password", json={
        "current_password": boss["password"], "new_password": password}))
    assert rights_of(client)["super"] is True
    assert ok(client.get("/admin/api/admins"))["admins"]
    # Made scoped, their session ends (the role is read at login) and the rights shrink.
    ok(admin.patch(f"/admin/api/admins/{boss['id']}", json={"role": "scoped",
                                                             "groups": [site.read_group]}))
    error(client.get("/admin/api/session"), 401, "unauthenticated")
    client.login_ok(boss["username"], password)
    assert rights_of(client)["super"] is False
    error(client.get("/admin/api/admins"), 403, "permission_denied")
    r = admin.delete(f"/admin/api/admins/{boss['id']}")
    assert r.status_code == 204, r.text
