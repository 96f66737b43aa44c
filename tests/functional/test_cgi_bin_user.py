"""/cgi-bin/user/* (members) on SQLite and PostgreSQL, through raw HTTP.

One server per backend serves most of this module; each test puts its members into a department
of its own and uses userids, mobiles and e-mails nobody else uses, so tests do not see each
other's members. Tests that count the whole organisation (list_id, directory.max_members) start
a server of their own.
"""
from __future__ import annotations

import itertools
from types import SimpleNamespace

import pytest

from wecom_api import make_api, payload, unique

_seq = itertools.count(1)

MEMBER_KEYS = {
    "userid", "name", "alias", "mobile", "email", "biz_mail", "department", "order",
    "is_leader_in_dept", "main_department", "position", "gender", "telephone", "address",
    "direct_leader", "extattr", "external_position", "external_profile", "enable", "status",
    "external_id", "avatar", "thumb_avatar", "qr_code", "open_userid",
}
STRING_KEYS = ["userid", "name", "alias", "mobile", "email", "biz_mail", "position", "gender",
               "telephone", "address", "external_position", "external_id", "avatar",
               "thumb_avatar", "qr_code", "open_userid"]
EXTATTR = {"attrs": [
    {"type": 0, "name": "工号", "text": {"value": "A-001"}},
    {"type": 1, "name": "主页", "web": {"url": "https://example.com/me", "title": "me"}},
]}
EXTERNAL_PROFILE = {
    "external_corp_name": "示例大学",
    "wechat_channels": {"nickname": "视频号", "status": 1},
    "external_attr": [{"type": 0, "name": "办公室", "text": {"value": "A-301"}}],
}


def mobile() -> str:
    return f"137{next(_seq):08d}"


def uid(prefix: str = "u") -> str:
    return unique(prefix)


def assert_member_shape(m: dict):
    assert MEMBER_KEYS <= set(m), sorted(MEMBER_KEYS - set(m))
    for key in STRING_KEYS:
        assert type(m[key]) is str, (key, m)
    assert m["gender"] in ("0", "1", "2"), m
    for key in ("main_department", "status", "enable"):
        assert type(m[key]) is int, (key, m)
    for key in ("department", "order", "is_leader_in_dept"):
        assert type(m[key]) is list and all(type(x) is int for x in m[key]), (key, m)
    assert len(m["department"]) == len(m["order"]) == len(m["is_leader_in_dept"]) >= 1, m
    assert set(m["is_leader_in_dept"]) <= {0, 1}, m
    assert m["main_department"] in m["department"], m
    assert type(m["direct_leader"]) is list and all(type(x) is str for x in m["direct_leader"])
    assert type(m["extattr"]) is dict and type(m["extattr"].get("attrs")) is list, m
    assert type(m["external_profile"]) is dict, m
    assert m["status"] in (1, 2, 4, 5) and m["enable"] in (0, 1), m


@pytest.fixture(scope="module")
def api(module_harness, backend):
    return make_api(module_harness, backend)


@pytest.fixture
def fresh(harness, backend):
    """A server of the test's own."""
    return make_api(harness, backend)


@pytest.fixture
def dept(api) -> int:
    """A department under the root for this test only."""
    return api.create_ok(unique("users"))


def openid_of(api, userid) -> str:
    res = api.post("user/convert_to_openid", {"userid": userid})
    assert res["errcode"] == 0, res
    assert type(res["openid"]) is str and res["openid"], res
    return res["openid"]


def tag_with(api, *userids) -> int:
    res = api.post("tag/create", {"tagname": unique("tag")})
    assert res["errcode"] == 0, res
    if userids:
        added = api.post("tag/addtagusers", {"tagid": res["tagid"], "userlist": list(userids)})
        assert added["errcode"] == 0 and "invalidlist" not in added, added
    return res["tagid"]


def tag_userids(api, tagid) -> list:
    res = api.get("tag/get", {"tagid": tagid})
    assert res["errcode"] == 0, res
    return [u["userid"] for u in res["userlist"]]


# --- create and get -------------------------------------------------------------------------

def test_create_then_get_answers_every_field_with_its_type(api, dept):
    other = api.create_ok(unique("second"))
    leader = api.new_member(dept)
    userid = uid("Full")
    body = {
        "userid": userid, "name": "张三 " + userid, "alias": "Sam", "mobile": mobile(),
        "email": f"{userid}@personal.example", "biz_mail": f"{userid}@corp.example",
        "department": [dept, other], "order": [5, 4294967295], "is_leader_in_dept": [1, 0],
        "main_department": other, "position": "工程师", "gender": 2,
        "telephone": "+86 (010) 1234-5678", "address": "北京市海淀区", "direct_leader": [leader],
        "extattr": EXTATTR, "external_position": "高级工程师", "external_profile": EXTERNAL_PROFILE,
        "enable": 1, "external_id": "im-" + userid,
    }
    res = api.user_create(**body)
    assert res["errcode"] == 0 and res["errmsg"] == "created", res
    got = api.user_get(userid)
    assert got["errcode"] == 0 and got["errmsg"] == "ok", got
    m = payload(got)
    assert_member_shape(m)
    expected = {**body, "gender": "2", "status": 4, "avatar": "", "thumb_avatar": "",
                "qr_code": "", "open_userid": ""}
    assert m == {**m, **expected}
    # get answers POST too, with the userid in the query
    posted = api.post_raw("user/get", b"", params={"userid": userid})
    assert posted == got


def test_a_minimal_member_gets_the_defaults(api, dept):
    userid, mob = uid(), mobile()
    res = api.user_create(userid=userid, name="最小", mobile=mob, department=[dept])
    assert res["errcode"] == 0 and res["errmsg"] == "created", res
    m = api.member(userid)
    assert_member_shape(m)
    assert m == {**m, "userid": userid, "name": "最小", "mobile": mob, "department": [dept],
                 "order": [0], "is_leader_in_dept": [0], "main_department": dept,
                 "gender": "0", "alias": "", "email": "", "biz_mail": "", "position": "",
                 "telephone": "", "address": "", "direct_leader": [],
                 "extattr": {"attrs": []}, "external_position": "", "external_profile": {},
                 "enable": 1, "status": 4, "external_id": ""}


