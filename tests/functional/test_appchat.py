"""/cgi-bin/appchat/create, get, update and send (docs/wecom-api.md "App group chats"), and how a
chat's messages show on the member API (docs/member-api.md: a conversation of their own, with
`chatid`), on SQLite and PostgreSQL.

One server per backend (two apps) serves the module; each test makes the members and chats it
uses, so tests do not see each other's messages. appchat/send answers no msgid, so a chat's
messages are found by reading the members' inboxes. "Nothing stored" is checked there too: no
event, no conversation. No sleeps: the stream is read with socket timeouts.
"""
from __future__ import annotations

import itertools
import re
import time
import uuid
from typing import Optional

import pytest

from member_api import (AMR, ANY, CONVERSATION_KEYS, JPEG, MESSAGE_KEYS, MP4, PNG, Member,
                        assert_silent, disable, recv_events, recv_json, start_org, sync_members,
                        upload_each_kind)

_seq = itertools.count(1)

CHATID_RE = re.compile(r"^[0-9A-Za-z]{1,32}$")


@pytest.fixture(scope="module")
def org(module_harness, backend):
    return start_org(module_harness, backend, apps=2)


@pytest.fixture(scope="module")
def media(org) -> dict:
    return upload_each_kind(org.app, "群图片.png", "群文件 2026.txt")


def new_chatid() -> str:
    return f"Chat{next(_seq)}x{uuid.uuid4().hex[:12]}"


def chat_name() -> str:
    return f"项目群 {next(_seq)}"


# --- appchat calls -----------------------------------------------------------------------------

def create(app, userlist, **body) -> dict:
    return app.post("appchat/create", {"userlist": list(userlist), **body})


def create_ok(app, userlist, **body) -> str:
    res = create(app, userlist, **body)
    assert res["errcode"] == 0 and res["errmsg"] == "ok", (body, res)
    assert set(res) == {"errcode", "errmsg", "chatid"}, res
    assert type(res["chatid"]) is str and CHATID_RE.match(res["chatid"]), res
    return res["chatid"]


def get(app, chatid) -> dict:
    return app.get("appchat/get", {"chatid": chatid})


def info(app, chatid, unique: bool = True) -> dict:
    """chat_info, checked: its fields, and each userid listed once (unless `unique` is False)."""
    res = get(app, chatid)
    assert res["errcode"] == 0 and res["errmsg"] == "ok", res
    assert set(res) == {"errcode", "errmsg", "chat_info"}, res
    ci = res["chat_info"]
    assert set(ci) == {"chatid", "name", "owner", "userlist"}, ci
    assert type(ci["userlist"]) is list and all(type(u) is str for u in ci["userlist"]), ci
    if unique:
        assert len(set(ci["userlist"])) == len(ci["userlist"]), ci
    return ci


def update(app, chatid, **body) -> dict:
    return app.post("appchat/update", {"chatid": chatid, **body})


def update_ok(app, chatid, **body):
    res = update(app, chatid, **body)
    assert res == {"errcode": 0, "errmsg": "ok"}, (body, res)


def send(app, chatid, msgtype, content, **body) -> dict:
    return app.post("appchat/send", {"chatid": chatid, "msgtype": msgtype, msgtype: content,
                                     **body})


def send_ok(app, chatid, msgtype="text", content=None, **body):
    if content is None:
        content = {"content": f"群消息 {next(_seq)}"}
    res = send(app, chatid, msgtype, content, **body)
    assert res["errcode"] == 0 and res["errmsg"] == "ok", (msgtype, res)


def text_ok(app, chatid, text: str):
    send_ok(app, chatid, "text", {"content": text})


# --- the member side ---------------------------------------------------------------------------

def chat_messages(m: Member, agentid: int, chatid: Optional[str]) -> list[dict]:
    """Every message of one conversation (the app's own for chatid None), newest first."""
    out, before = [], None
    for _ in range(100):
        params = {"limit": 100}
        if chatid is not None:
            params["chatid"] = chatid
        if before is not None:
            params["before"] = before
        page = m.messages(agentid, **params)
        out += page["messages"]
        if not page["next_before"]:
            return out
        before = page["next_before"]
    raise AssertionError("more than 100 pages")


