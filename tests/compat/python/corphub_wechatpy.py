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

from wechatpy.enterprise import WeChatClient
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
