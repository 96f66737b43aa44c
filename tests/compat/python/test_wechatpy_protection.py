"""wechatpy 1.8.18 against corphub's /cgi-bin protection: past a frequency limit the SDK raises
its APILimitedException (errcode 45009); an app used from an address off its allowlist gets
60020 (WeChatClientException)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from wechatpy.exceptions import APILimitedException, WeChatClientException

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "functional"))

from admin_api import ok  # noqa: E402
from conftest import start_corp  # noqa: E402
from corphub_wechatpy import client_class  # noqa: E402
from delegation_site import start_site  # noqa: E402


def test_a_frequency_limit_raises_apilimitedexception(module_harness, backend):
    corp = start_corp(module_harness, backend, env={"CORPHUB_API_CORP_CALLS_PER_MINUTE": "3"})
    client = corp.client()
    for _ in range(3):
        client.department.get()
    with pytest.raises(APILimitedException) as e:
        client.department.get()
    assert e.value.errcode == 45009
    # Another API is counted on its own.
    assert client.tag.list() == []


def test_an_allowlist_refuses_other_addresses_with_60020(module_harness, backend):
    site = start_site(module_harness, backend)
    app = site.app_in
    client = client_class(site.url)(app["corpid"], app["secret"], timeout=10)
    assert client.department.get()
    ok(site.admin.put(f"/admin/api/apps/{app['agentid']}/allowlist",
                      json={"ip_allowlist": ["203.0.113.0/24"]}))
    with pytest.raises(WeChatClientException) as e:
        client.department.get()
    assert e.value.errcode == 60020
    with pytest.raises(WeChatClientException) as e:
        client.message.send_text(app["agentid"], site.inside, "通知")
    assert e.value.errcode == 60020
    ok(site.admin.put(f"/admin/api/apps/{app['agentid']}/allowlist",
                      json={"ip_allowlist": ["127.0.0.1", "::1"]}))
    assert client.department.get()
