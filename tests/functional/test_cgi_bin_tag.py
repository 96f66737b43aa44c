"""/cgi-bin/tag/{create,update,delete,get,addtagusers,deltagusers,list} on SQLite and
PostgreSQL, through raw HTTP.

One server per backend serves the module; each test makes its own tags (unique names), members
and departments.
"""
from __future__ import annotations

import pytest

from wecom_api import make_api, unique


@pytest.fixture(scope="module")
def api(module_harness, backend):
    return make_api(module_harness, backend)


@pytest.fixture
def dept(api) -> int:
    return api.create_ok(unique("tagged"))


def create(api, **body) -> dict:
    return api.post("tag/create", body)


def create_ok(api, tagname=None, **body) -> int:
    res = create(api, tagname=tagname or unique("tag"), **body)
    assert res["errcode"] == 0 and res["errmsg"] == "created", res
    assert type(res["tagid"]) is int and res["tagid"] > 0, res
    return res["tagid"]


def get_tag(api, tagid) -> dict:
    res = api.get("tag/get", {"tagid": tagid})
    assert res["errcode"] == 0 and res["errmsg"] == "ok", res
    assert type(res["tagname"]) is str, res
    assert type(res["userlist"]) is list and type(res["partylist"]) is list, res
    for u in res["userlist"]:
        assert set(u) == {"userid", "name"}, u
        assert type(u["userid"]) is str and type(u["name"]) is str, u
    assert all(type(p) is int for p in res["partylist"]), res
    return res


def users(api, tagid) -> list:
    return sorted(u["userid"] for u in get_tag(api, tagid)["userlist"])


def parties(api, tagid) -> list:
    return sorted(get_tag(api, tagid)["partylist"])


def taglist(api) -> list:
    res = api.get("tag/list")
    assert res["errcode"] == 0 and res["errmsg"] == "ok", res
    for t in res["taglist"]:
        assert set(t) == {"tagid", "tagname"}, t
        assert type(t["tagid"]) is int and type(t["tagname"]) is str, t
    return res["taglist"]


def add(api, tagid, userlist=None, partylist=None) -> dict:
    body = {"tagid": tagid}
    if userlist is not None:
        body["userlist"] = userlist
    if partylist is not None:
        body["partylist"] = partylist
    return api.post("tag/addtagusers", body)


def delete_users(api, tagid, userlist=None, partylist=None) -> dict:
    body = {"tagid": tagid}
    if userlist is not None:
        body["userlist"] = userlist
    if partylist is not None:
        body["partylist"] = partylist
    return api.post("tag/deltagusers", body)


def assert_all_valid(res):
    assert res["errcode"] == 0 and res["errmsg"] == "ok", res
    assert "invalidlist" not in res and "invalidparty" not in res, res


def invalid_users(res) -> list:
    assert type(res["invalidlist"]) is str, "invalidlist is a '|'-separated string"
    return sorted(res["invalidlist"].split("|"))


def invalid_parties(res) -> list:
    assert type(res["invalidparty"]) is list, "invalidparty is an array"
    assert all(type(p) is int for p in res["invalidparty"]), res
    return sorted(res["invalidparty"])


def nobody() -> str:
    return unique("nobody")


# --- create, get, list ----------------------------------------------------------------------

def test_create_then_get_and_list(api):
    name = unique("标签")
    tagid = create_ok(api, name)
    res = get_tag(api, tagid)
    assert (res["tagname"], res["userlist"], res["partylist"]) == (name, [], [])
    assert api.post_raw("tag/get", b"", params={"tagid": tagid}) == res
    assert {"tagid": tagid, "tagname": name} in taglist(api)


def test_create_with_a_tagid_and_numbers_as_strings(api):
    high = max([t["tagid"] for t in taglist(api)] + [0]) + 100
    assert create_ok(api, tagid=high) == high
    assert create_ok(api, tagid=str(high + 1)) == high + 1
    assert get_tag(api, str(high + 1))["userlist"] == []


def test_automatic_tagids_are_free_ones(api):
    taken = {t["tagid"] for t in taglist(api)}
    explicit = create_ok(api, tagid=max(taken | {0}) + 2)
    got = [create_ok(api) for _ in range(4)]
    assert len(set(got)) == 4 and not (set(got) & (taken | {explicit})), (got, taken)


def test_names_up_to_32_characters(api):
    for name in ("t" * 32, "标" * 32, "标"):
        tagid = create_ok(api, name)
        assert get_tag(api, tagid)["tagname"] == name