def test_main_department_defaults_to_the_first(api, dept):
    other = api.create_ok(unique("second"))
    userid = api.new_member([other, dept])
    m = api.member(userid)
    assert m["main_department"] == other and m["department"] == [other, dept]
    assert m["order"] == [0, 0] and m["is_leader_in_dept"] == [0, 0]


def test_email_alone_is_enough_and_a_single_department_number_is_a_list(api, dept):
    userid = uid()
    api.ok(api.user_create(userid=userid, name="mail only", email=f"{userid}@example.com",
                           department=dept), "created")
    m = api.member(userid)
    assert m["mobile"] == "" and m["email"] == f"{userid}@example.com"
    assert m["department"] == [dept] and m["main_department"] == dept


def test_created_disabled_is_status_2(api, dept):
    userid = api.new_member(dept, enable=0)
    m = api.member(userid)
    assert (m["enable"], m["status"]) == (0, 2)


def test_limits_are_inclusive(api, dept):
    leaders = [api.new_member(dept) for _ in range(5)]
    userid = f"9{next(_seq)}"
    userid = (userid + "_Az-@.z" * 12)[:64]
    local = (f"m{next(_seq)}" + "x" * 64)[:64 - len("@example.com")]
    body = {"userid": userid, "name": "名" * 64, "alias": "a" * 64, "mobile": mobile(),
            "email": local + "@example.com", "position": "职" * 128,
            "telephone": "1" * 32, "address": "址" * 128, "external_position": "外" * 12,
            "external_id": "e" * 60 + f"{next(_seq):04d}", "direct_leader": leaders,
            "department": [dept], "order": [4294967295]}
    assert len(body["email"].encode()) == 64 and len(userid) == 64
    api.ok(api.user_create(**body), "created")
    m = api.member(userid)
    assert m == {**m, **body}


def test_up_to_100_departments(api):
    parent = api.create_ok(unique("many"))
    depts = [api.create_ok(unique("d"), parentid=parent) for _ in range(101)]
    userid = api.new_member(depts[:100])
    m = api.member(userid)
    assert m["department"] == depts[:100] and len(m["order"]) == 100
    too_many = uid()
    res = api.user_create(userid=too_many, name="x", mobile=mobile(), department=depts)
    assert res["errcode"] == 40066, res
    assert not api.exists(too_many)
    res = api.user_update(userid=userid, department=depts)
    assert res["errcode"] == 40066, res
    assert api.member(userid) == m


def _create_errors():
    long_local = lambda c: (c.userid + "x" * 80)[:53]  # noqa: E731 - 53 + 12 = 65 bytes
    return [
        ("missing userid", lambda c: {"userid": None}, 41009),
        ("userid starting with -", lambda c: {"userid": "-" + c.userid}, 40003),
        ("userid starting with _", lambda c: {"userid": "_" + c.userid}, 40003),
        ("userid starting with .", lambda c: {"userid": "." + c.userid}, 40003),
        ("userid starting with @", lambda c: {"userid": "@" + c.userid}, 40003),
        ("userid with a space", lambda c: {"userid": "a " + c.userid}, 40003),
        ("userid with a slash", lambda c: {"userid": "a/" + c.userid}, 40003),
        ("userid with Chinese", lambda c: {"userid": "张" + c.userid}, 40003),
        ("userid of 65 characters", lambda c: {"userid": (c.userid + "x" * 65)[:65]}, 40003),
        ("userid taken", lambda c: {"userid": c.taken["userid"]}, 60102),
        ("userid taken in another case", lambda c: {"userid": c.taken["userid"].swapcase()},
         60102),
        ("missing name", lambda c: {"name": None}, 60112),
        ("empty name", lambda c: {"name": ""}, 60112),
        ("65-character name", lambda c: {"name": "名" * 65}, 60112),
        ("65-character alias", lambda c: {"alias": "a" * 65}, 40058),
        ("mobile with letters", lambda c: {"mobile": "1370000abcd"}, 60103),
        ("mobile of only a plus", lambda c: {"mobile": "+"}, 60103),
        ("mobile taken", lambda c: {"mobile": c.taken["mobile"]}, 60104),
        ("mobile taken, written with spaces and hyphens",
         lambda c: {"mobile": c.taken["mobile"][:3] + " " + c.taken["mobile"][3:7] + "-"
                    + c.taken["mobile"][7:]}, 60104),
        ("email without @", lambda c: {"email": c.userid + ".example.com"}, 60105),
        ("email of 65 bytes", lambda c: {"email": long_local(c) + "@example.com"}, 60105),
        ("email taken in another case", lambda c: {"email": c.taken["email"].upper()}, 60106),
        ("biz_mail without @", lambda c: {"biz_mail": c.userid}, 60105),
        ("biz_mail taken in another case",
         lambda c: {"biz_mail": c.taken["biz_mail"].upper()}, 60106),
        ("neither mobile nor e-mail", lambda c: {"mobile": None}, 60129),
        ("empty mobile and e-mail", lambda c: {"mobile": "", "email": "", "biz_mail": ""},
         60129),
        ("missing department", lambda c: {"department": None}, 60127),
        ("empty department", lambda c: {"department": []}, 60127),
        ("unknown department", lambda c: {"department": [987654]}, 60003),
        ("one unknown department", lambda c: {"department": [c.dept, 987654]}, 60003),
        ("repeated department", lambda c: {"department": [c.dept, c.dept]}, 40066),
        ("more orders than departments", lambda c: {"order": [1, 2]}, 40058),
        ("more leader flags than departments", lambda c: {"is_leader_in_dept": [1, 0]}, 40058),
        ("main_department not among them", lambda c: {"main_department": 1}, 40058),
        ("129-character position", lambda c: {"position": "p" * 129}, 301012),
        ("gender 3", lambda c: {"gender": 3}, 40058),
        ("gender x", lambda c: {"gender": "x"}, 40058),
        ("33-character telephone", lambda c: {"telephone": "1" * 33}, 40058),
        ("telephone with letters", lambda c: {"telephone": "010-abc"}, 40058),
        ("129-character address", lambda c: {"address": "a" * 129}, 40058),
        ("unknown direct_leader", lambda c: {"direct_leader": ["nobody-" + c.userid]}, 60111),
        ("six direct_leaders",
         lambda c: {"direct_leader": [c.api.new_member(c.dept) for _ in range(6)]}, 40058),
        ("extattr attrs not a list", lambda c: {"extattr": {"attrs": "x"}}, 40058),
        ("extattr a string", lambda c: {"extattr": "x"}, 40058),
        ("extattr with an unknown type",
         lambda c: {"extattr": {"attrs": [{"type": 9, "name": "x"}]}}, 40058),
        ("13-character external_position", lambda c: {"external_position": "外" * 13}, 40058),
        ("enable 2", lambda c: {"enable": 2}, 40058),
        ("65-character external_id", lambda c: {"external_id": "e" * 65}, 40058),
        ("external_id taken", lambda c: {"external_id": c.taken["external_id"]}, 40058),
        # outside the stated ranges; the spec names no code for these
        ("negative order", lambda c: {"order": [-1]}, None),
        ("order past uint32", lambda c: {"order": [4294967296]}, None),
        ("leader flag 2", lambda c: {"is_leader_in_dept": [2]}, None),
    ]


