"""wechatpy 1.8.x's enterprise (WeCom) client pointed at a corphub server instead of WeCom.

This is what an integration does to move to corphub: subclass `WeChatClient`, set the class
attribute `API_BASE_URL`, and override `fetch_access_token()`, which hard-codes the WeCom host
(`https://qyapi.weixin.qq.com/cgi-bin/gettoken`) in wechatpy 1.8.18. The override calls the
SDK's own `_fetch_access_token()`, so token parsing, caching (`session`, `expires_at`) and the
error path stay the SDK's code; only the URL changes.

`client.media.get_url` (which `client.media.download` fetches) hard-codes the WeCom host too;
`CorphubMedia` builds it from `API_BASE_URL`, so `download` itself is the SDK's code.
"""
from __future__ import annotations

from urllib.parse import urlencode

import pytest
from wechatpy.enterprise import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.enterprise.client.api import WeChatMedia


class CorphubMedia(WeChatMedia):
    """`client.media` with media/get on the client's own host."""

    def get_url(self, media_id):
        query = urlencode({"access_token": self.access_token, "media_id": media_id})
        return f"{self._client.API_BASE_URL}media/get?{query}"


class CorphubWeChatClient(WeChatClient):
    """`WeChatClient` with the gettoken URL taken from `API_BASE_URL` (set by `client_class`)."""

    API_BASE_URL = None  # a subclass per server sets it: "<server>/cgi-bin/"

    media = CorphubMedia()

    def fetch_access_token(self):
        # Same parameters as WeChatClient.fetch_access_token, only the host differs.
        return self._fetch_access_token(
            url=self.API_BASE_URL + "gettoken",
            params={"corpid": self.corp_id, "corpsecret": self.secret},
        )


def client_class(server_url: str) -> type:
    """A `CorphubWeChatClient` subclass whose API_BASE_URL is `<server_url>/cgi-bin/`."""
    return type("CorphubWeChatClient", (CorphubWeChatClient,),
                {"API_BASE_URL": server_url.rstrip("/") + "/cgi-bin/"})


def raised(call, *args, **kwargs) -> WeChatClientException:
    """The SDK's exception for a call WeCom answers with an errcode (always on HTTP 200)."""
    with pytest.raises(WeChatClientException) as e:
        call(*args, **kwargs)
    assert e.value.response.status_code == 200
    return e.value


def assert_has(actual, expected, where="content"):
    """Every field `expected` gives is in `actual` with that value (lists element by element)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: {actual!r} is not an object"
        for k, v in expected.items():
            assert k in actual, f"{where}.{k} missing from {actual}"
            assert_has(actual[k], v, f"{where}.{k}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), \
            f"{where}: {actual!r} vs {expected!r}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_has(a, e, f"{where}[{i}]")
    else:
        assert actual == expected, f"{where}: {actual!r}, want {expected!r}"
