"""/cgi-bin/media/upload and media/get on SQLite and PostgreSQL, through raw HTTP.

The multipart bodies are built by hand so that the field name, the file name (raw UTF-8, as
browsers and WeCom SDKs send it) and the bytes are exactly what each case needs.
"""
from __future__ import annotations

import re
import time
import uuid
from typing import Optional
from urllib.parse import unquote

import pytest
import requests

from wecom_api import make_api

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(64))
AMR = b"#!AMR\n" + bytes(range(64))
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00\x00\x00\x00mp42isom" + bytes(range(64))
ANY = "任意内容 any bytes\n".encode("utf-8") + bytes(range(256))


def multipart(fields: list, boundary: Optional[str] = None) -> tuple[bytes, str]:
    """fields: (name, filename or None, bytes). Returns (body, content type)."""
    boundary = boundary or "----corphub" + uuid.uuid4().hex
    out = b""
    for name, filename, data in fields:
        out += b"--" + boundary.encode() + b"\r\n"
        disp = f'form-data; name="{name}"'
        if filename is not None:
            disp += f'; filename="{filename}"'
        out += b"Content-Disposition: " + disp.encode("utf-8") + b"\r\n"
        if filename is not None:
            out += b"Content-Type: application/octet-stream\r\n"
        out += b"\r\n" + data + b"\r\n"
    out += b"--" + boundary.encode() + b"--\r\n"
    return out, "multipart/form-data; boundary=" + boundary


def upload_raw(api, type_: Optional[str], fields: list) -> dict:
    body, ctype = multipart(fields)
    params = {"access_token": api.token}
    if type_ is not None:
        params["type"] = type_
    r = api.http.post(api.server.url + "/cgi-bin/media/upload", params=params, data=body,
                      headers={"Content-Type": ctype}, timeout=30)
    return api._decode(r)


def upload(api, type_: str, data: bytes, filename: str = "f.bin") -> dict:
    return upload_raw(api, type_, [("media", filename, data)])


def upload_ok(api, type_: str, data: bytes, filename: str = "f.bin") -> str:
    res = upload(api, type_, data, filename)
    assert res["errcode"] == 0, res
    return res["media_id"]


def media_get(api, media_id=None):
    params = {"access_token": api.token}
    if media_id is not None:
        params["media_id"] = media_id
    return api.http.get(api.server.url + "/cgi-bin/media/get", params=params, timeout=30)


def media_get_error(api, media_id=None) -> dict:
    return api._decode(media_get(api, media_id))


@pytest.fixture(scope="module")
def api(module_harness, backend):
    return make_api(module_harness, backend)


# --- upload ---------------------------------------------------------------------------------

@pytest.mark.parametrize("type_,data,filename", [
    ("image", PNG, "a.png"),
    ("image", JPEG, "a.jpg"),
    ("voice", AMR, "a.amr"),
    ("video", MP4, "a.mp4"),
    ("file", ANY, "a.txt"),
])
def test_upload_each_type_answers_type_media_id_and_created_at(api, type_, data, filename):
    before = int(time.time()) - 5
    res = upload(api, type_, data, filename)
    assert res["errcode"] == 0 and res["errmsg"] == "ok", res
    assert set(res) >= {"type", "media_id", "created_at"}, res
    assert res["type"] == type_, res
    assert type(res["media_id"]) is str and res["media_id"], res
    assert type(res["created_at"]) is str and re.fullmatch(r"\d+", res["created_at"]), res
    assert before <= int(res["created_at"]) <= int(time.time()) + 5, res
    got = media_get(api, res["media_id"])
    assert got.status_code == 200
    assert got.content == data


def test_media_ids_differ_for_each_upload(api):
    a = upload_ok(api, "file", ANY)
    b = upload_ok(api, "file", ANY)
    assert a != b


def test_get_answers_content_disposition_with_a_chinese_file_name(api):
    name = "通讯录 导入.csv"
    media_id = upload_ok(api, "file", ANY, name)
    r = media_get(api, media_id)
    assert r.status_code == 200
    assert r.content == ANY
    disp = r.headers.get("Content-Disposition", "")
    assert disp.startswith("attachment"), r.headers
    assert re.search(r'filename="[^"]*"', disp), disp
    m = re.search(r"filename\*=UTF-8''([^;\s]+)", disp, re.IGNORECASE)
    assert m, disp
    assert unquote(m.group(1), encoding="utf-8") == name, disp


def test_get_answers_an_ascii_file_name(api):
    media_id = upload_ok(api, "image", PNG, "photo.png")
    disp = media_get(api, media_id).headers.get("Content-Disposition", "")
    assert 'filename="photo.png"' in disp, disp


