"""/admin/api/imports (dry run, durable job, report), /admin/api/imports/template and
/admin/api/members/export (docs/admin-api.md) on SQLite and PostgreSQL.

Files are CSV (UTF-8 with and without BOM, GBK, GB18030) and XLSX (made with openpyxl, with text
and numeric cells), with Chinese and English headers. Every dry run is followed by a check that
nothing changed; every real run's report is compared with its dry run's, and its effect is read
back through the console API and /cgi-bin. One server per backend; tests use departments and
userids of their own.
"""
from __future__ import annotations

import io
import os
import random
import zipfile

import pytest

from admin_api import (EN_HEADER, KEYS, ZH_HEADER, csv_bytes, dump, error, mobile, ok, read_csv,
                       read_xlsx, row, start_console, uid, uname, xlsx_bytes)


@pytest.fixture(scope="module")
def console(module_harness, backend):
    return start_console(module_harness, backend)


@pytest.fixture(scope="module")
def root_name(console) -> str:
    return console.root()["name"]


def paths(console) -> dict:
    """{"A/B/C": id} for every department below the root."""
    tree = console.admin.tree()
    by = {d["id"]: d for d in tree}
    out = {}
    for d in tree:
        if d["parentid"] == 0:
            continue
        names, cur = [], d
        while cur["parentid"] != 0:
            names.append(cur["name"])
            cur = by[cur["parentid"]]
        out["/".join(reversed(names))] = d["id"]
    return out


def check_report(rep: dict) -> dict:
    """The report's shape and its own arithmetic."""
    assert set(rep) >= {"total", "created", "updated", "failed", "departments_created", "rows"}, rep
    rows = rep["rows"]
    assert rep["total"] == len(rows), rep
    actions = [r["action"] for r in rows]
    assert set(actions) <= {"create", "update", "error"}, rep
    assert (rep["created"], rep["updated"], rep["failed"]) == (
        actions.count("create"), actions.count("update"), actions.count("error")), rep
    for r in rows:
        assert type(r["line"]) is int and r["line"] >= 2, r
        assert type(r["userid"]) is str and type(r["name"]) is str, r
        if r["action"] == "error":
            assert type(r.get("code")) is str and r["code"], r
            assert type(r.get("message")) is str and r["message"], r
        else:
            assert "code" not in r, r
    lines = [r["line"] for r in rows]
    assert lines == sorted(lines) and len(set(lines)) == len(lines), lines
    assert type(rep["departments_created"]) is list, rep
    return rep


def summary(rep: dict) -> list:
    """[(line, userid, action, code)] of a report."""
    return [(r["line"], r["userid"], r["action"], r.get("code")) for r in rep["rows"]]


def dry_then_run(console, data: bytes, filename: str) -> dict:
    """Dry run (nothing may change), then the real run, whose report must equal the dry run's.
    Returns the report."""
    before = console.snapshot()
    dry = check_report(console.admin.dry_run(data, filename))
    assert console.snapshot() == before, "the dry run changed something"
    st = console.admin.run_import(data, filename)
    assert st["total"] == dry["total"], (st, dry)
    real = check_report(st["report"])
    assert dump(real) == dump(dry), (real, dry)
    return real


def make_file(fmt: str, header: list, rows: list):
    """(bytes, filename) for fmt "csv-<encoding>" or "xlsx"."""
    if fmt == "xlsx":
        return xlsx_bytes(header, rows), "members.xlsx"
    return csv_bytes(header, rows, fmt.split("-", 1)[1]), "members.csv"


# --- formats and headers ---------------------------------------------------------------------

FORMATS = [
    ("csv-utf-8", "zh"), ("csv-utf-8-sig", "zh"), ("csv-gbk", "zh"), ("csv-gb18030", "zh"),
    ("csv-utf-8", "en"), ("csv-utf-8-sig", "en"), ("xlsx", "zh"), ("xlsx", "en"),
]


