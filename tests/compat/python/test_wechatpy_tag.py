"""wechatpy 1.8.18 against corphub: the tag API through the SDK's own helpers.

wechatpy 1.8.18's `client.tag` has create(name) (no tagid), update, delete, get_users
(tag/get, the whole answer), add_users / delete_users (a `userlist` only, the whole answer:
a partial success carries `invalidlist` as one "u1|u2" string) and list (the `taglist` array).
It cannot send a `tagid` to tag/create nor a `partylist` to add/deltagusers; an integration
posts those through the client's generic `post`, as done here.
"""
from __future__ import annotations

import itertools

import pytest
from wechatpy.exceptions import WeChatClientException

_n = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}-{next(_n)}"


@pytest.fixture(scope="module")
def client(corp):
    c = corp.client()
    assert c.access_token
    return c


def errcode_of(call, *args, **kwargs) -> int:
    with pytest.raises(WeChatClientException) as e:
        call(*args, **kwargs)
    assert e.value.response.status_code == 200
    return e.value.errcode


def new_dept(client, parent=1) -> int:
    return client.department.create(unique("标签部门"), parent_id=parent)["id"]


def new_member(client, department, name=None) -> str:
    uid = unique("tu")
    res = client.user.create(uid, name or "成员" + uid, department=[department],
                             mobile=f"137{next(_n):08d}")
    assert res["errcode"] == 0, res
    return uid


def new_tag(client, prefix="标签") -> int:
    res = client.tag.create(unique(prefix))
    assert res["errcode"] == 0, res
    return res["tagid"]


def tag_users(client, tag_id) -> list:
    return sorted(u["userid"] for u in client.tag.get_users(tag_id)["userlist"])


def missing_dept(client) -> int:
    return max(d["id"] for d in client.department.get()) + 1000


@pytest.fixture(scope="module")
def home(client) -> int:
    return new_dept(client)


def test_a_tag_script(client, home):
    tag = client.tag
    d1, d2 = new_dept(client), new_dept(client)
    alice = new_member(client, home, "爱丽丝")
    bob = new_member(client, home, "鲍勃")
    carol = new_member(client, d1, "卡罗尔")

    # create: the answer carries a numeric tagid
    name = unique("教师")
    res = tag.create(name)
    assert res["errcode"] == 0 and res["errmsg"] == "created", res
    tag_id = res["tagid"]
    assert type(tag_id) is int and tag_id > 0
    assert {"tagid": tag_id, "tagname": name} in tag.list()

    # update the name
    renamed = unique("在编教师")
    res = tag.update(tag_id, renamed)
    assert res["errcode"] == 0 and res["errmsg"] == "updated", res
    got = tag.get_users(tag_id)
    assert got["errcode"] == 0
    assert got["tagname"] == renamed and got["userlist"] == [] and got["partylist"] == []

    # add users: the unknown ones come back as one "|"-joined string
    ghost1, ghost2 = unique("ghost"), unique("ghost")
    res = tag.add_users(tag_id, [alice, ghost1, bob, ghost2])
    assert res["errcode"] == 0, res
    assert isinstance(res["invalidlist"], str), res
    assert sorted(res["invalidlist"].split("|")) == sorted([ghost1, ghost2]), res
    assert "invalidparty" not in res, res
    got = tag.get_users(tag_id)
    assert sorted(got["userlist"], key=lambda u: u["userid"]) == sorted(
        [{"userid": alice, "name": "爱丽丝"}, {"userid": bob, "name": "鲍勃"}],
        key=lambda u: u["userid"])

    # departments: tag/addtagusers with a partylist, which the SDK helper cannot send
    gone = missing_dept(client)
    res = client.post("tag/addtagusers",
                      data={"tagid": tag_id, "userlist": [carol], "partylist": [d1, gone, d2]})
    assert res["errcode"] == 0, res
    assert res["invalidparty"] == [gone], res
    assert all(type(p) is int for p in res["invalidparty"])
    assert "invalidlist" not in res, res
    got = tag.get_users(tag_id)
    assert sorted(got["partylist"]) == sorted([d1, d2])
    assert all(type(p) is int for p in got["partylist"])
    assert tag_users(client, tag_id) == sorted([alice, bob, carol])

    # adding one already tagged is no error, and reports nothing invalid
    res = tag.add_users(tag_id, [alice])
    assert res["errcode"] == 0 and "invalidlist" not in res, res
    assert tag_users(client, tag_id) == sorted([alice, bob, carol])

    # delete users: unknown and untagged ones are reported invalid
    dave = new_member(client, home, "戴夫")
    res = tag.delete_users(tag_id, [bob, dave, ghost1])
    assert res["errcode"] == 0, res
    assert sorted(res["invalidlist"].split("|")) == sorted([dave, ghost1]), res
    assert tag_users(client, tag_id) == sorted([alice, carol])
    res = client.post("tag/deltagusers", data={"tagid": tag_id, "partylist": [d1, gone]})
    assert res["errcode"] == 0 and res["invalidparty"] == [gone], res
    assert client.tag.get_users(tag_id)["partylist"] == [d2]

    # list: by tagid, numbers as numbers
    listed = tag.list()
    assert [t["tagid"] for t in listed] == sorted(t["tagid"] for t in listed)
    assert all(type(t["tagid"]) is int for t in listed)
    assert {"tagid": tag_id, "tagname": renamed} in listed

    # deleting a member untags it
    client.user.delete(alice)
    assert tag_users(client, tag_id) == [carol]

    # delete the tag
    res = tag.delete(tag_id)
    assert res["errcode"] == 0 and res["errmsg"] == "deleted", res
    assert tag_id not in [t["tagid"] for t in tag.list()]
    assert errcode_of(tag.get_users, tag_id) == 40068
    assert errcode_of(tag.delete, tag_id) == 40068
    # its name is free again (the id may be reused: tag/create takes the next free one)
    again = tag.create(renamed)
    assert again["errcode"] == 0 and {"tagid": again["tagid"], "tagname": renamed} in tag.list()
    assert tag.get_users(again["tagid"])["userlist"] == []


