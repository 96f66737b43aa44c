"""Security headers on every kind of answer: the console and member client are never framed,
nothing is MIME-sniffed, Referer stays on the site; plain HTTP gets no HSTS (test_tls checks
HTTPS does)."""
from __future__ import annotations

import pytest
import requests

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@pytest.fixture(scope="module")
def server(module_harness, web_dist):
    return module_harness.server(env={"CORPHUB_WEB_DIR": str(web_dist)})


@pytest.mark.parametrize("method,path,status", [
    ("GET", "/healthz", 200),
    ("GET", "/metrics", 200),
    ("GET", "/cgi-bin/gettoken", 200),
    ("GET", "/admin/api/session", 401),
    ("POST", "/api/v1/auth/code", 400),
    ("GET", "/admin/", 200),
    ("GET", "/", 200),
    ("GET", "/no/such/page.png", 404),
    ("DELETE", "/healthz", 405),
])
def test_every_answer_carries_the_security_headers(server, method, path, status):
    r = requests.request(method, server.url + path, timeout=10)
    assert r.status_code == status, (path, r.status_code, r.text[:200])
    for name, value in EXPECTED.items():
        assert r.headers.get(name) == value, (path, name, r.headers)
    assert "Strict-Transport-Security" not in r.headers, "plain HTTP gets no HSTS"