def _create_errors():
    return [
        ("missing tagname", {"tagname": None}, 40072),
        ("empty tagname", {"tagname": ""}, 40072),
        ("33 characters", {"tagname": "x" * 33}, 40072),
        ("33 Chinese characters", {"tagname": "标" * 33}, 40072),
        ("name taken", {"tagname": "TAKEN_NAME"}, 40071),
        ("tagid 0", {"tagid": 0}, 40068),
        ("negative tagid", {"tagid": -3}, 40068),
        ("tagid not a number", {"tagid": "abc"}, 40068),
        ("tagid taken", {"tagid": "TAKEN_ID"}, 40068),
    ]


@pytest.mark.parametrize("what, change, code", _create_errors(),
                         ids=[c[0] for c in _create_errors()])
def test_create_errors_change_nothing(api, what, change, code):
    taken_name = unique("taken")
    taken_id = create_ok(api, taken_name)
    subst = {"TAKEN_NAME": taken_name, "TAKEN_ID": taken_id}
    body = {"tagname": unique("new")}
    for k, v in change.items():
        if v is None:
            body.pop(k)
        else:
            body[k] = subst.get(v, v) if isinstance(v, str) else v
    before = taglist(api)
    res = create(api, **body)
    assert res["errcode"] == code, (what, res)
    assert "tagid" not in res, res
    assert taglist(api) == before
    assert get_tag(api, taken_id)["tagname"] == taken_name


def test_list_is_by_tagid(api):
    high = max([t["tagid"] for t in taglist(api)] + [0]) + 50
    names = {high + 3: unique("c"), high + 1: unique("a"), high + 2: unique("b")}
    for tagid, name in names.items():
        assert create_ok(api, name, tagid=tagid) == tagid
    tags = taglist(api)
    ids = [t["tagid"] for t in tags]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    mine = [t for t in tags if t["tagid"] in names]
    assert mine == [{"tagid": i, "tagname": names[i]} for i in sorted(names)]
    posted = api.post_raw("tag/list", b"")
    assert posted["errcode"] == 0 and posted["taglist"] == tags


def test_get_of_an_unknown_tag_is_40068(api):
    res = api.get("tag/get", {"tagid": 987654})
    assert res["errcode"] == 40068 and "userlist" not in res, res


# --- update ---------------------------------------------------------------------------------

def test_update_renames(api, dept):
    tagid = create_ok(api)
    member = api.new_member(dept)
    assert_all_valid(add(api, tagid, [member]))
    name = unique("renamed")
    res = api.post("tag/update", {"tagid": tagid, "tagname": name})
    assert res["errcode"] == 0 and res["errmsg"] == "updated", res
    assert get_tag(api, tagid)["tagname"] == name
    assert users(api, tagid) == [member], "renaming keeps the members"
    assert {"tagid": tagid, "tagname": name} in taglist(api)
    res = api.post("tag/update", {"tagid": str(tagid), "tagname": name})
    assert res["errcode"] == 0, "its own name is no clash"


@pytest.mark.parametrize("what, change, code", [
    ("unknown tag", {"tagid": 987654}, 40068),
    ("empty name", {"tagname": ""}, 40072),
    ("33 characters", {"tagname": "y" * 33}, 40072),
    ("another tag's name", {"tagname": "OTHER"}, 40071),
], ids=["unknown tag", "empty name", "33 characters", "another tag's name"])
def test_update_errors_change_nothing(api, what, change, code):
    tagid, other_name = create_ok(api), unique("other")
    create_ok(api, other_name)
    body = {"tagid": tagid, "tagname": unique("fine")}
    body.update({k: other_name if v == "OTHER" else v for k, v in change.items()})
    before = taglist(api)
    res = api.post("tag/update", body)
    assert res["errcode"] == code, (what, res)
    assert taglist(api) == before


# --- delete ---------------------------------------------------------------------------------

def test_delete_untags_members_and_departments(api, dept):
    name = unique("doomed")
    tagid = create_ok(api, name)
    member = api.new_member(dept)
    assert_all_valid(add(api, tagid, [member], [dept]))
    res = api.get("tag/delete", {"tagid": tagid})
    assert res["errcode"] == 0 and res["errmsg"] == "deleted", res
    assert api.get("tag/get", {"tagid": tagid})["errcode"] == 40068
    assert tagid not in [t["tagid"] for t in taglist(api)]
    assert api.get("tag/delete", {"tagid": tagid})["errcode"] == 40068
    assert api.exists(member) and api.dept(dept)["id"] == dept
    # the same id and name again start empty
    assert create_ok(api, name, tagid=tagid) == tagid
    res = get_tag(api, tagid)
    assert (res["userlist"], res["partylist"]) == ([], [])