@pytest.mark.parametrize("what, change, code", _create_errors(),
                         ids=[c[0] for c in _create_errors()])
def test_create_errors_leave_no_member(api, dept, what, change, code):
    taken_id = uid("Taken")
    api.new_member(dept, userid=taken_id, mobile=mobile(), email=f"{taken_id}@p.example",
                   biz_mail=f"{taken_id}@c.example", external_id="ext-" + taken_id)
    taken = api.member(taken_id)
    ctx = SimpleNamespace(api=api, dept=dept, taken=taken, userid=uid("new"))
    body = {"userid": ctx.userid, "name": "new member", "mobile": mobile(), "department": [dept]}
    for k, v in change(ctx).items():
        if v is None:
            body.pop(k, None)
        else:
            body[k] = v
    before = api.members_of(dept)
    res = api.user_create(**body)
    if code is None:
        assert res["errcode"] != 0, (what, res)
    else:
        assert res["errcode"] == code, (what, res)
    if "userid" in body and body["userid"].lower() != taken_id.lower():
        assert api.user_get(body["userid"])["errcode"] != 0, "a failed create left a member"
    assert api.user_get(ctx.userid)["errcode"] == 60111
    assert api.members_of(dept) == before
    assert api.member(taken_id) == taken


def test_a_failed_create_reserves_nothing(api, dept):
    userid, mob, email = uid(), mobile(), f"{uid()}@example.com"
    res = api.user_create(userid=userid, name="x", mobile=mob, email=email,
                          department=[987654])
    assert res["errcode"] == 60003, res
    assert api.post("user/getuserid", {"mobile": mob})["errcode"] == 46004
    assert api.post("user/get_userid_by_email",
                    {"email": email, "email_type": 2})["errcode"] == 46004
    api.new_member(dept, userid=userid, mobile=mob, email=email)


def test_userids_are_unique_and_looked_up_without_regard_to_case(api, dept):
    userid = uid("ZhangSan")
    api.new_member(dept, userid=userid)
    res = api.user_create(userid=userid.lower(), name="again", mobile=mobile(),
                          department=[dept])
    assert res["errcode"] == 60102, res
    assert api.members_of(dept) == [userid]
    for spelling in (userid.lower(), userid.upper(), userid):
        m = api.member(spelling)
        assert m["userid"] == userid, "the member keeps the spelling it was created with"
    assert openid_of(api, userid.upper()) == openid_of(api, userid)
    api.user_update_ok(userid=userid.upper(), position="lead")
    assert api.member(userid)["position"] == "lead"
    other = api.new_member(dept, direct_leader=[userid.lower()])
    assert [u.lower() for u in api.member(other)["direct_leader"]] == [userid.lower()]
    res = api.get("user/authsucc", {"userid": userid.lower()})
    assert res["errcode"] == 0, res
    assert api.member(userid)["status"] == 1
    res = api.user_delete(userid.upper())
    assert res["errcode"] == 0 and res["errmsg"] == "deleted", res
    assert not api.exists(userid)


def test_numbers_may_come_as_strings(api, dept):
    other = api.create_ok(unique("second"))
    userid = uid()
    api.ok(api.user_create(userid=userid, name="strings", mobile=mobile(),
                           department=[str(dept), str(other)], order=["3", "4"],
                           is_leader_in_dept=["1", "0"], main_department=str(other),
                           gender="1", enable="0"), "created")
    m = api.member(userid)
    assert_member_shape(m)
    assert (m["department"], m["order"], m["is_leader_in_dept"], m["main_department"],
            m["gender"], m["enable"], m["status"]) == ([dept, other], [3, 4], [1, 0], other,
                                                       "1", 0, 2)
    single = uid()
    api.ok(api.user_create(userid=single, name="one", mobile=mobile(), department=str(dept)),
           "created")
    assert api.member(single)["department"] == [dept]
    api.user_update_ok(userid=userid, order=["7", "8"], enable="1", gender="2")
    m = api.member(userid)
    assert (m["order"], m["enable"], m["gender"]) == ([7, 8], 1, "2")


def test_gender_numbers_and_strings(api, dept):
    for sent, answered in ((0, "0"), (1, "1"), (2, "2"), ("0", "0"), ("2", "2")):
        userid = api.new_member(dept, gender=sent)
        assert api.member(userid)["gender"] == answered, sent