@pytest.mark.parametrize("fmt,lang", FORMATS, ids=[f"{f}-{l}" for f, l in FORMATS])
def test_import_creates_members_in_every_format(console, fmt, lang):
    header = ZH_HEADER if lang == "zh" else EN_HEADER
    top = uname("导入")
    u1, u2, u3 = uid("i"), uid("i"), uid("i")
    m1, m2 = mobile(), mobile()
    im = "im-" + uid()
    name3 = "刘䶮" if fmt == "csv-gb18030" else "王五"   # 䶮 is in GB18030, not GBK
    rows = [
        row(userid=u1, name="张三", im=im, mobile=m1, email=f"{u1}@example.com",
            departments=f"{top}/后端组;{top}/前端组", positions="工程师/组长"),
        row(userid=u2, name="李四", mobile=m2, departments=top),
        row(userid=u3, name=name3, email=f"{u3}@example.com"),
    ]
    data, filename = make_file(fmt, header, rows)
    rep = dry_then_run(console, data, filename)
    assert summary(rep) == [(2, u1, "create", None), (3, u2, "create", None),
                            (4, u3, "create", None)], rep
    assert [r["name"] for r in rep["rows"]] == ["张三", "李四", name3]
    assert sorted(rep["departments_created"]) == sorted([top, f"{top}/后端组", f"{top}/前端组"])

    p = paths(console)
    m = console.cgi.member(u1)
    assert m == {**m, "name": "张三", "mobile": m1, "email": f"{u1}@example.com",
                 "department": [p[f"{top}/后端组"], p[f"{top}/前端组"]],
                 "main_department": p[f"{top}/后端组"], "position": "工程师/组长"}, m
    assert console.admin.members(q=u1)["members"][0]["external_id"] == im
    m = console.cgi.member(u2)
    assert (m["name"], m["mobile"], m["department"]) == ("李四", m2, [p[top]]), m
    m = console.cgi.member(u3)
    assert (m["name"], m["email"], m["department"]) == (name3, f"{u3}@example.com", [1]), m
    assert console.admin.dept(p[top])["total_count"] == 2


def test_xlsx_numeric_cells_are_read_as_text(console):
    """A mobile (and an account) typed as numbers in Excel are numeric cells."""
    n = int(mobile())
    account = random.randint(10 ** 9, 2 * 10 ** 9)
    email_user = uid("x")
    rows = [[account, "数字", None, n, None, None, None],
            [email_user, "文本", None, str(int(mobile())), f"{email_user}@example.com", None, None]]
    rep = dry_then_run(console, xlsx_bytes(EN_HEADER, rows), "numbers.xlsx")
    assert summary(rep) == [(2, str(account), "create", None), (3, email_user, "create", None)]
    m = console.cgi.member(str(account))
    assert (m["userid"], m["mobile"]) == (str(account), str(n)), m


def test_columns_in_any_order_and_only_account_and_name_required(console):
    u1, u2 = uid("o"), uid("o")
    m1 = mobile()
    data = csv_bytes(["邮箱", "姓名", "手机", "账号"],
                     [[f"{u1}@example.com", "顺序", m1, u1],
                      [f"{u2}@example.com", "次序", "", u2]])
    rep = dry_then_run(console, data, "order.csv")
    assert summary(rep) == [(2, u1, "create", None), (3, u2, "create", None)], rep
    m = console.cgi.member(u1)
    assert (m["name"], m["mobile"], m["email"], m["department"]) == \
        ("顺序", m1, f"{u1}@example.com", [1]), m
    # English headers in another order, LF line ends
    u3 = uid("o")
    data = f"Name,Email,Account\n英文,{u3}@example.com,{u3}\n".encode()
    rep = dry_then_run(console, data, "en.csv")
    assert summary(rep) == [(2, u3, "create", None)], rep
    assert console.cgi.member(u3)["name"] == "英文"


