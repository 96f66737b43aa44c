"""wechatpy 1.8.18 against corphub: the member API through the SDK's own helpers.

wechatpy 1.8.18's `client.user` has create / get / update / delete / batch_delete, `list`
(user/list, or user/simplelist with simple=True; it returns the `userlist` array and always
sends `fetch_child` as 0/1 and the legacy `status` filter, 0 unless given),
convert_to_openid (the whole answer), convert_to_user_id (just the userid) and verify
(user/authsucc). `client.department` has get_users (simplelist by default) and get_map_users
over the same endpoints. `create` always sends `gender`, the number 0 unless given, and the
legacy `tel` / `weixinid` when given; every other field goes through **kwargs.

The SDK has no helper for user/list_id, user/getuserid or user/get_userid_by_email; an
integration posts those through the client's generic `post`, as done here (and for
user/get without a userid, which the helper cannot send).
"""
from __future__ import annotations

import itertools

import pytest
from wechatpy.exceptions import WeChatClientException

_n = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}-{next(_n)}"


def new_mobile() -> str:
    return f"139{next(_n):08d}"


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


def new_dept(client, parent=1, **kwargs) -> int:
    res = client.department.create(unique(kwargs.pop("prefix", "部门")), parent_id=parent,
                                   **kwargs)
    assert res["errcode"] == 0, res
    return res["id"]


def new_member(client, department, prefix="u", **kwargs) -> str:
    """Creates a member through client.user.create with a fresh userid and mobile."""
    uid = unique(prefix)
    kwargs.setdefault("mobile", new_mobile())
    name = kwargs.pop("name", "成员" + uid)
    res = client.user.create(uid, name, department=department, **kwargs)
    assert res["errcode"] == 0 and res["errmsg"] == "created", res
    return uid


def userids(users) -> list:
    return [u["userid"] for u in users]


def is_int(v) -> bool:
    return type(v) is int


def leaders(client, dept_id) -> list:
    return sorted(client.department.get(dept_id)[0]["department_leader"])


