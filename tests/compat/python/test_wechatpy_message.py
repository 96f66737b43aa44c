"""wechatpy 1.8.18 against corphub: sending app messages and media through the SDK's own calls.

The app comes from `corphub app create --json`; the client holds the app's secret, so its token
sends as that app. Every message sent is then looked up in the recipient's inbox through the
member API (`/api/v1/conversations/{agentid}/messages`, signed in with the testing route).

wechatpy 1.8.18's `client.message` has send (the generic call: touser/toparty/totag always
sent, `|`-joined when given as lists, plus the caller's msg dict), send_text, send_image,
send_voice, send_video (title and description dropped when None), send_file, send_text_card
(btntxt "详情" unless given), send_articles (news; each article needs title, description, url
and `image`, sent as picurl), send_mp_articles (mpnews; every field required) and
send_markdown. It has no helper for miniprogram_notice or template_card (sent here through
`send` with the msg dict) and none for message/recall, which an integration posts through the
client's generic `post`, as done here. `client.media` has upload (multipart field `media`) and
download (a plain GET of `get_url`, whose WeCom host `CorphubMedia` replaces); upload_img
(media/uploadimg) exists too.
"""
from __future__ import annotations

import itertools
import time
import urllib.parse

import pytest

from wechatpy.exceptions import WeChatClientException

from corphub_wechatpy import assert_has, raised

_n = itertools.count(1)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))
AMR = b"#!AMR\n" + bytes(range(64))
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00\x00\x00\x00mp42isom" + bytes(range(64))
TEXT_FILE = "季度报告 Q3\n".encode("utf-8") + bytes(range(32))

SEND_FIELDS = ("invaliduser", "invalidparty", "invalidtag", "unlicenseduser")


def unique(prefix: str) -> str:
    return f"{prefix}-{next(_n)}"





def assert_sent(res: dict, **invalid) -> str:
    """A successful message/send answer as WeCom gives it; returns the msgid."""
    assert res["errcode"] == 0 and res["errmsg"] == "ok", res
    for key in SEND_FIELDS:
        assert type(res.get(key)) is str, f"{key} is not a string in {res}"
        assert res[key] == invalid.get(key, ""), res
    assert type(res.get("msgid")) is str and res["msgid"], res
    return res["msgid"]





# --- the organisation: members, departments, a tag, the app --------------------------------

@pytest.fixture(scope="module")
def app(messaging_corp):
    return messaging_corp.create_app("OA 通知")


class Org:
    """dept ⊃ sub: alice in dept, bob in sub; carol in other, tagged; dave disabled in dept."""


@pytest.fixture(scope="module")
def org(contacts) -> Org:
    o = Org()
    o.dept = contacts.department.create(unique("消息部门"), parent_id=1)["id"]
    o.sub = contacts.department.create(unique("消息子部门"), parent_id=o.dept)["id"]
    o.other = contacts.department.create(unique("其他部门"), parent_id=1)["id"]

    def member(prefix, dept, **kw):
        uid = unique(prefix)
        res = contacts.user.create(uid, "成员" + uid, department=[dept],
                                   mobile=f"136{next(_n):08d}", **kw)
        assert res["errcode"] == 0, res
        return uid

    o.alice = member("alice", o.dept)
    o.bob = member("bob", o.sub)
    o.carol = member("carol", o.other)
    o.dave = member("dave", o.dept, enable=0)
    o.tag = contacts.tag.create(unique("通知组"))["tagid"]
    res = contacts.tag.add_users(o.tag, [o.carol])
    assert res["errcode"] == 0, res
    return o


@pytest.fixture(scope="module")
def inbox(messaging_corp, org):
    """inbox[userid]: that member's session on the member API (opened on first use)."""
    class Inboxes(dict):
        def __missing__(self, userid):
            self[userid] = messaging_corp.member_session(userid)
            return self[userid]
    return Inboxes()


# --- media ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def uploads(client, tmp_path_factory):
    """One upload of each type through client.media.upload with real files: type -> answer."""
    d = tmp_path_factory.mktemp("media")
    files = {"image": ("logo.png", PNG), "voice": ("memo.amr", AMR),
             "video": ("clip.mp4", MP4), "file": ("季度报告.txt", TEXT_FILE)}
    out = {}
    for type_, (name, data) in files.items():
        path = d / name
        path.write_bytes(data)
        with open(path, "rb") as f:
            out[type_] = client.media.upload(type_, f)
        out[type_]["_name"], out[type_]["_data"] = name, data
    return out