def conversations(m: Member) -> list[dict]:
    convs = m.conversations()["conversations"]
    for c in convs:
        assert set(c) == CONVERSATION_KEYS, c
    return convs


def conversation(m: Member, agentid: int, chatid: str) -> Optional[dict]:
    found = [c for c in conversations(m) if c["agentid"] == agentid and c["chatid"] == chatid]
    assert len(found) <= 1, found
    return found[0] if found else None


def texts(m: Member, agentid: int, chatid: Optional[str]) -> list[str]:
    return [x["content"]["content"] for x in chat_messages(m, agentid, chatid)]


def assert_nothing_stored(m: Member):
    ev = m.events()
    assert ev == {"events": [], "last_seq": 0}, ev
    conv = m.conversations()
    assert conv == {"conversations": [], "last_seq": 0}, conv


# --- create and get ----------------------------------------------------------------------------

def test_create_makes_up_a_chatid_and_the_first_member_owns_it(org):
    a, b, c = org.new_members(3)
    name = chat_name()
    chatid = create_ok(org.app, [a, b, c], name=name)
    ci = info(org.app, chatid)
    assert ci["chatid"] == chatid and ci["name"] == name, ci
    assert ci["owner"] == a, ci
    assert sorted(ci["userlist"]) == sorted([a, b, c]), ci
    # Another chat of the same members gets another chatid; POST get answers too.
    other = create_ok(org.app, [a, b], name=name)
    assert other != chatid
    res = org.app.post("appchat/get", {}, params={"chatid": other})
    assert res["errcode"] == 0 and sorted(res["chat_info"]["userlist"]) == sorted([a, b]), res


def test_create_with_an_empty_chatid_makes_one_up(org):
    a, b = org.new_members(2)
    chatid = create_ok(org.app, [a, b], name=chat_name(), chatid="", owner="")
    assert info(org.app, chatid)["owner"] == a


def test_create_with_a_given_chatid_and_owner(org):
    a, b, c = org.new_members(3)
    given = new_chatid()
    assert create_ok(org.app, [a, b, c], name="指定群", chatid=given, owner=b) == given
    ci = info(org.app, given)
    assert ci["owner"] == b and ci["name"] == "指定群", ci
    # 32 characters of 0-9 a-z A-Z is the longest chatid.
    longest = ("Z9" + uuid.uuid4().hex + "abcdefgh")[:32]
    assert len(longest) == 32
    assert create_ok(org.app, [a, b], chatid=longest) == longest
    assert info(org.app, longest)["chatid"] == longest


def test_userids_are_matched_ignoring_case(org):
    a, b = org.new_members(2)
    chatid = create_ok(org.app, [a.upper(), b], owner=b.upper())
    ci = info(org.app, chatid)
    assert sorted(ci["userlist"]) == sorted([a, b]) and ci["owner"] == b, ci


def test_name_is_cut_to_50_characters(org):
    a, b = org.new_members(2)
    long_name = "群" * 30 + "ab" * 15  # 60 characters, 120 bytes
    chatid = create_ok(org.app, [a, b], name=long_name)
    assert info(org.app, chatid)["name"] == long_name[:50]
    exact = "名" * 50
    chatid = create_ok(org.app, [a, b], name=exact)
    assert info(org.app, chatid)["name"] == exact
    # update cuts the same way
    update_ok(org.app, chatid, name="改" * 51)
    assert info(org.app, chatid)["name"] == "改" * 50


# --- update ------------------------------------------------------------------------------------

def test_update_renames_and_changes_members_and_owner(org):
    a, b, c, d = org.new_members(4)
    chatid = create_ok(org.app, [a, b, c], name="旧名")
    update_ok(org.app, chatid, name="新名", add_user_list=[d], del_user_list=[c])
    ci = info(org.app, chatid)
    assert ci["name"] == "新名" and ci["owner"] == a, ci
    assert sorted(ci["userlist"]) == sorted([a, b, d]), ci
    # A new owner among the members; the name stays when not sent.
    update_ok(org.app, chatid, owner=d)
    ci = info(org.app, chatid)
    assert ci["owner"] == d and ci["name"] == "新名", ci
    # The owner moves to b and d leaves, in one call.
    update_ok(org.app, chatid, owner=b, del_user_list=[d])
    ci = info(org.app, chatid)
    assert ci["owner"] == b and sorted(ci["userlist"]) == sorted([a, b]), ci
    # Adding someone already in the chat changes nothing.
    update_ok(org.app, chatid, add_user_list=[a])
    assert sorted(info(org.app, chatid)["userlist"]) == sorted([a, b])