def test_a_contacts_script(client):
    user, dept = client.user, client.department

    # the organisation: 研发部 with 后端组 under it, and 市场部
    rd = new_dept(client, prefix="研发部", order=20)
    backend = new_dept(client, rd, prefix="后端组")
    mk = new_dept(client, prefix="市场部", order=10)

    # 张三: two departments with orders and a leader flag, main department the second,
    # custom attributes, gender as a number, and the legacy fields wechatpy still sends
    zhang = unique("zhangsan")
    extattr = {"attrs": [
        {"type": 0, "name": "工号", "text": {"value": "A-001"}},
        {"type": 1, "name": "主页", "web": {"url": "https://example.edu.cn/~zs",
                                             "title": "个人主页"}},
    ]}
    profile = {"external_corp_name": "示例大学", "external_attr": []}
    zhang_mobile = new_mobile()
    res = user.create(
        zhang, "张三", department=[rd, mk], position="工程师", mobile=zhang_mobile,
        gender=1, tel="0755-12345678", email=f"{zhang}@example.com", weixin_id="zs_wx",
        extattr=extattr, order=[10, 3], is_leader_in_dept=[1, 0], main_department=mk,
        alias="小张", telephone="010-62345678", address="北京市海淀区",
        biz_mail=f"{zhang}@corp.example.com",
        external_position="架构师", external_profile=profile,
        english_name="Zhang San", isreportuser=False, to_invite=False, avatar_mediaid="x")
    assert res["errcode"] == 0 and res["errmsg"] == "created", res

    got = user.get(zhang)
    assert got["errcode"] == 0
    expected = {
        "userid": zhang, "name": "张三", "department": [rd, mk], "order": [10, 3],
        "position": "工程师", "mobile": zhang_mobile, "gender": "1",
        "email": f"{zhang}@example.com", "biz_mail": f"{zhang}@corp.example.com",
        "is_leader_in_dept": [1, 0], "direct_leader": [], "avatar": "", "thumb_avatar": "",
        "telephone": "010-62345678",  # the legacy `tel` is ignored
        "alias": "小张", "address": "北京市海淀区", "open_userid": "", "main_department": mk,
        "extattr": extattr, "status": 4, "qr_code": "", "external_position": "架构师",
        "external_profile": profile, "enable": 1,
    }
    assert {k: got.get(k) for k in expected} == expected, got
    assert all(is_int(v) for v in got["department"] + got["order"] + got["is_leader_in_dept"])
    assert is_int(got["main_department"]) and is_int(got["status"]) and is_int(got["enable"])

    # 李四: SDK defaults (gender 0 as a number), a direct leader, a larger order in 研发部
    li = new_member(client, [rd], prefix="lisi", name="李四", order=[20],
                    direct_leader=[zhang])
    got = user.get(li)
    assert got["gender"] == "0" and got["order"] == [20] and got["is_leader_in_dept"] == [0]
    assert got["main_department"] == rd and got["direct_leader"] == [zhang]
    assert got["extattr"] == {"attrs": []} and got["external_profile"] == {}

    # 王五 in 后端组 and 研发部; 赵六 with a single department number (a list of one)
    wang = new_member(client, [backend, rd], prefix="wangwu", name="王五")
    zhao = new_member(client, backend, prefix="zhaoliu", name="赵六",
                      email=f"zl{next(_n)}@example.com")
    assert user.get(zhao)["department"] == [backend]

    # department_leader lists the members marked leader there
    assert leaders(client, rd) == [zhang]
    assert leaders(client, mk) == [] and leaders(client, backend) == []

    # list / simplelist: order in the department (larger first), then creation
    assert userids(user.list(rd)) == [li, zhang, wang]
    assert userids(user.list(rd, simple=True)) == [li, zhang, wang]
    simple = dept.get_users(rd)
    assert userids(simple) == [li, zhang, wang]
    for entry in simple:
        assert {"userid", "name", "department", "open_userid"} <= set(entry), entry
    assert simple[1]["name"] == "张三" and simple[1]["department"] == [rd, mk]
    full = user.list(rd)
    assert full[1]["mobile"] == zhang_mobile and full[1]["extattr"] == extattr
    # fetch_child adds the subtree, each member once
    sub = userids(user.list(rd, fetch_child=True))
    assert sorted(sub) == sorted([li, zhang, wang, zhao]), sub
    sub = userids(dept.get_users(rd, fetch_child=1))
    assert sorted(sub) == sorted([li, zhang, wang, zhao]), sub
    assert dept.get_map_users(rd, key="name", fetch_child=1) == {
        "张三": zhang, "李四": li, "王五": wang, "赵六": zhao}

    # a department with members cannot go
    assert errcode_of(dept.delete, mk) == 60005

    # update, with legacy fields the SDK still sends; gender as a string this time
    res = user.update(zhang, name="张三丰", position="首席工程师", gender="2",
                      tel="0755-87654321", weixin_id="zsf_wx", english_name="ZSF",
                      isreportuser=True, avatar_mediaid="y", enable=1)
    assert res["errcode"] == 0 and res["errmsg"] == "updated", res
    got = user.get(zhang)
    assert got["name"] == "张三丰" and got["position"] == "首席工程师" and got["gender"] == "2"
    assert got["telephone"] == "010-62345678" and got["department"] == [rd, mk]
    assert got["order"] == [10, 3] and got["extattr"] == extattr

    # move 张三 to 市场部 and 后端组: 市场部 keeps its order and flag, the main stays
    user.update(zhang, department=[mk, backend])
    got = user.get(zhang)
    assert got["department"] == [mk, backend] and got["order"] == [3, 0]
    assert got["is_leader_in_dept"] == [0, 0] and got["main_department"] == mk
    assert leaders(client, rd) == []
    # and away from the main department: the first becomes main
    user.update(zhang, department=[backend])
    assert user.get(zhang)["main_department"] == backend

    # lookups: userid by mobile (spaces and hyphens ignored), openid and back
    spaced = f"{zhang_mobile[:3]}-{zhang_mobile[3:7]} {zhang_mobile[7:]}"
    # user/getuserid: no wechatpy 1.8.18 helper
    assert client.post("user/getuserid", data={"mobile": spaced})["userid"] == zhang
    res = user.convert_to_openid(zhang)
    openid = res["openid"]
    assert res["errcode"] == 0 and isinstance(openid, str) and openid
    assert user.convert_to_openid(zhang)["openid"] == openid
    assert user.convert_to_user_id(openid) == zhang

    # second verification activates
    assert user.verify(li)["errcode"] == 0
    assert user.get(li)["status"] == 1

    # delete 张三: 李四 loses its direct leader
    res = user.delete(zhang)
    assert res["errcode"] == 0 and res["errmsg"] == "deleted", res
    assert errcode_of(user.get, zhang) == 60111
    assert user.get(li)["direct_leader"] == []
    assert errcode_of(user.convert_to_user_id, openid) == 40073
    assert dept.delete(mk)["errcode"] == 0

    # batch delete the rest
    res = user.batch_delete([li, wang, zhao])
    assert res["errcode"] == 0, res
    for uid in (li, wang, zhao):
        assert errcode_of(user.get, uid) == 60111
    assert user.list(rd, fetch_child=True) == []
    assert dept.delete(backend)["errcode"] == 0 and dept.delete(rd)["errcode"] == 0


