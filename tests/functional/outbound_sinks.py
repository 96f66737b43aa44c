"""Where corphub's outgoing mail and SMS land in the tests: a real SMTP server (aiosmtpd) and
an HTTP stand-in for an SMS gateway, both on loopback port 0, recording what they receive.
`wait_for` waits (with a deadline) for the next message to an address and returns it parsed."""
from __future__ import annotations

import email
import email.policy
import json
import re
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Optional

from aiosmtpd.controller import Controller

CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


@dataclass
class Mail:
    mail_from: str
    rcpt_to: list
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        return self.message.get_content()

    def code(self) -> str:
        found = CODE.findall(self.text)
        assert found, self.text
        return found[0]


class _Handler:
    def __init__(self, sink: "SmtpSink"):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.sink.cond:
            self.sink.mails.append(Mail(envelope.mail_from, list(envelope.rcpt_tos), msg))
            self.sink.cond.notify_all()
        return "250 OK"


class SmtpSink:
    def __init__(self):
        self.mails: list[Mail] = []
        self.cond = threading.Condition()
        # aiosmtpd checks that its server answers by connecting to the port it was given, so
        # it needs a real one: a free port, taken just before.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=port)

    def start(self) -> "SmtpSink":
        self.controller.start()
        return self

    @property
    def port(self) -> int:
        return self.controller.port

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def stop(self):
        self.controller.stop()

    def wait_for(self, to: str, timeout: float = 10, after: int = 0) -> Mail:
        """The first mail to `to` among those received after the first `after` ones."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for m in self.mails[after:]:
                    if to.lower() in [r.lower() for r in m.rcpt_to]:
                        return m
                left = deadline - time.monotonic()
                assert left > 0, f"no mail to {to} within {timeout}s"
                self.cond.wait(left)

    def count(self) -> int:
        with self.cond:
            return len(self.mails)


class SmsGateway:
    """Answers POST /send with `status` (200 unless told otherwise) and records each request."""

    def __init__(self):
        self.requests: list[dict] = []
        self.status = 200
        self.cond = threading.Condition()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with gateway.cond:
                    gateway.requests.append({
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": body.decode("utf-8"),
                    })
                    gateway.cond.notify_all()
                    status = gateway.status
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> "SmsGateway":
        self.thread.start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/send"

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def wait_for(self, mobile: str, timeout: float = 10, after: int = 0) -> dict:
        """The first request (body parsed as JSON) naming `mobile`, after the first `after`."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for r in self.requests[after:]:
                    body = json.loads(r["body"])
                    if body.get("mobile") == mobile:
                        return {**r, "json": body}
                left = deadline - time.monotonic()
                assert left > 0, f"no SMS to {mobile} within {timeout}s"
                self.cond.wait(left)

    def count(self) -> int:
        with self.cond:
            return len(self.requests)


def sms_code(request: dict) -> str:
    found = CODE.findall(request["json"]["text"])
    assert found, request
    return found[0]


def outbound_env(smtp: SmtpSink, sms: SmsGateway, **extra) -> dict:
    """The environment that sends a server's mail to `smtp` and its SMS to `sms`."""
    env = {
        "CORPHUB_MAIL_DRIVER": "smtp",
        "CORPHUB_MAIL_SMTP_URL": smtp.url,
        "CORPHUB_MAIL_FROM": "企业门户 <noreply@corphub.test>",
        "CORPHUB_MAIL_STARTTLS": "never",
        "CORPHUB_SMS_DRIVER": "http",
        "CORPHUB_SMS_URL": sms.url,
        "CORPHUB_SMS_AUTHORIZATION": "Bearer gateway-key",
    }
    env.update({k: str(v) for k, v in extra.items()})
    return env
