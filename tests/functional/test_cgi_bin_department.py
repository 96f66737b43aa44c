"""/cgi-bin/department/{create,update,delete,list,simplelist,get} on SQLite and PostgreSQL.

One server per backend serves most of this module; each test builds its own subtree under a
department of its own (unique names), so tests do not see each other's departments except in
the whole-tree listing, which a test checks on a fresh server of its own.
"""
from __future__ import annotations

import json

import pytest

from wecom_api import Api, corp_show, unique

ILLEGAL_NAME_CHARS = ['\\', ':', '*', '?', '"', '<', '>', '|']
READ_KEYS = {"id", "name", "name_en", "department_leader", "parentid", "order"}


def assert_department_shape(d: dict):
    assert READ_KEYS <= set(d), d
    for key in ("id", "parentid", "order"):
        assert type(d[key]) is int, (key, d)
    assert isinstance(d["name"], str) and isinstance(d["name_en"], str), d
    assert d["department_leader"] == [], d


@pytest.fixture(scope="module")
def api(module_harness, backend) -> Api:
    storage = module_harness.storage(backend)
    corp = corp_show(module_harness, storage)
    server = module_harness.server(storage)
    return Api(server, corp)


@pytest.fixture
def fresh(harness, backend):
    """A server of the test's own: (api, storage, harness)."""
    storage = harness.storage(backend)
    corp = corp_show(harness, storage)
    return Api(harness.server(storage), corp), storage


@pytest.fixture
def parent(api) -> int:
    """A department under the root for this test only."""
    return api.create_ok(unique("parent"))


# --- the root ------------------------------------------------------------------------------

def test_root_department_is_named_after_the_organisation(api):
    root = api.dept(1)
    assert_department_shape(root)
    assert root["id"] == 1
    assert root["name"] == api.corp["name"] == "corphub"
    assert root["parentid"] == 0, "WeCom's root has parentid 0"
    everything = api.list()
    assert everything[0]["id"] == 1 and everything[0] == root


def test_fresh_organisation_has_only_the_root(fresh):
    a, _ = fresh
    assert a.ids() == [1]
    assert a.simplelist() == [{"id": 1, "parentid": a.dept(1)["parentid"],
                               "order": a.dept(1)["order"]}]


# --- create ---------------------------------------------------------------------------------

def test_create_then_get_returns_every_field(api, parent):
    name = unique("Sales")
    res = api.create(name=name, name_en="Sales EN", parentid=parent, order=42)
    assert res["errcode"] == 0 and res["errmsg"] == "created", res
    assert type(res["id"]) is int and res["id"] > 1
    d = api.dept(res["id"])
    assert_department_shape(d)
    assert d == {**d, "id": res["id"], "name": name, "name_en": "Sales EN", "parentid": parent,
                 "order": 42, "department_leader": []}
    # get answers GET and POST alike
    posted = api.post_raw("department/get", b"", params={"id": res["id"]})
    assert posted["errcode"] == 0 and posted["department"] == d, posted


def test_create_with_an_explicit_id(api, parent):
    want = max(api.ids()) + 100
    got = api.create_ok(unique(), parentid=parent, id=want)
    assert got == want
    assert api.dept(want)["parentid"] == parent


def test_id_is_max_plus_one_when_absent(api, parent):
    high = max(api.ids()) + 50
    assert api.create_ok(parentid=parent, id=high) == high
    assert api.create_ok(parentid=parent) == high + 1
    assert api.create_ok(parentid=parent) == high + 2


def test_numbers_may_be_numeric_strings(api, parent):
    want = max(api.ids()) + 10
    res = api.create(name=unique(), parentid=str(parent), order="7", id=str(want))
    assert res["errcode"] == 0 and res["id"] == want, res
    d = api.dept(want)
    assert d["parentid"] == parent and d["order"] == 7
    assert type(d["parentid"]) is int and type(d["order"]) is int
    other = api.create_ok(parentid=parent)
    api.update_ok(id=str(want), parentid=str(other), order="9")
    d = api.dept(want)
    assert d["parentid"] == other and d["order"] == 9