@pytest.fixture(scope="module")
def home(client) -> int:
    """A department for the focused tests."""
    return new_dept(client, prefix="home")


def test_duplicate_userid_is_60102_ignoring_case(client, home):
    uid = unique("CaseUser")
    client.user.create(uid, "大小写", department=[home], mobile=new_mobile())
    assert errcode_of(client.user.create, uid, "again", department=[home],
                      mobile=new_mobile()) == 60102
    assert errcode_of(client.user.create, uid.lower(), "again", department=[home],
                      mobile=new_mobile()) == 60102
    # lookups ignore case, and the member keeps its spelling
    assert client.user.get(uid.upper())["userid"] == uid
    assert userids(client.user.list(home)).count(uid) == 1
    assert client.user.update(uid.lower(), position="改")["errcode"] == 0
    assert client.user.get(uid)["position"] == "改"


def test_unknown_userid_is_60111(client, home):
    missing = unique("nobody")
    user = client.user
    assert errcode_of(user.get, missing) == 60111
    assert errcode_of(user.update, missing, name="x") == 60111
    assert errcode_of(user.delete, missing) == 60111
    assert errcode_of(user.convert_to_openid, missing) == 60111
    assert errcode_of(user.verify, missing) == 60111
    # user/get without a userid: the helper always sends one
    assert errcode_of(client.get, "user/get") == 41009
    assert errcode_of(user.convert_to_user_id, "o" + missing) == 40073
    # user/getuserid: no wechatpy 1.8.18 helper
    assert errcode_of(client.post, "user/getuserid", data={"mobile": new_mobile()}) == 46004


def _kw_cases():
    long = "长" * 65
    return [
        pytest.param({"user_id": "-starts-with-dash"}, 40003, id="userid-leading-dash"),
        pytest.param({"user_id": "has space"}, 40003, id="userid-space"),
        pytest.param({"user_id": "u" * 65}, 40003, id="userid-65"),
        pytest.param({"name": ""}, 60112, id="name-empty"),
        pytest.param({"name": long}, 60112, id="name-65"),
        pytest.param({"mobile": "13x00000000"}, 60103, id="mobile"),
        pytest.param({"mobile": None, "email": "not-an-email"}, 60105, id="email"),
        pytest.param({"mobile": None}, 60129, id="no-mobile-no-email"),
        pytest.param({"department": []}, 60127, id="department-empty"),
        pytest.param({"department": "missing"}, 60003, id="department-unknown"),
        pytest.param({"department": "twice"}, 40066, id="department-repeated"),
        pytest.param({"order": [1, 2]}, 40058, id="order-length"),
        pytest.param({"is_leader_in_dept": [1, 0]}, 40058, id="leader-length"),
        pytest.param({"main_department": "other"}, 40058, id="main-department"),
        pytest.param({"gender": [1]}, 40058, id="gender-list"),
        pytest.param({"alias": "a" * 65}, 40058, id="alias-65"),
        pytest.param({"position": "职" * 129}, 301012, id="position-129"),
        pytest.param({"telephone": "tel:123"}, 40058, id="telephone"),
        pytest.param({"address": "址" * 129}, 40058, id="address-129"),
        pytest.param({"external_position": "外" * 13}, 40058, id="external-position-13"),
        pytest.param({"extattr": {"attrs": [{"type": 7, "name": "x"}]}}, 40058,
                     id="extattr-type"),
        pytest.param({"enable": 2}, 40058, id="enable-2"),
        pytest.param({"direct_leader": "missing"}, 60111, id="direct-leader-unknown"),
    ]


