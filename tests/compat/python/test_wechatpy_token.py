"""wechatpy 1.8.18 against corphub: /cgi-bin/gettoken, the SDK's token cache, and its errors.

The token is never fetched by hand here: the SDK fetches it when an API call (or its
`access_token` property) needs one, exactly as in an integration.
"""
from __future__ import annotations

import secrets
import time
import urllib.parse

import pytest
from wechatpy.exceptions import WeChatClientException

UNSERVED_PATH = "corphub-compat/no-such-api"  # not a WeCom API; corphub answers 48005


def sent_token(exc: WeChatClientException) -> str:
    """The access_token query parameter of the request that raised `exc`."""
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(exc.request.url).query)
    assert len(query.get("access_token", [])) == 1, exc.request.url
    return query["access_token"][0]


def test_gettoken_result_as_the_sdk_parses_it(corp):
    client = corp.client()
    before = time.time()
    result = client.fetch_access_token()
    assert result["errcode"] == 0 and result["errmsg"] == "ok", result
    token = result["access_token"]
    assert isinstance(token, str) and 0 < len(token.encode()) <= 512, result
    assert type(result["expires_in"]) is int and result["expires_in"] == 7200, result
    # The SDK cached it under its key and computed the expiry from expires_in.
    assert client.session.get(client.access_token_key) == token
    assert before + 7200 - 1 <= client.expires_at <= time.time() + 7200


def test_token_fetched_once_and_reused_by_later_calls(corp):
    client = corp.client()
    calls = corp.gettoken_calls()
    sent = []
    for _ in range(2):
        with pytest.raises(WeChatClientException) as e:
            client.get(UNSERVED_PATH)
        assert e.value.errcode == 48005, e.value  # not a gettoken error: the token came
        sent.append(sent_token(e.value))
    assert corp.gettoken_calls() - calls == 1, "the second call should reuse the cached token"
    assert sent[0] == sent[1] == client.access_token
    assert corp.gettoken_calls() - calls == 1


def test_each_fetch_issues_a_new_token_and_the_sdk_refreshes_a_stale_one(corp):
    client = corp.client()
    calls = corp.gettoken_calls()
    first = client.access_token
    assert client.access_token == first  # cached
    # wechatpy treats a token as stale 60 s before it expires: move its expiry into that window
    # instead of waiting two hours.
    client.expires_at = int(time.time()) + 30
    second = client.access_token
    assert second and second != first
    assert corp.gettoken_calls() - calls == 2
    # The older token is still valid and a second client gets a token of its own.
    other = corp.client().access_token
    assert other not in (first, second)


def test_wrong_secret_raises_40001(corp):
    wrong = corp.secret[:-1] + ("A" if corp.secret[-1] != "A" else "B")
    client = corp.client(secret=wrong)
    with pytest.raises(WeChatClientException) as e:
        client.get(UNSERVED_PATH)  # the API call fails in its token fetch
    assert e.value.errcode == 40001, e.value
    assert urllib.parse.urlsplit(e.value.request.url).path == "/cgi-bin/gettoken"
    assert client.session.get(client.access_token_key) is None  # nothing cached
    with pytest.raises(WeChatClientException) as e:
        client.access_token
    assert e.value.errcode == 40001, e.value


def test_unknown_corpid_raises_40013(corp):
    client = corp.client(corpid="ww" + secrets.token_hex(8))
    with pytest.raises(WeChatClientException) as e:
        client.access_token
    assert e.value.errcode == 40013, e.value
    assert client.session.get(client.access_token_key) is None


@pytest.mark.parametrize("which,errcode", [("corpid", 41002), ("secret", 41004)])
def test_empty_credentials_raise_missing_parameter(corp, which, errcode):
    # wechatpy sends an empty value (corpid=&corpsecret=...) rather than leaving it out.
    client = corp.client(**{which: ""})
    with pytest.raises(WeChatClientException) as e:
        client.access_token
    assert e.value.errcode == errcode, e.value

