#!/usr/bin/env python3
"""Callback delivery (issue 7), reported and never asserted: how many events per second corphub
delivers to a local receiver, sealed, signed and retried as WeCom's callbacks are.

M members (default 1000) each click an app's menu button E/M times (E default 20,000 events) through
the member API; the receiver (bench/callback_receiver: go-workwx's own handler, which checks
every signature and decrypts every event) refuses deliveries while the queue fills, so what is
measured is the queue draining: from the receiver opening until it has every event (by
X-Corphub-Event-Id, each once). Each member's events go out in order, so a round carries at most
one event per member.

    bench/callback_bench.py BUILD [--postgres URL] [--members M] [--events E]

Writes bench/results/callbacks-<backend>.md.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from bench_server import ROOT, ScratchDatabase, binary_of
from directory_bench import Server, import_file, members_csv

ADMIN = "bench"
PASSWORD = "bench-password-" + secrets.token_hex(4)
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def receiver(token: str, key: str) -> tuple[subprocess.Popen, int]:
    out = Path(tempfile.mkdtemp(prefix="corphub-cbrecv-"))
    exe = out / "callback_receiver"
    env = {**os.environ, "PATH": os.environ.get("PATH", "") + ":/usr/local/go/bin",
           "GOFLAGS": "-mod=mod"}
    subprocess.run(["go", "build", "-o", str(exe), "."], cwd=ROOT / "bench" / "callback_receiver",
                   env=env, check=True)
    port_file = out / "port"
    proc = subprocess.Popen([str(exe), "-token", token, "-key", key, "-port-file", str(port_file)])
    deadline = time.time() + 20
    while not (port_file.exists() and port_file.read_text().strip()):
        if time.time() > deadline or proc.poll() is not None:
            raise SystemExit("bench: the receiver did not start")
        time.sleep(0.02)
    return proc, int(port_file.read_text())


def count(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/count", timeout=10) as r:
        return json.loads(r.read())


class Admin:
    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = ""
        self.csrf = ""
        out = self.call("POST", "/admin/api/session", {"username": ADMIN, "password": PASSWORD})
        self.csrf = out["csrf_token"]

    def call(self, method, path, body=None):
        headers = {"Content-Type": "application/json"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if self.csrf:
            headers["X-CSRF-Token"] = self.csrf
        self.conn.request(method, path, body=json.dumps(body) if body is not None else None,
                          headers=headers)
        res = self.conn.getresponse()
        data = res.read()
        for k, v in res.getheaders():
            if k.lower() == "set-cookie" and v.startswith("corphub_admin="):
                self.cookie = v.split(";")[0]
        if res.status >= 300:
            raise SystemExit(f"bench: {method} {path}: {res.status} {data!r}")
        return json.loads(data) if data else {}


def member_sessions(port: int, userids: list[str]) -> list[tuple[str, str]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    out = []
    for u in userids:
        conn.request("POST", "/testing/member-session", body=json.dumps({"userid": u}),
                     headers={"Content-Type": "application/json"})
        data = json.loads(conn.getresponse().read())
        out.append((data["token"], data["csrf_token"]))
    conn.close()
    return out


def click_all(port: int, agentid: int, sessions: list[tuple[str, str]], per_member: int,
              threads: int = 8) -> float:
    """Every member clicks per_member times; returns the seconds it took."""
    body = json.dumps({"event": "click", "key": "K"})

    def work(part):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for token, csrf in part:
            for _ in range(per_member):
                conn.request("POST", f"/api/v1/apps/{agentid}/events", body=body, headers={
                    "Content-Type": "application/json", "Cookie": f"corphub_member={token}",
                    "X-CSRF-Token": csrf})
                res = conn.getresponse()
                data = res.read()
                if res.status != 202 or b'"queued":true' not in data:
                    raise SystemExit(f"bench: event not queued: {res.status} {data!r}")
        conn.close()

    t0 = time.perf_counter()
    parts = [sessions[i::threads] for i in range(threads)]
    ts = [threading.Thread(target=work, args=(p,)) for p in parts]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("build", nargs="?", default="build")
    ap.add_argument("--postgres", default="")
    ap.add_argument("--members", type=int, default=1000)
    ap.add_argument("--events", type=int, default=20_000)
    args = ap.parse_args()
    binary = binary_of(args.build)
    backend = "postgres" if args.postgres else "sqlite"
    per_member = max(1, args.events // args.members)
    total = per_member * args.members
    made = {}

    def before(binary, env, data):
        subprocess.run([str(binary), "admin", "create", "--username", ADMIN, "--password-stdin",
                        "--data", data], env=env, input=PASSWORD + "\n", check=True,
                       capture_output=True, text=True)
        out = subprocess.run([str(binary), "app", "create", "--name", "bench", "--json",
                              "--data", data], env=env, check=True, capture_output=True, text=True)
        made.update(json.loads(out.stdout))

    db = ScratchDatabase(args.postgres)
    # Refused deliveries are retried at most every 500 ms while the queue fills (100 tries:
    # nearly a minute before one would be given up).
    server = Server(binary, db.url, {"CORPHUB_TESTING_ENABLED": "true",
                                     "CORPHUB_CALLBACK_RETRY_BASE_MS": "20",
                                     "CORPHUB_CALLBACK_RETRY_MAX_MS": "500",
                                     "CORPHUB_CALLBACK_MAX_ATTEMPTS": "100"}, before)
    token = "bench" + secrets.token_hex(4)
    key = "".join(secrets.choice(ALNUM) for _ in range(43))
    recv, recv_port = receiver(token, key)
    try:
        csv = members_csv(args.members, "1", "cb", 13100000000)
        import_file(server, csv)
        userids = [f"cb{i}" for i in range(args.members)]
        sessions = member_sessions(server.port, userids)
        admin = Admin(server.port)
        agentid = made["agentid"]
        admin.call("PUT", f"/admin/api/apps/{agentid}/menu",
                   {"button": [{"type": "click", "name": "bench", "key": "K"}]})
        admin.call("PUT", f"/admin/api/apps/{agentid}/callback",
                   {"url": f"http://127.0.0.1:{recv_port}/cb", "token": token,
                    "encoding_aes_key": key})
        enqueue_s = click_all(server.port, agentid, sessions, per_member)
        opened = time.perf_counter()
        urllib.request.urlopen(f"http://127.0.0.1:{recv_port}/open", timeout=10).read()
        # From the first delivery taken (the members' first events wait out their backoff, up
        # to 500 ms) to the last.
        t0 = None
        while True:
            c = count(recv_port)
            if t0 is None and c["events"] > 0:
                t0 = time.perf_counter()
            if c["events"] >= total:
                break
            if time.perf_counter() - opened > 600:
                raise SystemExit(f"bench: only {c} of {total} after 600 s")
            time.sleep(0.005)
        drain_s = time.perf_counter() - t0
        c = count(recv_port)
        rate = total / drain_s
        lines = [
            f"# Callback delivery ({backend})",
            "",
            f"{args.members} members, {per_member} click events each ({total} in all), queued "
            "through POST /api/v1/apps/{agentid}/events while the receiver refused them, then "
            "delivered to a local receiver (go-workwx's handler: signature checked, decrypted).",
            "",
            "| measure | value |",
            "|---|---|",
            f"| events queued per second (member API, 8 clients) | {total / enqueue_s:.0f} |",
            f"| **callbacks delivered per second** (queue draining) | **{rate:.0f}** |",
            f"| time to deliver all (from the first taken) | {drain_s:.2f} s |",
            f"| queueing them | {enqueue_s:.2f} s |",
            f"| decrypted by the receiver | {c['decrypted']} (POSTs {c['posts']}, refused ones "
            "included) |",
            "",
        ]
        out = ROOT / "bench" / "results" / f"callbacks-{backend}.md"
        out.write_text("\n".join(lines))
        print("\n".join(lines))
    finally:
        recv.terminate()
        recv.wait(timeout=10)
        server.stop()
        db.drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
