"""A server whose mail and SMS go to local sinks, with its contacts API and a console login,
and members' devices signed in through the one-time code flow: shared by the identity and
registration tests."""
from __future__ import annotations

import requests
import websocket

from admin_api import ADMIN_PASSWORD, ADMIN_USER, AdminClient, create_admin, ok
from member_api import (MEMBER_COOKIE, STREAM_PATH, TESTING_ENV, new_mobile, new_userid,
                        recv_json)
from outbound_sinks import outbound_env, sms_code
from wecom_api import Api, corp_show

PHONE_UA = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0 Mobile Safari/537.36")
DESKTOP_UA = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/126.0 Safari/537.36 Edg/126.0")


class Site:
    """A server whose mail and SMS go to the sinks, with its contacts API and a console login."""

    def __init__(self, harness, backend, sinks, **limits):
        self.smtp, self.sms = sinks
        self.storage = harness.storage(backend)
        create_admin(harness, self.storage, ADMIN_USER, ADMIN_PASSWORD)
        corp = corp_show(harness, self.storage)
        env = {**TESTING_ENV, **outbound_env(self.smtp, self.sms, **limits)}
        self.server = harness.server(self.storage, env=env)
        self.contacts = Api(self.server, corp)
        self.admin = AdminClient(self.server.url)
        self.admin.login_ok(ADMIN_USER, ADMIN_PASSWORD)
        self.codes: list[str] = []

    def member(self, email: bool = False, **fields) -> dict:
        userid = new_userid("id")
        body = {"userid": userid, "name": f"成员{userid[-4:]}", "department": [1],
                "mobile": new_mobile(), **fields}
        if email:
            body["email"] = f"{userid}@example.com"
        res = self.contacts.post("user/create", body)
        assert res["errcode"] == 0, res
        return body

    def status(self, userid: str) -> int:
        res = self.contacts.get("user/get", {"userid": userid})
        assert res["errcode"] == 0, res
        return res["status"]

    def ask(self, identifier: str, ua: str = PHONE_UA) -> requests.Response:
        return requests.post(self.server.url + "/api/v1/auth/code",
                             json={"identifier": identifier}, headers={"User-Agent": ua},
                             timeout=30)

    def verify(self, challenge: str, code: str, ua: str = PHONE_UA) -> requests.Response:
        return requests.post(self.server.url + "/api/v1/auth/verify",
                             json={"challenge": challenge, "code": code},
                             headers={"User-Agent": ua}, timeout=30)

    def sms_code_for(self, mobile: str, ua: str = PHONE_UA) -> tuple[dict, str]:
        before = self.sms.count()
        sent = ok(self.ask(mobile, ua))
        code = sms_code(self.sms.wait_for(mobile, after=before))
        self.codes.append(code)
        return sent, code

    def sign_in(self, mobile: str, ua: str = PHONE_UA) -> "Device":
        sent, code = self.sms_code_for(mobile, ua)
        r = self.verify(sent["challenge"], code, ua)
        body = ok(r)
        assert body["result"] in ("activated", "signed_in"), body
        return Device(self, r.cookies[MEMBER_COOKIE], body["csrf_token"])


class Device:
    """One browser signed in as a member."""

    def __init__(self, site: Site, token: str, csrf: str):
        self.site, self.token, self.csrf = site, token, csrf
        self.http = requests.Session()
        self.http.cookies.set(MEMBER_COOKIE, token)
        self.http.headers["X-CSRF-Token"] = csrf

    def get(self, path: str) -> requests.Response:
        return self.http.get(self.site.server.url + path, timeout=30)

    def post(self, path: str, **kw) -> requests.Response:
        return self.http.post(self.site.server.url + path, timeout=30, **kw)

    def delete(self, path: str) -> requests.Response:
        return self.http.delete(self.site.server.url + path, timeout=30)

    def stream(self) -> websocket.WebSocket:
        ws = websocket.create_connection(self.site.server.ws_url + STREAM_PATH, timeout=10,
                                         cookie=f"{MEMBER_COOKIE}={self.token}")
        assert recv_json(ws)["type"] == "hello"
        return ws