def test_the_owner_must_stay_a_member(org):
    a, b, c = org.new_members(3)
    outsider = org.new_member()
    chatid = create_ok(org.app, [a, b, c], name="群主")
    before = info(org.app, chatid)
    res = update(org.app, chatid, del_user_list=[a])  # a owns it
    assert res["errcode"] == 40058, res
    res = update(org.app, chatid, owner=outsider)  # not a member
    assert res["errcode"] == 40058, res
    res = update(org.app, chatid, owner=c, del_user_list=[c], name="不该改")
    assert res["errcode"] == 40058, res
    assert info(org.app, chatid) == before


def test_update_errors_change_nothing(org):
    a, b = org.new_members(2)
    chatid = create_ok(org.app, [a, b], name="不变")
    before = info(org.app, chatid)
    ghost = f"Ghost{uuid.uuid4().hex[:6]}"
    res = update(org.app, chatid, add_user_list=[ghost], name="不该改")
    assert res["errcode"] == 40031, res
    assert ghost.lower() in res["errmsg"].lower(), res
    res = update(org.app, chatid, owner=ghost)
    assert res["errcode"] in (40031, 40058), res
    res = update(org.app, "NoSuchChat" + uuid.uuid4().hex[:8], name="x")
    assert res["errcode"] == 86001, res
    assert info(org.app, chatid) == before


def test_the_conversation_shows_the_chats_current_name(org):
    a, b = org.new_members(2)
    chatid = create_ok(org.app, [a, b], name="改名前")
    text_ok(org.app, chatid, "第一条")
    assert conversation(org.member(a), org.app.agentid, chatid)["name"] == "改名前"
    update_ok(org.app, chatid, name="改名后")
    assert conversation(org.member(a), org.app.agentid, chatid)["name"] == "改名后"


# --- send --------------------------------------------------------------------------------------

def chat_cases(media: dict) -> dict:
    """case -> (msgtype, the type's object, safe)."""
    return {
        "text": ("text", {"content": "下午三点 301 开会"}, 0),
        "image": ("image", {"media_id": media["png"]}, 1),
        "image_jpg": ("image", {"media_id": media["jpg"]}, 0),
        "voice": ("voice", {"media_id": media["voice"]}, 0),
        "video": ("video", {"media_id": media["video"], "title": "培训视频",
                            "description": "第一讲"}, 0),
        "file": ("file", {"media_id": media["file"]}, 0),
        "textcard": ("textcard", {"title": "领奖通知", "description": "<div>2016年9月26日</div>",
                                  "url": "https://example.com/prize", "btntxt": "更多"}, 0),
        "news": ("news", {"articles": [
            {"title": "中秋节礼品领取", "description": "今年中秋节公司有豪礼相送",
             "url": "https://example.com/gift", "picurl": "https://example.com/p.png"}]}, 0),
        "mpnews": ("mpnews", {"articles": [
            {"title": "图文标题", "thumb_media_id": media["png"], "author": "作者",
             "content_source_url": "https://example.com/s", "content": "<p>正文</p>",
             "digest": "摘要", "show_cover_pic": 1}]}, 2),
        "markdown": ("markdown", {"content": "**周报** 已发布\n> 请于 `周五` 前查收"}, 0),
    }


CASES = ["text", "image", "image_jpg", "voice", "video", "file", "textcard", "news", "mpnews",
         "markdown"]


