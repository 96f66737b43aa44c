"""Members proving their external account id through the organisation's account service, on
SQLite and PostgreSQL (docs/member-api.md, "Sign-in"): corphub posts the account and password
to the service configured in [identity]; a match activates or signs in the member whose
external id (the directory's IM id column) it is. A local stub plays the service.
"""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from admin_api import error, ok
from identity_site import Site
from member_api import MEMBER_COOKIE, new_userid
from outbound_sinks import SmsGateway, SmtpSink

KEY = "Bearer service-key-123"


class AccountService:
    """Accepts the accounts in `accounts` with their password; `broken` answers 500."""

    def __init__(self):
        self.accounts: dict[str, str] = {}
        self.requests: list[dict] = []
        self.broken = False
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                service.requests.append({"body": body, "auth": self.headers.get("Authorization"),
                                         "type": self.headers.get("Content-Type")})
                if service.broken:
                    status = 500
                elif service.accounts.get(body.get("account")) == body.get("password"):
                    status = 200
                else:
                    status = 401
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/check"

    def stop(self):
        self.httpd.shutdown()


@pytest.fixture(scope="module")
def service():
    s = AccountService()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def site(module_harness, backend, service):
    smtp, sms = SmtpSink().start(), SmsGateway().start()
    s = Site(module_harness, backend, (smtp, sms), CORPHUB_IDENTITY_REQUESTS_PER_HOUR=100000,
             CORPHUB_IDENTITY_ACCOUNT_SERVICE_URL=service.url,
             CORPHUB_IDENTITY_ACCOUNT_SERVICE_AUTHORIZATION=KEY,
             CORPHUB_IDENTITY_ACCOUNT_SERVICE_LABEL="统一身份认证")
    yield s
    smtp.stop()
    sms.stop()


def by_account(site, account: str, password: str) -> requests.Response:
    return requests.post(site.server.url + "/api/v1/auth/account",
                         json={"account": account, "password": password}, timeout=30)


def test_the_sign_in_page_learns_the_methods(site):
    assert ok(requests.get(site.server.url + "/api/v1/auth/methods", timeout=30)) == \
        {"code": True, "password": True, "account": True, "account_label": "统一身份认证"}


def test_a_matching_account_activates_the_member_then_signs_in(site, service):
    account = new_userid("stu")
    m = site.member(external_id=account)
    service.accounts[account] = "campus-pass"
    r = by_account(site, f" {account} ", "campus-pass")
    body = ok(r)
    assert body["result"] == "activated" and body["userid"] == m["userid"]
    assert r.cookies.get(MEMBER_COOKIE)
    assert site.status(m["userid"]) == 1
    sent = service.requests[-1]
    assert sent["body"] == {"account": account, "password": "campus-pass"}
    assert sent["auth"] == KEY and sent["type"] == "application/json"
    assert ok(by_account(site, account, "campus-pass"))["result"] == "signed_in"
    logs = site.server.stdout_text() + site.server.stderr_text()
    assert "campus-pass" not in logs and "service-key-123" not in logs


def test_refusals_unknown_links_and_an_unavailable_service(site, service):
    account = new_userid("stu")
    site.member(external_id=account)
    service.accounts[account] = "right"
    error(by_account(site, account, "wrong"), 401, "invalid_credentials")
    service.accounts["nobody-here"] = "pw"
    body = error(by_account(site, "nobody-here", "pw"), 404, "no_match")
    assert "administrator" in body["message"]
    service.broken = True
    try:
        body = error(by_account(site, account, "right"), 503, "unavailable")
        assert "127.0.0.1" not in body["message"] and "code" in body["message"]
    finally:
        service.broken = False
    error(by_account(site, "", ""), 401, "invalid_credentials")


def test_five_refusals_lock_the_account_for_a_while(site, service):
    account = new_userid("stu")
    site.member(external_id=account)
    service.accounts[account] = "right"
    for _ in range(5):
        error(by_account(site, account, "wrong"), 401, "invalid_credentials")
    error(by_account(site, account, "right"), 429, "login_locked")


def test_a_frozen_member_cannot_and_second_verification_holds_them(site, service):
    account = new_userid("stu")
    m = site.member(external_id=account)
    service.accounts[account] = "right"
    assert site.contacts.post("user/update", {"userid": m["userid"], "enable": 0})["errcode"] == 0
    error(by_account(site, account, "right"), 403, "account_unavailable")
    assert site.contacts.post("user/update", {"userid": m["userid"], "enable": 1})["errcode"] == 0
    ok(site.admin.put("/admin/api/identity/settings", json={"second_verification": True}))
    try:
        assert ok(by_account(site, account, "right"), 202) == \
            {"result": "pending_approval", "userid": m["userid"]}
        pending = ok(site.admin.get("/admin/api/identity/pending"))["pending"]
        assert [p["channel"] for p in pending if p["userid"] == m["userid"]] == ["account"]
    finally:
        ok(site.admin.put("/admin/api/identity/settings", json={"second_verification": False}))


def test_without_a_service_the_method_is_off(harness, backend):
    smtp, sms = SmtpSink().start(), SmsGateway().start()
    try:
        plain = Site(harness, backend, (smtp, sms))
        methods = ok(requests.get(plain.server.url + "/api/v1/auth/methods", timeout=30))
        assert methods["account"] is False and methods["account_label"] == ""
        error(by_account(plain, "x", "y"), 503, "channel_unavailable")
    finally:
        smtp.stop()
        sms.stop()