@pytest.mark.parametrize("override,code", _kw_cases())
def test_create_validation(client, home, override, code):
    other = new_dept(client, prefix="other")
    kwargs = {"user_id": unique("bad"), "name": "校验", "department": [home],
              "mobile": new_mobile()}
    kwargs.update(override)
    specials = {"missing": max(d["id"] for d in client.department.get()) + 1000}
    if kwargs["department"] == "missing":
        kwargs["department"] = [specials["missing"]]
    elif kwargs["department"] == "twice":
        kwargs["department"] = [home, home]
    if kwargs.get("main_department") == "other":
        kwargs["main_department"] = other
    if kwargs.get("direct_leader") == "missing":
        kwargs["direct_leader"] = [unique("nobody")]
    uid = kwargs.pop("user_id")
    assert errcode_of(client.user.create, uid, **kwargs) == code
    if "user_id" not in override:  # nothing was created
        assert errcode_of(client.user.get, uid) == 60111


def test_duplicate_mobile_and_email(client, home):
    m = new_mobile()
    uid = new_member(client, [home], mobile=m, email=f"Dup{next(_n)}@Example.com",
                     biz_mail=f"biz{next(_n)}@corp.example.com")
    got = client.user.get(uid)
    spaced = f"{m[:3]} {m[3:7]}-{m[7:]}"
    assert errcode_of(client.user.create, unique("u"), "重复", department=[home],
                      mobile=spaced) == 60104
    assert errcode_of(client.user.create, unique("u"), "重复", department=[home],
                      email=got["email"].lower()) == 60106
    assert errcode_of(client.user.create, unique("u"), "重复", department=[home],
                      mobile=new_mobile(), biz_mail=got["biz_mail"].upper()) == 60106
    other = new_member(client, [home])
    assert errcode_of(client.user.update, other, mobile=m) == 60104
    assert errcode_of(client.user.update, other, email=got["email"].upper()) == 60106


def test_status_filter_and_verify(client):
    d = new_dept(client, prefix="status")
    pending = new_member(client, [d], prefix="pending")
    disabled = new_member(client, [d], prefix="disabled", enable=0)
    active = new_member(client, [d], prefix="active")
    assert client.user.get(pending)["status"] == 4
    got = client.user.get(disabled)
    assert got["status"] == 2 and got["enable"] == 0
    assert client.user.verify(active)["errcode"] == 0
    assert client.user.get(active)["status"] == 1

    def listed(status, simple=False):
        return userids(client.user.list(d, status=status, simple=simple))

    assert listed(0) == [pending, disabled, active]
    assert listed(1) == [active] and listed(1, simple=True) == [active]
    assert listed(2) == [disabled]
    assert listed(4) == [pending]
    assert userids(client.department.get_users(d, status=4)) == [pending]

    # disable and enable again: an activated member is active again
    client.user.update(active, enable=0)
    assert client.user.get(active)["status"] == 2 and listed(1) == []
    client.user.update(active, enable=1)
    assert client.user.get(active)["status"] == 1
    client.user.update(disabled, enable=1)
    assert client.user.get(disabled)["status"] == 4


def test_list_order_and_fetch_child(client):
    top = new_dept(client, prefix="top")
    child = new_dept(client, top, prefix="child")
    grandchild = new_dept(client, child, prefix="grandchild")
    a = new_member(client, [top], order=[5])
    b = new_member(client, [top], order=[9])
    c = new_member(client, [top], order=[5])
    both = new_member(client, [child, top], order=[1, 0])
    deep = new_member(client, [grandchild])
    assert userids(client.user.list(top)) == [b, a, c, both]
    assert userids(client.user.list(child, simple=True)) == [both]
    sub = userids(client.user.list(top, fetch_child=True))
    assert sorted(sub) == sorted([a, b, c, both, deep]), sub
    sub = userids(client.user.list(child, fetch_child=True, simple=True))
    assert sorted(sub) == sorted([both, deep]), sub
    # a new order re-sorts
    client.user.update(c, order=[10])
    assert userids(client.user.list(top)) == [c, b, a, both]

    missing = max(d["id"] for d in client.department.get()) + 1000
    assert errcode_of(client.user.list, missing) == 60003
    assert errcode_of(client.user.list, missing, simple=True) == 60003
    # no department_id at all: the helpers always send one
    assert errcode_of(client.get, "user/simplelist") == 60123
    assert errcode_of(client.get, "user/list") == 60123


def _list_id_pages(client, limit):
    """All of user/list_id (no wechatpy 1.8.18 helper) through the generic post."""
    entries, cursor, pages = [], "", 0
    while True:
        res = client.post("user/list_id", data={"cursor": cursor, "limit": limit})
        assert res["errcode"] == 0, res
        assert isinstance(res["next_cursor"], str)
        assert len(res["dept_user"]) <= limit
        entries += res["dept_user"]
        pages += 1
        cursor = res["next_cursor"]
        if not cursor:
            return entries, pages
        assert pages < 1000


