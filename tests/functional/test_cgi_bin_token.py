"""The organisation (`corphub corp show`) and /cgi-bin/gettoken, on SQLite and PostgreSQL."""
from __future__ import annotations

import json

import pytest
import requests

from corphub_harness import error_lines, parse_metrics, sample


def corp_show(harness, storage) -> dict:
    r = harness.cli("corp", "show", "--json", storage=storage)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.fixture
def corp_server(harness, backend):
    storage = harness.storage(backend)
    corp = corp_show(harness, storage)
    server = harness.server(storage)
    return corp, server, storage


def gettoken(server, method="GET", **params):
    r = requests.request(method, server.url + "/cgi-bin/gettoken", params=params, timeout=10)
    assert r.status_code == 200, "WeCom callers expect HTTP 200 even for errors"
    return r.json()


def test_corp_show_is_stable_and_matches_the_server(harness, backend):
    storage = harness.storage(backend)
    first = corp_show(harness, storage)
    assert first["corpid"].startswith("ww") and len(first["corpid"]) == 18
    assert len(first["contacts_secret"]) == 43
    assert corp_show(harness, storage) == first
    server = harness.server(storage)
    assert f"corpid: {first['corpid']}" in server.stdout_text()
    text = harness.cli("corp", "show", storage=storage)
    assert text.returncode == 0 and first["contacts_secret"] in text.stdout


def test_gettoken_issues_7200_second_tokens(corp_server):
    corp, server, _ = corp_server
    body = gettoken(server, corpid=corp["corpid"], corpsecret=corp["contacts_secret"])
    assert body["errcode"] == 0 and body["errmsg"] == "ok"
    assert body["expires_in"] == 7200
    assert 32 <= len(body["access_token"]) <= 512
    again = gettoken(server, "POST", corpid=corp["corpid"], corpsecret=corp["contacts_secret"])
    assert again["errcode"] == 0 and again["access_token"] != body["access_token"]


@pytest.mark.parametrize("params, code", [
    ({"corpsecret": "x"}, 41002),
    ({"corpid": "CORPID"}, 41004),
    ({"corpid": "wwnosuchcorp000000", "corpsecret": "SECRET"}, 40013),
    ({"corpid": "CORPID", "corpsecret": "wrong"}, 40001),
])
def test_gettoken_errors_are_wecom_codes(corp_server, params, code):
    corp, server, _ = corp_server
    params = {k: v.replace("CORPID", corp["corpid"]).replace("SECRET", corp["contacts_secret"])
              for k, v in params.items()}
    body = gettoken(server, **params)
    assert body["errcode"] == code, body
    assert "access_token" not in body


def test_gettoken_tolerates_an_empty_first_query_pair(corp_server):
    """WxJava builds `...?&corpid=...`."""
    corp, server, _ = corp_server
    r = requests.get(f"{server.url}/cgi-bin/gettoken?&corpid={corp['corpid']}"
                     f"&corpsecret={corp['contacts_secret']}", timeout=10)
    assert r.json()["errcode"] == 0


def test_secrets_never_reach_the_logs(corp_server):
    corp, server, _ = corp_server
    token = gettoken(server, corpid=corp["corpid"], corpsecret=corp["contacts_secret"])
    requests.get(server.url + "/metrics", timeout=10)  # the scrape is logged after the token call
    server.stop()
    logs = server.stdout_text() + server.stderr_text()
    assert "/cgi-bin/gettoken" in logs
    assert corp["contacts_secret"] not in logs
    assert token["access_token"] not in logs


def test_gettoken_is_counted_by_route(corp_server):
    corp, server, _ = corp_server
    for _ in range(2):
        gettoken(server, corpid=corp["corpid"], corpsecret=corp["contacts_secret"])
    metrics = parse_metrics(requests.get(server.url + "/metrics", timeout=10).text)
    assert sample(metrics, "corphub_http_requests_total", route="/cgi-bin/gettoken",
                  method="GET", status="200") == 2


def test_corp_show_with_a_bad_config_fails_cleanly(harness):
    r = harness.cli("corp", "show", env={"CORPHUB_STORAGE_POOL_SIZE": "0"})
    assert r.returncode == 2
    assert len(error_lines(r.stderr)) == 1 and "storage.pool_size" in r.stderr.replace(
        "CORPHUB_STORAGE_POOL_SIZE", "storage.pool_size")