def test_unknown_fields_are_ignored(api, parent):
    name = unique()
    res = api.create(name=name, parentid=parent, order=3, weixinid="x", tel="123",
                     extra={"nested": [1, 2]})
    assert res["errcode"] == 0, res
    d = api.dept(res["id"])
    assert d["name"] == name and d["order"] == 3 and d["department_leader"] == []
    api.update_ok(id=res["id"], name=name + "-x", isreportuser=1, whatever=None)
    assert api.dept(res["id"])["name"] == name + "-x"


def test_name_limits_count_utf8_characters(api, parent):
    ascii64 = "a" * 64
    cjk64 = "研发部门" * 16
    assert len(ascii64) == 64 and len(cjk64) == 64
    for name in (ascii64, cjk64):
        id_ = api.create_ok(name, parentid=parent)
        assert api.dept(id_)["name"] == name


def test_chinese_names_round_trip(api, parent):
    name, name_en = unique("研发中心·北京"), "R&D Beijing"
    id_ = api.create_ok(name, parentid=parent, name_en=name_en)
    d = api.dept(id_)
    assert d["name"] == name and d["name_en"] == name_en
    assert [x["name"] for x in api.list(parent) if x["id"] == id_] == [name]
    # the same name sent as \\u escapes is the same name (a sibling clash)
    escaped = json.dumps({"name": name, "parentid": parent}, ensure_ascii=True).encode()
    assert b"\\u" in escaped
    assert api.post_raw("department/create", escaped)["errcode"] == 60008
    renamed = unique("市场部")
    api.update_ok(id=id_, name=renamed)
    assert api.dept(id_)["name"] == renamed


def test_same_name_under_different_parents_is_fine(api, parent):
    a = api.create_ok(parentid=parent)
    b = api.create_ok(parentid=parent)
    name = unique("shared")
    assert api.create_ok(name, parentid=a) != api.create_ok(name, parentid=b)


def _create_errors():
    cases = [
        ("missing name", {"parentid": "P"}, 60001),
        ("empty name", {"name": "", "parentid": "P"}, 60001),
        ("65 characters", {"name": "a" * 65, "parentid": "P"}, 60001),
        ("65 Chinese characters", {"name": "部" * 65, "parentid": "P"}, 60001),
        ("missing parent", {"name": "NEW"}, 60004),
        ("unknown parent", {"name": "NEW", "parentid": 987654}, 60004),
        ("unknown parent as string", {"name": "NEW", "parentid": "987654"}, 60004),
        ("id 1", {"name": "NEW", "parentid": "P", "id": 1}, 60123),
        ("id 0", {"name": "NEW", "parentid": "P", "id": 0}, 60123),
        ("negative id", {"name": "NEW", "parentid": "P", "id": -5}, 60123),
        ("non-numeric id", {"name": "NEW", "parentid": "P", "id": "abc"}, 60123),
        ("id taken", {"name": "NEW", "parentid": "P", "id": "TAKEN"}, 60008),
        ("sibling with the same name", {"name": "SIBLING", "parentid": "P"}, 60008),
    ]
    cases += [(f"name with {c!r}", {"name": f"bad{c}name", "parentid": "P"}, 60009)
              for c in ILLEGAL_NAME_CHARS]
    return cases


