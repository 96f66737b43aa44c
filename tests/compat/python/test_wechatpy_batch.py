"""wechatpy 1.8.18 against corphub: the batch jobs through the SDK's own helpers.

`client.media.upload(media_type, media_file)` posts multipart with the file in `media`;
`client.batch.sync_user / replace_user (url, token, encoding_aes_key, media_id, to_invite)` and
`replace_party (url, token, encoding_aes_key, media_id)` always send a `callback` object;
`client.batch.get_result(job_id)` GETs batch/getresult and returns the whole answer.
"""
from __future__ import annotations

import io
import json
import itertools
import time
import uuid

import pytest
from wechatpy.exceptions import WeChatClientException

_n = itertools.count(1)

HEADER = "姓名,帐号,手机号,邮箱,所在部门,职位,性别,是否部门内领导,排序,别名,地址,座机,禁用"


def uid() -> str:
    return f"w{next(_n)}x{uuid.uuid4().hex[:6]}"


def new_mobile() -> str:
    return f"134{next(_n):08d}"


def unique(prefix: str) -> str:
    return f"{prefix}-{next(_n)}-{uuid.uuid4().hex[:4]}"


@pytest.fixture(scope="module")
def client(corp):
    c = corp.client()
    assert c.access_token
    return c


def upload_csv(client, text: str, encoding: str = "utf-8-sig") -> str:
    f = io.BytesIO(text.encode(encoding))
    f.name = "batch.csv"
    res = client.media.upload("file", f)
    assert res["errcode"] == 0 and res["type"] == "file", res
    assert type(res["created_at"]) is str, res
    return res["media_id"]


def wait(client, jobid: str) -> dict:
    deadline = time.monotonic() + 20
    while True:
        res = client.batch.get_result(jobid)
        assert res["errcode"] == 0, res
        if res["status"] == 3:
            return res
        assert time.monotonic() < deadline, res
        time.sleep(0.1)