def test_delete_of_an_unknown_tag_is_40068(api):
    before = taglist(api)
    assert api.get("tag/delete", {"tagid": 987654})["errcode"] == 40068
    assert taglist(api) == before


# --- addtagusers ----------------------------------------------------------------------------

def test_add_members_and_departments(api, dept):
    tagid = create_ok(api)
    a = api.new_member(dept, name="成员甲")
    b = api.new_member(dept, userid=unique("MixedCase"))
    child = api.create_ok(unique("child"), parentid=dept)
    assert_all_valid(add(api, tagid, [a, b.lower()], [dept]))
    res = get_tag(api, tagid)
    assert sorted(res["userlist"], key=lambda u: u["userid"]) == sorted(
        [{"userid": a, "name": "成员甲"}, {"userid": b, "name": api.member(b)["name"]}],
        key=lambda u: u["userid"]), "userids keep the members' spelling"
    assert res["partylist"] == [dept]
    # adding the same again is no error and adds nothing twice; numbers may be strings
    assert_all_valid(add(api, str(tagid), [a], [str(dept), str(child)]))
    assert users(api, tagid) == sorted([a, b])
    assert parties(api, tagid) == sorted([dept, child])
    # names follow the member
    api.user_update_ok(userid=a, name="成员乙")
    assert {"userid": a, "name": "成员乙"} in get_tag(api, tagid)["userlist"]


def test_add_only_members_or_only_departments(api, dept):
    t1, t2 = create_ok(api), create_ok(api)
    a = api.new_member(dept)
    assert_all_valid(add(api, t1, userlist=[a]))
    assert_all_valid(add(api, t2, partylist=[dept]))
    assert (users(api, t1), parties(api, t1)) == ([a], [])
    assert (users(api, t2), parties(api, t2)) == ([], [dept])


def test_add_skips_and_reports_unknown_targets(api, dept):
    tagid = create_ok(api)
    a = api.new_member(dept)
    x, y = nobody(), nobody()
    res = add(api, tagid, [a, x, y], [dept, 987654, 987655])
    assert res["errcode"] == 0, res
    assert invalid_users(res) == sorted([x, y])
    assert invalid_parties(res) == [987654, 987655]
    assert (users(api, tagid), parties(api, tagid)) == ([a], [dept])
    # only unknown members: invalidparty is absent, and the other way round
    res = add(api, tagid, [a, x], [dept])
    assert res["errcode"] == 0 and invalid_users(res) == [x] and "invalidparty" not in res, res
    res = add(api, tagid, [a], [dept, 987654])
    assert res["errcode"] == 0 and invalid_parties(res) == [987654], res
    assert "invalidlist" not in res, res
    assert (users(api, tagid), parties(api, tagid)) == ([a], [dept])


def test_add_with_nothing_valid_is_40070(api, dept):
    tagid = create_ok(api)
    a = api.new_member(dept)
    assert_all_valid(add(api, tagid, [a]))
    res = add(api, tagid, [nobody()], [987654])
    assert res["errcode"] == 40070, res
    res = add(api, tagid, [nobody(), nobody()])
    assert res["errcode"] == 40070, res
    assert (users(api, tagid), parties(api, tagid)) == ([a], [])


@pytest.mark.parametrize("path", ["tag/addtagusers", "tag/deltagusers"])
def test_errors_of_both_calls(api, dept, path):
    tagid = create_ok(api)
    a = api.new_member(dept)
    assert_all_valid(add(api, tagid, [a], [dept]))
    unknown_ones = [nobody() for _ in range(1000)]
    cases = [
        ({"tagid": tagid}, 40058),
        ({"tagid": tagid, "userlist": [], "partylist": []}, 40058),
        ({"tagid": 987654, "userlist": [a]}, 40068),
        ({"tagid": tagid, "userlist": [a] + unknown_ones}, 40031),
        ({"tagid": tagid, "partylist": [dept] + list(range(900000, 900100))}, 40066),
    ]
    for body, code in cases:
        res = api.post(path, body)
        assert res["errcode"] == code, (path, {k: v if not isinstance(v, list) or len(v) < 5
                                               else f"{len(v)} items" for k, v in body.items()},
                                        res)
        assert (users(api, tagid), parties(api, tagid)) == ([a], [dept])