def test_list_id_paging(client):
    d1, d2 = new_dept(client, prefix="lid"), new_dept(client, prefix="lid")
    mine = [new_member(client, [d1]), new_member(client, [d1, d2]), new_member(client, [d2])]
    gone = new_member(client, [d1])
    client.user.delete(gone)

    everything, one_page = _list_id_pages(client, 10000)
    assert one_page == 1
    for e in everything:
        assert set(e) >= {"userid", "department"} and is_int(e["department"]), e
    paged, pages = _list_id_pages(client, 2)
    assert paged == everything
    assert (len(everything) + 1) // 2 <= pages <= (len(everything) + 1) // 2 + 1

    entries = [(e["userid"], e["department"]) for e in everything if e["userid"] in mine]
    assert [uid for uid, _ in entries] == [mine[0], mine[1], mine[1], mine[2]]
    assert sorted(entries) == sorted([(mine[0], d1), (mine[1], d1), (mine[1], d2),
                                      (mine[2], d2)])
    assert gone not in [e["userid"] for e in everything]
    assert len({(e["userid"], e["department"]) for e in everything}) == len(everything)

    # the default limit; a bad limit or a cursor corphub did not give is 40058
    assert client.post("user/list_id", data={})["dept_user"] == everything
    for bad in ({"limit": 0}, {"limit": 10001}, {"cursor": "not-a-corphub-cursor", "limit": 5}):
        assert errcode_of(client.post, "user/list_id", data=bad) == 40058, bad


def test_userid_by_mobile_and_email(client, home):
    m = new_mobile()
    email, biz = f"p{next(_n)}@example.com", f"w{next(_n)}@corp.example.com"
    uid = new_member(client, [home], mobile=m, email=email, biz_mail=biz)
    # user/getuserid and user/get_userid_by_email: no wechatpy 1.8.18 helpers
    post = client.post
    assert post("user/getuserid", data={"mobile": m})["userid"] == uid
    assert post("user/getuserid", data={"mobile": f"{m[:3]} {m[3:7]} {m[7:]}"})["userid"] == uid
    assert post("user/get_userid_by_email", data={"email": biz})["userid"] == uid
    assert post("user/get_userid_by_email",
                data={"email": biz, "email_type": 1})["userid"] == uid
    assert post("user/get_userid_by_email",
                data={"email": email, "email_type": 2})["userid"] == uid
    assert errcode_of(post, "user/get_userid_by_email",
                      data={"email": email, "email_type": 1}) == 46004
    assert errcode_of(post, "user/get_userid_by_email",
                      data={"email": biz, "email_type": 3}) == 40058
    # a mobile moves with an update
    m2 = new_mobile()
    client.user.update(uid, mobile=m2)
    assert post("user/getuserid", data={"mobile": m2})["userid"] == uid
    assert errcode_of(post, "user/getuserid", data={"mobile": m}) == 46004


def test_openid_round_trip_survives_rename(client, home):
    uid = new_member(client, [home])
    other = new_member(client, [home])
    openid = client.user.convert_to_openid(uid)["openid"]
    assert openid != client.user.convert_to_openid(other)["openid"]
    # the SDK passes agentid when given; corphub ignores it for the lookup
    assert client.user.convert_to_openid(uid, agent_id=1000002)["openid"] == openid

    renamed = unique("renamed")
    res = client.user.update(uid, new_userid=renamed)
    assert res["errcode"] == 0, res
    assert client.user.get(renamed)["userid"] == renamed
    assert errcode_of(client.user.get, uid) == 60111
    assert client.user.convert_to_openid(renamed)["openid"] == openid
    assert client.user.convert_to_user_id(openid) == renamed

    assert errcode_of(client.user.update, renamed, new_userid=other.upper()) == 60102
    assert errcode_of(client.user.update, renamed, new_userid="bad id") == 40003
    assert client.user.get(renamed)["userid"] == renamed