def test_unknown_and_legacy_fields_are_ignored(api, dept):
    legacy = {"weixinid": "wx", "tel": "123", "isreportuser": 1, "to_invite": False,
              "avatar_mediaid": "media", "english_name": "Zhang", "isleader": 1,
              "hide_mobile": 0, "future_field": {"nested": [1, 2]}}
    userid = api.new_member(dept, name="legacy", **legacy)
    m = api.member(userid)
    assert_member_shape(m)
    assert m["name"] == "legacy"
    for key in ("weixinid", "tel", "future_field", "avatar_mediaid"):
        assert key not in m, key
    api.user_update_ok(userid=userid, name="legacy 2", **legacy)
    assert api.member(userid) == {**m, "name": "legacy 2"}


def test_get_errors(api):
    assert api.get("user/get")["errcode"] == 41009
    res = api.user_get("nobody-" + uid())
    assert res["errcode"] == 60111, res
    assert "userid" not in res and "name" not in res


# --- update ---------------------------------------------------------------------------------

def test_update_changes_only_the_fields_given(api, dept):
    userid = api.new_member(dept, alias="old", email=f"{uid()}@old.example",
                            position="old", gender=1)
    leader = api.new_member(dept)
    m = api.member(userid)
    changes = [
        {"name": "新名字"}, {"alias": "new"}, {"mobile": mobile()},
        {"email": f"{uid()}@new.example"}, {"biz_mail": f"{uid()}@corp.example"},
        {"position": "经理"}, {"telephone": "010-1234"}, {"address": "上海"},
        {"direct_leader": [leader]}, {"extattr": EXTATTR}, {"external_position": "主任"},
        {"external_profile": EXTERNAL_PROFILE}, {"external_id": "ext-" + userid},
        {"main_department": dept}, {"order": [9]}, {"is_leader_in_dept": [1]},
        {"direct_leader": []}, {"extattr": {"attrs": []}},
    ]
    for change in changes:
        api.user_update_ok(userid=userid, **change)
        m.update(change)
        got = api.member(userid)
        assert_member_shape(got)
        assert got == m, change
    api.user_update_ok(userid=userid, gender=2)
    m["gender"] = "2"
    api.user_update_ok(userid=userid)  # nothing to change
    api.user_update_ok(userid=userid, mobile=m["mobile"], email=m["email"])  # its own: no clash
    assert api.member(userid) == m


def test_enable_and_status(api, dept):
    userid = api.new_member(dept)
    assert api.member(userid)["status"] == 4
    api.user_update_ok(userid=userid, enable=0)
    assert (api.member(userid)["enable"], api.member(userid)["status"]) == (0, 2)
    api.user_update_ok(userid=userid, enable=1)
    m = api.member(userid)
    assert (m["enable"], m["status"]) == (1, 4), "still not activated"
    api.ok(api.get("user/authsucc", {"userid": userid}))
    api.user_update_ok(userid=userid, enable=0)
    assert api.member(userid)["status"] == 2
    api.user_update_ok(userid=userid, enable=1)
    assert api.member(userid)["status"] == 1, "activated before it was disabled"


def test_new_department_list_keeps_order_and_leader_of_those_it_stays_in(api, dept):
    a = api.create_ok(unique("a"), parentid=dept)
    b = api.create_ok(unique("b"), parentid=dept)
    c = api.create_ok(unique("c"), parentid=dept)
    userid = api.new_member([a, b], order=[5, 7], is_leader_in_dept=[1, 0], main_department=b)
    api.user_update_ok(userid=userid, department=[b, c])
    m = api.member(userid)
    assert (m["department"], m["order"], m["is_leader_in_dept"], m["main_department"]) == (
        [b, c], [7, 0], [0, 0], b)
    api.user_update_ok(userid=userid, department=[c, a])
    m = api.member(userid)
    assert (m["department"], m["order"], m["is_leader_in_dept"], m["main_department"]) == (
        [c, a], [0, 0], [0, 0], c), "away from the main department: the first becomes main"
    api.user_update_ok(userid=userid, department=[a, b], main_department=b,
                       order=[1, 2], is_leader_in_dept=[0, 1])
    m = api.member(userid)
    assert (m["department"], m["order"], m["is_leader_in_dept"], m["main_department"]) == (
        [a, b], [1, 2], [0, 1], b)
    api.user_update_ok(userid=userid, department=b)
    m = api.member(userid)
    assert (m["department"], m["order"], m["is_leader_in_dept"], m["main_department"]) == (
        [b], [2], [1], b)
    assert api.members_of(a) == [] and api.members_of(b) == [userid]


def test_order_or_leader_flags_alone_must_match_the_departments(api, dept):
    other = api.create_ok(unique("second"))
    userid = api.new_member([dept, other])
    m = api.member(userid)
    for change in ({"order": [1]}, {"order": [1, 2, 3]}, {"is_leader_in_dept": [1]},
                   {"is_leader_in_dept": [0, 1, 1]}):
        res = api.user_update(userid=userid, **change)
        assert res["errcode"] == 40058, (change, res)
        assert api.member(userid) == m
    api.user_update_ok(userid=userid, order=[3, 4], is_leader_in_dept=[0, 1])
    m = api.member(userid)
    assert (m["order"], m["is_leader_in_dept"]) == ([3, 4], [0, 1])


