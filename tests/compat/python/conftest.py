"""Fixtures for the wechatpy compatibility tests: the real corphub binary (env CORPHUB_BIN,
default <repo>/build/corphub), started on port 0 by the functional suite's harness, against
SQLite and, when CORPHUB_TEST_POSTGRES_URL is set, PostgreSQL; and wechatpy's WeCom client
pointed at it. Each test module (one per API area) gets its own organisation and server."""
from __future__ import annotations

import json
import os
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pytest

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
class Corp:
    """One running corphub and the organisation it serves, as an integrator sees it."""
    server: Server
    corpid: str
    secret: str
    name: str

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


@pytest.fixture(scope="module")
def corp(module_harness, backend) -> Corp:
    storage = module_harness.storage(backend)
    creds = corp_credentials(module_harness, storage)
    server = module_harness.server(storage)
    return Corp(server, creds["corpid"], creds["contacts_secret"], creds["name"])
