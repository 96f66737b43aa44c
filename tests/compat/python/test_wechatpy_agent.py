"""wechatpy 1.8.18's agent and menu APIs against corphub, with an app's own secret:
`client.agent.get/list/set` and `client.menu.create/get/update/delete`; WeCom's codes reach the
SDK as WeChatClientException (301002 for another app, 46003 without a menu, 40016/40022 for a
bad menu)."""
from __future__ import annotations

import io

import pytest

from corphub_wechatpy import raised

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))

MENU = {"button": [
    {"type": "click", "name": "今日", "key": "TODAY"},
    {"name": "更多", "sub_button": [
        {"type": "view", "name": "主页", "url": "https://oa.example.com/"},
        {"type": "pic_photo_or_album", "name": "拍照", "key": "PHOTO"},
    ]},
]}


@pytest.fixture(scope="module")
def app(corp):
    return corp.create_app("教务 SDK")


@pytest.fixture(scope="module")
def other(corp):
    return corp.create_app("另一个应用")


def test_agent_get_list_and_set_through_the_sdk(client, app):
    got = client.agent.get(app.agentid)
    assert got["agentid"] == app.agentid and got["name"] == app.name and got["close"] == 0
    assert got["allow_partys"]["partyid"] == [1]
    assert client.agent.list() == [{"agentid": app.agentid, "name": app.name,
                                    "square_logo_url": ""}]
    # wechatpy sends isreportenter and isreportuser as 1 unless told otherwise.
    logo = client.media.upload("image", ("logo.png", io.BytesIO(PNG)))["media_id"]
    res = client.agent.set(app.agentid, name="教务通知", description="教务处的通知",
                           redirect_domain="oa.example.com", logo_media_id=logo,
                           report_location_flag=1)
    assert res["errcode"] == 0
    got = client.agent.get(app.agentid)
    assert (got["name"], got["description"], got["redirect_domain"]) == (
        "教务通知", "教务处的通知", "oa.example.com")
    assert got["report_location_flag"] == 1 and got["isreportenter"] == 1
    assert got["square_logo_url"].startswith(app.server.url + "/media/img/")
    assert raised(client.agent.set, app.agentid, name="名" * 33).errcode == 45022
    assert raised(client.agent.set, app.agentid, description="短").errcode == 40058
    assert client.agent.get(app.agentid)["name"] == "教务通知"


def test_another_apps_agentid_is_refused(client, other):
    assert raised(client.agent.get, other.agentid).errcode == 301002
    assert raised(client.agent.set, other.agentid, name="x").errcode == 301002
    assert raised(client.menu.create, other.agentid, MENU).errcode == 301002


def test_the_menu_through_the_sdk(client, app):
    client.menu.delete(app.agentid)
    assert raised(client.menu.get, app.agentid).errcode == 46003
    assert client.menu.create(app.agentid, MENU)["errcode"] == 0
    assert client.menu.get(app.agentid)["button"] == MENU["button"]
    smaller = {"button": [MENU["button"][0]]}
    assert client.menu.update(app.agentid, smaller)["errcode"] == 0
    assert client.menu.get(app.agentid)["button"] == smaller["button"]
    assert raised(client.menu.create, app.agentid, {"button": []}).errcode == 40016
    deep = {"button": [{"name": "深", "sub_button": [{"name": "再深", "sub_button": [
        {"type": "click", "name": "x", "key": "X"}]}]}]}
    assert raised(client.menu.create, app.agentid, deep).errcode == 40022
    assert client.menu.get(app.agentid)["button"] == smaller["button"]
    assert client.menu.delete(app.agentid)["errcode"] == 0
    assert raised(client.menu.get, app.agentid).errcode == 46003