def test_media_upload_answers(uploads):
    now = int(time.time())
    for type_, res in uploads.items():
        assert res["errcode"] == 0, res
        assert res["type"] == type_, res
        assert type(res["media_id"]) is str and res["media_id"], res
        # created_at is a string of unix seconds, as on WeCom
        assert type(res["created_at"]) is str and res["created_at"].isdigit(), res
        assert abs(int(res["created_at"]) - now) < 300, res


def test_media_download(client, uploads):
    for type_, res in uploads.items():
        r = client.media.download(res["media_id"])
        assert r.status_code == 200, (type_, r.status_code, r.text)
        assert r.content == res["_data"], type_
        disp = r.headers.get("Content-Disposition", "")
        assert disp.startswith("attachment"), disp
        assert "filename*=UTF-8''" + urllib.parse.quote(res["_name"]) in disp, disp
    # an unknown media_id: a JSON error, which download hands back as the response
    r = client.media.download("no-such-media-id")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    assert r.json()["errcode"] == 40007, r.text


def test_media_upload_img(client, tmp_path):
    path = tmp_path / "body.png"
    path.write_bytes(PNG)
    with open(path, "rb") as f:
        try:
            res = client.media.upload_img(f)
        except WeChatClientException as e:
            if e.errcode == 48005:
                pytest.skip("media/uploadimg is not served yet (48005, docs/wecom-api.md)")
            raise
    assert res["errcode"] == 0 and res["url"].startswith("http"), res


# --- every message type -------------------------------------------------------------------------

TEXT = "明天下午三点开会\n<a href=\"https://e.example\">议程</a>"
CARD_DESC = "<div class=\"gray\">2016年9月26日</div>"
MARKDOWN = "**会议**\n> 时间：<font color=\"info\">15:00</font>"


def _mpnews_article(thumb):
    return {"thumb_media_id": thumb, "author": "教务处", "title": "开学通知",
            "content": "<p>9 月 1 日<b>开学</b></p>",
            "content_source_url": "https://e.example/n", "digest": "开学安排", "show_cover_pic": 1}


TEMPLATE_TEXT_NOTICE = {
    "card_type": "text_notice",
    "source": {"icon_url": "https://e.example/i.png", "desc": "教务系统", "desc_color": 0},
    "main_title": {"title": "成绩已发布", "desc": "2024 春季学期"},
    "emphasis_content": {"title": "92", "desc": "总评"},
    "sub_title_text": "点击查看明细",
    "horizontal_content_list": [{"keyname": "课程", "value": "高等数学"}],
    "jump_list": [{"type": 1, "title": "成绩单", "url": "https://e.example/s"}],
    "card_action": {"type": 1, "url": "https://e.example/s"},
}

TEMPLATE_BUTTON = {
    "card_type": "button_interaction",
    "main_title": {"title": "请假审批", "desc": "张三 3 天"},
    "task_id": "leave-approval-1",
    "button_list": [{"text": "同意", "style": 1, "key": "approve"},
                    {"text": "驳回", "style": 2, "key": "reject"}],
}

TEMPLATE_NEWS = {
    "card_type": "news_notice",
    "source": {"icon_url": "https://e.example/i.png", "desc": "校园新闻"},
    "main_title": {"title": "运动会开幕", "desc": "10 月 8 日"},
    "card_image": {"url": "https://e.example/c.jpg", "aspect_ratio": 1.3},
    "vertical_content_list": [{"title": "地点", "desc": "东操场"}],
    "card_action": {"type": 1, "url": "https://e.example/news"},
}

TEMPLATE_VOTE = {
    "card_type": "vote_interaction",
    "main_title": {"title": "午餐投票"},
    "task_id": "lunch-vote-1",
    "checkbox": {"question_key": "lunch", "mode": 1,
                 "option_list": [{"id": "a", "text": "面", "is_checked": True},
                                 {"id": "b", "text": "饭"}]},
    "submit_button": {"text": "提交", "key": "submit"},
}

TEMPLATE_MULTIPLE = {
    "card_type": "multiple_interaction",
    "main_title": {"title": "排班"},
    "task_id": "shift-1",
    "select_list": [{"question_key": "day", "title": "日期", "selected_id": "mon",
                     "option_list": [{"id": "mon", "text": "周一"},
                                     {"id": "tue", "text": "周二"}]}],
    "submit_button": {"text": "提交", "key": "submit"},
}

