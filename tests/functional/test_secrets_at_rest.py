"""Secrets the server must read back are sealed at rest under a key file beside the data
(<data>/secret.key, 0600): the contacts-sync secret and administrators' TOTP secrets never sit
in the database in plain text; plain values from before are sealed at the next start; a database
without its key file cannot be used with another one."""
from __future__ import annotations

import os
import stat

import requests

from admin_api import ADMIN_PASSWORD, ADMIN_USER, ok, start_console
from corphub_harness import psql
from test_admin_totp import totp


def stored(console, query: str) -> list:
    return console.sql(query)


def test_secrets_are_sealed_and_a_plain_one_is_sealed_at_the_next_start(harness, backend):
    console = start_console(harness, backend)
    key = console.storage.data_dir / "secret.key"
    assert key.is_file()
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert len(key.read_text().strip()) == 64
    secret = console.corp["contacts_secret"]
    [(db_value,)] = stored(console, "SELECT contacts_secret FROM organisations")
    assert db_value.startswith("sb1:") and secret not in db_value

    setup = ok(console.admin.post("/admin/api/account/totp/setup",
                                  json={"password": ADMIN_PASSWORD}))
    [(pending,)] = stored(console, f"SELECT totp_pending FROM admin_accounts "
                                   f"WHERE username = '{ADMIN_USER}'")
    assert pending.startswith("sb1:") and setup["secret"] not in pending
    ok(console.admin.post("/admin/api/account/totp/enable",
                          json={"code": totp(setup["secret"])}))
    [(enabled,)] = stored(console, f"SELECT totp_secret FROM admin_accounts "
                                   f"WHERE username = '{ADMIN_USER}'")
    assert enabled.startswith("sb1:") and setup["secret"] not in enabled

    # A value written in plain (as an older corphub did) is sealed when the server starts again.
    console.server.stop()
    write = f"UPDATE organisations SET contacts_secret = '{secret}'"
    if console.storage.pg:
        psql(console.storage.pg.url, write)
    else:
        import sqlite3
        con = sqlite3.connect(console.storage.sqlite_path)
        con.execute(write)
        con.commit()
        con.close()
    server = harness.server(console.storage)
    [(again,)] = stored(console, "SELECT contacts_secret FROM organisations")
    assert again.startswith("sb1:") and secret not in again
    r = requests.get(server.url + "/cgi-bin/gettoken",
                     params={"corpid": console.corp["corpid"], "corpsecret": secret}, timeout=10)
    assert r.json()["errcode"] == 0, r.text

    # Another key cannot open them: the server says so instead of handing out tokens.
    server.stop()
    key.write_text("00" * 32 + "\n")
    server = harness.server(console.storage, start=False)
    server.start(wait=False)
    assert server.wait_exit(30) != 0
    assert "secret.key" in server.stderr_text()