def test_add_takes_up_to_1000_members_and_100_departments(api, dept):
    tagid = create_ok(api)
    a = api.new_member(dept)
    unknown_ones = [nobody() for _ in range(999)]
    res = add(api, tagid, [a] + unknown_ones, [dept] + list(range(900000, 900099)))
    assert res["errcode"] == 0, res
    assert invalid_users(res) == sorted(unknown_ones)
    assert invalid_parties(res) == list(range(900000, 900099))
    assert (users(api, tagid), parties(api, tagid)) == ([a], [dept])


# --- deltagusers ----------------------------------------------------------------------------

def test_delete_members_and_departments(api, dept):
    tagid = create_ok(api)
    a, b = api.new_member(dept, userid=unique("Del")), api.new_member(dept)
    child = api.create_ok(unique("child"), parentid=dept)
    assert_all_valid(add(api, tagid, [a, b], [dept, child]))
    res = delete_users(api, tagid, [a.upper()], [child])
    assert_all_valid(res)
    assert (users(api, tagid), parties(api, tagid)) == ([b], [dept])
    assert api.exists(a) and api.dept(child)["id"] == child, "only the tag changed"


def test_delete_reports_unknown_and_untagged_targets(api, dept):
    tagid = create_ok(api)
    tagged, untagged = api.new_member(dept), api.new_member(dept)
    other = api.create_ok(unique("other"))
    assert_all_valid(add(api, tagid, [tagged], [dept]))
    x = nobody()
    res = delete_users(api, tagid, [tagged, untagged, x], [dept, other, 987654])
    assert res["errcode"] == 0, res
    assert invalid_users(res) == sorted([untagged, x])
    assert invalid_parties(res) == sorted([other, 987654])
    assert (users(api, tagid), parties(api, tagid)) == ([], [])


def test_delete_with_nothing_valid_is_40070(api, dept):
    tagid = create_ok(api)
    tagged, untagged = api.new_member(dept), api.new_member(dept)
    other = api.create_ok(unique("other"))
    assert_all_valid(add(api, tagid, [tagged], [dept]))
    res = delete_users(api, tagid, [untagged, nobody()], [other, 987654])
    assert res["errcode"] == 40070, res
    assert (users(api, tagid), parties(api, tagid)) == ([tagged], [dept])


# --- tokens ---------------------------------------------------------------------------------

ENDPOINTS = [
    ("POST", "tag/create", None, {"tagname": "NEW"}),
    ("POST", "tag/update", None, {"tagid": "TAG", "tagname": "NEW"}),
    ("GET", "tag/delete", {"tagid": "TAG"}, None),
    ("GET", "tag/get", {"tagid": "TAG"}, None),
    ("POST", "tag/addtagusers", None, {"tagid": "TAG", "userlist": ["OTHER"]}),
    ("POST", "tag/deltagusers", None, {"tagid": "TAG", "userlist": ["MEMBER"]}),
    ("GET", "tag/list", None, None),
]


@pytest.mark.parametrize("method, path, params, body", ENDPOINTS,
                         ids=[e[1].split("/")[1] for e in ENDPOINTS])
@pytest.mark.parametrize("token, code", [(None, 41001), ("not-a-real-token", 40014)],
                         ids=["missing", "unknown"])
def test_token_errors(api, dept, method, path, params, body, token, code):
    tagid = create_ok(api)
    member, other = api.new_member(dept), api.new_member(dept)
    assert_all_valid(add(api, tagid, [member]))
    subst = {"TAG": tagid, "NEW": unique("new"), "MEMBER": member, "OTHER": other}

    def fill(v):
        if isinstance(v, list):
            return [fill(x) for x in v]
        return subst.get(v, v) if isinstance(v, str) else v
    before = taglist(api)
    if method == "GET":
        res = api.get(path, {k: fill(v) for k, v in (params or {}).items()}, token=token)
    else:
        res = api.post(path, {k: fill(v) for k, v in (body or {}).items()}, token=token)
    assert res["errcode"] == code, res
    assert set(res) == {"errcode", "errmsg"}, res
    assert taglist(api) == before
    assert users(api, tagid) == [member]