@pytest.mark.parametrize("what, body, code", _create_errors(), ids=[c[0] for c in _create_errors()])
def test_create_errors_leave_nothing_behind(api, parent, what, body, code):
    sibling = unique("sibling")
    taken = api.create_ok(sibling, parentid=parent)
    subst = {"P": parent, "TAKEN": taken, "SIBLING": sibling, "NEW": unique("new")}
    body = {k: subst.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    before = api.list()
    res = api.create(**body)
    assert res["errcode"] == code, (what, res)
    assert "id" not in res or res.get("id") in (None, 0), res
    assert api.list() == before, "a failed create changed the tree"
    assert api.simplelist(parent) == [
        {"id": d["id"], "parentid": d["parentid"], "order": d["order"]} for d in api.list(parent)]


@pytest.mark.parametrize("raw", [b"[]", b'"name"', b"42", b"null", b"not json", b"{\"name\":",
                                 b""], ids=["array", "string", "number", "null", "garbage",
                                            "truncated", "empty"])
def test_create_body_not_a_json_object_is_47001(api, raw):
    before = api.list()
    res = api.post_raw("department/create", raw)
    assert res["errcode"] == 47001, res
    assert api.list() == before


def test_failed_create_does_not_reserve_its_id(api, parent):
    want = max(api.ids()) + 20
    assert api.create(name=unique(), parentid=987654, id=want)["errcode"] == 60004
    assert api.create(name="bad|name", parentid=parent, id=want)["errcode"] == 60009
    assert api.get("department/get", {"id": want})["errcode"] == 60003
    assert api.create_ok(parentid=parent, id=want) == want


def test_depth_is_limited_to_15_levels(api):
    # the root is level 1; levels 2..15 can be created, level 16 cannot
    parent_id, chain = 1, []
    for level in range(2, 16):
        parent_id = api.create_ok(unique(f"level{level}"), parentid=parent_id)
        chain.append(parent_id)
    before = api.list()
    res = api.create(name=unique("level16"), parentid=parent_id)
    assert res["errcode"] == 40058, res
    assert api.list() == before
    # the deepest level still accepts siblings
    assert api.create_ok(unique("level15b"), parentid=chain[-2])
    # listing the chain's top gives the whole chain in pre-order
    assert api.ids(chain[0])[: len(chain)] == chain


# --- update ---------------------------------------------------------------------------------

def test_update_each_field(api, parent):
    id_ = api.create_ok(unique("old"), parentid=parent, name_en="old", order=1)
    new_name = unique("new")
    api.update_ok(id=id_, name=new_name)
    assert api.dept(id_)["name"] == new_name
    api.update_ok(id=id_, name_en="New EN")
    api.update_ok(id=id_, order=77)
    d = api.dept(id_)
    assert (d["name"], d["name_en"], d["order"], d["parentid"]) == (new_name, "New EN", 77,
                                                                    parent)
    api.update_ok(id=id_)  # nothing to change
    api.update_ok(id=id_, name=new_name)  # its own name is no clash
    assert api.dept(id_) == d


def test_update_moves_a_subtree(api, parent):
    a = api.create_ok(unique("a"), parentid=parent)
    b = api.create_ok(unique("b"), parentid=parent)
    child = api.create_ok(unique("child"), parentid=a)
    grandchild = api.create_ok(unique("grandchild"), parentid=child)
    api.update_ok(id=child, parentid=b)
    assert api.dept(child)["parentid"] == b
    assert api.ids(a) == [a]
    assert api.ids(b) == [b, child, grandchild]
    assert api.dept(grandchild)["parentid"] == child


def test_root_cannot_be_moved(fresh):
    a, _ = fresh
    other = a.create_ok("other")
    before = a.dept(1)
    res = a.update(id=1, parentid=other)
    assert res["errcode"] == 40058, res
    assert a.dept(1) == before and a.dept(other)["parentid"] == 1


def _update_errors():
    return [
        ("unknown id", {"id": 987654, "name": "x"}, 60003),
        ("under itself", {"id": "SELF", "parentid": "SELF"}, 60010),
        ("under its child", {"id": "SELF", "parentid": "CHILD"}, 60010),
        ("under its grandchild", {"id": "SELF", "parentid": "GRANDCHILD"}, 60010),
        ("unknown parent", {"id": "SELF", "parentid": 987654}, 60004),
        ("sibling's name", {"id": "SELF", "name": "SIBLING"}, 60008),
        ("move beside a same-named department", {"id": "SELF", "parentid": "TWIN_PARENT"},
         60008),
        ("empty name", {"id": "SELF", "name": ""}, 60001),
        ("65 characters", {"id": "SELF", "name": "b" * 65}, 60001),
        ("root's parent", {"id": 1, "parentid": "SELF"}, 40058),
    ] + [(f"name with {c!r}", {"id": "SELF", "name": f"x{c}y"}, 60009)
         for c in ILLEGAL_NAME_CHARS]


@pytest.mark.parametrize("what, body, code", _update_errors(), ids=[c[0] for c in _update_errors()])
def test_update_errors_change_nothing(api, parent, what, body, code):
    self_name = unique("self")
    self_id = api.create_ok(self_name, parentid=parent, order=5)
    child = api.create_ok(unique("child"), parentid=self_id)
    grandchild = api.create_ok(unique("gc"), parentid=child)
    sibling = unique("sibling")
    api.create_ok(sibling, parentid=parent)
    twin_parent = api.create_ok(unique("twins"), parentid=parent)
    api.create_ok(self_name, parentid=twin_parent)
    subst = {"SELF": self_id, "CHILD": child, "GRANDCHILD": grandchild, "SIBLING": sibling,
             "TWIN_PARENT": twin_parent}
    body = {k: subst.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    before = api.list()
    res = api.update(**body)
    assert res["errcode"] == code, (what, res)
    assert api.list() == before, "a failed update changed the tree"


def test_update_body_not_a_json_object_is_47001(api):
    before = api.list()
    assert api.post_raw("department/update", b"[1]")["errcode"] == 47001
    assert api.list() == before


# --- delete ---------------------------------------------------------------------------------

def test_delete(api, parent):
    name = unique("gone")
    id_ = api.create_ok(name, parentid=parent)
    res = api.delete(id_)
    assert res["errcode"] == 0 and res["errmsg"] == "deleted", res
    assert api.get("department/get", {"id": id_})["errcode"] == 60003
    assert id_ not in api.ids()
    assert api.delete(id_)["errcode"] == 60003
    # its name is free again under the same parent
    assert api.create_ok(name, parentid=parent)


def test_delete_errors(api, parent):
    child = api.create_ok(parentid=parent)
    before = api.list()
    assert api.delete(1)["errcode"] == 60007
    assert api.delete(parent)["errcode"] == 60006
    assert api.delete(987654)["errcode"] == 60003
    assert api.get("department/delete")["errcode"] == 60123
    assert api.list() == before
    assert api.delete(child)["errcode"] == 0
    assert api.delete(parent)["errcode"] == 0, "no sub-departments left"
    assert api.delete(1)["errcode"] == 60007
    assert api.dept(1)["id"] == 1


def test_delete_with_members_is_60005_until_they_move_away(api, parent):
    dept = api.create_ok(parentid=parent)
    other = api.create_ok(parentid=parent)
    only_here = api.new_member(dept)
    also_here = api.new_member([other, dept], is_leader_in_dept=[0, 1])
    before = api.list(parent)
    assert api.delete(dept)["errcode"] == 60005
    assert api.list(parent) == before
    assert api.member(only_here)["department"] == [dept]
    api.user_update_ok(userid=only_here, department=[other])
    assert api.delete(dept)["errcode"] == 60005, "one member is still there"
    api.user_update_ok(userid=also_here, department=[other])
    res = api.delete(dept)
    assert res["errcode"] == 0 and res["errmsg"] == "deleted", res
    assert api.get("department/get", {"id": dept})["errcode"] == 60003
    for userid in (only_here, also_here):
        assert api.member(userid)["department"] == [other]
    # a department whose only member was deleted can go too
    third = api.create_ok(parentid=parent)
    gone = api.new_member(third)
    assert api.delete(third)["errcode"] == 60005
    assert api.user_delete(gone)["errcode"] == 0
    assert api.delete(third)["errcode"] == 0


def test_department_leader_lists_the_members_marked_leader_there(api, parent):
    dept = api.create_ok(parentid=parent)
    other = api.create_ok(parentid=parent)
    lead_a = api.new_member([dept, other], is_leader_in_dept=[1, 0])
    plain = api.new_member(dept, is_leader_in_dept=[0])
    lead_b = api.new_member([other, dept], is_leader_in_dept=[1, 1])
    leaders = api.dept(dept)["department_leader"]
    assert all(isinstance(u, str) for u in leaders), leaders
    assert sorted(leaders) == sorted([lead_a, lead_b])
    assert api.dept(other)["department_leader"] == [lead_b]
    assert api.dept(parent)["department_leader"] == []
    listed = {d["id"]: d for d in api.list(parent)}
    assert sorted(listed[dept]["department_leader"]) == sorted([lead_a, lead_b])
    assert listed[other]["department_leader"] == [lead_b]
    assert plain not in leaders
    # the flag goes, so does the entry; a leader who leaves takes it along
    api.user_update_ok(userid=lead_a, is_leader_in_dept=[0, 1])
    assert api.dept(dept)["department_leader"] == [lead_b]
    assert sorted(api.dept(other)["department_leader"]) == sorted([lead_a, lead_b])
    api.user_update_ok(userid=lead_b, department=[other])
    assert api.dept(dept)["department_leader"] == []
    assert api.user_delete(lead_a)["errcode"] == 0
    assert api.dept(other)["department_leader"] == [lead_b]
    api.user_update_ok(userid=plain, is_leader_in_dept=[1])
    assert api.dept(dept)["department_leader"] == [plain]


# --- list, simplelist, get -----------------------------------------------------------------

def test_list_is_pre_order_with_siblings_by_order_then_id(api, parent):
    base = max(api.ids()) + 1000
    # created out of id order so that creation order and id order differ
    c = api.create_ok(unique("c"), parentid=parent, order=10, id=base + 2)
    d = api.create_ok(unique("d"), parentid=parent, order=0, id=base + 5)
    b = api.create_ok(unique("b"), parentid=parent, order=30, id=base + 4)
    a = api.create_ok(unique("a"), parentid=parent, order=10, id=base + 1)
    a1 = api.create_ok(unique("a1"), parentid=a, order=1, id=base + 10)
    a2 = api.create_ok(unique("a2"), parentid=a, order=2, id=base + 11)
    c1 = api.create_ok(unique("c1"), parentid=c, id=base + 12)
    expected = [parent, b, a, a2, a1, c, c1, d]
    assert api.ids(parent) == expected
    assert api.ids(a) == [a, a2, a1]
    assert api.ids(c1) == [c1]
    for dept in api.list(parent):
        assert_department_shape(dept)
        assert dept == api.dept(dept["id"])
    # the whole tree contains the subtree as one contiguous run, starting at the root
    everything = api.ids()
    assert everything[0] == 1
    start = everything.index(parent)
    assert everything[start:start + len(expected)] == expected
    # a changed order re-sorts the siblings
    api.update_ok(id=d, order=99)
    assert api.ids(parent) == [parent, d, b, a, a2, a1, c, c1]


def test_list_orders_ties_by_id(api, parent):
    base = max(api.ids()) + 500
    api.create_ok(unique("x"), parentid=parent, order=5, id=base + 3)
    api.create_ok(unique("y"), parentid=parent, order=5, id=base + 2)
    api.create_ok(unique("z"), parentid=parent, order=5, id=base + 1)
    assert api.ids(parent) == [parent, base + 1, base + 2, base + 3]


def test_simplelist_shape_and_order(api, parent):
    x = api.create_ok(parentid=parent, order=1)
    y = api.create_ok(parentid=parent, order=2)
    x1 = api.create_ok(parentid=x, order=3)
    res = api.get("department/simplelist", {"id": parent})
    assert res["errcode"] == 0 and "department" not in res, res
    rows = res["department_id"]
    for row in rows:
        assert set(row) == {"id", "parentid", "order"}, row
        assert all(type(v) is int for v in row.values()), row
    assert rows == [
        {"id": parent, "parentid": 1, "order": api.dept(parent)["order"]},
        {"id": y, "parentid": parent, "order": 2},
        {"id": x, "parentid": parent, "order": 1},
        {"id": x1, "parentid": x, "order": 3},
    ]
    whole = api.simplelist()
    assert [r["id"] for r in whole] == api.ids()
    assert whole[0]["id"] == 1


def test_list_response_has_department_key(api, parent):
    res = api.get("department/list", {"id": parent})
    assert res["errcode"] == 0 and isinstance(res["department"], list), res
    assert res["department"][0]["id"] == parent


@pytest.mark.parametrize("path", ["department/list", "department/simplelist", "department/get"])
def test_reads_of_an_unknown_department_are_60003(api, path):
    res = api.get(path, {"id": 987654})
    assert res["errcode"] == 60003, res
    assert "department" not in res and "department_id" not in res


@pytest.mark.parametrize("path, key", [("department/list", "department"),
                                       ("department/simplelist", "department_id"),
                                       ("department/get", "department")])
def test_reads_accept_post(api, parent, path, key):
    by_get = api.get(path, {"id": parent})
    by_post = api.post_raw(path, b"", params={"id": parent})
    assert by_get["errcode"] == 0 and by_post["errcode"] == 0, (by_get, by_post)
    assert by_post[key] == by_get[key]


# --- tokens ---------------------------------------------------------------------------------

ENDPOINTS = [
    ("POST", "department/create", {}, {"name": "tokenless", "parentid": 1}),
    ("POST", "department/update", {}, {"id": 1, "name": "hijacked"}),
    ("GET", "department/delete", {"id": 2}, None),
    ("GET", "department/list", {}, None),
    ("GET", "department/simplelist", {}, None),
    ("GET", "department/get", {"id": 1}, None),
]


@pytest.mark.parametrize("method, path, params, body", ENDPOINTS,
                         ids=[e[1].split("/")[1] for e in ENDPOINTS])
@pytest.mark.parametrize("token, code", [(None, 41001), ("not-a-real-token", 40014),
                                         ("", 41001)], ids=["missing", "unknown", "empty"])
def test_token_errors(api, method, path, params, body, token, code):
    victim = api.create_ok(unique("victim"))
    params = {k: (victim if k == "id" and v == 2 else v) for k, v in params.items()}
    before = api.list()
    if method == "GET":
        res = api.get(path, params, token=token)
    else:
        res = api.post(path, body, params, token=token)
    assert res["errcode"] == code, res
    assert "department" not in res and "department_id" not in res and "id" not in res
    assert api.list() == before


# --- durability -----------------------------------------------------------------------------

def test_whole_tree_in_pre_order_and_it_survives_a_restart(fresh):
    a, storage = fresh
    eng = a.create_ok("Engineering", name_en="Eng", order=10)
    sales = a.create_ok("销售部", name_en="Sales", order=20)
    backend_ = a.create_ok("后端", parentid=eng, order=1)
    frontend = a.create_ok("前端", parentid=eng, order=2)
    east = a.create_ok("华东区", parentid=sales, order=1)
    assert (eng, sales, backend_, frontend, east) == (2, 3, 4, 5, 6), "ids start at 2"
    ops = a.create_ok("Ops", order=10, id=100)
    assert a.create_ok("auto", parentid=ops) == 101
    expected = [1, sales, east, eng, frontend, backend_, ops, 101]
    assert a.ids() == expected
    before = a.list()
    simple_before = a.simplelist()

    a.server.stop()
    a.server.start()
    a.refresh_token()

    assert a.list() == before
    assert a.simplelist() == simple_before
    assert a.dept(sales)["name"] == "销售部" and a.dept(sales)["name_en"] == "Sales"
    assert a.create_ok("after restart", order=5) == 102, "ids continue from the stored maximum"
    assert a.create(name="销售部", parentid=1)["errcode"] == 60008, "names survive too"
    a.update_ok(id=east, parentid=eng)
    assert a.delete(backend_)["errcode"] == 0

    a.server.stop()
    a.server.start()
    a.refresh_token()
    assert a.ids() == [1, sales, eng, frontend, east, ops, 101, 102]
    assert a.dept(east)["parentid"] == eng
    assert a.get("department/get", {"id": backend_})["errcode"] == 60003