MINIPROGRAM = {"appid": "wx123456789abcdef0", "page": "pages/room?id=402", "title": "会议室预订",
               "description": "4月27日 16:16", "emphasis_first_item": True,
               "content_item": [{"key": "会议室", "value": "402"},
                                {"key": "时间", "value": "16:00-17:00"}]}

# (id, send(client, agentid, userid, media answers) -> answer, msgtype, expected content)
CASES = [
    ("text", lambda c, a, u, m: c.message.send_text(a, u, TEXT),
     "text", lambda m: {"content": TEXT}),
    ("image", lambda c, a, u, m: c.message.send_image(a, u, m["image"]["media_id"]),
     "image", lambda m: {"media_id": m["image"]["media_id"]}),
    ("voice", lambda c, a, u, m: c.message.send_voice(a, u, m["voice"]["media_id"]),
     "voice", lambda m: {"media_id": m["voice"]["media_id"]}),
    ("video", lambda c, a, u, m: c.message.send_video(a, u, m["video"]["media_id"],
                                                      title="实验演示", description="第三章"),
     "video", lambda m: {"media_id": m["video"]["media_id"], "title": "实验演示",
                         "description": "第三章"}),
    ("video-bare", lambda c, a, u, m: c.message.send_video(a, u, m["video"]["media_id"]),
     "video", lambda m: {"media_id": m["video"]["media_id"]}),
    ("file", lambda c, a, u, m: c.message.send_file(a, u, m["file"]["media_id"]),
     "file", lambda m: {"media_id": m["file"]["media_id"]}),
    ("textcard", lambda c, a, u, m: c.message.send_text_card(
        a, u, "领奖通知", CARD_DESC, "https://e.example/prize"),
     "textcard", lambda m: {"title": "领奖通知", "description": CARD_DESC,
                            "url": "https://e.example/prize", "btntxt": "详情"}),
    ("news", lambda c, a, u, m: c.message.send_articles(a, u, [
        {"title": "中秋节礼品领取", "description": "今年中秋节公司有豪礼相送",
         "url": "https://e.example/gift", "image": "https://e.example/gift.png"},
        {"title": "第二篇", "description": "", "url": "https://e.example/2", "image": ""}]),
     "news", lambda m: {"articles": [
         {"title": "中秋节礼品领取", "description": "今年中秋节公司有豪礼相送",
          "url": "https://e.example/gift", "picurl": "https://e.example/gift.png"},
         {"title": "第二篇", "url": "https://e.example/2"}]}),
    ("mpnews", lambda c, a, u, m: c.message.send_mp_articles(
        a, u, [_mpnews_article(m["image"]["media_id"])]),
     "mpnews", lambda m: {"articles": [_mpnews_article(m["image"]["media_id"])]}),
    ("markdown", lambda c, a, u, m: c.message.send_markdown(a, u, MARKDOWN),
     "markdown", lambda m: {"content": MARKDOWN}),
    ("miniprogram_notice", lambda c, a, u, m: c.message.send(
        a, u, msg={"msgtype": "miniprogram_notice", "miniprogram_notice": MINIPROGRAM}),
     "miniprogram_notice", lambda m: MINIPROGRAM),
    ("template_card-text_notice", lambda c, a, u, m: c.message.send(
        a, u, msg={"msgtype": "template_card", "template_card": TEMPLATE_TEXT_NOTICE}),
     "template_card", lambda m: TEMPLATE_TEXT_NOTICE),
    ("template_card-button", lambda c, a, u, m: c.message.send(
        a, u, msg={"msgtype": "template_card", "template_card": TEMPLATE_BUTTON}),
     "template_card", lambda m: TEMPLATE_BUTTON),
    ("template_card-news_notice", lambda c, a, u, m: c.message.send(
        a, u, msg={"msgtype": "template_card", "template_card": TEMPLATE_NEWS}),
     "template_card", lambda m: TEMPLATE_NEWS),
    ("template_card-vote", lambda c, a, u, m: c.message.send(
        a, u, msg={"msgtype": "template_card", "template_card": TEMPLATE_VOTE}),
     "template_card", lambda m: TEMPLATE_VOTE),
    ("template_card-multiple", lambda c, a, u, m: c.message.send(
        a, u, msg={"msgtype": "template_card", "template_card": TEMPLATE_MULTIPLE}),
     "template_card", lambda m: TEMPLATE_MULTIPLE),
]

INTERACTIVE_CARDS = ("button_interaction", "vote_interaction", "multiple_interaction")