@pytest.mark.parametrize("case", CASES)
def test_each_allowed_type_reaches_every_member_as_a_chat_conversation(org, media, case):
    msgtype, content, safe = chat_cases(media)[case]
    a, b, c = org.new_members(3)
    name = chat_name()
    chatid = create_ok(org.app, [a, b, c], name=name)
    t0 = int(time.time())
    res = send(org.app, chatid, msgtype, content, safe=safe)
    t1 = int(time.time())
    assert res["errcode"] == 0 and res["errmsg"] == "ok", res
    msgids = set()
    for u in (a, b, c):
        m = org.member(u)
        [got] = chat_messages(m, org.app.agentid, chatid)
        assert set(got) == MESSAGE_KEYS, got
        assert got["chatid"] == chatid and got["agentid"] == org.app.agentid, got
        assert got["msgtype"] == msgtype and got["content"] == content, got
        assert got["safe"] == safe and type(got["preview"]) is str, got
        assert t0 - 2 <= got["created_at"] <= t1 + 2, got
        assert got["read_at"] is None and got["recalled"] is False and got["seq"] == 1, got
        msgids.add(got["msgid"])
        # Not in the app's own conversation.
        assert chat_messages(m, org.app.agentid, None) == []
        assert m.conversations() == {"conversations": [{
            "agentid": org.app.agentid, "chatid": chatid, "name": name,
            "app_name": org.app.app["name"], "unread": 1, "messages": 1, "last": got}],
            "last_seq": 1}
        assert m.events() == {"events": [{"seq": 1, "type": "message", "message": {
            k: v for k, v in got.items() if k != "seq"}}], "last_seq": 1}
    assert len(msgids) == 1, msgids  # one message, one row per member


def test_text_and_markdown_of_2048_bytes_are_taken(org):
    a, b = org.new_members(2)
    chatid = create_ok(org.app, [a, b])
    content = "中" * 682 + "ab"
    assert len(content.encode()) == 2048
    send_ok(org.app, chatid, "text", {"content": content})
    send_ok(org.app, chatid, "markdown", {"content": content})
    assert [x["content"] for x in chat_messages(org.member(b), org.app.agentid, chatid)] == \
        [{"content": content}] * 2


def test_safe_may_be_a_string_and_unknown_fields_are_dropped(org, media):
    a, b = org.new_members(2)
    chatid = create_ok(org.app, [a, b])
    send_ok(org.app, chatid, "text", {"content": "只留 content", "color": "red"}, safe="1",
            agentid=org.app.agentid, not_a_wecom_field=1)
    send_ok(org.app, chatid, "image", {"media_id": media["png"], "width": 100})
    got = chat_messages(org.member(a), org.app.agentid, chatid)
    assert [(x["msgtype"], x["content"], x["safe"]) for x in got] == [
        ("image", {"media_id": media["png"]}, 0), ("text", {"content": "只留 content"}, 1)], got


def test_null_fields_count_as_not_sent(org):
    a, b, c = org.new_members(3)
    chatid = create_ok(org.app, [a, b], name="空值", chatid=None, owner=None)
    update_ok(org.app, chatid, name=None, owner=None, userlist=None, add_user_list=[c],
              del_user_list=None)
    ci = info(org.app, chatid)
    assert ci["name"] == "空值" and ci["owner"] == a, ci
    assert sorted(ci["userlist"]) == sorted([a, b, c]), ci
    send_ok(org.app, chatid, "text", {"content": "空值"}, safe=None)
    assert texts(org.member(c), org.app.agentid, chatid) == ["空值"]


def test_the_chat_is_separate_from_the_apps_own_conversation(org):
    a, b = org.new_members(2)
    name = chat_name()
    chatid = create_ok(org.app, [a, b], name=name)
    own = org.app.text_ok(a, "应用自己的消息")
    text_ok(org.app, chatid, "群里的消息")
    other_chat = create_ok(org.app, [a, b], name=name)  # same name, another chat
    text_ok(org.app, other_chat, "另一个群")
    m = org.member(a)
    convs = conversations(m)
    assert [(c["agentid"], c["chatid"]) for c in convs] == [
        (org.app.agentid, other_chat), (org.app.agentid, chatid), (org.app.agentid, "")], convs
    by = {c["chatid"]: c for c in convs}
    assert by[""]["name"] == org.app.app["name"] == by[""]["app_name"], by[""]
    assert by[""]["last"]["msgid"] == own and by[""]["last"]["chatid"] == ""
    assert by[chatid]["name"] == name and by[chatid]["app_name"] == org.app.app["name"]
    for c in convs:
        assert c["unread"] == 1 and c["messages"] == 1, c
    assert texts(m, org.app.agentid, None) == ["应用自己的消息"]
    assert texts(m, org.app.agentid, chatid) == ["群里的消息"]
    assert texts(m, org.app.agentid, other_chat) == ["另一个群"]
    # b got no app message: only the two chats.
    assert {c["chatid"] for c in conversations(org.member(b))} == {chatid, other_chat}


