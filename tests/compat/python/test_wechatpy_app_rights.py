"""wechatpy 1.8.18 with an app's secret against corphub: the app reads the directory inside its
visible scope and gets 60011 outside it; writing the directory needs the contacts-sync secret,
so the app's calls get 48002 (wechatpy raises WeChatClientException with the code)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from wechatpy.exceptions import WeChatClientException

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "functional"))

from admin_api import ok  # noqa: E402
from corphub_wechatpy import client_class  # noqa: E402
from delegation_site import start_site  # noqa: E402


@pytest.fixture(scope="module")
def site(module_harness, backend):
    s = start_site(module_harness, backend)
    ok(s.admin.put(f"/admin/api/apps/{s.app_in['agentid']}/scope",
                   json={"departments": [s.dept_a]}))
    return s


@pytest.fixture(scope="module")
def app_client(site):
    app = site.app_in
    return client_class(site.url)(app["corpid"], app["secret"], timeout=10)


def errcode_of(call, *args, **kwargs) -> int:
    with pytest.raises(WeChatClientException) as e:
        call(*args, **kwargs)
    return e.value.errcode


def test_the_app_reads_its_scope_through_the_sdk(site, app_client):
    assert app_client.user.get(site.inside)["userid"] == site.inside
    users = app_client.user.list(site.dept_a, fetch_child=True, simple=True)
    assert {u["userid"] for u in users} == {site.inside}
    assert {d["id"] for d in app_client.department.get()} == {site.dept_a, site.dept_a1}
    assert errcode_of(app_client.user.get, site.outside) == 60011
    assert errcode_of(app_client.user.list, site.dept_b) == 60011
    assert errcode_of(app_client.department.get, site.dept_b) == 60011


def test_the_app_may_not_write_the_directory(site, app_client):
    assert errcode_of(app_client.user.create, "newcomer", "新人", department=[site.dept_a],
                      mobile="13912345678") == 48002
    assert errcode_of(app_client.user.update, site.inside, name="改名") == 48002
    assert errcode_of(app_client.user.delete, site.inside) == 48002
    assert errcode_of(app_client.department.create, "新部门", parent_id=site.dept_a) == 48002
    assert errcode_of(app_client.tag.create, "新标签") == 48002
    assert errcode_of(app_client.tag.add_users, site.tag_in, [site.inside]) == 48002
    # The contacts-sync secret still may.
    contacts = client_class(site.url)(site.console.corp["corpid"], site.console.corp["contacts_secret"],
                                      timeout=10)
    assert contacts.user.get(site.outside)["userid"] == site.outside