def test_update_departments_keeps_orders_and_leader_flags(client):
    a, b, c = (new_dept(client, prefix="move") for _ in range(3))
    uid = new_member(client, [a, b], order=[5, 7], is_leader_in_dept=[1, 1],
                     main_department=b)
    assert leaders(client, a) == [uid] and leaders(client, b) == [uid]
    client.user.update(uid, department=[c, b])
    got = client.user.get(uid)
    assert got["department"] == [c, b] and got["order"] == [0, 7]
    assert got["is_leader_in_dept"] == [0, 1] and got["main_department"] == b
    assert leaders(client, a) == [] and leaders(client, b) == [uid]

    # order or is_leader_in_dept alone must match the member's departments
    assert errcode_of(client.user.update, uid, order=[1]) == 40058
    assert errcode_of(client.user.update, uid, is_leader_in_dept=[1, 0, 1]) == 40058
    client.user.update(uid, order=[3, 4], is_leader_in_dept=[1, 0])
    got = client.user.get(uid)
    assert got["order"] == [3, 4] and got["is_leader_in_dept"] == [1, 0]
    assert leaders(client, c) == [uid] and leaders(client, b) == []

    # the main department named explicitly, and one outside the list
    client.user.update(uid, department=[a, b, c], main_department=c)
    got = client.user.get(uid)
    assert got["main_department"] == c and got["order"] == [0, 4, 3]
    assert errcode_of(client.user.update, uid, department=[a], main_department=b) == 40058
    assert client.user.get(uid)["department"] == [a, b, c]


def test_batch_delete_is_all_or_nothing(client, home):
    uids = [new_member(client, [home]) for _ in range(3)]
    assert errcode_of(client.user.batch_delete, uids + [unique("nobody")]) == 60111
    for uid in uids:
        assert client.user.get(uid)["userid"] == uid
    assert errcode_of(client.user.batch_delete, []) == 40031
    assert errcode_of(client.user.batch_delete, [unique("x") for _ in range(201)]) == 40031
    res = client.user.batch_delete([uids[0].upper(), uids[1], uids[2]])
    assert res["errcode"] == 0, res
    for uid in uids:
        assert errcode_of(client.user.get, uid) == 60111


def test_department_with_members_is_60005(client):
    d = new_dept(client, prefix="occupied")
    uid = new_member(client, [d])
    assert errcode_of(client.department.delete, d) == 60005
    assert client.department.get(d)[0]["id"] == d
    client.user.update(uid, department=[1])
    assert client.department.delete(d)["errcode"] == 0


def test_direct_leader(client, home):
    bosses = [new_member(client, [home], prefix="boss") for _ in range(6)]
    uid = new_member(client, [home], direct_leader=bosses[:5])
    assert client.user.get(uid)["direct_leader"] == bosses[:5]
    assert errcode_of(client.user.update, uid, direct_leader=bosses) == 40058
    assert errcode_of(client.user.update, uid, direct_leader=[unique("nobody")]) == 60111
    with pytest.raises(WeChatClientException):  # not the member itself
        client.user.update(uid, direct_leader=[uid])
    assert client.user.get(uid)["direct_leader"] == bosses[:5]
    client.user.delete(bosses[0])
    client.user.batch_delete(bosses[3:])
    assert client.user.get(uid)["direct_leader"] == bosses[1:3]
    client.user.update(uid, direct_leader=[])
    assert client.user.get(uid)["direct_leader"] == []


def test_extattr_update_and_string_numbers(client, home):
    uid = new_member(client, [str(home)], order=["8"], is_leader_in_dept=["1"])
    got = client.user.get(uid)
    assert got["department"] == [home] and got["order"] == [8]
    assert got["is_leader_in_dept"] == [1]
    attrs = {"attrs": [{"type": 0, "name": "工号", "text": {"value": "B-2"}}]}
    client.user.update(uid, extattr=attrs)
    assert client.user.get(uid)["extattr"] == attrs
    client.user.update(uid, extattr={"attrs": []})
    assert client.user.get(uid)["extattr"] == {"attrs": []}


def test_external_id(client, home):
    # corphub's own field, sent through the SDK's **kwargs like any other
    ext = unique("im")
    uid = new_member(client, [home], external_id=ext)
    assert client.user.get(uid)["external_id"] == ext
    assert errcode_of(client.user.create, unique("u"), "重复", department=[home],
                      mobile=new_mobile(), external_id=ext) == 40058
    other = new_member(client, [home])
    assert errcode_of(client.user.update, other, external_id=ext) == 40058
    assert errcode_of(client.user.update, other, external_id="e" * 65) == 40058
    client.user.update(uid, external_id=unique("im"))
    assert client.user.update(other, external_id=ext)["errcode"] == 0
    assert client.user.get(other)["external_id"] == ext
