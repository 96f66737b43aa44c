"""Fixtures for the wechatpy compatibility tests: the real corphub binary (env CORPHUB_BIN,
default <repo>/build/corphub), started on port 0 by the functional suite's harness, against
SQLite and, when CORPHUB_TEST_POSTGRES_URL is set, PostgreSQL; and wechatpy's WeCom client
pointed at it. Each test module (one per API area) gets its own organisation and server.

`messaging_corp` is the same with the server's testing routes on (CORPHUB_TESTING_ENABLED), so
a test can create apps with `corphub app create --json` (`Corp.create_app`) and read a member's
inbox through the member API (`Corp.member_session`, via POST /testing/member-session)."""
from __future__ import annotations

import json
import os
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "functional"))

from corphub_harness import Harness, Server, parse_metrics  # noqa: E402
from corphub_wechatpy import CorphubWeChatClient, client_class  # noqa: E402

from corphub_fixtures import BACKENDS, _binary_exists, backend  # noqa: E402,F401 (shared)


@pytest.fixture(scope="module")
def module_harness(tmp_path_factory):
    h = Harness(tmp_path_factory.mktemp("compat"))
    yield h
    h.close()


@dataclass
class App:
    """An app made by `corphub app create --json`: it sends messages with its own secret."""
    server: Server
    agentid: int
    secret: str
    corpid: str
    name: str
    retention_days: int

    def client(self, **kwargs) -> CorphubWeChatClient:
        """A fresh wechatpy client holding the app's secret (its token sends as this app)."""
        return client_class(self.server.url)(self.corpid, self.secret, timeout=10, **kwargs)


class MemberSession:
    """A member signed in to the member API (`/api/v1`, docs/member-api.md) through the testing
    route POST /testing/member-session, which sets the `corphub_member` cookie."""

    def __init__(self, server: Server, userid: str):
        self.server = server
        self.userid = userid
        self.http = requests.Session()
        r = self.http.post(server.url + "/testing/member-session", json={"userid": userid},
                           timeout=10)
        assert r.status_code == 200, \
            f"POST /testing/member-session {userid!r}: HTTP {r.status_code} {r.text}"
        assert "corphub_member" in self.http.cookies, f"no corphub_member cookie: {r.headers}"
        self.csrf_token = r.json()["csrf_token"]

    def get(self, path: str, **params) -> dict:
        r = self.http.get(self.server.url + path, params=params, timeout=10)
        assert r.status_code == 200, f"GET {path} as {self.userid}: HTTP {r.status_code} {r.text}"
        return r.json()

    def read(self, agentid: int) -> dict:
        """Marks the member's conversation with app `agentid` read, as the member client does."""
        r = self.http.post(self.server.url + f"/api/v1/conversations/{agentid}/read", json={},
                           headers={"X-CSRF-Token": self.csrf_token}, timeout=10)
        assert r.status_code == 200, f"read as {self.userid}: HTTP {r.status_code} {r.text}"
        return r.json()

    def messages(self, agentid: int, limit: int = 100) -> list:
        """The newest `limit` messages of the conversation with app `agentid`, newest first."""
        return self.get(f"/api/v1/conversations/{agentid}/messages", limit=limit)["messages"]

    def message(self, agentid: int, msgid: str) -> Optional[dict]:
        """The message `msgid` among the newest 100 from app `agentid`, or None."""
        found = [m for m in self.messages(agentid) if m["msgid"] == msgid]
        assert len(found) <= 1, f"{self.userid} has msgid {msgid} {len(found)} times: {found}"
        return found[0] if found else None


@dataclass
class Corp:
    """One running corphub and the organisation it serves, as an integrator sees it."""
    server: Server
    corpid: str
    secret: str
    name: str
    harness: Optional[Harness] = None

    def client(self, corpid: Optional[str] = None, secret: Optional[str] = None,
               **kwargs) -> CorphubWeChatClient:
        """A fresh wechatpy client (its own token cache) for this server."""
        cls = client_class(self.server.url)
        return cls(self.corpid if corpid is None else corpid,
                   self.secret if secret is None else secret, timeout=10, **kwargs)

    def metrics(self) -> dict:
        with urllib.request.urlopen(self.server.url + "/metrics", timeout=10) as r:
            return parse_metrics(r.read().decode())

    def requests_to(self, route: str) -> float:
        """corphub_http_requests_total for `route`, summed over methods and statuses."""
        return sum(value for (name, labels), value in self.metrics().items()
                   if name == "corphub_http_requests_total" and ("route", route) in labels)

    def gettoken_calls(self) -> float:
        return self.requests_to("/cgi-bin/gettoken")

    def create_app(self, name: str, *args) -> App:
        """`corphub app create --name NAME --json [args]` on this server's storage (the server
        keeps running: apps are read from storage)."""
        assert self.harness is not None, "this Corp was made without its harness"
        r = self.harness.cli("app", "create", "--name", name, "--json", *args,
                             storage=self.server.storage)
        assert r.returncode == 0, (f"`corphub app create` failed ({r.returncode}):\n"
                                   f"stdout: {r.stdout}\nstderr: {r.stderr}")
        try:
            info = json.loads(r.stdout)
        except ValueError as e:
            raise AssertionError(f"`corphub app create --json` printed no JSON ({e}): "
                                 f"{r.stdout!r}")
        assert type(info.get("agentid")) is int and info["agentid"] > 0, info
        assert isinstance(info.get("secret"), str) and info["secret"], info
        assert info.get("corpid") == self.corpid, info
        return App(self.server, info["agentid"], info["secret"], info["corpid"],
                   info.get("name", name), info.get("retention_days"))

    def member_session(self, userid: str) -> MemberSession:
        """The member `userid` signed in to the member API (needs `messaging_corp`)."""
        return MemberSession(self.server, userid)


def corp_credentials(harness: Harness, storage) -> dict:
    """`corphub corp show --json` on `storage`: corpid, name and the contacts secret."""
    r = harness.cli("corp", "show", "--json", storage=storage)
    assert r.returncode == 0, (f"`corphub corp show --json` failed ({r.returncode}):\n"
                               f"stdout: {r.stdout}\nstderr: {r.stderr}")
    try:
        creds = json.loads(r.stdout)
    except ValueError as e:
        raise AssertionError(f"`corphub corp show --json` printed no JSON ({e}): {r.stdout!r}")
    for key in ("corpid", "name", "contacts_secret"):
        assert isinstance(creds.get(key), str) and creds[key], \
            f"`corp show --json` has no {key}: {creds}"
    return creds


def start_corp(harness: Harness, backend: str, env: Optional[dict] = None) -> Corp:
    storage = harness.storage(backend)
    creds = corp_credentials(harness, storage)
    server = harness.server(storage, env=env)
    return Corp(server, creds["corpid"], creds["contacts_secret"], creds["name"], harness)


@pytest.fixture(scope="module")
def corp(module_harness, backend) -> Corp:
    return start_corp(module_harness, backend)


@pytest.fixture(scope="module")
def messaging_corp(module_harness, backend) -> Corp:
    """A corp whose server has the testing routes on (member sessions for reading inboxes)."""
    return start_corp(module_harness, backend, env={"CORPHUB_TESTING_ENABLED": "true"})


# The organisation's contacts client and, for each module's `app` fixture, the app's client.
@pytest.fixture(scope="module")
def contacts(messaging_corp):
    c = messaging_corp.client()
    assert c.access_token
    return c


@pytest.fixture(scope="module")
def client(app):
    c = app.client()
    assert c.access_token
    return c
