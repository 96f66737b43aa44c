"""The server's basic surface on both backends: health, start-up banner, metrics, /cgi-bin
fallback, keep-alive, request ids, 405, and the static web apps."""
from __future__ import annotations

import http.client
import re

import pytest
import requests

from corphub_harness import RawConn, parse_metrics, run_cli, sample

ADMIN_LOGIN = re.compile(r"username: (\S+)  password: (\S+)")


@pytest.fixture(scope="module")
def server(module_harness, backend, web_dist):
    storage = module_harness.storage(backend)
    return module_harness.server(storage, env={"CORPHUB_WEB_DIR": str(web_dist)})


def binary_version() -> str:
    r = run_cli(["version"])
    assert r.returncode == 0
    return r.stdout.split()[-1]


# --- health and the banner -------------------------------------------------------------------

def test_healthz_reports_version_and_backend(server, backend):
    r = requests.get(server.url + "/healthz", timeout=10)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.headers.get("Cache-Control") == "no-store"
    body = r.json()
    assert body["status"] == "ok"
    assert body["version"] == binary_version() == "0.1.0"
    assert body["storage"] == {"backend": backend, "ok": True}
    assert isinstance(body["uptime_seconds"], int) and body["uptime_seconds"] >= 0


def test_head_healthz_has_no_body(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("HEAD", "/healthz")
    r = conn.getresponse()
    assert r.status == 200
    assert r.read() == b""
    conn.close()


def test_first_start_prints_admin_login_once(harness, backend):
    storage = harness.storage(backend)
    first = harness.server(storage)
    out = first.stdout_text()
    m = ADMIN_LOGIN.search(out)
    assert m, f"no first admin login in stdout:\n{out}"
    assert m.group(1) == "admin"
    assert len(m.group(2)) >= 12, "generated password is too short"
    assert f"Member client:  http://127.0.0.1:{first.port}/" in out
    assert f"Admin console:  http://127.0.0.1:{first.port}/admin/" in out
    # The password goes to the operator on stdout only, never into the logs.
    assert m.group(2) not in first.stderr_text()
    assert first.stop() == 0

    second = harness.server(storage)
    out2 = second.stdout_text()
    assert "Member client:" in out2
    assert not ADMIN_LOGIN.search(out2), f"a second start printed a new login:\n{out2}"
    assert "password" not in out2.lower()
    assert second.stop() == 0


def test_testing_routes_closed_by_default(server):
    r = requests.post(server.url + "/testing/probe?key=x", data=b"v", timeout=10)
    assert r.status_code == 404
    # A GET falls through to the member app's deep-link fallback, never to the probe table.
    r = requests.get(server.url + "/testing/probe/count", timeout=10)
    assert "count" not in r.text
    assert not r.headers.get("Content-Type", "").startswith("application/json")


# --- metrics ---------------------------------------------------------------------------------

def test_metrics_count_requests_and_show_db_gauge(server, backend):
    def scrape():
        r = requests.get(server.url + "/metrics", timeout=10)
        assert r.status_code == 200
        assert r.headers["Content-Type"].startswith("text/plain")
        return parse_metrics(r.text)

    before = scrape()
    for _ in range(3):
        assert requests.get(server.url + "/healthz", timeout=10).status_code == 200
    assert requests.get(server.url + "/cgi-bin/no/such/api", timeout=10).status_code == 200
    after = scrape()

    key = dict(route="/healthz", method="GET", status="200")
    assert sample(after, "corphub_http_requests_total", **key) - \
        sample(before, "corphub_http_requests_total", **key) == 3
    assert sample(after, "corphub_http_requests_total", route="/cgi-bin/*", method="GET",
                  status="200") >= 1
    # The scrape itself is counted too.
    assert sample(after, "corphub_http_requests_total", route="/metrics", method="GET",
                  status="200") >= 1
    count = "corphub_http_request_duration_seconds_count"
    assert sample(after, count, route="/healthz") - sample(before, count, route="/healthz") == 3
    assert sample(after, "corphub_http_request_duration_seconds_bucket", route="/healthz",
                  le="+Inf") == sample(after, count, route="/healthz")
    assert sample(after, "corphub_http_open_connections") >= 1
    db_max = sample(after, "corphub_db_connections", backend=backend, state="max")
    db_open = sample(after, "corphub_db_connections", backend=backend, state="open")
    assert db_max >= 1
    assert 1 <= db_open <= db_max
    assert 0 <= sample(after, "corphub_db_connections", backend=backend, state="in_use") <= db_open


# --- /cgi-bin --------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "POST"])
def test_unknown_cgi_bin_is_200_with_48005(server, method):
    r = requests.request(method, server.url + "/cgi-bin/nonexistent/thing?access_token=x",
                         data=b'{"a":1}' if method == "POST" else None, timeout=10)
    assert r.status_code == 200
    body = r.json()
    assert body["errcode"] == 48005
    assert isinstance(body["errmsg"], str) and body["errmsg"]


# --- connections and request ids -------------------------------------------------------------

def test_keep_alive_serves_two_requests_on_one_connection(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", "/healthz")
    r1 = conn.getresponse()
    assert r1.status == 200 and r1.read()
    assert (r1.getheader("Connection") or "").lower() != "close"
    sock = conn.sock
    assert sock is not None, "the server closed a keep-alive connection"
    local = sock.getsockname()
    conn.request("GET", "/healthz")
    r2 = conn.getresponse()
    assert r2.status == 200 and r2.read()
    assert conn.sock is sock and conn.sock.getsockname() == local
    conn.close()


def test_http10_without_keep_alive_is_closed(server):
    with RawConn(server.port) as c:
        c.send("GET /healthz HTTP/1.0\r\nHost: x\r\n\r\n")
        r = c.read_response()
        assert r.status == 200
        assert b'"status":"ok"' in r.body
        c.wait_closed(5)


def test_pipelined_requests_are_answered_in_order(server):
    with RawConn(server.port) as c:
        c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: first\r\n\r\n"
               "GET /cgi-bin/x HTTP/1.1\r\nHost: x\r\nX-Request-Id: second\r\n\r\n")
        r1, r2 = c.read_response(), c.read_response()
        assert (r1.status, r1.header("x-request-id")) == (200, "first")
        assert b'"status":"ok"' in r1.body
        assert (r2.status, r2.header("x-request-id")) == (200, "second")
        assert b"48005" in r2.body


def test_request_id_echoed_when_sane(server):
    rid = "abc-123_x.y:Z"
    r = requests.get(server.url + "/healthz", headers={"X-Request-Id": rid}, timeout=10)
    assert r.headers["X-Request-Id"] == rid
    rid64 = "a" * 64
    r = requests.get(server.url + "/healthz", headers={"X-Request-Id": rid64}, timeout=10)
    assert r.headers["X-Request-Id"] == rid64


@pytest.mark.parametrize("bad", ["a" * 65, "has space", "semi;colon", "quote\"", "slash/x"])
def test_request_id_generated_when_insane(server, bad):
    r1 = requests.get(server.url + "/healthz", headers={"X-Request-Id": bad}, timeout=10)
    r2 = requests.get(server.url + "/healthz", timeout=10)
    id1, id2 = r1.headers["X-Request-Id"], r2.headers["X-Request-Id"]
    assert id1 != bad
    for generated in (id1, id2):
        assert re.fullmatch(r"[A-Za-z0-9\-_.:]{1,64}", generated), generated
    assert id1 != id2


def test_method_not_allowed_has_allow(server):
    r = requests.post(server.url + "/healthz", data=b"", timeout=10)
    assert r.status_code == 405
    allow = {m.strip() for m in r.headers["Allow"].split(",")}
    assert "GET" in allow
    r = requests.delete(server.url + "/metrics", timeout=10)
    assert r.status_code == 405
    assert "GET" in r.headers["Allow"]
    r = requests.post(server.url + "/api/v1/stream", timeout=10)
    assert r.status_code == 405
    assert "GET" in r.headers["Allow"]


# --- static web apps -------------------------------------------------------------------------

def test_member_index_at_root(server):
    r = requests.get(server.url + "/", timeout=10)
    assert r.status_code == 200
    assert "member app" in r.text
    assert r.headers["Content-Type"].startswith("text/html")
    assert r.headers["Cache-Control"] == "no-cache"
    assert r.headers.get("ETag")


@pytest.mark.parametrize("path,marker", [
    ("/inbox/42", "member app"),
    ("/contacts/dept/7/member", "member app"),
    ("/admin/", "admin console"),
    ("/admin/users/42/edit", "admin console"),
])
def test_spa_fallback_serves_index(server, path, marker):
    r = requests.get(server.url + path, timeout=10)
    assert r.status_code == 200
    assert marker in r.text
    assert r.headers["Content-Type"].startswith("text/html")
    assert r.headers["Cache-Control"] == "no-cache"


def test_head_on_a_static_file(server, web_dist):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("HEAD", "/assets/app-abc.js")
    r = conn.getresponse()
    assert r.status == 200
    assert r.read() == b""
    size = (web_dist / "member" / "assets" / "app-abc.js").stat().st_size
    assert int(r.getheader("Content-Length")) == size
    # The connection is still usable: the empty HEAD body was not mistaken for a short one.
    conn.request("GET", "/healthz")
    assert conn.getresponse().status == 200
    conn.close()


def test_admin_without_slash_redirects(server):
    r = requests.get(server.url + "/admin", allow_redirects=False, timeout=10)
    assert r.status_code == 308
    assert r.headers["Location"] == "/admin/"


def test_asset_is_cached_immutably(server):
    r = requests.get(server.url + "/assets/app-abc.js", timeout=10)
    assert r.status_code == 200
    assert r.text == "console.log('member asset');\n"
    assert r.headers["Content-Type"].startswith("text/javascript")
    cc = r.headers["Cache-Control"]
    assert "immutable" in cc and "max-age=31536000" in cc


def test_non_asset_file_has_type_and_no_cache(server):
    r = requests.get(server.url + "/manifest.webmanifest", timeout=10)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/manifest+json")
    assert "immutable" not in r.headers["Cache-Control"]


def test_missing_asset_is_404_not_index(server):
    r = requests.get(server.url + "/assets/app-missing.js", timeout=10)
    assert r.status_code == 404
    assert "member app" not in r.text


def test_etag_gives_304(server):
    for path in ("/assets/app-abc.js", "/"):
        r = requests.get(server.url + path, timeout=10)
        etag = r.headers["ETag"]
        r2 = requests.get(server.url + path, headers={"If-None-Match": etag}, timeout=10)
        assert r2.status_code == 304
        assert r2.content == b""
        assert r2.headers["ETag"] == etag
        r3 = requests.get(server.url + path, headers={"If-None-Match": '"other"'}, timeout=10)
        assert r3.status_code == 200 and r3.content


def test_path_traversal_never_leaves_the_dist(server):
    for target in ("/../../../../etc/passwd", "/assets/..%2f..%2f..%2fetc%2fpasswd",
                   "/%2e%2e/%2e%2e/etc/passwd"):
        with RawConn(server.port) as c:
            c.send(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            r = c.read_response()
            assert b"root:" not in r.body, target
            assert r.status in (400, 404), (target, r.status)


def test_made_up_methods_share_one_metrics_label(server):
    """Any token is a method to HTTP; metrics must not grow a label per token a client invents."""
    for i in range(3):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request(f"BREW{i}", "/healthz")
        assert conn.getresponse().status == 405
        conn.close()
    text = requests.get(server.url + "/metrics", timeout=10).text
    assert "BREW" not in text
    assert sample(parse_metrics(text), "corphub_http_requests_total", route="unmatched",
                  method="OTHER", status="405") == 3