def test_line_numbers_are_lines_of_the_file(console):
    """A blank line is no member; a quoted cell over two lines makes the next row start later."""
    u1, u2, u3 = uid("l"), uid("l"), uid("l")
    data = (f"账号,姓名,手机,职务\r\n{u1},行一,{mobile()},\"多\r\n行\"\r\n\r\n"
            f"{u2},行二,{mobile()},\r\n{u3},行三,123,\r\n").encode()
    rep = check_report(console.admin.dry_run(data))
    assert summary(rep) == [(2, u1, "create", None), (5, u2, "create", None),
                            (6, u3, "error", "mobile_invalid")], rep
    # XLSX: the sheet's row numbers
    data = xlsx_bytes(ZH_HEADER, [row(userid=u1, name="行一", mobile=mobile()),
                                  row(userid=u2, name="行二", mobile="123")])
    rep = check_report(console.admin.dry_run(data, "lines.xlsx"))
    assert summary(rep) == [(2, u1, "create", None), (3, u2, "error", "mobile_invalid")], rep


# --- the report: create, update, errors ------------------------------------------------------

def test_dry_run_reports_every_row_and_changes_nothing_then_the_run_does_it(console):
    d = console.admin.create_dept(uname("报告"))
    dname = console.admin.dept(d)["name"]
    existing = console.new_member(d, name="旧名")
    taken = mobile()
    holder = console.new_member(d, mobile=taken)
    new1, bad_mobile, bad_email, dup_mobile, no_name = (uid("r") for _ in range(5))
    shared = mobile()
    rows = [
        row(userid=new1, name="新人", mobile=shared, departments=dname),
        row(userid=existing, name="新名", departments=dname),
        row(userid=bad_mobile, name="坏手机", mobile="123"),
        row(userid=bad_email, name="坏邮箱", email="not-an-email"),
        row(userid=dup_mobile, name="重号", mobile=taken),           # an existing member's
        row(userid=uid("r"), name="同号", mobile=shared),            # an earlier row's
        row(userid=no_name, name="", mobile=mobile()),               # a new member needs a name
        row(userid="bad userid!", name="坏账号", mobile=mobile()),
    ]
    data = csv_bytes(ZH_HEADER, rows)
    rep = dry_then_run(console, data, "report.csv")
    assert [(r["line"], r["action"], r.get("code")) for r in rep["rows"]] == [
        (2, "create", None), (3, "update", None), (4, "error", "mobile_invalid"),
        (5, "error", "email_invalid"), (6, "error", "mobile_exists"),
        (7, "error", "mobile_exists"), (8, "error", "member_name_invalid"),
        (9, "error", "invalid_userid")], rep
    assert [r["userid"] for r in rep["rows"]] == [r[0] for r in rows], rep
    assert [r["name"] for r in rep["rows"]] == [r[1] for r in rows], rep
    assert (rep["total"], rep["created"], rep["updated"], rep["failed"]) == (8, 1, 1, 6), rep
    assert holder in rep["rows"][4]["message"] or taken in rep["rows"][4]["message"], rep
    # the effect of the real run
    assert console.cgi.member(new1)["mobile"] == shared
    assert console.cgi.member(existing)["name"] == "新名"
    for r in rows[2:-1]:
        assert not console.cgi.exists(r[0]), r
    assert console.cgi.member(holder)["mobile"] == taken
    assert console.admin.dept(d)["member_count"] == 3


def test_a_repeated_userid_makes_the_later_row_an_error(console):
    u = uid("dup")
    m1, m2, m3 = mobile(), mobile(), mobile()
    rows = [row(userid=u, name="第一", mobile=m1), row(userid=uid("dup"), name="其他", mobile=m2),
            row(userid=u, name="第二", mobile=m3), row(userid=u.upper(), name="第三",
                                                      mobile=mobile())]
    rep = dry_then_run(console, csv_bytes(ZH_HEADER, rows), "dup.csv")
    assert [(r["line"], r["action"]) for r in rep["rows"]] == \
        [(2, "create"), (3, "create"), (4, "error"), (5, "error")], rep
    m = console.cgi.member(u)
    assert (m["name"], m["mobile"]) == ("第一", m1), m
    assert console.cgi.get("user/getuserid", {"mobile": m3})["errcode"] != 0


