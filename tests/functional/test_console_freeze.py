"""Freezing members (暂停使用) from the console: a device right, inside its scope. A frozen member's
sessions stop working at once and they cannot sign in again until unfrozen; nothing else of
theirs changes (docs/admin-api.md, "Members")."""
from __future__ import annotations

import pytest
import requests

from admin_api import error, ok
from delegation_site import start_site
from member_api import MEMBER_COOKIE, open_session


@pytest.fixture(scope="module")
def site(module_harness, backend):
    return start_site(module_harness, backend)


def freeze(client, userids, frozen=True):
    return client.post("/admin/api/members/freeze", json={"userids": userids, "frozen": frozen})


def signed_in(site, token: str) -> int:
    return requests.get(site.url + "/api/v1/conversations", timeout=30,
                        cookies={MEMBER_COOKIE: token}).status_code


def status_of(site, userid: str) -> int:
    res = site.cgi.get("user/get", {"userid": userid})
    assert res["errcode"] == 0, res
    return res["status"]


def test_a_department_administrator_freezes_and_unfreezes_a_member(site):
    member = site.member(site.dept_a1)
    token = open_session(site.console.server, member)["token"]
    assert signed_in(site, token) == 200
    before = status_of(site, member)
    assert before != 2
    assert ok(freeze(site.dean, [member]))["changed"] == 1
    assert status_of(site, member) == 2
    assert signed_in(site, token) == 401, "the frozen member's session no longer works"
    r = requests.post(site.url + "/testing/member-session", json={"userid": member}, timeout=30)
    assert r.status_code != 200 or signed_in(site, r.json()["token"]) == 401
    assert ok(freeze(site.dean, [member], frozen=False))["changed"] == 1
    assert status_of(site, member) == before
    assert signed_in(site, open_session(site.console.server, member)["token"]) == 200
    audit = ok(site.admin.get(f"/admin/api/audit?action=user.update&target={member}"))["entries"]
    assert len(audit) >= 2 and all(e["actor"] == "admin:dean" for e in audit[:2]), audit


def test_freezing_is_all_or_nothing_and_inside_the_device_scope(site):
    a, b = site.member(site.dept_a), site.member(site.dept_a)
    before = status_of(site, a), status_of(site, b)
    assert 2 not in before
    denied = error(freeze(site.dean, [a, site.outside, b]), 403, "permission_denied")
    assert site.outside in denied["message"]
    assert (status_of(site, a), status_of(site, b)) == before
    error(freeze(site.reader, [a]), 403, "permission_denied")
    error(freeze(site.admin, [a, "nobody-here"]), 404, "user_not_found")
    assert status_of(site, a) == before[0], "one unknown userid freezes nobody"


@pytest.mark.parametrize("body", [{}, {"userids": ["x"]}, {"userids": ["x"], "frozen": 1},
                                  {"userids": [], "frozen": True},
                                  {"userids": "x", "frozen": True}])
def test_bad_freezes_say_what_is_wrong(site, body):
    error(site.admin.post("/admin/api/members/freeze", json=body), 400, "invalid_argument")
