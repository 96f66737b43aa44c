#!/usr/bin/env python3
"""Admin console benchmarks (issue 3), reported and never asserted:

1. The console's import of N members (default 100,000) from a CSV with the seed's columns and
   department paths (two paths per member, 70 departments created): the dry run (whole file in
   one transaction, rolled back) and the real run (POST to finished job), with peak memory.
2. Member search over those N members: the first page of the whole list, by pinyin initials,
   by a name character, by mobile digits, by a department subtree; p50 / p99 of sequential calls.
3. The tree with counts, and export of all N members as CSV and as XLSX.

    bench/console_bench.py BUILD [--postgres URL] [--members N] [--calls C]

Starts its own corphub (fresh data directory and, with --postgres, a fresh database). Writes
bench/results/console-<backend>.md.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_server import ROOT, Process, ScratchDatabase, binary_of
PASSWORD = "bench-password-1"


class Console(Process):
    def __init__(self, binary: Path, storage_url: str | None):
        def admin(binary, env, data):
            subprocess.run([str(binary), "admin", "create", "--username", "bench",
                            "--password-stdin", "--data", data], input=PASSWORD + "\n", env=env,
                           check=True, capture_output=True, text=True)

        super().__init__(binary, storage_url, admin)
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=900)
        self.cookie = ""
        self.csrf = ""
        status, body, headers = self.request("POST", "/admin/api/session",
                                             json.dumps({"username": "bench", "password": PASSWORD}),
                                             {"Content-Type": "application/json"})
        if status != 200:
            raise SystemExit(f"bench: login failed: {status} {body[:200]!r}")
        self.cookie = headers["set-cookie"].split(";")[0]
        self.csrf = json.loads(body)["csrf_token"]

    def request(self, method, target, body=None, headers=None):
        h = dict(headers or {})
        if self.cookie:
            h["Cookie"] = self.cookie
        if self.csrf and method != "GET":
            h["X-CSRF-Token"] = self.csrf
        self.conn.request(method, target, body=body, headers=h)
        res = self.conn.getresponse()
        data = res.read()
        return res.status, data, {k.lower(): v for k, v in res.getheaders()}

    def get(self, target) -> bytes:
        status, data, _ = self.request("GET", target)
        if status != 200:
            raise SystemExit(f"bench: {target} answered {status} {data[:200]!r}")
        return data

    def upload(self, target, content: bytes):
        boundary = "bench" + secrets.token_hex(8)
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                f"filename=\"members.csv\"\r\nContent-Type: text/csv\r\n\r\n").encode() + content + \
            f"\r\n--{boundary}--\r\n".encode()
        status, data, _ = self.request("POST", target, body,
                                       {"Content-Type": f"multipart/form-data; boundary={boundary}"})
        if status not in (200, 202):
            raise SystemExit(f"bench: {target} answered {status} {data[:300]!r}")
        return json.loads(data)

    def stop(self):
        self.conn.close()
        super().stop()


SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def members_csv(n: int) -> bytes:
    rnd = random.Random(7)
    lines = ["账号,姓名,IM账号,手机,邮箱,部门,职务"]
    for i in range(n):
        name = rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN)
        lines.append(f"u{i:06d},{name},im{i},139{i:08d},u{i}@example.com,"
                     f"总部/研发中心/组{i % 50};市场部/区域{i % 20},工程师/组长")
    return ("\n".join(lines) + "\n").encode()


def timed(fn, calls):
    times = []
    for _ in range(calls):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.99) - 1)]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("build", nargs="?", default="build")
    ap.add_argument("--postgres", default="")
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--calls", type=int, default=50)
    args = ap.parse_args()
    backend = "postgres" if args.postgres else "sqlite"
    db = ScratchDatabase(args.postgres)
    console = Console(binary_of(args.build), db.url)
    rows = []
    try:
        csv = members_csv(args.members)
        t = time.perf_counter()
        dry = console.upload("/admin/api/imports?dry_run=1", csv)
        dry_s = time.perf_counter() - t
        if dry["failed"]:
            raise SystemExit(f"bench: the dry run failed rows: {dry['rows'][:3]}")
        t = time.perf_counter()
        job = console.upload("/admin/api/imports", csv)["job_id"]
        while True:
            st = json.loads(console.get(f"/admin/api/imports/{job}"))
            if st["status"] in ("finished", "failed"):
                break
            time.sleep(0.05)
        job_s = time.perf_counter() - t
        if st["status"] != "finished" or st["report"]["failed"]:
            raise SystemExit(f"bench: the import did not finish cleanly: {str(st)[:300]}")
        rss_import = console.peak_rss_kib()
        rows.append((f"dry run of {args.members:,} rows ({len(csv) / 1e6:.1f} MB CSV, "
                     f"{len(dry['departments_created'])} departments), upload to report",
                     f"{dry_s:.2f} s"))
        rows.append(("import of the same: upload to finished job", f"{job_s:.2f} s"))
        rows.append(("server peak memory (VmHWM) after both", f"{rss_import / 1024:.0f} MiB"))

        tree = json.loads(console.get("/admin/api/departments"))["departments"]
        subtree = next(d["id"] for d in tree if d["name"] == "总部")
        for label, target in [
            ("list, first page of everyone (50)", "/admin/api/members?limit=50"),
            ("list, page 1000 of everyone", "/admin/api/members?limit=50&offset=50000"),
            ("search by initials \"zw\"", "/admin/api/members?q=zw&limit=50"),
            ("search by a name character \"王\"", "/admin/api/members?q=%E7%8E%8B&limit=50"),
            ("search by mobile digits \"0012345\"", "/admin/api/members?q=0012345&limit=50"),
            (f"a department subtree (all {args.members:,}), first page",
             f"/admin/api/members?department_id={subtree}&recursive=1&limit=50"),
            ("the tree with counts (cached)", "/admin/api/departments"),
        ]:
            p50, p99 = timed(lambda: console.get(target), args.calls)
            rows.append((label + f": p50 / p99 of {args.calls}", f"{p50:.1f} / {p99:.1f} ms"))
        for fmt in ("csv", "xlsx"):
            t = time.perf_counter()
            size = len(console.get(f"/admin/api/members/export?format={fmt}"))
            rows.append((f"export of all {args.members:,} as {fmt.upper()} ({size / 1e6:.1f} MB)",
                         f"{time.perf_counter() - t:.2f} s"))
        rows.append(("server peak memory (VmHWM) at the end", f"{console.peak_rss_kib() / 1024:.0f} MiB"))
    finally:
        console.stop()
        db.drop()
    report = ROOT / "bench" / "results" / f"console-{backend}.md"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(
        f"# Admin console benchmarks ({backend})\n\n"
        f"Run on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
        f"`bench/console_bench.py`. Reported, not asserted.\n\n| measure | value |\n|---|---|\n" +
        "".join(f"| {a} | {b} |\n" for a, b in rows))
    print(report.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
