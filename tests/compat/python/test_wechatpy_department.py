"""wechatpy 1.8.18 against corphub: the department API through the SDK's own helpers.

wechatpy 1.8.18's `client.department` has create / update / delete and `get(id=None)`, which
is department/list (the subtree, or the whole tree) returning the `department` array. It has
no helper for department/get or department/simplelist; an integration calls those through the
client's generic `get`, as done here.
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


def ids(departments) -> list:
    return [d["id"] for d in departments]


def errcode_of(call, *args, **kwargs) -> int:
    with pytest.raises(WeChatClientException) as e:
        call(*args, **kwargs)
    assert e.value.response.status_code == 200
    return e.value.errcode


def test_a_department_script(client, corp):
    dept = client.department

    # the root is there and carries the organisation's name
    tree = dept.get()
    assert tree[0]["id"] == 1 and tree[0]["name"] == corp.name

    # create a small tree: 研发部 (order 20) and 市场部 (order 10) under the root, two teams
    rd_name, mk_name = unique("研发部"), unique("市场部")
    rd = dept.create(rd_name, parent_id=1, order=20)
    assert rd["errcode"] == 0 and rd["errmsg"] == "created", rd
    rd_id = rd["id"]
    assert type(rd_id) is int and rd_id > 1
    mk_id = max(ids(dept.get())) + 10
    mk = dept.create(mk_name, parent_id=1, order=10, id=mk_id)
    assert mk["id"] == mk_id, mk
    backend_id = dept.create("后端组", parent_id=rd_id, order=1)["id"]
    frontend_id = dept.create("前端组", parent_id=rd_id, order=2)["id"]

    # list: the subtree in pre-order, siblings by order descending
    sub = dept.get(rd_id)
    assert ids(sub) == [rd_id, frontend_id, backend_id]
    assert [d["name"] for d in sub] == [rd_name, "前端组", "后端组"]
    for d in sub:
        assert type(d["id"]) is int and type(d["parentid"]) is int and type(d["order"]) is int
        assert d["department_leader"] == []
    assert sub[1]["parentid"] == rd_id and sub[1]["order"] == 2
    whole = ids(dept.get())
    assert whole.index(rd_id) < whole.index(frontend_id) < whole.index(backend_id) \
        < whole.index(mk_id)

    # department/get and simplelist through the client's generic get
    one = client.get("department/get", params={"id": backend_id})
    assert one["department"]["name"] == "后端组" and one["department"]["parentid"] == rd_id
    simple = client.get("department/simplelist", params={"id": rd_id})["department_id"]
    assert simple == [{"id": rd_id, "parentid": 1, "order": 20},
                      {"id": frontend_id, "parentid": rd_id, "order": 2},
                      {"id": backend_id, "parentid": rd_id, "order": 1}]

    # update: rename and re-order
    res = dept.update(backend_id, name="服务端组", order=5)
    assert res["errcode"] == 0 and res["errmsg"] == "updated", res
    assert ids(dept.get(rd_id)) == [rd_id, backend_id, frontend_id]
    assert dept.get(backend_id)[0]["name"] == "服务端组"

    # move a team to the other department
    dept.update(frontend_id, parent_id=mk_id)
    assert ids(dept.get(rd_id)) == [rd_id, backend_id]
    assert ids(dept.get(mk_id)) == [mk_id, frontend_id]
    assert dept.get(frontend_id)[0]["parentid"] == mk_id

    # delete: a parent only once it is empty
    assert errcode_of(dept.delete, mk_id) == 60006
    res = dept.delete(frontend_id)
    assert res["errcode"] == 0 and res["errmsg"] == "deleted", res
    assert dept.delete(mk_id)["errcode"] == 0
    assert mk_id not in ids(dept.get()) and frontend_id not in ids(dept.get())
    assert errcode_of(dept.get, mk_id) == 60003


def test_duplicate_sibling_name_is_60008(client):
    name = unique("dup")
    parent = client.department.create(unique("p"))["id"]
    client.department.create(name, parent_id=parent, order=2)
    before = client.department.get(parent)
    assert errcode_of(client.department.create, name, parent_id=parent) == 60008
    assert client.department.get(parent) == before
    other = client.department.create(unique("other"), parent_id=parent, order=1)["id"]
    assert errcode_of(client.department.update, other, name=name) == 60008
    assert client.department.get(parent) == before + client.department.get(other)


def test_taken_id_is_60008(client):
    taken = client.department.create(unique("taken"))["id"]
    assert errcode_of(client.department.create, unique("again"), id=taken) == 60008


def test_unknown_department_is_60003(client):
    missing = max(ids(client.department.get())) + 1000
    assert errcode_of(client.department.get, missing) == 60003
    assert errcode_of(client.department.update, missing, name="x") == 60003
    assert errcode_of(client.department.delete, missing) == 60003
    assert errcode_of(client.get, "department/get", params={"id": missing}) == 60003


def test_unknown_parent_is_60004(client):
    missing = max(ids(client.department.get())) + 1000
    assert errcode_of(client.department.create, unique("orphan"), parent_id=missing) == 60004


def test_root_cannot_be_deleted_60007(client, corp):
    assert errcode_of(client.department.delete, 1) == 60007
    assert client.department.get(1)[0]["name"] == corp.name


def test_move_under_own_child_is_60010(client):
    top = client.department.create(unique("top"))["id"]
    child = client.department.create(unique("child"), parent_id=top)["id"]
    assert errcode_of(client.department.update, top, parent_id=child) == 60010
    assert client.department.get(top)[1]["id"] == child


def test_illegal_name_is_60009_and_long_name_60001(client):
    assert errcode_of(client.department.create, "a|b") == 60009
    assert errcode_of(client.department.create, "部" * 65) == 60001
    assert client.department.create("部" * 64, parent_id=client.department.create(
        unique("long"))["id"])["errcode"] == 0


def test_string_numbers_as_wechatpy_users_pass_them(client):
    parent = client.department.create(unique("strparent"))["id"]
    res = client.department.create(unique("str"), parent_id=str(parent), order="3")
    got = client.department.get(res["id"])[0]
    assert got["parentid"] == parent and got["order"] == 3