@pytest.mark.parametrize("send,msgtype,expected", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_send_each_type_reaches_the_inbox(client, app, org, inbox, uploads, send, msgtype,
                                          expected):
    res = send(client, app.agentid, org.alice, uploads)
    msgid = assert_sent(res)
    if msgtype == "template_card" and expected(uploads)["card_type"] in INTERACTIVE_CARDS:
        # button, vote and multiple interaction cards answer a response_code (a string)
        assert type(res.get("response_code")) is str and res["response_code"], res
    else:
        assert "response_code" not in res, res
    msg = inbox[org.alice].message(app.agentid, msgid)
    assert msg is not None, f"{msgtype} {msgid} is not in {org.alice}'s inbox"
    assert msg["msgtype"] == msgtype and msg["agentid"] == app.agentid, msg
    assert msg["recalled"] is False and msg["read_at"] is None, msg
    assert msg["safe"] == 0, msg
    assert_has(msg["content"], expected(uploads))


def test_send_text_safe(client, app, org, inbox):
    msgid = assert_sent(client.message.send_text(app.agentid, org.alice, "保密", safe=1))
    msg = inbox[org.alice].message(app.agentid, msgid)
    assert msg is not None and msg["safe"] == 1, msg


def test_agentid_as_a_string(client, app, org, inbox):
    # integrations often keep the agentid as configuration text
    msgid = assert_sent(client.message.send_text(str(app.agentid), org.alice, "字符串 agentid"))
    assert inbox[org.alice].message(app.agentid, msgid) is not None


def test_duplicate_check(client, app, org, inbox):
    msg = {"msgtype": "text", "text": {"content": unique("只发一次")},
           "enable_duplicate_check": 1, "duplicate_check_interval": 600}
    first = assert_sent(client.message.send(app.agentid, org.alice, msg=msg))
    again = assert_sent(client.message.send(app.agentid, org.alice, msg=msg))
    assert again == first
    found = [m for m in inbox[org.alice].messages(app.agentid)
             if m["content"] == {"content": msg["text"]["content"]}]
    assert [m["msgid"] for m in found] == [first], found


# --- recipients ---------------------------------------------------------------------------------

def in_inbox(inbox, app, userid, msgid) -> bool:
    return inbox[userid].message(app.agentid, msgid) is not None


def test_recipients_by_user_list_party_and_tag(client, app, org, inbox):
    def reached(msgid):
        return {u for u in (org.alice, org.bob, org.carol) if in_inbox(inbox, app, u, msgid)}

    # a list of userids (joined with |), in another case than they were created in
    msgid = assert_sent(client.message.send_text(app.agentid, [org.alice.upper(), org.carol],
                                                 "两个人"))
    assert reached(msgid) == {org.alice, org.carol}
    # a department reaches its subtree; the disabled member there is skipped silently
    msgid = assert_sent(client.message.send_text(app.agentid, "", "部门",
                                                 party_ids=str(org.dept)))
    assert reached(msgid) == {org.alice, org.bob}
    # a tag
    msgid = assert_sent(client.message.send_text(app.agentid, "", "标签", tag_ids=[str(org.tag)]))
    assert reached(msgid) == {org.carol}
    # all three at once; a member reached twice gets the message once (message() checks)
    msgid = assert_sent(client.message.send(
        app.agentid, org.bob, party_ids=[str(org.sub)], tag_ids=str(org.tag),
        msg={"msgtype": "text", "text": {"content": "三种"}}))
    assert reached(msgid) == {org.bob, org.carol}


def test_partly_invalid_recipients_are_reported(client, app, org, inbox):
    ghost = unique("Ghost")
    missing_dept = org.other + 10000
    missing_tag = org.tag + 10000
    res = client.message.send(app.agentid, [org.alice, ghost, org.dave],
                              party_ids=[str(org.sub), str(missing_dept)],
                              tag_ids=[str(missing_tag)],
                              msg={"msgtype": "text", "text": {"content": "部分无效"}})
    # unknown and disabled userids come back lowercased, in any order
    invalid_users = set(res.get("invaliduser", "").split("|"))
    assert invalid_users == {ghost.lower(), org.dave.lower()}, res
    msgid = assert_sent(res, invaliduser=res["invaliduser"], invalidparty=str(missing_dept),
                        invalidtag=str(missing_tag))
    assert in_inbox(inbox, app, org.alice, msgid) and in_inbox(inbox, app, org.bob, msgid)
    assert not in_inbox(inbox, app, org.carol, msgid)


def test_send_to_all(client, app, org, inbox):
    msgid = assert_sent(client.message.send_text(app.agentid, "@all", "全员通知",
                                                 party_ids=str(org.other)))
    for u in (org.alice, org.bob, org.carol):
        assert in_inbox(inbox, app, u, msgid), u


# --- errors -------------------------------------------------------------------------------------

def test_unknown_userid_only_is_81013(client, app):
    ghost = unique("nobody")
    e = raised(client.message.send_text, app.agentid, ghost, "没人收")
    assert e.errcode == 81013
    body = e.response.json()
    assert body["invaliduser"] == ghost, body


def test_empty_text_is_44004(client, app, org):
    assert raised(client.message.send_text, app.agentid, org.alice, "").errcode == 44004
    assert raised(client.message.send_markdown, app.agentid, org.alice, "").errcode == 44004


def test_bad_media_id_is_40007(client, app, org, uploads):
    for send in (client.message.send_image, client.message.send_voice,
                 client.message.send_video, client.message.send_file):
        assert raised(send, app.agentid, org.alice, "no-such-media-id").errcode == 40007, send
    # an image message naming a voice upload
    assert raised(client.message.send_image, app.agentid, org.alice,
                  uploads["voice"]["media_id"]).errcode == 40007


def test_app_errors(client, contacts, app, org, inbox, messaging_corp):
    # another agentid than the token's app
    other = messaging_corp.create_app("另一个应用")
    assert raised(client.message.send_text, other.agentid, org.alice, "x").errcode == 301002
    assert raised(client.message.send_text, other.agentid + 1000, org.alice,
                  "x").errcode == 40056
    # the contacts secret's token cannot send
    assert raised(contacts.message.send_text, app.agentid, org.alice, "x").errcode == 48002
    # none of these reached the inbox
    assert inbox[org.alice].messages(other.agentid) == []


# --- recall -------------------------------------------------------------------------------------

def test_recall(client, app, org, inbox):
    msgid = assert_sent(client.message.send_text(app.agentid, [org.alice, org.bob], "撤回我"))
    assert in_inbox(inbox, app, org.bob, msgid)
    # wechatpy 1.8.18 has no recall helper: the generic post, as an integration does
    res = client.post("message/recall", data={"msgid": msgid})
    assert res["errcode"] == 0, res
    for u in (org.alice, org.bob):
        msg = inbox[u].message(app.agentid, msgid)
        assert msg is not None and msg["recalled"] is True and msg["content"] is None, msg
    # a second recall is no error; an unknown msgid is 40058
    assert client.post("message/recall", data={"msgid": msgid})["errcode"] == 0
    assert raised(client.post, "message/recall",
                  data={"msgid": "no-such-msgid"}).errcode == 40058


# --- read statistics ------------------------------------------------------------------------

def test_get_statistics(client, contacts, app, org):
    # wechatpy 1.8.18 has no helper for message/get_statistics: the generic post
    def today() -> int:
        res = client.post("message/get_statistics", data={"time_type": 0})
        assert res["errcode"] == 0, res
        return sum(s["count"] for s in res["statistics"] if s["agentid"] == app.agentid)

    before = today()
    assert_sent(client.message.send_text(app.agentid, [org.alice, org.bob], "统计"))
    assert today() == before + 2
    yesterday = client.post("message/get_statistics", data={"time_type": 1})
    assert yesterday["errcode"] == 0 and isinstance(yesterday["statistics"], list), yesterday
    assert raised(client.post, "message/get_statistics",
                  data={"time_type": 7}).errcode == 40058


def test_get_read_status(client, contacts, app, org, inbox):
    # corphub's own endpoint, in WeCom's shape, through the same generic post
    msgid = assert_sent(client.message.send_text(app.agentid, [org.alice, org.bob], "已读吗"))
    inbox[org.alice].read(app.agentid)
    res = client.post("message/get_read_status", data={"msgid": msgid})
    assert res["errcode"] == 0 and (res["total"], res["read"], res["unread"]) == (2, 1, 1), res
    times = {x["userid"]: x["read_time"] for x in res["list"]}
    assert times[org.alice] > 0 and times[org.bob] == 0, res
    unread = client.post("message/get_read_status", data={"msgid": msgid, "status": 2})
    assert [x["userid"] for x in unread["list"]] == [org.bob], unread
    assert raised(client.post, "message/get_read_status",
                  data={"msgid": "no-such-msgid"}).errcode == 40058
    assert raised(contacts.post, "message/get_read_status",
                  data={"msgid": msgid}).errcode == 48002
