"""A callback receiver for the tests: an HTTP server on loopback that checks and decrypts what
corphub sends with wechatpy's own crypto (wechatpy.enterprise.crypto.WeChatCrypto), as an
internal system built on that SDK would. It answers URL verification with the decrypted echostr,
records every event it accepts (with corphub's X-Corphub-Event-Id), and can be told to fail a
share of deliveries or to stop answering."""
from __future__ import annotations

import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Optional
from urllib.parse import parse_qs, urlparse

from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException

ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


@dataclass
class Received:
    event_id: str
    attempt: int
    xml: str
    fields: dict
    query: dict
    at: float = field(default_factory=time.monotonic)


class Receiver:
    def __init__(self, token: str, aes_key: str, corpid: str):
        self.token, self.aes_key, self.corpid = token, aes_key, corpid
        self.crypto = WeChatCrypto(token, aes_key, corpid)
        self.lock = threading.Lock()
        self.received: list[Received] = []   # accepted (answered 200)
        self.attempts = 0                    # every POST, accepted or not
        self.rejected_signatures = 0
        # Decides, per POST (1-based), whether to fail it with HTTP 500.
        self.fail: Callable[[int], bool] = lambda n: False
        self.verify_answer: Optional[str] = None  # forces the GET answer (to test refusals)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _answer(self, status: int, body: bytes = b""):
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                q = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
                try:
                    echo = receiver.crypto.check_signature(
                        q["msg_signature"], q["timestamp"], q["nonce"], q["echostr"])
                except (InvalidSignatureException, KeyError):
                    return self._answer(403, b"bad signature")
                if isinstance(echo, bytes):
                    echo = echo.decode()
                answer = receiver.verify_answer if receiver.verify_answer is not None else echo
                self._answer(200, answer.encode())

            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(n).decode()
                q = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
                with receiver.lock:
                    receiver.attempts += 1
                    number = receiver.attempts
                if receiver.fail(number):
                    return self._answer(500, b"try later")
                try:
                    plain = receiver.crypto.decrypt_message(
                        body, q["msg_signature"], q["timestamp"], q["nonce"])
                except (InvalidSignatureException, KeyError):
                    with receiver.lock:
                        receiver.rejected_signatures += 1
                    return self._answer(403, b"bad signature")
                if isinstance(plain, bytes):
                    plain = plain.decode()
                root = ET.fromstring(plain)
                fields = {child.tag: (child.text or "") for child in root}
                with receiver.lock:
                    receiver.received.append(Received(
                        self.headers.get("X-Corphub-Event-Id", ""),
                        int(self.headers.get("X-Corphub-Attempt", "0")), plain, fields, q))
                self._answer(200, b"")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/callback"

    def events(self) -> list[Received]:
        with self.lock:
            return list(self.received)

    def unique(self) -> list[Received]:
        """What was accepted, each event id once (the first time), in arrival order."""
        seen, out = set(), []
        for r in self.events():
            if r.event_id not in seen:
                seen.add(r.event_id)
                out.append(r)
        return out

    def wait_for(self, predicate, timeout: float = 30, what: str = "callbacks"):
        deadline = time.monotonic() + timeout
        while True:
            got = predicate(self.unique())
            if got:
                return got
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; received "
                                     f"{[(r.event_id, r.fields.get('ChangeType')) for r in self.unique()]}")
            time.sleep(0.05)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def new_aes_key() -> str:
    import secrets
    return "".join(secrets.choice(ALNUM) for _ in range(43))
