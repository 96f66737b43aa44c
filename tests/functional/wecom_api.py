"""Raw HTTP to corphub's WeCom-compatible /cgi-bin, shared by the functional test modules.

`Api` fetches a token with the contacts-sync secret (from `corphub corp show --json`) and checks
the envelope of every answer: HTTP 200, JSON, an integer errcode and a string errmsg.
"""
from __future__ import annotations

import itertools
import json
from typing import Optional

import requests

_names = itertools.count(1)


def unique(prefix: str = "dept") -> str:
    """A name no other call in this test process gets (tests on one server do not clash)."""
    return f"{prefix}-{next(_names)}"


def corp_show(harness, storage) -> dict:
    r = harness.cli("corp", "show", "--json", storage=storage)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def make_api(harness, backend: str, env: Optional[dict] = None) -> "Api":
    """A new storage on `backend`, a server on it, and an Api with a token."""
    storage = harness.storage(backend)
    corp = corp_show(harness, storage)
    return Api(harness.server(storage, env=env), corp)


ENVELOPE = ("errcode", "errmsg")


def payload(res: dict) -> dict:
    """An answer without errcode and errmsg."""
    return {k: v for k, v in res.items() if k not in ENVELOPE}


class Api:
    """Raw HTTP to one corphub's /cgi-bin with a token from /cgi-bin/gettoken."""

    def __init__(self, server, corp: dict):
        self.server = server
        self.corp = corp
        self.token = ""
        self.http = requests.Session()  # keep-alive: many small calls stay fast
        self.refresh_token()

    def refresh_token(self):
        r = requests.get(self.server.url + "/cgi-bin/gettoken",
                         params={"corpid": self.corp["corpid"],
                                 "corpsecret": self.corp["contacts_secret"]}, timeout=10)
        body = r.json()
        assert body["errcode"] == 0, body
        self.token = body["access_token"]

    def _params(self, params: Optional[dict], token) -> dict:
        out = {}
        if token is not None:
            out["access_token"] = self.token if token is True else token
        out.update(params or {})
        return out

    @staticmethod
    def _decode(r: requests.Response) -> dict:
        assert r.status_code == 200, f"HTTP {r.status_code}: WeCom callers expect 200: {r.text}"
        assert r.headers.get("Content-Type", "").startswith("application/json"), r.headers
        body = r.json()
        assert isinstance(body, dict) and type(body.get("errcode")) is int, body
        assert isinstance(body.get("errmsg"), str), body
        return body

    def get(self, path: str, params: Optional[dict] = None, token=True) -> dict:
        r = self.http.get(self.server.url + "/cgi-bin/" + path,
                         params=self._params(params, token), timeout=10)
        return self._decode(r)

    def post_raw(self, path: str, data: bytes, params: Optional[dict] = None,
                 token=True) -> dict:
        r = self.http.post(self.server.url + "/cgi-bin/" + path,
                          params=self._params(params, token), data=data,
                          headers={"Content-Type": "application/json"}, timeout=10)
        return self._decode(r)

    def post(self, path: str, body, params: Optional[dict] = None, token=True) -> dict:
        return self.post_raw(path, json.dumps(body, ensure_ascii=False).encode("utf-8"),
                             params, token)

    def ok(self, res: dict, errmsg: str = "ok") -> dict:
        assert res["errcode"] == 0 and res["errmsg"] == errmsg, res
        return res

    # department helpers

    def create(self, **body) -> dict:
        return self.post("department/create", body)

    def create_ok(self, name: Optional[str] = None, parentid=1, **body) -> int:
        res = self.create(name=name or unique(), parentid=parentid, **body)
        assert res["errcode"] == 0 and res["errmsg"] == "created", res
        assert type(res["id"]) is int, res
        return res["id"]

    def update(self, **body) -> dict:
        return self.post("department/update", body)

    def update_ok(self, **body):
        res = self.update(**body)
        assert res["errcode"] == 0 and res["errmsg"] == "updated", res

    def delete(self, id) -> dict:
        return self.get("department/delete", {"id": id})

    def dept(self, id) -> dict:
        res = self.get("department/get", {"id": id})
        assert res["errcode"] == 0, res
        return res["department"]

    def list(self, id=None) -> list:
        res = self.get("department/list", None if id is None else {"id": id})
        assert res["errcode"] == 0, res
        return res["department"]

    def simplelist(self, id=None) -> list:
        res = self.get("department/simplelist", None if id is None else {"id": id})
        assert res["errcode"] == 0, res
        return res["department_id"]

    def ids(self, id=None) -> list:
        return [d["id"] for d in self.list(id)]

    # member helpers

    def user_create(self, **body) -> dict:
        return self.post("user/create", body)

    def new_member(self, department, **body) -> str:
        """Creates a member in `department` (an id or a list) with a unique userid and mobile
        unless `body` gives them; returns its userid."""
        n = next(_names)
        body.setdefault("userid", f"u{n}")
        body.setdefault("name", f"member {n}")
        if "mobile" not in body and "email" not in body:
            body["mobile"] = f"139{n:08d}"
        res = self.user_create(department=department, **body)
        assert res["errcode"] == 0 and res["errmsg"] == "created", (body, res)
        return body["userid"]

    def user_get(self, userid) -> dict:
        return self.get("user/get", {"userid": userid})

    def member(self, userid) -> dict:
        res = self.user_get(userid)
        assert res["errcode"] == 0 and res["errmsg"] == "ok", res
        return payload(res)

    def exists(self, userid) -> bool:
        res = self.user_get(userid)
        assert res["errcode"] in (0, 60111), res
        return res["errcode"] == 0

    def user_update(self, **body) -> dict:
        return self.post("user/update", body)

    def user_update_ok(self, **body):
        res = self.user_update(**body)
        assert res["errcode"] == 0 and res["errmsg"] == "updated", (body, res)

    def user_delete(self, userid) -> dict:
        return self.get("user/delete", {"userid": userid})

    def members_of(self, department_id, fetch_child=0) -> list:
        """user/simplelist's userids, in the order given."""
        res = self.get("user/simplelist", {"department_id": department_id,
                                           "fetch_child": fetch_child})
        assert res["errcode"] == 0, res
        return [u["userid"] for u in res["userlist"]]