def _update_errors():
    return [
        ("empty name", lambda c: {"name": ""}, 60112),
        ("65-character name", lambda c: {"name": "n" * 65}, 60112),
        ("65-character alias", lambda c: {"alias": "a" * 65}, 40058),
        ("malformed mobile", lambda c: {"mobile": "abc"}, 60103),
        ("mobile taken", lambda c: {"mobile": c.other["mobile"]}, 60104),
        ("malformed email", lambda c: {"email": "no-at-sign"}, 60105),
        ("email taken in another case", lambda c: {"email": c.other["email"].upper()}, 60106),
        ("biz_mail taken", lambda c: {"biz_mail": c.other["biz_mail"]}, 60106),
        ("empty department", lambda c: {"department": []}, 60127),
        ("unknown department", lambda c: {"department": [c.dept, 987654]}, 60003),
        ("repeated department", lambda c: {"department": [c.dept, c.dept]}, 40066),
        ("main_department not among them", lambda c: {"main_department": 1}, 40058),
        ("departments and orders of different lengths",
         lambda c: {"department": [c.dept], "order": [1, 2]}, 40058),
        ("129-character position", lambda c: {"position": "p" * 129}, 301012),
        ("gender 5", lambda c: {"gender": 5}, 40058),
        ("telephone with letters", lambda c: {"telephone": "tel"}, 40058),
        ("129-character address", lambda c: {"address": "a" * 129}, 40058),
        ("unknown direct_leader", lambda c: {"direct_leader": ["nobody-" + c.userid]}, 60111),
        ("six direct_leaders",
         lambda c: {"direct_leader": [c.api.new_member(c.dept) for _ in range(6)]}, 40058),
        ("extattr attrs not a list", lambda c: {"extattr": {"attrs": 1}}, 40058),
        ("13-character external_position", lambda c: {"external_position": "x" * 13}, 40058),
        ("enable 3", lambda c: {"enable": 3}, 40058),
        ("external_id taken", lambda c: {"external_id": c.other["external_id"]}, 40058),
        ("malformed new_userid", lambda c: {"new_userid": "-bad-" + c.userid}, 40003),
        ("new_userid of 65 characters", lambda c: {"new_userid": "n" * 65}, 40003),
        ("new_userid taken", lambda c: {"new_userid": c.other["userid"]}, 60102),
        ("new_userid taken in another case",
         lambda c: {"new_userid": c.other["userid"].swapcase()}, 60102),
        ("itself as direct_leader", lambda c: {"direct_leader": [c.userid]}, None),
    ]


@pytest.mark.parametrize("what, change, code", _update_errors(),
                         ids=[c[0] for c in _update_errors()])
def test_update_errors_change_nothing(api, dept, what, change, code):
    def member():
        u = uid("Up")
        api.new_member(dept, userid=u, mobile=mobile(), email=f"{u}@p.example",
                       biz_mail=f"{u}@c.example",
                       external_id="ext-" + u, alias="alias", position="pos")
        return u
    userid, other_id = member(), member()
    ctx = SimpleNamespace(api=api, dept=dept, userid=userid, other=api.member(other_id))
    body = change(ctx)
    before, members_before = api.member(userid), api.members_of(dept)
    res = api.user_update(userid=userid, name="changed?", **body) if "name" not in body \
        else api.user_update(userid=userid, **body)
    if code is None:
        assert res["errcode"] != 0, (what, res)
    else:
        assert res["errcode"] == code, (what, res)
    assert api.member(userid) == before, "a failed update changed the member"
    assert api.members_of(dept) == members_before
    assert api.member(other_id) == ctx.other


def test_update_of_an_unknown_or_missing_userid(api):
    res = api.user_update(userid="nobody-" + uid(), name="x")
    assert res["errcode"] == 60111, res
    res = api.user_update(name="x")
    assert res["errcode"] == 41009, res


def test_new_userid_renames_the_member_everywhere(api, dept):
    old = uid("Old")
    api.new_member(dept, userid=old, is_leader_in_dept=[1])
    report = api.new_member(dept, direct_leader=[old])
    tagid = tag_with(api, old)
    openid = openid_of(api, old)
    before = api.member(old)
    new = uid("New")
    api.user_update_ok(userid=old, new_userid=new)
    assert api.user_get(old)["errcode"] == 60111
    assert api.member(new) == {**before, "userid": new}
    assert openid_of(api, new) == openid, "the openid is fixed for the member's life"
    assert api.post("user/convert_to_userid", {"openid": openid})["userid"] == new
    assert api.members_of(dept) == [new, report]
    assert api.dept(dept)["department_leader"] == [new]
    assert api.member(report)["direct_leader"] == [new]
    assert tag_userids(api, tagid) == [new]
    # the old userid is free again; a rename together with other fields works
    api.new_member(dept, userid=old)
    newer = uid("Newer")
    api.user_update_ok(userid=new.lower(), new_userid=newer, name="renamed")
    m = api.member(newer)
    assert (m["userid"], m["name"]) == (newer, "renamed")


# --- delete ---------------------------------------------------------------------------------

def test_delete_removes_the_member_from_departments_tags_and_direct_leaders(api, dept):
    other = api.create_ok(unique("second"))
    gone = api.new_member([dept, other], is_leader_in_dept=[1, 1])
    stays = api.new_member(dept, is_leader_in_dept=[1])
    report = api.new_member(other, direct_leader=[gone, stays])
    tagid = tag_with(api, gone, stays, report)
    openid = openid_of(api, gone)
    res = api.user_delete(gone)
    assert res["errcode"] == 0 and res["errmsg"] == "deleted", res
    assert api.user_get(gone)["errcode"] == 60111
    assert api.members_of(dept) == [stays] and api.members_of(other) == [report]
    assert api.dept(dept)["department_leader"] == [stays]
    assert api.dept(other)["department_leader"] == []
    assert api.member(report)["direct_leader"] == [stays]
    assert sorted(tag_userids(api, tagid)) == sorted([stays, report])
    assert api.post("user/convert_to_openid", {"userid": gone})["errcode"] == 60111
    assert api.post("user/convert_to_userid", {"openid": openid})["errcode"] == 40073
    assert api.user_delete(gone)["errcode"] == 60111


def test_delete_of_an_unknown_member_is_60111(api, dept):
    keep = api.new_member(dept)
    assert api.user_delete("nobody-" + uid())["errcode"] == 60111
    assert api.members_of(dept) == [keep]


def test_batchdelete(api, dept):
    a, b, c, keep = (api.new_member(dept) for _ in range(4))
    res = api.post("user/batchdelete", {"useridlist": [a, b.upper(), c]})
    assert res["errcode"] == 0 and res["errmsg"] in ("deleted", "ok"), res
    assert api.members_of(dept) == [keep]
    for userid in (a, b, c):
        assert not api.exists(userid)


