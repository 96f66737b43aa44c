"""A department administrator's member import (docs/admin-api.md, "Import"): rows inside their
edit scope are applied; a row outside it fails with permission_denied and leaves nothing behind,
in the dry run and in the durable job alike. They follow only their own import jobs."""
from __future__ import annotations

import pytest

from admin_api import AdminClient, csv_bytes, error, ok, uid
from delegation_site import start_site
from member_api import new_mobile


@pytest.fixture(scope="module")
def site(module_harness, backend):
    return start_site(module_harness, backend)


def name_of(site, department: int) -> str:
    res = site.cgi.get("department/get", {"id": department})
    assert res["errcode"] == 0, res
    return res["department"]["name"]


def rows_of(report: dict) -> dict:
    return {r["userid"]: (r["action"], r.get("code"), r.get("message", "")) for r in
            report["rows"]}


def test_a_scoped_import_applies_its_scope_and_refuses_the_rest(site):
    a, b = name_of(site, site.dept_a), name_of(site, site.dept_b)
    new_in, new_out, fresh = uid("in"), uid("out"), uid("dep")
    data = csv_bytes(["账号", "姓名", "手机", "部门"], [
        [new_in, "新教师", new_mobile(), f"{a}/{fresh}"],
        [new_out, "外人", new_mobile(), f"{b}/{fresh}"],
        [site.inside, "改名", "", ""],
        [site.outside, "越权改名", "", ""],
    ])
    before = site.console.snapshot()
    dry = ok(site.dean.upload(data, "members.csv", dry_run=True))
    assert site.console.snapshot() == before, "the dry run changed something"
    rows = rows_of(dry)
    assert rows[new_in][0] == "create" and rows[site.inside][0] == "update", rows
    assert rows[new_out][:2] == ("error", "permission_denied"), rows
    assert f"department {b} is outside your scope" in rows[new_out][2]
    assert rows[site.outside][:2] == ("error", "permission_denied"), rows
    assert dry["departments_created"] == [f"{a}/{fresh}"], dry

    submitted = ok(site.dean.upload(data, "members.csv"), 202)
    done = site.dean.wait_job(submitted["job_id"])
    assert done["status"] == "finished", done
    assert rows_of(done["report"]) == rows
    assert site.cgi.get("user/get", {"userid": new_in})["errcode"] == 0
    assert site.cgi.get("user/get", {"userid": new_out})["errcode"] == 60111
    assert site.cgi.get("user/get", {"userid": site.outside})["name"] != "越权改名"
    departments = site.cgi.get("department/list", {"id": site.dept_b})["department"]
    assert all(d["name"] != fresh for d in departments), "nothing was made outside"
    # The rows are the administrator's: their audit records name them.
    audit = ok(site.dean.get(f"/admin/api/audit?actor=admin:dean&target={new_in}"))["entries"]
    assert any(e["action"] == "user.create" for e in audit), audit

    # Only the submitter (and super admins) follow the job.
    ok(site.admin.get(f"/admin/api/imports/{submitted['job_id']}"))
    other, _, _, _ = site.scoped_admin([site.group])
    error(other.get(f"/admin/api/imports/{submitted['job_id']}"), 404, "invalid_jobid")


def test_a_super_admins_import_job_is_not_a_scoped_administrators(site):
    data = csv_bytes(["账号", "姓名", "手机"], [[uid("s"), "总部", new_mobile()]])
    submitted = ok(site.admin.upload(data, "members.csv"), 202)
    error(site.dean.get(f"/admin/api/imports/{submitted['job_id']}"), 404, "invalid_jobid")
    assert site.admin.wait_job(submitted["job_id"])["status"] == "finished"


def test_a_new_member_needs_a_department_of_the_scope(site):
    data = csv_bytes(["账号", "姓名", "手机"], [[uid("n"), "无部门", new_mobile()]])
    rows = rows_of(ok(site.dean.upload(data, "members.csv", dry_run=True)))
    assert list(rows.values())[0][:2] == ("error", "permission_denied"), rows


def test_read_only_administrators_cannot_import(site):
    data = csv_bytes(["账号", "姓名"], [[uid("r"), "只读"]])
    error(site.reader.upload(data, "members.csv", dry_run=True), 403, "permission_denied")
    r = site.reader.get("/admin/api/imports/template")
    assert r.status_code == 403, r.text