def test_empty_cells_leave_an_existing_members_fields_alone(console):
    d1 = console.admin.create_dept(uname("留"))
    im = "im-" + uid()
    u = console.new_member(d1, name="原名", email=f"{uid('e')}@example.com", position="原职务",
                           external_id=im)
    before = console.cgi.member(u)
    before_console = console.admin.members(q=u)["members"][0]
    rep = dry_then_run(console, csv_bytes(ZH_HEADER, [row(userid=u, name="改名")]), "keep.csv")
    assert summary(rep) == [(2, u, "update", None)], rep
    after = console.cgi.member(u)
    assert after == {**before, "name": "改名"}, (before, after)
    assert console.admin.members(q=u)["members"][0] == {**before_console, "name": "改名"}

    # an empty name cell keeps the name too; a file with only the two required columns
    rep = dry_then_run(console, csv_bytes(["Account", "Name"], [[u, ""]]), "keep2.csv")
    assert summary(rep) == [(2, u, "update", None)], rep
    assert console.cgi.member(u) == after


def test_update_replaces_departments_and_positions(console):
    d1 = console.admin.create_dept(uname("旧部门"))
    top = uname("新部门")
    u = console.new_member(d1, position="旧")
    rep = dry_then_run(console, csv_bytes(ZH_HEADER, [
        row(userid=u, name="换部门", departments=f"{top}/甲;{top}/乙", positions="经理/顾问")]),
        "move.csv")
    assert summary(rep) == [(2, u, "update", None)], rep
    p = paths(console)
    m = console.cgi.member(u)
    assert (m["department"], m["position"], m["name"]) == \
        ([p[f"{top}/甲"], p[f"{top}/乙"]], "经理/顾问", "换部门"), m
    assert console.admin.dept(d1)["member_count"] == 0


# --- departments from paths ------------------------------------------------------------------

def test_departments_are_created_from_paths(console):
    a, dd = uname("甲"), uname("丁")
    existing = uname("已有")
    ex_id = console.admin.create_dept(existing)
    u1, u2, u3 = uid("p"), uid("p"), uid("p")
    rows = [row(userid=u1, name="路径一", mobile=mobile(), departments=f"{a}/B/C;{dd}"),
            row(userid=u2, name="路径二", mobile=mobile(), departments=f"{a}/B"),   # made above
            row(userid=u3, name="路径三", mobile=mobile(), departments=f"{existing}/新组")]
    before = paths(console)
    rep = dry_then_run(console, csv_bytes(ZH_HEADER, rows), "paths.csv")
    assert sorted(rep["departments_created"]) == sorted(
        [a, f"{a}/B", f"{a}/B/C", dd, f"{existing}/新组"]), rep
    after = paths(console)
    assert set(after) - set(before) == set(rep["departments_created"])
    tree = {d["id"]: d for d in console.admin.tree()}
    assert tree[after[a]]["parentid"] == 1 and tree[after[dd]]["parentid"] == 1
    assert tree[after[f"{a}/B"]]["parentid"] == after[a]
    assert tree[after[f"{a}/B/C"]]["parentid"] == after[f"{a}/B"]
    assert tree[after[f"{existing}/新组"]]["parentid"] == ex_id
    assert console.cgi.member(u1)["department"] == [after[f"{a}/B/C"], after[dd]]
    assert console.cgi.member(u2)["department"] == [after[f"{a}/B"]]
    assert console.cgi.member(u3)["department"] == [after[f"{existing}/新组"]]
    assert (tree[after[a]]["total_count"], tree[after[f"{a}/B"]]["member_count"]) == (2, 1)