def new_dept(client, name=None, parent=1) -> int:
    res = client.department.create(name or unique("部门"), parent_id=parent)
    assert res["errcode"] == 0, res
    return res["id"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_sync_user_through_the_sdk(client, encoding):
    a = new_dept(client)
    top = unique("研发部")
    top_id = new_dept(client, top)
    sub = new_dept(client, "后端组", top_id)
    u1, u2, bad = uid(), uid(), uid()
    m1, m2 = new_mobile(), new_mobile()
    text = "\r\n".join([
        HEADER,
        f"张三,{u1},{m1},{u1}@example.com,{a};{top}/后端组,工程师,男,1;0,10;20,阿三,北京,010-1234,否",
        f"李四,{u2},{m2},,{sub},,女,,,,,,是",
        f"王五,{bad},abc,,{a},,,,,,,,",
        f"重复,{u1},{new_mobile()},,{a},,,,,,,,",
    ]) + "\r\n"
    media_id = upload_csv(client, text, encoding)
    res = client.batch.sync_user("", "", "", media_id, to_invite=False)
    assert res["errcode"] == 0 and res["jobid"], res
    job = wait(client, res["jobid"])
    assert job["type"] == "sync_user" and job["total"] == 4 and job["percentage"] == 100, job
    assert [(r["userid"], r["errcode"]) for r in job["result"]] == \
        [(u1, 0), (u2, 0), (bad, 60103), (u1, 302003)], job
    assert "line 4" in job["result"][2]["errmsg"], job

    m = client.user.get(u1)
    assert m["name"] == "张三" and m["mobile"] == m1 and m["department"] == [a, sub], m
    assert m["is_leader_in_dept"] == [1, 0] and m["order"] == [10, 20], m
    assert m["gender"] == "1" and m["position"] == "工程师" and m["alias"] == "阿三", m
    m = client.user.get(u2)
    assert m["gender"] == "2" and m["enable"] == 0 and m["department"] == [sub], m
    with pytest.raises(WeChatClientException) as e:
        client.user.get(bad)
    assert e.value.errcode == 60111


@pytest.fixture
def own_corp(module_harness, backend, corp):
    """An organisation of its own: replace jobs touch everyone."""
    storage = module_harness.storage(backend)
    r = module_harness.cli("corp", "show", "--json", storage=storage)
    assert r.returncode == 0, r.stderr
    creds = json.loads(r.stdout)
    return type(corp)(module_harness.server(storage), creds["corpid"], creds["contacts_secret"],
                      creds["name"])


def test_replace_user_and_replace_party_through_the_sdk(own_corp):
    corp = own_corp
    client = corp.client()
    d = new_dept(client, "甲")
    gone_dept = new_dept(client, "乙")
    keep = uid()
    assert client.user.create(keep, "保留", department=[d], mobile=new_mobile(),
                              position="旧")["errcode"] == 0
    gone = uid()
    assert client.user.create(gone, "删除", department=[gone_dept],
                              mobile=new_mobile())["errcode"] == 0
    keep_mobile = client.user.get(keep)["mobile"]

    text = f"{HEADER}\r\n保留二,{keep},{keep_mobile},,{d},,,,,,,,\r\n"
    res = client.batch.replace_user("", "", "", upload_csv(client, text), to_invite=False)
    job = wait(client, res["jobid"])
    assert job["type"] == "replace_user" and job["total"] == 1, job
    assert [r["errcode"] for r in job["result"]] == [0], job
    m = client.user.get(keep)
    assert m["name"] == "保留二" and m["position"] == "", m
    with pytest.raises(WeChatClientException) as e:
        client.user.get(gone)
    assert e.value.errcode == 60111

    text = "部门名称,部门ID,父部门ID,排序\r\n" + f"{corp.name},1,0,0\r\n" + \
        f"甲改,{d},1,0\r\n新部门,500,{d},2\r\n"
    res = client.batch.replace_party("", "", "", upload_csv(client, text))
    job = wait(client, res["jobid"])
    assert job["type"] == "replace_party" and job["total"] == 3, job
    actions = {r["partyid"]: r["action"] for r in job["result"]}
    assert all(r["errcode"] == 0 for r in job["result"]), job
    assert actions[500] == 1 and actions[d] & 2, job
    depts = {x["id"]: x for x in client.department.get()}
    assert set(depts) == {1, d, 500}, depts
    assert depts[d]["name"] == "甲改" and depts[500]["parentid"] == d, depts


def test_get_result_unknown_jobid_raises_40058(client):
    with pytest.raises(WeChatClientException) as e:
        client.batch.get_result("no-such-job")
    assert e.value.errcode == 40058


def test_invite_through_client_post(client):
    """batch/invite has no helper in wechatpy 1.8.18: client.post sends it. The invalid
    lists come back as arrays; members already active are left out of the invitation."""
    invited, active = uid(), uid()
    for userid in (invited, active):
        res = client.user.create(userid, "邀请", department=[1], mobile=new_mobile())
        assert res["errcode"] == 0, res
    assert client.user.verify(active)["errcode"] == 0
    res = client.post("batch/invite", data={"user": [invited, active, "nobody-here"],
                                            "party": [987654], "tag": [987654]})
    assert res["errcode"] == 0, res
    assert res["invaliduser"] == ["nobody-here"]
    assert res["invalidparty"] == [987654] and res["invalidtag"] == [987654]
    done = wait(client, res["jobid"])
    assert done["type"] == "invite_user" and done["total"] == 1, done
    with pytest.raises(WeChatClientException) as e:
        client.post("batch/invite", data={"user": [uid() for _ in range(1001)]})
    assert e.value.errcode == 40058


def test_join_qrcode_through_client_get(client):
    """corp/get_join_qrcode has no helper in wechatpy 1.8.18: client.get fetches it. The URL
    is a PNG of the size asked for; size_type outside 1-4 is 40058."""
    import struct

    import requests

    res = client.get("corp/get_join_qrcode", params={"size_type": 3})
    assert res["errcode"] == 0, res
    png = requests.get(res["join_qrcode"], timeout=30).content
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (741, 741)
    with pytest.raises(WeChatClientException) as e:
        client.get("corp/get_join_qrcode", params={"size_type": 7})
    assert e.value.errcode == 40058
