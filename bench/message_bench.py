#!/usr/bin/env python3
"""Messaging benchmarks (issue 4), reported and never asserted, each next to the bare Beast
server (bench/beast_baseline.cpp) measured in the same run:

1. message/send of a text to one member, answered once durable: requests/s, p50, p99 (wrk,
   1 thread x 64 connections), and the ratio to the baseline's /healthz requests/s.
2. message/send to 1000 members: calls/s, p50, p99.
3. One message to a department of N members (default 100,000) while S streams (default 10,000)
   of S members are open: the time until message/send answered (durable), and from the send to
   each stream's receiving it (p50, p99, max).
4. I idle streams (default 15,000): the server's resident memory per stream.

    bench/message_bench.py BUILD [--postgres URL] [--members N] [--sockets S] [--idle I]

Writes bench/results/messages-<backend>.md.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_server import ROOT, ScratchDatabase, binary_of
from directory_bench import Server, import_file, members_csv

WRK_SCRIPT = """wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[%s]]
"""


def wrk(url: str, seconds: int, conns: int = 64, body: str | None = None) -> tuple[float, float, float]:
    """requests/s, p50 ms, p99 ms of one wrk run (POSTing `body` when given)."""
    args = ["wrk", "-t1", f"-c{conns}", f"-d{seconds}s", "--latency"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        if body is not None:
            f.write(WRK_SCRIPT % body)
            args += ["-s", f.name]
    out = subprocess.run(args + [url], capture_output=True, text=True, check=True).stdout
    os.unlink(f.name)

    def ms(v: str) -> float:
        if v.endswith("us"):
            return float(v[:-2]) / 1000
        if v.endswith("ms"):
            return float(v[:-2])
        if v.endswith("s"):
            return float(v[:-1]) * 1000
        return float(v)

    rps = p50 = p99 = 0.0
    errors = 0
    for line in out.splitlines():
        parts = line.split()
        if line.startswith("Requests/sec:"):
            rps = float(parts[1])
        elif parts[:1] == ["50%"]:
            p50 = ms(parts[1])
        elif parts[:1] == ["99%"]:
            p99 = ms(parts[1])
        elif "Non-2xx" in line:
            errors = int(parts[-1])
    if errors:
        raise SystemExit(f"bench: wrk saw {errors} non-2xx answers")
    return rps, p50, p99


class Baseline:
    def __init__(self, build: Path):
        self.dir = Path(tempfile.mkdtemp(prefix="corphub-baseline-"))
        port_file = self.dir / "port"
        self.proc = subprocess.Popen([str(build / "beast_baseline"), str(port_file), "2"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.time() > deadline:
                raise SystemExit("bench: the baseline did not start")
            time.sleep(0.02)
        self.port = int(port_file.read_text())

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def start(binary: Path, storage_url: str | None) -> tuple[Server, dict]:
    """corphub with an app, the testing routes (member sessions) and room for many streams."""
    made = {}

    def app(binary, env, data):
        out = subprocess.run([str(binary), "app", "create", "--name", "bench", "--json",
                              "--data", data], env=env, check=True, capture_output=True, text=True)
        made.update(json.loads(out.stdout))

    server = Server(binary, storage_url, {"CORPHUB_TESTING_ENABLED": "true",
                                          "CORPHUB_HTTP_MAX_CONNECTIONS": "40000",
                                          "CORPHUB_SERVER_IO_THREADS": "2"}, app)
    return server, made


def app_token(server: Server, app: dict) -> str:
    saved, server.token = server.token, ""
    out = server.call("GET", "/cgi-bin/gettoken",
                      {"corpid": server.corp["corpid"], "corpsecret": app["secret"]})
    server.token = saved
    return out["access_token"]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def sessions(server: Server, userids: list[str]) -> list[str]:
    tokens = []
    saved, server.token = server.token, ""
    for u in userids:
        server.conn.request("POST", "/testing/member-session", body=json.dumps({"userid": u}),
                            headers={"Content-Type": "application/json"})
        res = server.conn.getresponse()
        data = json.loads(res.read())
        if "token" not in data:
            raise SystemExit(f"bench: no session for {u}: {data}")
        tokens.append(data["token"])
    server.token = saved
    return tokens


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("build", nargs="?", default="build")
    ap.add_argument("--postgres", default="")
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--sockets", type=int, default=10_000)
    ap.add_argument("--idle", type=int, default=15_000)
    ap.add_argument("--seconds", type=int, default=10)
    args = ap.parse_args()
    binary = binary_of(args.build)
    build = binary.parent
    backend = "postgres" if args.postgres else "sqlite"
    db = ScratchDatabase(args.postgres)
    baseline = Baseline(build)
    server, app = start(binary, db.url)
    rows = []
    try:
        dept = server.call("POST", "/cgi-bin/department/create",
                           body=json.dumps({"name": "全员", "parentid": 1}),
                           headers={"Content-Type": "application/json"})["id"]
        import_s, _, res = import_file(server, members_csv(args.members, str(dept), "m",
                                                           13000000000))
        if any(r["errcode"] != 0 for r in res["result"]):
            raise SystemExit("bench: the import failed rows")
        token = app_token(server, app)
        send_url = f"http://127.0.0.1:{server.port}/cgi-bin/message/send?access_token={token}"

        def text(touser: str = "", toparty: str = "") -> str:
            return json.dumps({"touser": touser, "toparty": toparty, "msgtype": "text",
                               "agentid": app["agentid"], "text": {"content": "基准测试 bench"}},
                              ensure_ascii=False)

        # 1 and 2, each with the baseline measured just before it.
        wrk(f"http://127.0.0.1:{baseline.port}/healthz", 2)
        base_rps, base_p50, base_p99 = wrk(f"http://127.0.0.1:{baseline.port}/healthz",
                                           args.seconds)
        one = wrk(send_url, args.seconds, body=text("m1"))
        thousand_body = text("|".join(f"m{i}" for i in range(1000)))
        thousand = wrk(send_url, max(3, args.seconds // 2), body=thousand_body)

        # 3: a department of N while S streams are open.
        userids = [f"m{i}" for i in range(args.sockets)]
        t = time.perf_counter()
        tokens = sessions(server, userids)
        sessions_s = time.perf_counter() - t
        work = Path(tempfile.mkdtemp(prefix="corphub-ws-"))
        (work / "tokens").write_text("\n".join(tokens) + "\n")
        (work / "body").write_text(text(toparty=str(dept)))
        fan = subprocess.run([str(build / "ws_fanout"), "fanout", str(server.port),
                              str(work / "tokens"), str(args.sockets),
                              f"/cgi-bin/message/send?access_token={token}", str(work / "body")],
                             capture_output=True, text=True, timeout=300)
        fanout = json.loads(fan.stdout)

        # 4: idle streams.
        before = rss_kib(server.proc.pid)
        idle = subprocess.Popen([str(build / "ws_fanout"), "idle", str(server.port),
                                 str(work / "tokens"), str(args.idle)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        ready = json.loads(idle.stdout.readline())
        time.sleep(1)  # let the last handshakes settle before reading the memory
        after = rss_kib(server.proc.pid)
        idle.stdin.close()
        idle.wait(timeout=60)
        per_conn_kib = (after - before) / max(1, ready["ready"])

        rows = [
            ("bare Beast /healthz (baseline)", f"{base_rps:,.0f} req/s", f"{base_p50:.2f} / {base_p99:.2f} ms", ""),
            ("1. message/send text to 1 member", f"{one[0]:,.0f} req/s", f"{one[1]:.2f} / {one[2]:.2f} ms",
             f"{one[0] / base_rps:.1%} of baseline (target ≥ 25 %, p99 < 20 ms)"),
            ("2. message/send to 1000 members", f"{thousand[0]:,.0f} calls/s",
             f"{thousand[1]:.2f} / {thousand[2]:.2f} ms", "target ≥ 300 calls/s on SQLite"),
            (f"3. one message to {args.members:,} members, {fanout['connections']:,} streams open",
             f"durable in {fanout['durable_ms']:.0f} ms",
             f"receive {fanout['p50_ms']:.0f} / {fanout['p99_ms']:.0f} ms (max {fanout['max_ms']:.0f})",
             f"{fanout['received']:,} of {fanout['connections']:,} received; targets ≤ 500 ms each"),
            (f"4. {ready['ready']:,} idle streams", f"{per_conn_kib:.1f} KiB per stream",
             f"RSS {before / 1024:.0f} → {after / 1024:.0f} MiB", "target ≤ 20 KB"),
        ]
        out = [f"# Messaging benchmarks ({backend})", "",
               f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores; corphub with 2 I/O threads, "
               "the baseline with 2 threads; wrk 1 thread x 64 connections. "
               f"Setup: {args.members:,} members imported in {import_s:.1f} s, "
               f"{len(tokens):,} member sessions opened in {sessions_s:.1f} s.", "",
               "| benchmark | throughput / time | p50 / p99 | note |", "|---|---|---|---|"]
        out += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
        text_out = "\n".join(out) + "\n"
        results = ROOT / "bench" / "results"
        results.mkdir(parents=True, exist_ok=True)
        (results / f"messages-{backend}.md").write_text(text_out)
        print(text_out)
    finally:
        server.stop()
        baseline.stop()
        db.drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