def test_a_path_may_start_with_the_roots_name(console, root_name):
    x = uname("根下")
    u1, u2 = uid("rt"), uid("rt")
    rows = [row(userid=u1, name="根路径", mobile=mobile(), departments=f"{root_name}/{x}/Y"),
            row(userid=u2, name="只有根", mobile=mobile(), departments=root_name)]
    rep = dry_then_run(console, csv_bytes(ZH_HEADER, rows), "root.csv")
    assert sorted(rep["departments_created"]) == sorted([x, f"{x}/Y"]), rep
    p = paths(console)
    assert root_name not in p and f"{root_name}/{x}" not in p, "made a department named root"
    assert console.admin.dept(p[x])["parentid"] == 1
    assert console.cgi.member(u1)["department"] == [p[f"{x}/Y"]]
    assert console.cgi.member(u2)["department"] == [1]


@pytest.mark.parametrize("bad", ["研发*部", "研发?部", "研发|部", "研发:部"])
def test_a_path_with_an_illegal_character_fails_the_row_and_creates_nothing(console, bad):
    top = uname("合法")
    u_bad, u_ok = uid("ch"), uid("ch")
    rows = [row(userid=u_bad, name="非法", mobile=mobile(), departments=f"{top}/{bad}"),
            row(userid=u_ok, name="合法", mobile=mobile())]
    tree = console.admin.tree()
    rep = dry_then_run(console, csv_bytes(ZH_HEADER, rows), "chars.csv")
    assert summary(rep) == [(2, u_bad, "error", "department_name_chars"),
                            (3, u_ok, "create", None)], rep
    assert rep["departments_created"] == [], rep
    assert not console.cgi.exists(u_bad)
    # no department came or went; only the root's counts grew (the good row's member)
    after = console.admin.tree()
    assert after[1:] == tree[1:]
    assert (after[0]["member_count"], after[0]["total_count"]) == \
        (tree[0]["member_count"] + 1, tree[0]["total_count"] + 1)
    assert top not in paths(console)


def test_a_failed_row_creates_no_department(console):
    taken = mobile()
    holder = console.new_member(1, mobile=taken)
    top = uname("失败")
    u = uid("f")
    tree = console.admin.tree()
    rep = dry_then_run(console, csv_bytes(ZH_HEADER, [
        row(userid=u, name="失败", mobile=taken, departments=f"{top}/组;{uname('另')}")]),
        "failed.csv")
    assert summary(rep) == [(2, u, "error", "mobile_exists")], rep
    assert rep["departments_created"] == [], rep
    assert console.admin.tree() == tree
    assert not console.cgi.exists(u)
    assert console.cgi.member(holder)["mobile"] == taken


def test_a_department_needed_by_a_later_good_row_is_kept(console):
    taken = mobile()
    console.new_member(1, mobile=taken)
    top = uname("共用")
    bad, good = uid("f"), uid("f")
    rep = dry_then_run(console, csv_bytes(ZH_HEADER, [
        row(userid=bad, name="先失败", mobile=taken, departments=f"{top}/组"),
        row(userid=good, name="后成功", mobile=mobile(), departments=f"{top}/组")]), "shared.csv")
    assert summary(rep) == [(2, bad, "error", "mobile_exists"), (3, good, "create", None)], rep
    assert sorted(rep["departments_created"]) == sorted([top, f"{top}/组"]), rep
    p = paths(console)
    assert console.cgi.member(good)["department"] == [p[f"{top}/组"]]
    assert not console.cgi.exists(bad)


# --- files that are refused ------------------------------------------------------------------

def _zip_not_xlsx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "账号,姓名\r\nzip1,压缩\r\n")
    return buf.getvalue()


def _xlsx_header_only() -> bytes:
    return xlsx_bytes(ZH_HEADER, [])


def _xlsx_without_name() -> bytes:
    return xlsx_bytes(["Account", "Mobile"], [[uid("z"), mobile()]])