def test_chat_message_pages(org):
    a, b = org.new_members(2)
    chatid = create_ok(org.app, [a, b])
    for i in range(5):
        text_ok(org.app, chatid, f"页{i}")
    org.app.text_ok(a, "夹在中间")
    m = org.member(a)
    p1 = m.messages(org.app.agentid, chatid=chatid, limit=3)
    assert [x["content"]["content"] for x in p1["messages"]] == ["页4", "页3", "页2"], p1
    p2 = m.messages(org.app.agentid, chatid=chatid, limit=3, before=p1["next_before"])
    assert [x["content"]["content"] for x in p2["messages"]] == ["页1", "页0"], p2
    assert p2["next_before"] == 0


def test_read_with_chatid_marks_only_that_conversation(org):
    a, b = org.new_members(2)
    chatid = create_ok(org.app, [a, b])
    org.app.text_ok(a, "应用 1")
    text_ok(org.app, chatid, "群 1")
    text_ok(org.app, chatid, "群 2")
    org.app.text_ok(a, "应用 2")
    m = org.member(a)
    chat_ids = [x["msgid"] for x in chat_messages(m, org.app.agentid, chatid)]  # newest first
    own_ids = [x["msgid"] for x in chat_messages(m, org.app.agentid, None)]
    chat_seqs = sorted(x["seq"] for x in chat_messages(m, org.app.agentid, chatid))
    assert chat_seqs == [2, 3] and m.last_seq() == 4

    # Up to the first chat message.
    r = m.read(org.app.agentid, {"chatid": chatid, "up_to_seq": 2})
    assert r.status_code == 200 and r.json() == {"marked": True, "msgid": chat_ids[1]}, r.text
    assert m.events(after=4)["events"] == [{"seq": 5, "type": "read", "agentid": org.app.agentid,
                                            "chatid": chatid, "msgid": chat_ids[1]}]
    assert conversation(m, org.app.agentid, chatid)["unread"] == 1
    assert conversation(m, org.app.agentid, "")["unread"] == 2
    # All of the chat.
    r = m.read(org.app.agentid, {"chatid": chatid})
    assert r.status_code == 200 and r.json() == {"marked": True, "msgid": chat_ids[0]}, r.text
    assert conversation(m, org.app.agentid, chatid)["unread"] == 0
    assert conversation(m, org.app.agentid, "")["unread"] == 2
    assert all(type(x["read_at"]) is int for x in chat_messages(m, org.app.agentid, chatid))
    assert all(x["read_at"] is None for x in chat_messages(m, org.app.agentid, None))
    # Again: nothing left, no event.
    r = m.read(org.app.agentid, {"chatid": chatid})
    assert r.status_code == 200 and r.json()["marked"] is False, r.text
    assert m.last_seq() == 6
    # Without chatid: the app's own conversation; the chat stays as it was.
    r = m.read(org.app.agentid, {})
    assert r.status_code == 200 and r.json() == {"marked": True, "msgid": own_ids[0]}, r.text
    assert m.events(after=6)["events"] == [{"seq": 7, "type": "read", "agentid": org.app.agentid,
                                            "chatid": "", "msgid": own_ids[0]}]
    assert conversation(m, org.app.agentid, "")["unread"] == 0
    # b's copy of the chat is b's own: still unread.
    assert conversation(org.member(b), org.app.agentid, chatid)["unread"] == 2


def test_recall_of_a_chat_message_names_the_chat(org):
    """appchat/send answers no msgid; the app may still recall one it read from an inbox, and
    the recall event carries the chat's id (docs/member-api.md, Events)."""
    a, b = org.new_members(2)
    chatid = create_ok(org.app, [a, b])
    text_ok(org.app, chatid, "撤回我")
    [msg] = chat_messages(org.member(a), org.app.agentid, chatid)
    assert org.app.recall(msg["msgid"]) == {"errcode": 0, "errmsg": "ok"}
    for u in (a, b):
        m = org.member(u)
        assert m.events(after=1)["events"] == [{"seq": 2, "type": "recall",
                                                "agentid": org.app.agentid, "chatid": chatid,
                                                "msgid": msg["msgid"]}], u
        [gone] = chat_messages(m, org.app.agentid, chatid)
        assert gone["recalled"] is True and gone["content"] is None, gone
        assert conversation(m, org.app.agentid, chatid)["unread"] == 0