def test_upload_other_type_is_40005(api):
    assert upload(api, "document", ANY)["errcode"] == 40005
    assert upload(api, "IMAGE2", PNG)["errcode"] == 40005


def test_upload_without_type_is_an_error(api):
    res = upload_raw(api, None, [("media", "a.txt", ANY)])
    assert res["errcode"] != 0, res


def test_upload_without_the_media_field_is_44001(api):
    res = upload_raw(api, "file", [("other", "a.txt", ANY)])
    assert res["errcode"] == 44001, res


def test_upload_empty_media_is_44001(api):
    assert upload(api, "file", b"")["errcode"] == 44001


@pytest.mark.parametrize("size", [1, 5])
def test_upload_of_at_most_5_bytes_is_40006(api, size):
    assert upload(api, "file", b"x" * size)["errcode"] == 40006


def test_upload_of_6_bytes_is_accepted(api):
    media_id = upload_ok(api, "file", b"abcdef")
    assert media_get(api, media_id).content == b"abcdef"


@pytest.mark.parametrize("type_,data", [
    ("image", b"GIF89a" + bytes(range(64))),
    ("image", AMR),
    ("voice", PNG),
    ("voice", b"#!AMX\n" + bytes(64)),
    ("video", b"\x00\x00\x00\x18abcdmp42" + bytes(64)),
    ("video", PNG),
])
def test_upload_bytes_not_of_the_type_is_40004(api, type_, data):
    assert upload(api, type_, data)["errcode"] == 40004


def test_voice_over_2_mb_is_45001(api):
    assert upload(api, "voice", AMR + b"\x00" * (2 * 1024 * 1024))["errcode"] == 45001


def test_voice_under_2_mb_is_accepted(api):
    data = AMR + b"\x01" * 1_900_000
    media_id = upload_ok(api, "voice", data)
    assert media_get(api, media_id).content == data


def test_upload_needs_a_token(api):
    body, ctype = multipart([("media", "a.txt", ANY)])
    r = api.http.post(api.server.url + "/cgi-bin/media/upload", params={"type": "file"},
                      data=body, headers={"Content-Type": ctype}, timeout=10)
    assert api._decode(r)["errcode"] == 41001


# --- get errors ----------------------------------------------------------------------------

def test_get_without_media_id_is_41006(api):
    assert media_get_error(api)["errcode"] == 41006


@pytest.mark.parametrize("media_id", ["nope", "3" * 40, "x-" + uuid.uuid4().hex])
def test_get_unknown_media_id_is_40007(api, media_id):
    assert media_get_error(api, media_id)["errcode"] == 40007



def test_image_over_10_mb_is_45001(api):
    assert upload(api, "image", PNG + b"\x00" * (10 * 1024 * 1024))["errcode"] == 45001


# --- media/uploadimg: permanent image URLs for message bodies ---------------------------------

def uploadimg(api, data: bytes, filename: str = "pic.png") -> dict:
    body, ctype = multipart([("media", filename, data)])
    r = api.http.post(api.server.url + "/cgi-bin/media/uploadimg",
                      params={"access_token": api.token}, data=body,
                      headers={"Content-Type": ctype}, timeout=30)
    assert r.status_code == 200
    return r.json()


def test_uploadimg_answers_a_url_anyone_can_fetch(api):
    res = uploadimg(api, PNG)
    assert res["errcode"] == 0, res
    assert set(res) == {"errcode", "errmsg", "url"}, res
    url = res["url"]
    assert url.startswith(api.server.url + "/media/img/"), url
    got = requests.get(url, timeout=10)  # no token, no cookie
    assert got.status_code == 200
    assert got.content == PNG
    assert got.headers["Content-Type"] == "image/png"
    assert got.headers.get("X-Content-Type-Options") == "nosniff"


def test_uploadimg_takes_only_jpg_or_png_of_at_most_2_mb(api):
    assert uploadimg(api, b"GIF89a" + bytes(100))["errcode"] == 40004
    assert uploadimg(api, b"\x89PNG\r\n\x1a\n" + bytes(2 << 20))["errcode"] == 45001
    assert uploadimg(api, b"")["errcode"] == 44001
    jpg = uploadimg(api, b"\xff\xd8\xff\xe0" + bytes(64), "photo.jpg")
    assert jpg["errcode"] == 0, jpg
    assert requests.get(jpg["url"], timeout=10).headers["Content-Type"] == "image/jpeg"


def test_only_uploadimg_images_are_public(api):
    media_id = upload_ok(api, "image", PNG, "private.png")
    r = requests.get(api.server.url + "/media/img/" + media_id, timeout=10)
    assert r.status_code == 404, "a media/upload file must not be public"
    assert requests.get(api.server.url + "/media/img/nope", timeout=10).status_code == 404