BAD_FILES = [
    ("no-name-zh", lambda: csv_bytes(["账号", "手机"], [[uid("z"), mobile()]]), "members.csv",
     ["姓名", "Name"]),
    ("no-name-en", lambda: csv_bytes(["Account", "Mobile"], [[uid("z"), mobile()]]),
     "members.csv", ["姓名", "Name"]),
    ("no-name-xlsx", _xlsx_without_name, "members.xlsx", ["姓名", "Name"]),
    ("no-account", lambda: csv_bytes(["姓名", "手机"], [["无账号", mobile()]]), "members.csv",
     ["账号", "Account"]),
    ("empty", lambda: b"", "members.csv", None),
    ("header-only-csv", lambda: csv_bytes(ZH_HEADER, []), "members.csv", None),
    ("header-only-bom", lambda: csv_bytes(EN_HEADER, [], "utf-8-sig"), "members.csv", None),
    ("header-only-xlsx", _xlsx_header_only, "members.xlsx", None),
    ("random-10mb", lambda: os.urandom(10 << 20), "members.xlsx", None),
    ("zip-not-xlsx", _zip_not_xlsx, "members.xlsx", None),
]


@pytest.mark.parametrize("make,filename,names", [pytest.param(m, f, n, id=i)
                                                 for i, m, f, n in BAD_FILES])
def test_bad_files_are_refused_at_once_and_change_nothing(console, make, filename, names):
    data = make()
    before = console.snapshot()
    for dry in (True, False):
        e = error(console.admin.upload(data, filename, dry_run=dry), 400, "import_file_invalid")
        if names:
            assert any(n in e["message"] for n in names), e
    assert console.snapshot() == before


def test_an_upload_without_the_file_field_is_refused(console):
    before = console.snapshot()
    r = console.admin.post("/admin/api/imports", params={"dry_run": "1"},
                           files={"upload": ("m.csv", csv_bytes(ZH_HEADER,
                                                                [row(userid=uid(), name="x")]))})
    error(r, 400)
    r = console.admin.post("/admin/api/imports", data=b"{}",
                           headers={"Content-Type": "application/json"})
    error(r, 400)
    assert console.snapshot() == before


def test_an_unknown_import_job_is_404(console):
    error(console.admin.get("/admin/api/imports/no-such-job"), 404)


# --- template --------------------------------------------------------------------------------

@pytest.mark.parametrize("lang,header", [("zh-CN", ZH_HEADER), ("en", EN_HEADER)])
def test_template_csv_and_xlsx_hold_the_header_row(console, lang, header):
    r = console.admin.get("/admin/api/imports/template", params={"format": "csv", "lang": lang})
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("text/csv"), r.headers
    assert r.headers["Content-Disposition"].startswith("attachment"), r.headers
    assert ".csv" in r.headers["Content-Disposition"], r.headers
    text = r.content.decode("utf-8-sig")
    assert [l for l in text.splitlines() if l.strip()] == [",".join(header)], text

    r = console.admin.get("/admin/api/imports/template", params={"format": "xlsx", "lang": lang})
    assert r.status_code == 200, r.text
    assert r.headers["Content-Disposition"].startswith("attachment"), r.headers
    assert ".xlsx" in r.headers["Content-Disposition"], r.headers
    assert "spreadsheetml" in r.headers["Content-Type"], r.headers
    rows = [x for x in read_xlsx(r.content) if any(c is not None for c in x)]
    assert rows == [header], rows


def test_a_filled_in_template_imports(console):
    for fmt in ("csv", "xlsx"):
        t = console.admin.get("/admin/api/imports/template", params={"format": fmt, "lang": "en"})
        u = uid("t")
        if fmt == "csv":
            data = t.content + f"{u},模板,,{mobile()},,,\r\n".encode()
        else:
            import openpyxl
            wb = openpyxl.load_workbook(io.BytesIO(t.content))
            wb.worksheets[0].append([u, "模板", None, mobile()])
            buf = io.BytesIO()
            wb.save(buf)
            data = buf.getvalue()
        rep = check_report(console.admin.dry_run(data, "template." + fmt))
        assert summary(rep) == [(2, u, "create", None)], rep