def test_the_stream_gets_the_chat_message_with_its_chatid(org):
    a, b = org.new_members(2)
    chatid = create_ok(org.app, [a, b])
    m = org.member(a)
    ws = m.stream()
    try:
        assert recv_json(ws, 5)["type"] == "hello"
        started = time.monotonic()
        text_ok(org.app, chatid, "实时群消息")
        [ev] = recv_events(ws, 1, timeout=5)
        assert time.monotonic() - started < 1.0, "the chat message took more than a second"
        assert ev["seq"] == 1 and ev["type"] == "message", ev
        assert ev["message"]["chatid"] == chatid, ev
        [stored] = chat_messages(m, org.app.agentid, chatid)
        assert ev["message"] == {k: v for k, v in stored.items() if k != "seq"}, (ev, stored)
        assert m.read(org.app.agentid, {"chatid": chatid}).status_code == 200
        [ev] = recv_events(ws, 1, timeout=5)
        assert ev == {"seq": 2, "type": "read", "agentid": org.app.agentid, "chatid": chatid,
                      "msgid": stored["msgid"]}, ev
        assert_silent(ws, 0.2)
    finally:
        ws.close()


def test_a_removed_member_gets_no_new_chat_messages(org):
    a, b, c = org.new_members(3)
    chatid = create_ok(org.app, [a, b, c])
    text_ok(org.app, chatid, "c 还在")
    update_ok(org.app, chatid, del_user_list=[c])
    mc = org.member(c)
    ws = mc.stream()
    try:
        assert recv_json(ws, 5)["last_seq"] == 1
        text_ok(org.app, chatid, "c 走了")
        for u in (a, b):
            assert texts(org.member(u), org.app.agentid, chatid) == ["c 走了", "c 还在"], u
        assert_silent(ws, 0.3)
    finally:
        ws.close()
    assert texts(mc, org.app.agentid, chatid) == ["c 还在"]
    assert mc.last_seq() == 1
    # Added back, c gets what comes next (not what it missed).
    update_ok(org.app, chatid, add_user_list=[c])
    text_ok(org.app, chatid, "c 回来了")
    assert texts(mc, org.app.agentid, chatid) == ["c 回来了", "c 还在"]


def test_disabled_members_do_not_receive_chat_messages(org):
    a, b, c = org.new_members(3)
    chatid = create_ok(org.app, [a, b, c])
    disable(org.contacts, c)
    text_ok(org.app, chatid, "c 被禁用")
    for u in (a, b):
        assert texts(org.member(u), org.app.agentid, chatid) == ["c 被禁用"], u
    # c is still listed; enabled again, c has nothing from while it was disabled.
    assert c in info(org.app, chatid)["userlist"]
    org.contacts.user_update_ok(userid=c, enable=1)
    assert_nothing_stored(org.member(c))
    text_ok(org.app, chatid, "c 恢复了")
    assert texts(org.member(c), org.app.agentid, chatid) == ["c 恢复了"]


def test_no_member_able_to_receive_is_81013_and_nothing_stored(org):
    a, b = org.new_members(2)
    chatid = create_ok(org.app, [a, b])
    disable(org.contacts, a)
    disable(org.contacts, b)
    res = send(org.app, chatid, "text", {"content": "没人收"})
    assert res["errcode"] == 81013, res
    for u in (a, b):
        org.contacts.user_update_ok(userid=u, enable=1)
        assert_nothing_stored(org.member(u))


@pytest.fixture(scope="module")
def many(org) -> list[str]:
    """2001 members (one batch/syncuser job)."""
    return sync_members(org.contacts, 2001)


def test_get_lists_each_member_of_a_large_chat_once(org, many):
    chatid = create_ok(org.app, many[:500])
    ci = info(org.app, chatid, unique=False)
    assert sorted(ci["userlist"]) == sorted(many[:500]), \
        [u for u in set(ci["userlist"]) if ci["userlist"].count(u) > 1]