def test_batchdelete_with_one_unknown_userid_deletes_none(api, dept):
    a, b = api.new_member(dept), api.new_member(dept)
    tagid = tag_with(api, a, b)
    res = api.post("user/batchdelete", {"useridlist": [a, "nobody-" + uid(), b]})
    assert res["errcode"] == 60111, res
    assert api.members_of(dept) == [a, b]
    assert api.exists(a) and api.exists(b)
    assert tag_userids(api, tagid) == [a, b]


def test_batchdelete_takes_1_to_200_userids(api):
    group = api.create_ok(unique("batch"))
    members = [api.new_member(group) for _ in range(201)]
    for body in ({"useridlist": []}, {}, {"useridlist": members}):
        res = api.post("user/batchdelete", body)
        assert res["errcode"] == 40031, (len(body.get("useridlist", [])), res)
        assert len(api.members_of(group)) == 201
    assert api.post("user/batchdelete", {"useridlist": members[:200]})["errcode"] == 0
    assert api.members_of(group) == members[200:]


# --- simplelist and list --------------------------------------------------------------------

def _populate_tree(api, top):
    child = api.create_ok(unique("child"), parentid=top)
    grandchild = api.create_ok(unique("grandchild"), parentid=child)
    a = api.new_member(top)
    b = api.new_member(top, order=[10])
    c = api.new_member(top)
    d = api.new_member(child)
    e = api.new_member([top, child])
    f = api.new_member(grandchild, order=[3])
    return child, grandchild, (a, b, c, d, e, f)


def test_simplelist(api, dept):
    child, grandchild, (a, b, c, d, e, f) = _populate_tree(api, dept)
    res = api.get("user/simplelist", {"department_id": dept})
    assert res["errcode"] == 0 and res["errmsg"] == "ok", res
    rows = res["userlist"]
    assert [r["userid"] for r in rows] == [b, a, c, e], "by order (larger first), then created"
    for r in rows:
        assert set(r) == {"userid", "name", "department", "open_userid"}, r
        assert type(r["name"]) is str and type(r["open_userid"]) is str
        assert type(r["department"]) is list and all(type(x) is int for x in r["department"])
        m = api.member(r["userid"])
        assert (r["name"], r["department"]) == (m["name"], m["department"])
    assert api.members_of(dept, fetch_child=0) == [b, a, c, e]
    everyone = api.members_of(dept, fetch_child=1)
    assert sorted(everyone) == sorted([a, b, c, d, e, f]), "each member once"
    assert sorted(api.members_of(child, fetch_child=1)) == sorted([d, e, f])
    assert api.members_of(child) == [d, e]
    assert api.members_of(grandchild) == [f]
    # a changed order re-sorts
    api.user_update_ok(userid=c, order=[20])
    assert api.members_of(dept) == [c, b, a, e]
    # POST with the same query
    posted = api.post_raw("user/simplelist", b"", params={"department_id": dept})
    assert posted["errcode"] == 0 and [r["userid"] for r in posted["userlist"]] == [c, b, a, e]


def test_an_empty_department_lists_nobody(api, dept):
    res = api.get("user/simplelist", {"department_id": dept, "fetch_child": 1})
    assert res["errcode"] == 0 and res["userlist"] == [], res
    res = api.get("user/list", {"department_id": dept})
    assert res["errcode"] == 0 and res["userlist"] == [], res


@pytest.mark.parametrize("path", ["user/simplelist", "user/list"])
def test_list_errors(api, path):
    res = api.get(path)
    assert res["errcode"] == 60123, res
    res = api.get(path, {"department_id": 987654})
    assert res["errcode"] == 60003, res
    assert "userlist" not in res


def test_list_answers_full_member_objects(api, dept):
    child, grandchild, (a, b, c, d, e, f) = _populate_tree(api, dept)
    res = api.get("user/list", {"department_id": dept})
    assert res["errcode"] == 0 and res["errmsg"] == "ok", res
    rows = res["userlist"]
    assert [r["userid"] for r in rows] == [b, a, c, e]
    for r in rows:
        assert_member_shape(r)
        assert r == api.member(r["userid"])
    res = api.get("user/list", {"department_id": dept, "fetch_child": 1})
    assert sorted(r["userid"] for r in res["userlist"]) == sorted([a, b, c, d, e, f])
    for r in res["userlist"]:
        assert_member_shape(r)
    res = api.get("user/list", {"department_id": str(child), "fetch_child": "0"})
    assert [r["userid"] for r in res["userlist"]] == [d, e]
    posted = api.post_raw("user/list", b"", params={"department_id": dept})
    assert posted["errcode"] == 0 and posted["userlist"] == rows


def test_list_honours_the_legacy_status_filter(api, dept):
    active = api.new_member(dept)
    api.ok(api.get("user/authsucc", {"userid": active}))
    disabled = api.new_member(dept, enable=0)
    inactive = api.new_member(dept)

    def listed(status):
        res = api.get("user/list", {"department_id": dept, "fetch_child": 0, "status": status})
        assert res["errcode"] == 0, res
        return [r["userid"] for r in res["userlist"]]
    assert listed(0) == [active, disabled, inactive]
    assert listed(1) == [active]
    assert listed(2) == [disabled]
    assert listed(4) == [inactive]
    assert [m["status"] for m in map(api.member, (active, disabled, inactive))] == [1, 2, 4]


# --- list_id --------------------------------------------------------------------------------

def _list_id_pages(api, limit) -> list:
    entries, cursor, pages = [], "", 0
    while True:
        body = {"cursor": cursor} if limit is None else {"cursor": cursor, "limit": limit}
        res = api.post("user/list_id", body)
        assert res["errcode"] == 0 and res["errmsg"] == "ok", (body, res)
        assert type(res["next_cursor"]) is str and type(res["dept_user"]) is list, res
        for e in res["dept_user"]:
            assert set(e) == {"userid", "department"}, e
            assert type(e["userid"]) is str and type(e["department"]) is int, e
        entries += res["dept_user"]
        pages += 1
        assert pages < 100, "list_id does not end"
        if not res["next_cursor"]:
            return entries
        assert res["next_cursor"] != cursor
        assert len(res["dept_user"]) == int(limit), "a page before the last is full"
        cursor = res["next_cursor"]


