#!/usr/bin/env python3
"""Directory benchmarks (issue 3), reported and never asserted:

1. Importing N members end to end (default 100,000): the CSV uploaded with media/upload,
   batch/syncuser, batch/getresult polled until the job is finished. Reports the time from the
   syncuser call to the finished job, the whole time including the upload, and the server's
   peak resident memory (VmHWM) over the run.
2. user/list of one department holding M members (default 10,000): sequential calls on one
   keep-alive connection; p50, p99 and max.

    bench/directory_bench.py BUILD [--postgres URL] [--members N] [--dept-members M]

Each run starts its own corphub on a free port with a fresh data directory (and, with
--postgres, a fresh database on that server), and stops it afterwards. Writes
bench/results/directory-<backend>.md.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from bench_server import ROOT, Process, ScratchDatabase, binary_of


class Server(Process):
    def __init__(self, binary: Path, storage_url: str | None, env: dict | None = None,
                 before=None):
        def corp(binary, env, data):
            show = subprocess.run([str(binary), "corp", "show", "--json", "--data", data],
                                  env=env, check=True, capture_output=True, text=True)
            return json.loads(show.stdout)

        def setup(binary, env, data):
            out = corp(binary, env, data)
            if before:
                before(binary, env, data)
            return out

        super().__init__(binary, storage_url, setup, env)
        self.corp = self.before_result
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        token = self.call("GET", "/cgi-bin/gettoken", {"corpid": self.corp["corpid"],
                                                         "corpsecret": self.corp["contacts_secret"]})
        self.token = token["access_token"]

    def call(self, method, path, query=None, body=None, headers=None):
        q = dict(query or {})
        if getattr(self, "token", None):
            q["access_token"] = self.token
        target = path + "?" + urllib.parse.urlencode(q)
        self.conn.request(method, target, body=body, headers=headers or {})
        res = self.conn.getresponse()
        data = res.read()
        out = json.loads(data)
        if out.get("errcode", 0) != 0:
            raise SystemExit(f"bench: {path} answered {out}")
        return out

    def raw(self, path, query):
        """The answer's bytes, unparsed: what the server costs, not the client's JSON decoding."""
        q = dict(query)
        q["access_token"] = self.token
        self.conn.request("GET", path + "?" + urllib.parse.urlencode(q))
        res = self.conn.getresponse()
        return res.read()

    def stop(self):
        self.conn.close()
        super().stop()


def upload(server: Server, name: str, content: bytes) -> str:
    boundary = "bench" + secrets.token_hex(8)
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"media\"; filename=\"{name}\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    out = server.call("POST", "/cgi-bin/media/upload", {"type": "file"}, body,
                      {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    return out["media_id"]


def import_file(server: Server, csv: bytes) -> tuple[float, float, dict]:
    t0 = time.perf_counter()
    media_id = upload(server, "members.csv", csv)
    t1 = time.perf_counter()
    job = server.call("POST", "/cgi-bin/batch/syncuser", body=json.dumps({"media_id": media_id}),
                      headers={"Content-Type": "application/json"})["jobid"]
    while True:
        res = server.call("GET", "/cgi-bin/batch/getresult", {"jobid": job})
        if res["status"] == 3:
            break
        time.sleep(0.02)
    t2 = time.perf_counter()
    return t2 - t1, t2 - t0, res


def members_csv(n: int, department: str, prefix: str, first_mobile: int) -> bytes:
    lines = ["姓名,帐号,手机号,邮箱,所在部门,职位,性别"]
    for i in range(n):
        lines.append(f"成员{i},{prefix}{i},{first_mobile + i},{prefix}{i}@example.com,{department},工程师,"
                     f"{'男' if i % 2 else '女'}")
    return ("\n".join(lines) + "\n").encode()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("build", nargs="?", default="build")
    ap.add_argument("--postgres", default="")
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--dept-members", type=int, default=10_000)
    ap.add_argument("--list-calls", type=int, default=200)
    args = ap.parse_args()
    binary = binary_of(args.build)
    backend = "postgres" if args.postgres else "sqlite"
    db = ScratchDatabase(args.postgres)
    server = Server(binary, db.url)
    try:
        # 1. the import
        csv = members_csv(args.members, "1", "m", 13000000000)
        job_s, total_s, res = import_file(server, csv)
        failed = [r for r in res["result"] if r["errcode"] != 0]
        if failed:
            raise SystemExit(f"bench: {len(failed)} rows failed, e.g. {failed[:3]}")
        rss_after_import = server.peak_rss_kib()

        # 2. user/list of one department of M members
        dept = server.call("POST", "/cgi-bin/department/create",
                           body=json.dumps({"name": "大部门", "parentid": 1}),
                           headers={"Content-Type": "application/json"})["id"]
        _, _, res = import_file(server, members_csv(args.dept_members, str(dept), "d", 15000000000))
        if any(r["errcode"] != 0 for r in res["result"]):
            raise SystemExit("bench: the department's import failed rows")
        # The first call after a change computes the answer; later ones, while nothing changes,
        # are served from the answer cache. Report both.
        t = time.perf_counter()
        first = server.raw("/cgi-bin/user/list", {"department_id": dept})
        cold_ms = (time.perf_counter() - t) * 1000
        size = len(json.loads(first)["userlist"])
        body_mb = len(first) / 1e6
        cold = []
        for i in range(min(20, args.list_calls)):
            # a write between calls: each list call computes its answer afresh
            server.call("POST", "/cgi-bin/department/update",
                        body=json.dumps({"id": dept, "order": i + 1}),
                        headers={"Content-Type": "application/json"})
            t = time.perf_counter()
            server.raw("/cgi-bin/user/list", {"department_id": dept})
            cold.append((time.perf_counter() - t) * 1000)
        cold.sort()
        times = []
        for _ in range(args.list_calls):
            t = time.perf_counter()
            server.raw("/cgi-bin/user/list", {"department_id": dept})
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        p50 = statistics.median(times)
        p99 = times[max(0, int(len(times) * 0.99) - 1)]
        rss_peak = server.peak_rss_kib()
    finally:
        server.stop()
        db.drop()

    report = ROOT / "bench" / "results" / f"directory-{backend}.md"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(
        f"# Directory benchmarks ({backend})\n\n"
        f"Run on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
        f"`bench/directory_bench.py`. Reported, not asserted.\n\n"
        f"| measure | value | target |\n|---|---|---|\n"
        f"| import of {args.members:,} members: syncuser to finished job | {job_s:.2f} s | "
        f"{'≤ 2 s' if backend == 'sqlite' else '≤ 4 s'} |\n"
        f"| the same including the upload of the {len(csv) / 1e6:.1f} MB CSV | {total_s:.2f} s | |\n"
        f"| server peak memory (VmHWM) after the import | {rss_after_import / 1024:.0f} MiB | |\n"
        f"| user/list of a {size:,}-member department ({body_mb:.1f} MB answer), first call | {cold_ms:.1f} ms | |\n"
        f"| the same after a directory write each time ({len(cold)} calls): p50 / max | "
        f"{statistics.median(cold):.1f} / {cold[-1]:.1f} ms | |\n"
        f"| the same with no write between ({args.list_calls} calls): p50 | {p50:.1f} ms | |\n"
        f"| the same with no write between: p99 | {p99:.1f} ms | ≤ 30 ms |\n"
        f"| the same with no write between: max | {times[-1]:.1f} ms | |\n"
        f"| server peak memory (VmHWM) at the end | {rss_peak / 1024:.0f} MiB | |\n")
    print(report.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