def test_a_chat_of_2000_members(org, many):
    members = many
    chatid = create_ok(org.app, members[:2000], name="两千人")
    # each member listed once: test_get_lists_each_member_of_a_large_chat_once
    ci = info(org.app, chatid, unique=False)
    assert set(ci["userlist"]) == set(members[:2000]) and ci["owner"] == members[0], len(ci)
    res = create(org.app, members)
    assert res["errcode"] == 40058, res
    # one more member than 2000 through update is refused too
    res = update(org.app, chatid, add_user_list=[members[2000]])
    assert res["errcode"] == 40058, res
    text_ok(org.app, chatid, "两千人的群")
    for u in (members[0], members[1999]):
        assert texts(org.member(u), org.app.agentid, chatid) == ["两千人的群"], u
    assert_nothing_stored(org.member(members[2000]))


# --- errors ------------------------------------------------------------------------------------

def test_the_contacts_token_is_48002(org):
    a, b = org.new_members(2)
    chatid = create_ok(org.app, [a, b])
    c = org.contacts
    assert c.post("appchat/create", {"userlist": [a, b]})["errcode"] == 48002
    assert c.get("appchat/get", {"chatid": chatid})["errcode"] == 48002
    assert c.post("appchat/update", {"chatid": chatid, "name": "x"})["errcode"] == 48002
    res = c.post("appchat/send", {"chatid": chatid, "msgtype": "text",
                                  "text": {"content": "通讯录"}})
    assert res["errcode"] == 48002, res
    for u in (a, b):
        assert_nothing_stored(org.member(u))


def test_unknown_chatid_is_86001(org):
    a = org.new_member()
    ghost = "NoSuchChat" + uuid.uuid4().hex[:8]
    assert get(org.app, ghost)["errcode"] == 86001
    assert update(org.app, ghost, name="x")["errcode"] == 86001
    assert send(org.app, ghost, "text", {"content": "x"})["errcode"] == 86001
    assert_nothing_stored(org.member(a))


def test_another_apps_chat_is_86001(org):
    a, b = org.new_members(2)
    mine, theirs = org.apps
    chatid = create_ok(mine, [a, b], name="我的群")
    before = info(mine, chatid)
    assert get(theirs, chatid)["errcode"] == 86001
    assert update(theirs, chatid, name="抢走", add_user_list=[a])["errcode"] == 86001
    assert send(theirs, chatid, "text", {"content": "别人的群"})["errcode"] == 86001
    assert info(mine, chatid) == before
    for u in (a, b):
        assert_nothing_stored(org.member(u))
    # A chatid is the organisation's: the other app cannot take it either.
    assert create(theirs, [a, b], chatid=chatid)["errcode"] == 40058


@pytest.mark.parametrize("chatid", ["has-dash", "with space", "下划线", "under_score",
                                    "a" * 33, "点.号"])
def test_malformed_chatid_is_40058(org, chatid):
    a, b = org.new_members(2)
    res = create(org.app, [a, b], chatid=chatid)
    assert res["errcode"] == 40058, res


def test_taken_chatid_is_40058(org):
    a, b, c = org.new_members(3)
    chatid = create_ok(org.app, [a, b], name="先到", chatid=new_chatid())
    res = create(org.app, [b, c], name="后到", chatid=chatid)
    assert res["errcode"] == 40058, res
    ci = info(org.app, chatid)
    assert ci["name"] == "先到" and sorted(ci["userlist"]) == sorted([a, b]), ci


def test_member_counts_and_owner_are_checked(org):
    a, b, c = org.new_members(3)
    assert create(org.app, [a])["errcode"] == 40058
    assert create(org.app, [])["errcode"] == 40058
    res = org.app.post("appchat/create", {"name": "没有成员"})
    assert res["errcode"] == 40058, res
    # the same member twice is one member
    assert create(org.app, [a, a])["errcode"] == 40058
    assert create(org.app, [a, b], owner=c)["errcode"] == 40058
    # 2001 userids (one real)
    res = create(org.app, [a] + [f"nobody{i}x{uuid.uuid4().hex[:4]}" for i in range(2000)])
    assert res["errcode"] == 40058, res