def test_list_id_pages_through_every_member_and_department(fresh):
    a = fresh
    initial = _list_id_pages(a, None)
    x = a.create_ok(unique("x"))
    y = a.create_ok(unique("y"))
    m1 = a.new_member([x, y])
    m2 = a.new_member([x])
    m3 = a.new_member([1])
    m4 = a.new_member([y, x, 1])
    everything = _list_id_pages(a, None)
    assert everything[:len(initial)] == initial
    mine = everything[len(initial):]
    assert [e["userid"] for e in mine] == [m1, m1, m2, m3, m4, m4, m4], "in creation order"
    assert sorted((e["userid"], e["department"]) for e in mine) == sorted(
        [(m1, x), (m1, y), (m2, x), (m3, 1), (m4, y), (m4, x), (m4, 1)])
    res = a.post("user/list_id", {})
    assert res["errcode"] == 0 and res["next_cursor"] == "" and res["dept_user"] == everything
    res = a.post("user/list_id", {"cursor": "", "limit": 10000})
    assert res["next_cursor"] == "" and res["dept_user"] == everything
    for limit in (1, 2, 3, "4", len(everything), len(everything) + 1):
        assert _list_id_pages(a, limit) == everything, limit
    # the last full page ends with an empty cursor (or an empty last page)
    res = a.post("user/list_id", {"limit": len(everything)})
    if res["next_cursor"]:
        tail = a.post("user/list_id", {"cursor": res["next_cursor"], "limit": 1})
        assert tail["errcode"] == 0 and tail["dept_user"] == [] and tail["next_cursor"] == ""
    # a deleted member's entries go
    assert a.user_delete(m1)["errcode"] == 0
    assert _list_id_pages(a, 2) == [e for e in everything if e["userid"] != m1]


@pytest.mark.parametrize("body", [{"limit": 0}, {"limit": 10001}, {"limit": -1},
                                  {"limit": "many"}, {"cursor": "not-a-cursor-we-gave"},
                                  {"cursor": "bm90IGEgY3Vyc29y", "limit": 10}],
                         ids=["limit 0", "limit 10001", "limit -1", "limit not a number",
                              "made-up cursor", "made-up base64 cursor"])
def test_list_id_errors(api, dept, body):
    api.new_member(dept)
    res = api.post("user/list_id", body)
    assert res["errcode"] == 40058, res
    assert "dept_user" not in res


def test_list_id_refuses_a_tampered_cursor(api, dept):
    api.new_member(dept)
    api.new_member(dept)
    given = api.post("user/list_id", {"limit": 1})["next_cursor"]
    assert given
    assert api.post("user/list_id", {"cursor": given, "limit": 1})["errcode"] == 0
    for forged in ("0" + given, given + "9"):
        res = api.post("user/list_id", {"cursor": forged, "limit": 1})
        assert res["errcode"] == 40058, ("a cursor corphub did not give", given, forged, res)


# --- lookups --------------------------------------------------------------------------------

def test_getuserid_by_mobile_ignores_spaces_and_hyphens(api, dept):
    mob = mobile()
    userid = api.new_member(dept, userid=uid("Mob"), mobile=mob)
    for sent in (mob, f"{mob[:3]}-{mob[3:7]}-{mob[7:]}", f"{mob[:3]} {mob[3:7]} {mob[7:]}"):
        res = api.post("user/getuserid", {"mobile": sent})
        assert res["errcode"] == 0 and res["userid"] == userid, (sent, res)
    spaced = mobile()
    written = f"+86 {spaced[:3]}-{spaced[3:7]} {spaced[7:]}"
    other = api.new_member(dept, mobile=written)
    res = api.post("user/getuserid", {"mobile": "+86" + spaced})
    assert res["errcode"] == 0 and res["userid"] == other, res
    res = api.user_create(userid=uid(), name="dup", mobile=f"+86{spaced}", department=[dept])
    assert res["errcode"] == 60104, res
    res = api.post("user/getuserid", {"mobile": mobile()})
    assert res["errcode"] == 46004 and "userid" not in res, res


def test_get_userid_by_email_by_type(api, dept):
    userid = uid("Mail")
    personal, business = f"{userid}@personal.example", f"{userid}@corp.example"
    api.new_member(dept, userid=userid, email=personal, biz_mail=business)
    cases = [({"email": business}, userid), ({"email": business, "email_type": 1}, userid),
             ({"email": personal, "email_type": 2}, userid),
             ({"email": personal, "email_type": "2"}, userid),
             ({"email": personal}, 46004), ({"email": personal, "email_type": 1}, 46004),
             ({"email": business, "email_type": 2}, 46004),
             ({"email": "nobody-" + business, "email_type": 1}, 46004),
             ({"email": business, "email_type": 3}, 40058),
             ({"email": business, "email_type": 0}, 40058)]
    for body, want in cases:
        res = api.post("user/get_userid_by_email", body)
        if isinstance(want, str):
            assert res["errcode"] == 0 and res["userid"] == want, (body, res)
        else:
            assert res["errcode"] == want and "userid" not in res, (body, res)


def test_openid_conversion_round_trips(api, dept):
    a, b = api.new_member(dept, userid=uid("Open")), api.new_member(dept)
    oa = openid_of(api, a)
    assert openid_of(api, a) == oa == openid_of(api, a.lower()), "fixed for the member's life"
    ob = openid_of(api, b)
    assert oa != ob
    api.user_update_ok(userid=a, name="changed", department=[1, dept])
    assert openid_of(api, a) == oa
    res = api.post("user/convert_to_userid", {"openid": oa})
    assert res["errcode"] == 0 and res["userid"] == a, res
    assert api.post("user/convert_to_userid", {"openid": ob})["userid"] == b
    res = api.post("user/convert_to_openid", {"userid": "nobody-" + uid()})
    assert res["errcode"] == 60111 and "openid" not in res, res
    res = api.post("user/convert_to_userid", {"openid": "o" + oa[1:] + "zz"})
    assert res["errcode"] == 40073 and "userid" not in res, res


