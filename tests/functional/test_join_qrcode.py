"""corp/get_join_qrcode, on SQLite and PostgreSQL: the organisation's join QR code, drawn by
corphub as a PNG that a phone's camera (here zbarimg, from Debian's zbar-tools) reads as the
member client's /signin page, or /register while open registration is on.
"""
from __future__ import annotations

import shutil
import struct
import subprocess
import zlib

import pytest
import requests

from admin_api import ok
from identity_site import Site
from outbound_sinks import SmsGateway, SmtpSink

SIZES = {1: 171, 2: 399, 3: 741, 4: 2052}


@pytest.fixture(scope="module")
def site(module_harness, backend):
    smtp, sms = SmtpSink().start(), SmsGateway().start()
    yield Site(module_harness, backend, (smtp, sms))
    smtp.stop()
    sms.stop()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    w, h, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (depth, colour) == (1, 0), "one bit of grey per pixel"
    assert zlib.crc32(data[12:29]) == struct.unpack(">I", data[29:33])[0]
    return w, h


def scan(data: bytes, tmp_path) -> str:
    path = tmp_path / "qr.png"
    path.write_bytes(data)
    assert shutil.which("zbarimg"), "zbarimg (Debian zbar-tools) is needed"
    r = subprocess.run(["zbarimg", "--raw", "-q", str(path)], capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 0, (r.returncode, r.stderr)
    return r.stdout.strip()


def test_the_join_qrcode_scans_as_the_sign_in_page_then_the_application(site, tmp_path):
    res = site.contacts.get("corp/get_join_qrcode", {"size_type": 2})
    assert res["errcode"] == 0 and res["errmsg"] == "ok", res
    url = res["join_qrcode"]
    assert url == f"{site.server.url}/api/v1/join_qrcode.png?size_type=2"
    r = requests.get(url, timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/png"
    assert png_size(r.content) == (399, 399)
    assert scan(r.content, tmp_path) == f"{site.server.url}/signin"

    ok(site.admin.put("/admin/api/identity/settings", json={"open_registration": True}))
    r = requests.get(url, timeout=30)
    assert scan(r.content, tmp_path) == f"{site.server.url}/register"


@pytest.mark.parametrize("size_type", [1, 3, 4])
def test_every_size_scans(site, tmp_path, size_type):
    url = site.contacts.get("corp/get_join_qrcode", {"size_type": size_type})["join_qrcode"]
    r = requests.get(url, timeout=30)
    assert png_size(r.content) == (SIZES[size_type],) * 2
    assert scan(r.content, tmp_path).startswith(site.server.url + "/")


def test_bad_sizes_and_tokens_are_refused(site):
    for bad in (0, 5, "x"):
        assert site.contacts.get("corp/get_join_qrcode", {"size_type": bad})["errcode"] == 40058
    assert site.contacts.get("corp/get_join_qrcode", {})["errcode"] == 0, "size 1 by default"
    r = requests.get(site.server.url + "/cgi-bin/corp/get_join_qrcode?access_token=nope",
                     timeout=30)
    assert r.json()["errcode"] == 40014
    r = requests.get(site.server.url + "/api/v1/join_qrcode.png?size_type=9", timeout=30)
    assert r.status_code == 400


def test_every_version_corphub_draws_scans(harness, backend, tmp_path):
    from member_api import TESTING_ENV
    srv = harness.server(harness.storage(backend), env=TESTING_ENV)
    seen = set()
    # Lengths at and just past each version's capacity (level M, byte mode), UTF-8 included.
    for n in (1, 14, 15, 26, 27, 42, 43, 62, 63, 84, 85, 106, 107, 122, 123, 152, 153, 180,
              181, 213):
        text = ("https://corp.example/" + "ab汉字" * 60)[:n] if n > 30 else "x" * n
        data = text.encode()[:n]
        r = requests.post(srv.url + "/testing/qr", data=data, timeout=30)
        assert r.status_code == 200, (n, r.text)
        seen.add(int(r.headers["X-QR-Version"]))
        path = tmp_path / f"v{n}.png"
        path.write_bytes(r.content)
        out = subprocess.run(["zbarimg", "--raw", "-q", "-Sbinary", str(path)],
                             capture_output=True, timeout=30)
        assert out.returncode == 0, (n, out.stderr)
        assert out.stdout.rstrip(b"\n") == data, (n, out.stdout, data)
    assert seen == set(range(1, 11)), seen
    r = requests.post(srv.url + "/testing/qr", data=b"x" * 214, timeout=30)
    assert r.status_code == 400
