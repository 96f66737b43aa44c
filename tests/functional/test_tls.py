"""HTTPS and WSS with tls.cert_file / tls.key_file (a self-signed certificate made here)."""
from __future__ import annotations

import json
import socket
import ssl
import subprocess

import pytest
import requests
import websocket

from corphub_harness import RawConn
from member_api import MEMBER_COOKIE, TESTING_ENV
from wecom_api import corp_show


@pytest.fixture(scope="module")
def cert(tmp_path_factory):
    d = tmp_path_factory.mktemp("tls")
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec",
                    "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True, timeout=30)
    return cert, key


@pytest.fixture(scope="module")
def server(module_harness, cert):
    c, k = cert
    s = module_harness.server(env={**TESTING_ENV, "CORPHUB_TLS_CERT_FILE": str(c),
                                   "CORPHUB_TLS_KEY_FILE": str(k)})
    assert s.scheme == "https"
    return s


@pytest.fixture(scope="module")
def cookie(module_harness, server, cert) -> str:
    """A member's session cookie, made over HTTPS (the contacts secret, user/create, the test
    route)."""
    corp = corp_show(module_harness, server.storage)
    ca = str(cert[0])
    token = requests.get(server.url + "/cgi-bin/gettoken", verify=ca, timeout=10,
                         params={"corpid": corp["corpid"],
                                 "corpsecret": corp["contacts_secret"]}).json()["access_token"]
    made = requests.post(server.url + "/cgi-bin/user/create", verify=ca, timeout=10,
                         params={"access_token": token},
                         json={"userid": "tls-member", "name": "TLS", "department": [1],
                               "mobile": "13900000001"}).json()
    assert made["errcode"] == 0, made
    session = requests.post(server.url + "/testing/member-session", verify=ca, timeout=10,
                            json={"userid": "tls-member"}).json()
    return f"{MEMBER_COOKIE}={session['token']}"


def test_banner_shows_https(server):
    out = server.stdout_text()
    assert f"Member client:  https://127.0.0.1:{server.port}/" in out
    assert f"Admin console:  https://127.0.0.1:{server.port}/admin/" in out


def test_https_healthz_verifies_against_the_cert(server, cert):
    r = requests.get(f"https://127.0.0.1:{server.port}/healthz", verify=str(cert[0]), timeout=10)
    assert r.status_code == 200
    assert r.json()["status"] == "ok"


def test_https_answers_tell_browsers_to_keep_to_https(server, cert):
    r = requests.get(f"https://127.0.0.1:{server.port}/healthz", verify=str(cert[0]), timeout=10)
    assert r.headers["Strict-Transport-Security"] == "max-age=31536000", r.headers
    assert r.headers["X-Frame-Options"] == "DENY"


def test_https_keep_alive_and_cgi_bin(server, cert):
    s = requests.Session()  # verify per request: REQUESTS_CA_BUNDLE would override s.verify
    for _ in range(2):
        r = s.get(f"https://127.0.0.1:{server.port}/cgi-bin/nope", verify=str(cert[0]), timeout=10)
        assert r.status_code == 200 and r.json()["errcode"] == 48005


def test_negotiates_tls12_or_later(server, cert):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(str(cert[0]))
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw:
        with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            assert tls.version() in ("TLSv1.2", "TLSv1.3")


def test_plain_http_to_the_tls_port_gets_no_http_answer(server):
    with RawConn(server.port, timeout=10) as c:
        c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        c.wait_closed(8)
        assert not c.buf.startswith(b"HTTP/1.1 200")


def test_wss_hello(server, cert, cookie):
    ws = websocket.create_connection(f"wss://127.0.0.1:{server.port}/api/v1/stream", timeout=10,
                                     sslopt={"ca_certs": str(cert[0])}, cookie=cookie)
    try:
        assert json.loads(ws.recv())["type"] == "hello"
        ws.send('{"type":"ping"}')
        assert json.loads(ws.recv()) == {"type": "pong"}
    finally:
        ws.close()


def test_missing_key_file_exits_2(harness, cert, tmp_path):
    r = harness.cli("serve", "--listen", "127.0.0.1:0", storage=harness.storage(),
                    env={"CORPHUB_TLS_CERT_FILE": str(cert[0]),
                         "CORPHUB_TLS_KEY_FILE": str(tmp_path / "missing-key.pem")})
    assert r.returncode == 2, r.stderr
    errors = [l for l in r.stderr.splitlines() if l.startswith("corphub: ")]
    assert len(errors) == 1, r.stderr
    assert "missing-key.pem" in errors[0] and "tls" in errors[0].lower()
    assert "Listening" not in r.stdout


def test_cert_without_key_is_a_config_error(harness, cert):
    r = harness.cli("check-config", env={"CORPHUB_TLS_CERT_FILE": str(cert[0])})
    assert r.returncode == 2
    lines = [l for l in r.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and "tls.key_file" in lines[0]