def test_unknown_userid_is_40031_named_in_errmsg(org):
    a, b = org.new_members(2)
    ghost = f"Ghost{uuid.uuid4().hex[:6]}"
    res = create(org.app, [a, ghost, b])
    assert res["errcode"] == 40031, res
    assert ghost.lower() in res["errmsg"].lower(), res
    assert a not in res["errmsg"], res


def test_disabled_or_departed_userid_is_40031(org):
    a, b, off, gone = org.new_members(4)
    disable(org.contacts, off)
    assert org.contacts.user_delete(gone)["errcode"] == 0
    for bad in (off, gone):
        res = create(org.app, [a, b, bad])
        assert res["errcode"] == 40031, res
        assert bad.lower() in res["errmsg"].lower(), res


def test_body_not_a_json_object_is_47001(org):
    for path in ("appchat/create", "appchat/update", "appchat/send"):
        for raw in (b"not json", b"[1, 2]", b""):
            res = org.app.post_raw(path, raw)
            assert res["errcode"] == 47001, (path, raw, res)


def _bad_sends(media: dict) -> list:
    """(id, msgtype, the type's object, extra body fields, errcode)."""
    return [
        ("miniprogram_notice", "miniprogram_notice", {
            "appid": "wx123123123123123", "page": "pages/index", "title": "会议室预订成功",
            "description": "4月27日 16:16", "content_item": [{"key": "会议室", "value": "402"}]},
         {}, 40008),
        ("template_card", "template_card", {
            "card_type": "text_notice", "main_title": {"title": "卡片"},
            "card_action": {"type": 1, "url": "https://example.com"}}, {}, 40008),
        ("taskcard", "taskcard", {
            "title": "审批", "description": "请审批", "url": "https://example.com",
            "task_id": f"task{uuid.uuid4().hex[:8]}", "btn": [{"key": "ok", "name": "同意"}]},
         {}, 40008),
        ("unknown msgtype", "fax", {"content": "x"}, {}, 40008),
        ("empty text", "text", {"content": ""}, {}, 44004),
        ("empty markdown", "markdown", {"content": ""}, {}, 44004),
        ("text of 2049 bytes", "text", {"content": "中" * 683}, {}, 45002),
        ("unknown image media_id", "image", {"media_id": "no-such-media-id"}, {}, 40007),
        ("unknown voice media_id", "voice", {"media_id": "no-such-media-id"}, {}, 40007),
        ("unknown video media_id", "video", {"media_id": "no-such-media-id"}, {}, 40007),
        ("unknown file media_id", "file", {"media_id": "no-such-media-id"}, {}, 40007),
        ("image naming a file", "image", {"media_id": media["file"]}, {}, 40007),
        ("image without media_id", "image", {}, {}, 41006),
        ("textcard without title", "textcard",
         {"description": "d", "url": "https://example.com"}, {}, 41016),
        ("news with safe 1", "news",
         {"articles": [{"title": "t", "url": "https://example.com"}]}, {"safe": 1}, 40074),
        ("news without articles", "news", {"articles": []}, {}, 40058),
    ]


BAD_IDS = [c[0] for c in _bad_sends({"file": "x"})]


@pytest.mark.parametrize("case", BAD_IDS)
def test_bad_send_is_refused_and_nothing_stored(org, media, case):
    [(_, msgtype, content, extra, code)] = [c for c in _bad_sends(media) if c[0] == case]
    a, b = org.new_members(2)
    chatid = create_ok(org.app, [a, b])
    res = send(org.app, chatid, msgtype, content, **extra)
    assert res["errcode"] == code, res
    for u in (a, b):
        assert_nothing_stored(org.member(u))


def test_send_without_msgtype_or_chatid_is_refused(org):
    a, b = org.new_members(2)
    chatid = create_ok(org.app, [a, b])
    res = org.app.post("appchat/send", {"chatid": chatid, "text": {"content": "x"}})
    assert res["errcode"] == 40008, res
    res = org.app.post("appchat/send", {"msgtype": "text", "text": {"content": "x"}})
    assert res["errcode"] != 0, res
    for u in (a, b):
        assert_nothing_stored(org.member(u))
