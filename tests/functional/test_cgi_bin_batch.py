"""/cgi-bin/batch/* (syncuser, replaceuser, replaceparty, getresult) on SQLite and PostgreSQL,
through raw HTTP.

The CSV goes up with media/upload?type=file, the job is submitted, and batch/getresult is polled
(every 0.1 s, at most 20 s) until status 3. Sync tests share one server per backend and use
departments and userids of their own; replace jobs touch the whole organisation, so each of those
tests starts a server of its own.
"""
from __future__ import annotations

import itertools
import re
import time
import uuid

import pytest

from wecom_api import make_api, unique

_seq = itertools.count(1)

HEADER = ["姓名", "帐号", "手机号", "邮箱", "所在部门", "职位", "性别", "是否部门内领导", "排序",
          "别名", "地址", "座机", "禁用"]
PARTY_HEADER = ["部门名称", "部门ID", "父部门ID", "排序"]
POLL_S = 0.1
DEADLINE_S = 20.0


def uid(prefix="b") -> str:
    return f"{prefix}{next(_seq)}x{uuid.uuid4().hex[:6]}"


def mobile() -> str:
    return f"136{next(_seq):08d}"


def csv_bytes(header: list, rows: list, encoding: str = "utf-8-sig") -> bytes:
    def cell(v):
        v = "" if v is None else str(v)
        if any(c in v for c in ',"\r\n'):
            v = '"' + v.replace('"', '""') + '"'
        return v
    lines = [",".join(cell(c) for c in header)]
    lines += [",".join(cell(c) for c in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def user_row(**kw) -> list:
    """A row under HEADER from keyword cells (missing ones empty)."""
    keys = ["name", "userid", "mobile", "email", "department", "position", "gender", "leader",
            "order", "alias", "address", "telephone", "disable"]
    assert set(kw) <= set(keys), kw
    return [kw.get(k, "") for k in keys]


def upload_file(api, data: bytes, filename: str = "batch.csv") -> str:
    boundary = "----corphub" + uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"media\"; "
            f"filename=\"{filename}\"\r\nContent-Type: text/csv\r\n\r\n").encode() + data + \
        f"\r\n--{boundary}--\r\n".encode()
    r = api.http.post(api.server.url + "/cgi-bin/media/upload",
                      params={"access_token": api.token, "type": "file"}, data=body,
                      headers={"Content-Type": "multipart/form-data; boundary=" + boundary},
                      timeout=60)
    res = api._decode(r)
    assert res["errcode"] == 0, res
    return res["media_id"]


def submit(api, endpoint: str, media_id: str) -> dict:
    return api.post("batch/" + endpoint, {"media_id": media_id, "to_invite": False,
                                         "callback": {"url": "", "token": "",
                                                      "encodingaeskey": ""}})


def submit_ok(api, endpoint: str, data: bytes) -> str:
    res = submit(api, endpoint, upload_file(api, data))
    assert res["errcode"] == 0, res
    assert type(res["jobid"]) is str and res["jobid"], res
    return res["jobid"]


def wait_job(api, jobid: str) -> dict:
    deadline = time.monotonic() + DEADLINE_S
    while True:
        res = api.get("batch/getresult", {"jobid": jobid})
        assert res["errcode"] == 0, res
        assert res["status"] in (1, 2, 3), res
        assert type(res["percentage"]) is int and 0 <= res["percentage"] <= 100, res
        if res["status"] == 3:
            return res
        assert time.monotonic() < deadline, f"job {jobid} not finished in {DEADLINE_S} s: {res}"
        time.sleep(POLL_S)


def run(api, endpoint: str, data: bytes) -> dict:
    return wait_job(api, submit_ok(api, endpoint, data))


def assert_finished(res: dict, type_: str, total: int):
    assert res["status"] == 3, res
    assert res["type"] == type_, res
    assert res["total"] == total, res
    assert res["percentage"] == 100, res
    assert type(res["result"]) is list, res
    assert "job_errcode" not in res or res["job_errcode"] == 0, res


def line_of(errmsg: str) -> int:
    m = re.search(r"line (\d+)", errmsg)
    assert m, errmsg
    return int(m.group(1))


def org_userids(api) -> set:
    return set(api.members_of(1, fetch_child=1))


@pytest.fixture(scope="module")
def api(module_harness, backend):
    return make_api(module_harness, backend)


@pytest.fixture
def fresh(harness, backend):
    return make_api(harness, backend)


# --- syncuser --------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_syncuser_creates_members_and_reports_each_row(api, encoding):
    a = api.create_ok(unique("批量甲"))
    top = unique("研发部")
    top_id = api.create_ok(top)
    sub = api.create_ok("后端组", parentid=top_id)
    u1, u2, u3 = uid(), uid(), uid()
    m1, m2, m3 = mobile(), mobile(), mobile()
    rows = [
        user_row(name="张三", userid=u1, mobile=m1, email=f"{u1}@example.com",
                 department=f"{a};{top}/后端组", position="工程师", gender="男", leader="1;0",
                 order="10;20", alias="阿三", address="北京市海淀区", telephone="010-12345678",
                 disable="否"),
        user_row(name="李四", userid=u2, mobile=m2, department=str(sub), gender="女",
                 disable="是"),
        user_row(name="王五", userid=uid(), mobile="not-a-phone", department=str(a)),
        user_row(name="张三二", userid=u1, mobile=mobile(), department=str(a)),
        user_row(name="赵六", userid=u3, mobile=m3, department=f"{top}", gender="2",
                 leader="是", order="7", disable="0"),
    ]
    res = run(api, "syncuser", csv_bytes(HEADER, rows, encoding))
    assert_finished(res, "sync_user", 5)
    result = res["result"]
    assert len(result) == 5, res
    for r in result:
        assert set(r) >= {"userid", "errcode", "errmsg"}, r
        assert type(r["errcode"]) is int and type(r["errmsg"]) is str, r
    assert [r["userid"] for r in result] == [u1, u2, rows[2][1], u1, u3], result
    assert [r["errcode"] for r in result] == [0, 0, 60103, 302003, 0], result
    assert line_of(result[2]["errmsg"]) == 4, result[2]   # the header is line 1
    assert line_of(result[3]["errmsg"]) == 5, result[3]

    m = api.member(u1)
    assert m == {**m, "name": "张三", "mobile": m1, "email": f"{u1}@example.com",
                 "department": [a, sub], "is_leader_in_dept": [1, 0], "order": [10, 20],
                 "main_department": a, "position": "工程师", "gender": "1", "alias": "阿三",
                 "address": "北京市海淀区", "telephone": "010-12345678", "enable": 1,
                 "status": 4}
    m = api.member(u2)
    assert m == {**m, "name": "李四", "mobile": m2, "department": [sub], "gender": "2",
                 "enable": 0, "status": 2, "is_leader_in_dept": [0], "order": [0]}
    m = api.member(u3)
    assert m == {**m, "name": "赵六", "department": [top_id], "gender": "2",
                 "is_leader_in_dept": [1], "order": [7], "enable": 1}
    assert not api.exists(rows[2][1])
    assert api.members_of(a) == [u1]


def test_syncuser_updates_with_the_non_empty_cells_only(api):
    a = api.create_ok(unique("批量乙"))
    b = api.create_ok(unique("批量丙"))
    u = api.new_member(a, userid=uid(), name="原名", position="旧职位", alias="旧别名",
                       address="旧地址", gender=1)
    before = api.member(u)
    new_mobile = mobile()
    rows = [user_row(name="新名", userid=u, mobile=new_mobile, department=str(b),
                     position="新职位", disable="1")]
    res = run(api, "syncuser", csv_bytes(HEADER, rows))
    assert_finished(res, "sync_user", 1)
    assert [r["errcode"] for r in res["result"]] == [0], res
    m = api.member(u)
    assert m == {**m, "name": "新名", "mobile": new_mobile, "department": [b],
                 "position": "新职位", "enable": 0, "status": 2,
                 # empty cells keep the field
                 "alias": "旧别名", "address": "旧地址", "gender": "1",
                 "email": before["email"]}


def test_syncuser_takes_api_field_names_and_any_column_order(api):
    a = api.create_ok(unique("批量丁"))
    u, mob = uid(), mobile()
    data = csv_bytes(["department", "mobile", "userid", "name"], [[str(a), mob, u, "钱七"]])
    res = run(api, "syncuser", data)
    assert_finished(res, "sync_user", 1)
    assert res["result"][0]["errcode"] == 0, res
    m = api.member(u)
    assert m == {**m, "name": "钱七", "mobile": mob, "department": [a]}


def test_syncuser_utf8_without_bom(api):
    a = api.create_ok(unique("批量戊"))
    u = uid()
    res = run(api, "syncuser", csv_bytes(["姓名", "帐号", "手机号", "所在部门"],
                                         [["孙八", u, mobile(), str(a)]], "utf-8"))
    assert_finished(res, "sync_user", 1)
    assert api.member(u)["name"] == "孙八"


def test_syncuser_without_name_or_userid_columns_is_40058_and_changes_nothing(api):
    a = api.create_ok(unique("批量己"))
    before = org_userids(api)
    for header, row in [(["姓名", "手机号", "所在部门"], ["周九", mobile(), str(a)]),
                        (["帐号", "手机号", "所在部门"], [uid(), mobile(), str(a)])]:
        res = submit(api, "syncuser", upload_file(api, csv_bytes(header, [row])))
        assert res["errcode"] == 40058, res
        assert res["errmsg"], res
        assert "jobid" not in res or not res["jobid"], res
    assert org_userids(api) == before


@pytest.mark.parametrize("endpoint", ["syncuser", "replaceuser", "replaceparty"])
def test_garbage_file_is_40058_at_submit(api, endpoint):
    before = org_userids(api)
    depts = api.ids()
    garbage = b"\x00\x01\xff\xfe" + bytes(range(256)) * 8 + b"\x00\x00\xc3\x28"
    res = submit(api, endpoint, upload_file(api, garbage, "x.bin"))
    assert res["errcode"] == 40058, res
    assert org_userids(api) == before
    assert api.ids() == depts


@pytest.mark.parametrize("endpoint", ["syncuser", "replaceuser", "replaceparty"])
def test_unknown_media_id_is_40007(api, endpoint):
    res = submit(api, endpoint, "no-such-media-" + uuid.uuid4().hex)
    assert res["errcode"] == 40007, res


@pytest.mark.parametrize("jobid", ["nope", "0", uuid.uuid4().hex])
def test_getresult_unknown_jobid_is_40058(api, jobid):
    res = api.get("batch/getresult", {"jobid": jobid})
    assert res["errcode"] == 40058, res


def test_a_file_of_3000_rows_runs_in_several_chunks_and_applies_all(api):
    d = api.create_ok(unique("批量大"))
    stem = "big" + uuid.uuid4().hex[:6]
    n = 3000
    rows = [user_row(name=f"成员{i}", userid=f"{stem}-{i}", mobile=f"135{next(_seq):08d}",
                     department=str(d), order=str(i)) for i in range(n)]
    res = run(api, "syncuser", csv_bytes(HEADER, rows))
    assert_finished(res, "sync_user", n)
    assert len(res["result"]) == n, len(res["result"])
    bad = [r for r in res["result"] if r["errcode"] != 0]
    assert not bad, bad[:5]
    got = api.members_of(d)
    assert len(got) == n
    assert set(got) == {f"{stem}-{i}" for i in range(n)}
    # a row from the last chunk really carries its cells
    m = api.member(f"{stem}-{n - 1}")
    assert m["order"] == [n - 1] and m["name"] == f"成员{n - 1}", m


# --- replaceuser ----------------------------------------------------------------------------

def test_replaceuser_deletes_members_left_out_and_clears_empty_cells(fresh):
    api = fresh
    d = api.create_ok(unique("全量"))
    keep = api.new_member(d, userid=uid(), name="保留", position="职位", alias="别名",
                          address="地址", telephone="010-1234", gender=1)
    gone = [api.new_member(d, userid=uid()) for _ in range(2)]
    new = uid()
    keep_mobile = api.member(keep)["mobile"]
    rows = [user_row(name="保留改", userid=keep, mobile=keep_mobile, department=str(d)),
            user_row(name="新人", userid=new, mobile=mobile(), department=str(d),
                     position="新职位")]
    res = run(api, "replaceuser", csv_bytes(HEADER, rows))
    assert_finished(res, "replace_user", 2)
    assert [r["errcode"] for r in res["result"]] == [0, 0], res
    for g in gone:
        assert not api.exists(g), g
    assert org_userids(api) == {keep, new}
    m = api.member(keep)
    assert m == {**m, "name": "保留改", "position": "", "alias": "", "address": "",
                 "telephone": "", "department": [d]}
    assert api.member(new)["position"] == "新职位"


def test_replaceuser_that_would_delete_too_many_is_45026_and_changes_nothing(fresh):
    api = fresh
    d = api.create_ok(unique("保护"))
    users = [api.new_member(d, userid=uid(), position="原职位") for _ in range(30)]
    mobiles = {u: api.member(u)["mobile"] for u in users[:5]}
    rows = [user_row(name="改名", userid=u, mobile=mobiles[u], department=str(d),
                     position="新职位") for u in users[:5]]
    res = run(api, "replaceuser", csv_bytes(HEADER, rows))
    assert res["status"] == 3, res
    assert res["job_errcode"] == 45026, res
    assert type(res["job_errmsg"]) is str and res["job_errmsg"], res
    assert org_userids(api) == set(users)
    m = api.member(users[0])
    assert m["position"] == "原职位" and m["name"] != "改名", m


def test_replaceuser_within_the_guard_deletes(fresh):
    """10 deletions is not more than 10: allowed even when over 20 %."""
    api = fresh
    d = api.create_ok(unique("十个"))
    users = [api.new_member(d, userid=uid()) for _ in range(15)]
    rows = [user_row(name="留", userid=u, mobile=api.member(u)["mobile"], department=str(d))
            for u in users[:5]]
    res = run(api, "replaceuser", csv_bytes(HEADER, rows))
    assert_finished(res, "replace_user", 5)
    assert org_userids(api) == set(users[:5])


# --- replaceparty ---------------------------------------------------------------------------

def test_replaceparty_creates_renames_moves_reorders_and_deletes(fresh):
    api = fresh
    root = api.dept(1)
    a = api.create_ok("甲", id=10, order=5)
    b = api.create_ok("乙", id=11, order=5)
    c = api.create_ok("丙", parentid=a, id=12, order=5)
    gone = api.create_ok("丁", id=13, order=5)
    f = api.create_ok("己", id=14, order=5)
    gone_child = api.create_ok("丁下", parentid=gone, id=15, order=5)
    only = api.new_member(gone, userid=uid())
    both = api.new_member([gone_child, b], userid=uid())
    rows = [
        [root["name"], 1, 0, root["order"]],
        ["甲", 10, 1, 7],          # reorder: 8
        ["乙改", 11, 1, 5],        # rename: 2
        ["丙", 12, 11, 5],         # move: 4
        ["戊", 20, 10, 3],         # create: 1
        ["己二", 14, 10, 5],       # rename + move: 6
    ]
    res = run(api, "replaceparty", csv_bytes(PARTY_HEADER, rows))
    assert_finished(res, "replace_party", len(rows))
    by_id = {}
    for r in res["result"]:
        assert set(r) >= {"action", "partyid", "errcode", "errmsg"}, r
        assert type(r["action"]) is int and type(r["partyid"]) is int, r
        by_id[r["partyid"]] = r
    assert all(r["errcode"] == 0 for r in res["result"]), res
    assert {k: by_id[k]["action"] for k in (10, 11, 12, 20, 14)} == \
        {10: 8, 11: 2, 12: 4, 20: 1, 14: 6}, res
    depts = {d["id"]: d for d in api.list()}
    assert set(depts) == {1, 10, 11, 12, 14, 20}, depts
    assert (depts[10]["name"], depts[10]["parentid"], depts[10]["order"]) == ("甲", 1, 7)
    assert (depts[11]["name"], depts[11]["parentid"]) == ("乙改", 1)
    assert (depts[12]["name"], depts[12]["parentid"]) == ("丙", 11)
    assert (depts[20]["name"], depts[20]["parentid"], depts[20]["order"]) == ("戊", 10, 3)
    assert (depts[14]["name"], depts[14]["parentid"]) == ("己二", 10)
    assert api.member(only)["department"] == [1]
    assert api.member(both)["department"] == [b]
    del c, f


def test_replaceparty_without_its_columns_is_40058(fresh):
    api = fresh
    api.create_ok("留下", id=30)
    before = api.list()
    res = submit(api, "replaceparty", upload_file(api, csv_bytes(["名字", "编号"], [["x", 2]])))
    assert res["errcode"] == 40058, res
    assert api.list() == before


def test_syncuser_takes_the_other_wecom_columns(api):
    a = api.create_ok(unique("批量庚"))
    leader = api.new_member(a, userid=uid())
    u = uid()
    header = ["姓名", "帐号", "手机号", "所在部门", "企业邮箱", "直属上级", "对外职务", "IM账号"]
    row = ["吴十", u, mobile(), str(a), f"{u}@corp.example", leader, "顾问", "im-" + u]
    res = run(api, "syncuser", csv_bytes(header, [row]))
    assert_finished(res, "sync_user", 1)
    assert res["result"][0]["errcode"] == 0, res
    m = api.member(u)
    assert m == {**m, "biz_mail": f"{u}@corp.example", "direct_leader": [leader],
                 "external_position": "顾问", "external_id": "im-" + u}


def test_syncuser_gb18030_file(api):
    a = api.create_ok(unique("批量辛"))
    u = uid()
    name = "𠮷野家"  # outside GBK: four bytes in GB18030
    res = run(api, "syncuser", csv_bytes(["姓名", "帐号", "手机号", "所在部门"],
                                         [[name, u, mobile(), str(a)]], "gb18030"))
    assert_finished(res, "sync_user", 1)
    assert res["result"][0]["errcode"] == 0, res
    assert api.member(u)["name"] == name


def test_replaceuser_deleting_more_than_10_but_not_over_20_percent_runs(fresh):
    api = fresh
    d = api.create_ok(unique("比例"))
    users = [api.new_member(d, userid=uid()) for _ in range(60)]
    keep = users[11:]
    rows = [user_row(name="留", userid=u, mobile=api.member(u)["mobile"], department=str(d))
            for u in keep]
    res = run(api, "replaceuser", csv_bytes(HEADER, rows))
    assert_finished(res, "replace_user", len(keep))
    assert org_userids(api) == set(keep)


def test_getresult_before_and_after_finishing_answers_status_and_type(api):
    a = api.create_ok(unique("批量壬"))
    jobid = submit_ok(api, "syncuser", csv_bytes(["姓名", "帐号", "手机号", "所在部门"],
                                                 [["郑一", uid(), mobile(), str(a)]]))
    first = api.get("batch/getresult", {"jobid": jobid})
    assert first["errcode"] == 0 and first["status"] in (1, 2, 3), first
    assert first["type"] == "sync_user", first
    done = wait_job(api, jobid)
    assert done["total"] == 1 and done["percentage"] == 100
    # asking again answers the same finished job
    assert api.get("batch/getresult", {"jobid": jobid}) == done
