"""What corphub acknowledges survives kill -9: writers hammer the test-only probe route, the
server is killed mid-stream, and every key that got a 200 must be there after a restart."""
from __future__ import annotations

import threading

import requests

from corphub_harness import wait_until

WRITERS = 4
ACKED_BEFORE_KILL = 400
TESTING = {"CORPHUB_TESTING_ENABLED": "true"}


def test_probe_route_contract(harness, backend):
    server = harness.server(harness.storage(backend), env=TESTING)
    s = requests.Session()
    probe = server.url + "/testing/probe"
    assert s.post(probe + "?key=k1", data=b"v1", timeout=10).json() == {"ok": True}
    dup = s.post(server.url + "/testing/probe?key=k1", data=b"v2", timeout=10)
    assert dup.status_code == 409
    assert s.post(server.url + "/testing/probe", data=b"v", timeout=10).status_code == 400
    assert s.post(probe + "?key=big", data=b"x" * 5000, timeout=10).status_code == 400
    assert s.post(server.url + "/testing/probe?key=k2", data=b"", timeout=10).status_code == 200
    assert s.get(server.url + "/testing/probe/count", timeout=10).json() == {"count": 2}
    assert sorted(s.get(probe + "/keys", timeout=10).json()["keys"]) == ["k1", "k2"]
    assert server.stop() == 0


def test_acknowledged_writes_survive_kill9(harness, backend):
    storage = harness.storage(backend)
    server = harness.server(storage, env=TESTING)
    url = server.url + "/testing/probe"

    acked: list[str] = []
    sent: set[str] = set()
    lock = threading.Lock()
    stop = threading.Event()
    errors: list[str] = []

    def writer(n: int):
        session = requests.Session()
        i = 0
        while not stop.is_set():
            key = f"w{n}-{i}"
            i += 1
            with lock:
                sent.add(key)
            try:
                r = session.post(url, params={"key": key}, data=f"value of {key}", timeout=10)
            except requests.RequestException:
                break  # the server is gone; this write's fate is unknown
            if r.status_code == 200:
                with lock:
                    acked.append(key)
            else:
                with lock:
                    errors.append(f"{key}: {r.status_code} {r.text[:200]}")
                break

    threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(WRITERS)]
    for t in threads:
        t.start()
    try:
        wait_until(lambda: len(acked) >= ACKED_BEFORE_KILL or errors or
                   not any(t.is_alive() for t in threads), 60,
                   f"{ACKED_BEFORE_KILL} acknowledged writes")
        assert not errors, errors[:5]
        assert all(t.is_alive() for t in threads), "a writer stopped before the kill"
        server.kill9()  # mid-stream: the writers are still sending
        killed_at = len(acked)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=15)
    assert not any(t.is_alive() for t in threads), "a writer hung after the kill"
    assert not errors, errors[:5]
    assert killed_at >= ACKED_BEFORE_KILL
    with lock:
        acknowledged = list(acked)

    restarted = harness.server(storage, env=TESTING)
    keys = requests.get(restarted.url + "/testing/probe/keys", timeout=30).json()["keys"]
    found = set(keys)
    assert len(keys) == len(found), "a key was stored twice"
    lost = [k for k in acknowledged if k not in found]
    assert not lost, f"{len(lost)} of {len(acknowledged)} acknowledged writes lost, e.g. {lost[:5]}"
    assert found <= sent, f"keys nobody wrote: {sorted(found - sent)[:5]}"
    count = requests.get(restarted.url + "/testing/probe/count", timeout=10).json()["count"]
    assert count == len(found)
    # Still a working database after the crash: new writes and the old keys' uniqueness.
    assert requests.post(restarted.url + "/testing/probe", params={"key": "after-restart"},
                         data=b"v", timeout=10).status_code == 200
    assert requests.post(restarted.url + "/testing/probe", params={"key": acknowledged[0]},
                         data=b"v", timeout=10).status_code == 409
    assert restarted.stop() == 0