def test_duplicate_tag_name_is_40071(client):
    name = unique("重名")
    first = client.tag.create(name)["tagid"]
    assert errcode_of(client.tag.create, name) == 40071
    other = new_tag(client)
    assert errcode_of(client.tag.update, other, name) == 40071
    names = {t["tagid"]: t["tagname"] for t in client.tag.list()}
    assert names[first] == name and names[other] != name
    assert [t["tagname"] for t in client.tag.list()].count(name) == 1


def test_tag_name_length_is_40072(client):
    assert errcode_of(client.tag.create, "") == 40072
    assert errcode_of(client.tag.create, "签" * 33) == 40072
    tag_id = client.tag.create("签" * 31 + str(next(_n) % 10))["tagid"]
    assert errcode_of(client.tag.update, tag_id, "") == 40072
    assert errcode_of(client.tag.update, tag_id, "x" * 33) == 40072


def test_all_invalid_is_40070(client, home):
    tag_id = new_tag(client)
    member = new_member(client, home)
    assert errcode_of(client.tag.add_users, tag_id, [unique("ghost")]) == 40070
    assert errcode_of(client.post, "tag/addtagusers",
                      data={"tagid": tag_id, "partylist": [missing_dept(client)]}) == 40070
    assert client.tag.get_users(tag_id)["userlist"] == []
    # nobody tagged: deleting only untagged or unknown targets is all invalid too
    assert errcode_of(client.tag.delete_users, tag_id, [member, unique("ghost")]) == 40070


def test_caps_and_empty_lists(client, home):
    tag_id = new_tag(client)
    member = new_member(client, home)
    too_many = [member] + [unique("g") for _ in range(1000)]
    assert errcode_of(client.tag.add_users, tag_id, too_many) == 40031
    assert errcode_of(client.post, "tag/addtagusers",
                      data={"tagid": tag_id, "partylist": list(range(2, 103))}) == 40066
    assert errcode_of(client.tag.add_users, tag_id, []) == 40058
    assert errcode_of(client.tag.delete_users, tag_id, []) == 40058
    assert client.tag.get_users(tag_id)["userlist"] == []


def test_tag_create_with_tagid(client):
    # tag/create with a tagid: the SDK helper sends only the name
    taken = max([t["tagid"] for t in client.tag.list()] + [0]) + 50
    name = unique("指定")
    res = client.post("tag/create", data={"tagname": name, "tagid": taken})
    assert res["errcode"] == 0 and res["tagid"] == taken, res
    assert errcode_of(client.post, "tag/create",
                      data={"tagname": unique("x"), "tagid": taken}) == 40068
    for bad in (0, -1):
        assert errcode_of(client.post, "tag/create",
                          data={"tagname": unique("x"), "tagid": bad}) == 40068
    # without one: a new id
    auto = new_tag(client)
    assert auto > 0 and auto not in (taken,)
    assert len({t["tagid"] for t in client.tag.list()}) == len(client.tag.list())


def test_unknown_tag_is_40068(client, home):
    missing = max([t["tagid"] for t in client.tag.list()] + [0]) + 1000
    member = new_member(client, home)
    assert errcode_of(client.tag.update, missing, unique("x")) == 40068
    assert errcode_of(client.tag.delete, missing) == 40068
    assert errcode_of(client.tag.get_users, missing) == 40068
    assert errcode_of(client.tag.add_users, missing, [member]) == 40068
    assert errcode_of(client.tag.delete_users, missing, [member]) == 40068


def test_string_tagid_and_userid_case(client, home):
    tag_id = new_tag(client)
    member = new_member(client, home)
    # integrations often hold tag ids as strings; corphub takes numbers as strings
    assert client.tag.update(str(tag_id), unique("字符串"))["errcode"] == 0
    res = client.tag.add_users(str(tag_id), [member.upper()])
    assert res["errcode"] == 0 and "invalidlist" not in res, res
    assert tag_users(client, str(tag_id)) == [member]  # the spelling it was created with
    assert client.tag.delete_users(tag_id, [member.upper()])["errcode"] == 0
    assert tag_users(client, tag_id) == []