def test_template_with_a_bad_format_is_400(console):
    error(console.admin.get("/admin/api/imports/template", params={"format": "pdf"}), 400)


# --- export ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def exported(console):
    """A subtree with members of every kind, made through /cgi-bin."""
    c = console
    top_name = uname("导出")
    top = c.admin.create_dept(top_name)
    sub = c.admin.create_dept("子组", parentid=top)
    tag = c.new_tag()
    u = {}
    u["full"] = c.new_member([top, sub], name="全字段", mobile=mobile(),
                             email=f"{uid('e')}@example.com", position="经理/顾问",
                             external_id="im-" + uid())
    u["sub"] = c.new_member(sub, name="子组员", mobile=mobile())
    u["root"] = c.new_member([1, top], name="根与顶", email=f"{uid('e')}@example.com")
    u["off"] = c.new_member(top, name="停用", mobile=mobile(), enable=0)
    assert c.cgi.post("tag/addtagusers", {"tagid": tag, "userlist": [u["sub"], u["off"]]}
                      )["errcode"] == 0
    return {"top": top, "top_name": top_name, "sub": sub, "tag": tag, "u": u}


def export_rows(console, fmt="csv", lang="zh-CN", **params) -> list:
    r = console.admin.export(fmt, lang, **params)
    assert r.headers["Content-Disposition"].startswith("attachment"), r.headers
    assert ("." + fmt) in r.headers["Content-Disposition"], r.headers
    if fmt == "csv":
        assert r.headers["Content-Type"].startswith("text/csv"), r.headers
        rows = read_csv(r.content)   # asserts the BOM
    else:
        assert "spreadsheetml" in r.headers["Content-Type"], r.headers
        rows = [["" if c is None else str(c) for c in x] for x in read_xlsx(r.content)]
    return [x for x in rows if any(x)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("lang,header", [("zh-CN", ZH_HEADER), ("en", EN_HEADER)])
def test_export_holds_the_import_columns(console, exported, fmt, lang, header):
    rows = export_rows(console, fmt, lang, department_id=exported["top"], recursive=1)
    assert rows[0] == header, rows[0]
    body = {r[0]: dict(zip(KEYS, r)) for r in rows[1:]}
    u = exported["u"]
    assert set(body) == set(u.values()), body
    full = console.cgi.member(u["full"])
    im = console.admin.members(q=u["full"])["members"][0]["external_id"]
    top = exported["top_name"]
    assert body[u["full"]] == {"userid": u["full"], "name": "全字段", "im": im,
                               "mobile": full["mobile"], "email": full["email"],
                               "departments": f"{top};{top}/子组", "positions": "经理/顾问"}
    assert body[u["sub"]]["departments"] == f"{top}/子组"
    assert body[u["root"]]["mobile"] == "" and body[u["root"]]["email"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_applies_the_member_list_filters(console, exported, fmt):
    u = exported["u"]
    cases = [
        ({"department_id": exported["top"]}, {u["full"], u["root"], u["off"]}),
        ({"department_id": exported["top"], "recursive": 1}, set(u.values())),
        ({"department_id": exported["sub"]}, {u["full"], u["sub"]}),
        ({"department_id": exported["top"], "recursive": 1, "status": 2}, {u["off"]}),
        ({"tag_id": exported["tag"]}, {u["sub"], u["off"]}),
        ({"department_id": exported["top"], "recursive": 1, "q": "全字段"}, {u["full"]}),
        ({"department_id": exported["top"], "recursive": 1, "q": "zzs"}, set()),
    ]
    for params, expected in cases:
        got = {r[0] for r in export_rows(console, fmt, **params)[1:]}
        assert got == expected, params
        assert got == set(console.admin.userids(limit=500, **params)), params


def test_export_with_bad_parameters_is_refused(console):
    error(console.admin.get("/admin/api/members/export", params={"format": "pdf"}), 400)
    for bad in ({"status": 3}, {"department_id": "x"}, {"tag_id": "y"}):
        error(console.admin.get("/admin/api/members/export", params={"format": "csv", **bad}),
              400)


def test_export_of_an_unknown_department_is_404_like_the_member_list(console):
    error(console.admin.get("/admin/api/members",
                            params={"department_id": 987654}), 404, "department_not_found")
    error(console.admin.get("/admin/api/members/export",
                            params={"format": "csv", "department_id": 987654}), 404,
          "department_not_found")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_an_export_imports_back_unchanged(console, exported, fmt, lang):
    params = {"department_id": exported["top"], "recursive": 1}
    r = console.admin.export(fmt, lang, **params)
    before = console.snapshot()
    rep = check_report(console.admin.dry_run(r.content, "export." + fmt))
    assert rep["total"] == len(exported["u"]), rep
    assert {x["action"] for x in rep["rows"]} == {"update"}, rep
    assert (rep["created"], rep["failed"], rep["departments_created"]) == (0, 0, []), rep
    assert {x["userid"] for x in rep["rows"]} == set(exported["u"].values())
    assert console.snapshot() == before
    # the real run changes nothing either
    st = console.admin.run_import(r.content, "export." + fmt)
    assert dump(st["report"]) == dump(rep)
    assert console.snapshot() == before


def test_export_of_imported_members_round_trips(console):
    """What an import made exports as the same cells."""
    top = uname("往返")
    u1, u2 = uid("rt"), uid("rt")
    rows = [row(userid=u1, name="往一", im="im-" + uid(), mobile=mobile(),
                email=f"{u1}@example.com", departments=f"{top}/甲;{top}/乙",
                positions="甲职/乙职"),
            row(userid=u2, name="往二", mobile=mobile(), departments=top)]
    console.admin.run_import(csv_bytes(ZH_HEADER, rows), "in.csv")
    p = paths(console)
    out = export_rows(console, "csv", "zh-CN", department_id=p[top], recursive=1)
    assert out[0] == ZH_HEADER
    assert sorted(out[1:]) == sorted(rows), out


# --- the job is durable ----------------------------------------------------------------------

def test_an_import_job_survives_a_restart(harness, backend):
    """SIGTERM right after the 202: after a restart the job finishes, with every row, and the
    session cookie still works (sessions live in the store)."""
    c = start_console(harness, backend)
    top = uname("重启")
    n = 8000   # the job checkpoints every few thousand rows: the stop lands inside it
    lines = [",".join(ZH_HEADER)] + [
        f"rs{i}x{top[-4:]},重启{i},,{16000000000 + i},,{top}/组{i % 7}," for i in range(n)]
    data = ("\r\n".join(lines) + "\r\n").encode()
    res = ok(c.admin.upload(data, "restart.csv"), 202)
    assert res["total"] == n, res
    assert c.server.stop() == 0, c.server.stderr_text()
    c.server.start()
    c.admin.base = c.server.url
    st = c.admin.wait_job(res["job_id"])
    assert st["status"] == "finished", st
    rep = check_report(st["report"])
    assert (rep["total"], rep["created"], rep["failed"]) == (n, n, 0), \
        {k: rep[k] for k in ("total", "created", "updated", "failed")}
    assert [r["line"] for r in rep["rows"]] == list(range(2, n + 2))
    assert sorted(rep["departments_created"]) == sorted([top] + [f"{top}/组{i}" for i in range(7)])
    p = paths(c)
    assert c.admin.dept(p[top])["total_count"] == n
    assert c.admin.members(department_id=p[top], recursive=1, limit=1)["total"] == n