def test_authsucc_activates(api, dept):
    userid = api.new_member(dept)
    assert api.member(userid)["status"] == 4
    res = api.get("user/authsucc", {"userid": userid})
    assert res["errcode"] == 0 and res["errmsg"] == "ok", res
    m = api.member(userid)
    assert (m["status"], m["enable"]) == (1, 1)
    res = api.get("user/authsucc", {"userid": "nobody-" + uid()})
    assert res["errcode"] == 60111, res


# --- directory.max_members ------------------------------------------------------------------

def test_max_members_caps_the_organisation(harness, backend):
    a = make_api(harness, backend, env={"CORPHUB_DIRECTORY_MAX_MEMBERS": "3"})
    existing = {e["userid"] for e in a.post("user/list_id", {})["dept_user"]}
    assert len(existing) < 3, existing
    made = [a.new_member(1) for _ in range(3 - len(existing))]
    userid = uid()
    res = a.user_create(userid=userid, name="one too many", mobile=mobile(), department=[1])
    assert res["errcode"] == 45024, res
    assert not a.exists(userid)
    if made:
        assert a.user_delete(made[0])["errcode"] == 0
        a.new_member(1, userid=userid)
        res = a.user_create(userid=uid(), name="again", mobile=mobile(), department=[1])
        assert res["errcode"] == 45024, res


# --- tokens ---------------------------------------------------------------------------------

ENDPOINTS = [
    ("POST", "user/create", None, {"userid": "NEW", "name": "x", "mobile": "MOBILE",
                                   "department": ["DEPT"]}),
    ("GET", "user/get", {"userid": "VICTIM"}, None),
    ("POST", "user/update", None, {"userid": "VICTIM", "name": "hijacked"}),
    ("GET", "user/delete", {"userid": "VICTIM"}, None),
    ("POST", "user/batchdelete", None, {"useridlist": ["VICTIM"]}),
    ("GET", "user/simplelist", {"department_id": "DEPT"}, None),
    ("GET", "user/list", {"department_id": "DEPT"}, None),
    ("POST", "user/list_id", None, {"limit": 10}),
    ("POST", "user/getuserid", None, {"mobile": "VICTIM_MOBILE"}),
    ("POST", "user/get_userid_by_email", None, {"email": "VICTIM_EMAIL", "email_type": 2}),
    ("POST", "user/convert_to_openid", None, {"userid": "VICTIM"}),
    ("POST", "user/convert_to_userid", None, {"openid": "VICTIM_OPENID"}),
    ("GET", "user/authsucc", {"userid": "VICTIM"}, None),
]


@pytest.mark.parametrize("method, path, params, body", ENDPOINTS,
                         ids=[e[1].split("/")[1] for e in ENDPOINTS])
@pytest.mark.parametrize("token, code", [(None, 41001), ("not-a-real-token", 40014)],
                         ids=["missing", "unknown"])
def test_token_errors(api, dept, method, path, params, body, token, code):
    victim = api.new_member(dept, mobile=mobile(), email=f"{uid()}@example.com")
    vm = api.member(victim)
    subst = {"VICTIM": victim, "DEPT": dept, "NEW": uid(), "MOBILE": mobile(),
             "VICTIM_MOBILE": vm["mobile"], "VICTIM_EMAIL": vm["email"],
             "VICTIM_OPENID": openid_of(api, victim)}

    def fill(v):
        if isinstance(v, list):
            return [fill(x) for x in v]
        return subst.get(v, v) if isinstance(v, str) else v
    params = {k: fill(v) for k, v in (params or {}).items()}
    body = {k: fill(v) for k, v in (body or {}).items()}
    if method == "GET":
        res = api.get(path, params, token=token)
    else:
        res = api.post(path, body, params, token=token)
    assert res["errcode"] == code, res
    assert set(res) == {"errcode", "errmsg"}, res
    assert api.member(victim) == vm
    assert api.members_of(dept) == [victim]


# --- answers kept by directory version --------------------------------------------------------

def test_a_repeated_list_follows_every_kind_of_directory_write(api, dept):
    """user/list and simplelist answers are kept while the directory is unchanged: each kind of
    write (member, department, tag, batch-free) must show in the next list."""
    def listed():
        res = api.get("user/list", {"department_id": dept, "fetch_child": 1})
        assert res["errcode"] == 0, res
        return {m["userid"]: m for m in res["userlist"]}

    def simple():
        res = api.get("user/simplelist", {"department_id": dept, "fetch_child": 1})
        assert res["errcode"] == 0, res
        return {m["userid"]: m for m in res["userlist"]}

    u = api.new_member(dept, name="旧名字")
    assert listed()[u]["name"] == "旧名字" and simple()[u]["name"] == "旧名字"
    assert listed() == listed()  # answered twice alike

    assert api.user_update(userid=u, name="新名字")["errcode"] == 0
    assert listed()[u]["name"] == "新名字" and simple()[u]["name"] == "新名字"

    child = api.create_ok(unique("child"), parentid=dept)
    v = api.new_member(child)
    assert set(listed()) == {u, v} and set(simple()) == {u, v}

    assert api.get("user/delete", {"userid": v})["errcode"] == 0
    assert set(listed()) == {u} and set(simple()) == {u}

    # a failed write changes nothing, and the list still answers the same
    before = listed()
    assert api.user_update(userid=u, mobile="not a mobile")["errcode"] == 60103
    assert listed() == before

    # a write elsewhere in the directory (a tag) leaves the answer right as well
    res = api.post("tag/create", {"tagname": unique("tag")})
    assert res["errcode"] == 0
    assert listed() == before
