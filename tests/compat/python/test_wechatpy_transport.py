"""wechatpy 1.8.18 against corphub: the /cgi-bin envelope as the SDK's generic get/post see it.

An API path corphub does not serve answers HTTP 200 with errcode 48005, which wechatpy turns
into its client exception (a non-2xx status would surface as errcode None instead).
"""
from __future__ import annotations

import pytest
from wechatpy.exceptions import APILimitedException, WeChatClientException

UNSERVED_PATH = "corphub-compat/no-such-api"  # not a WeCom API


@pytest.fixture(scope="module")
def client(corp):
    c = corp.client()
    assert c.access_token  # one token for the module
    return c


def test_unserved_path_through_get_raises_48005(client):
    with pytest.raises(WeChatClientException) as e:
        client.get(UNSERVED_PATH, params={"id": "1"})
    assert not isinstance(e.value, APILimitedException)
    assert e.value.errcode == 48005, e.value
    assert isinstance(e.value.errmsg, str) and e.value.errmsg
    assert e.value.response.status_code == 200
    assert e.value.request.method == "GET"
    assert e.value.request.path_url.startswith("/cgi-bin/" + UNSERVED_PATH + "?")


def test_unserved_path_through_post_raises_48005(client):
    # wechatpy posts dicts as UTF-8 JSON with ensure_ascii=False.
    with pytest.raises(WeChatClientException) as e:
        client.post(UNSERVED_PATH, data={"name": "研发部", "parentid": "1", "order": 1})
    assert e.value.errcode == 48005, e.value
    assert e.value.response.status_code == 200
    assert e.value.request.method == "POST"
    assert e.value.response.json()["errcode"] == 48005


def test_error_envelope_is_json_with_errcode_and_errmsg(client):
    with pytest.raises(WeChatClientException) as e:
        client.get(UNSERVED_PATH)
    body = e.value.response.json()
    assert type(body["errcode"]) is int and body["errcode"] == 48005, body
    assert isinstance(body["errmsg"], str), body
    assert e.value.response.headers["Content-Type"].startswith("application/json")
