"""The command line: configuration errors, environment errors, migrate, admin create, version.
Errors are one line `corphub: <message>` on stderr; exit 2 for configuration and arguments,
1 for the environment."""
from __future__ import annotations

import re
import secrets

import pytest
import requests

from corphub_harness import (REPO, POSTGRES_URL, error_lines, free_port_holder,
                             known_schema_version, url_with_password)

EXAMPLE_CONFIG = REPO / "config" / "corphub.example.toml"


def only_line(stderr: str) -> str:
    lines = [l for l in stderr.splitlines() if l.strip()]
    assert len(lines) == 1, f"expected exactly one stderr line, got:\n{stderr}"
    assert lines[0].startswith("corphub: "), lines[0]
    return lines[0]


def one_error(stderr: str) -> str:
    errors = error_lines(stderr)
    assert len(errors) == 1, f"expected one `corphub:` line, got:\n{stderr}"
    assert stderr.rstrip("\n").splitlines()[-1] == errors[0], "the error is not the last line"
    return errors[0]


# --- configuration ---------------------------------------------------------------------------

def test_unknown_config_key_exits_2_naming_it(harness, tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text('[http]\nmax_body_byte = 4096\n')
    storage = harness.storage()
    for cmd in (["check-config"], ["serve", "--listen", "127.0.0.1:0"], ["migrate"]):
        r = harness.cli(*cmd, "--config", cfg, storage=storage, timeout=20)
        assert r.returncode == 2, (cmd, r.stderr)
        line = only_line(r.stderr)
        assert "http.max_body_byte" in line
        assert r.stdout == ""
    assert not storage.sqlite_path.exists(), "a refused configuration still opened the database"


def test_unknown_config_section_exits_2(harness, tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text('[htttp]\nmax_body_bytes = 4096\n')
    r = harness.cli("check-config", "--config", cfg)
    assert r.returncode == 2
    assert "htttp" in only_line(r.stderr)


def test_wrong_type_and_range_in_config_exit_2(harness, tmp_path):
    for text, needle in [('[http]\nmax_body_bytes = "big"\n', "http.max_body_bytes"),
                         ('[http]\nidle_timeout_s = 0\n', "http.idle_timeout_s"),
                         ('[log]\nlevel = "chatty"\n', "log.level"),
                         ('[server\nlisten = 1\n', "bad.toml")]:
        cfg = tmp_path / "bad.toml"
        cfg.write_text(text)
        r = harness.cli("check-config", "--config", cfg)
        assert r.returncode == 2, text
        assert needle in only_line(r.stderr), text


def test_unknown_env_key_exits_2_naming_it(harness):
    storage = harness.storage()
    for cmd in (["check-config"], ["serve", "--listen", "127.0.0.1:0"]):
        r = harness.cli(*cmd, storage=storage, env={"CORPHUB_HTTP_MAX_BODY_BYTE": "4096"},
                        timeout=20)
        assert r.returncode == 2, (cmd, r.stderr)
        assert "CORPHUB_HTTP_MAX_BODY_BYTE" in only_line(r.stderr)


def test_bad_env_value_exits_2_naming_it(harness):
    r = harness.cli("check-config", env={"CORPHUB_HTTP_MAX_BODY_BYTES": "lots"})
    assert r.returncode == 2
    assert "CORPHUB_HTTP_MAX_BODY_BYTES" in only_line(r.stderr)
    r = harness.cli("check-config", env={"CORPHUB_TESTING_ENABLED": "maybe"})
    assert r.returncode == 2
    assert "CORPHUB_TESTING_ENABLED" in only_line(r.stderr)


def test_env_of_other_tools_is_ignored(harness):
    # CORPHUB_BIN and CORPHUB_TEST_* share the prefix but name no section of ours.
    r = harness.cli("check-config", env={"CORPHUB_BIN": "/x", "CORPHUB_TEST_SOMETHING": "1"})
    assert r.returncode == 0, r.stderr


def test_check_config_accepts_the_example_and_no_file(harness):
    r = harness.cli("check-config", "--config", EXAMPLE_CONFIG)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "configuration ok"
    assert r.stderr == ""
    r = harness.cli("check-config")
    assert r.returncode == 0 and "configuration ok" in r.stdout


def test_bad_listen_and_bad_arguments_exit_2(harness):
    storage = harness.storage()
    r = harness.cli("serve", "--listen", "nonsense", storage=storage)
    assert r.returncode == 2
    assert "nonsense" in only_line(r.stderr)
    r = harness.cli("serve", "--listen", "127.0.0.1:70000", storage=storage)
    assert r.returncode == 2
    r = harness.cli("no-such-command")
    assert r.returncode == 2
    r = harness.cli("check-config", "--config", "/nonexistent/corphub.toml")
    assert r.returncode == 2


def test_config_file_is_used_and_env_wins(harness):
    config = "[testing]\nenabled = true\n"
    from_file = harness.server(config=config)
    r = requests.post(from_file.url + "/testing/probe?key=k", data=b"v", timeout=10)
    assert r.status_code == 200, "testing.enabled from the file was not applied"
    assert from_file.stop() == 0
    overridden = harness.server(config=config, env={"CORPHUB_TESTING_ENABLED": "false"})
    r = requests.post(overridden.url + "/testing/probe?key=k", data=b"v", timeout=10)
    assert r.status_code == 404, "the environment did not win over the file"
    assert overridden.stop() == 0


# --- the environment -------------------------------------------------------------------------

def test_unreachable_postgres_exits_1_without_leaking_the_password(harness):
    password = "Pw-" + secrets.token_hex(8)
    closed = free_port_holder()  # bound, never listening: connections are refused
    try:
        port = closed.getsockname()[1]
        url = f"postgresql://corphub:{password}@127.0.0.1:{port}/corphub"
        storage = harness.storage()
        for cmd in (["serve", "--listen", "127.0.0.1:0"], ["migrate"]):
            r = harness.cli(*cmd, storage=storage, timeout=30,
                            env={"CORPHUB_STORAGE_URL": url,
                                 "CORPHUB_STORAGE_CONNECT_TIMEOUT_S": "2"})
            assert r.returncode == 1, (cmd, r.stderr)
            line = only_line(r.stderr)
            assert "PostgreSQL" in line or "postgres" in line.lower()
            assert password not in r.stdout and password not in r.stderr
    finally:
        closed.close()


@pytest.mark.skipif(not POSTGRES_URL, reason="needs CORPHUB_TEST_POSTGRES_URL")
def test_postgres_password_never_printed_by_a_running_server(harness):
    storage = harness.storage("postgres")
    password = "Pw-" + secrets.token_hex(8)
    # The test cluster trusts loopback, so the password is carried but not checked.
    url = url_with_password(storage.pg.url, password)
    server = harness.server(storage, env={"CORPHUB_STORAGE_URL": url})
    health = requests.get(server.url + "/healthz", timeout=10).json()
    assert health["storage"] == {"backend": "postgres", "ok": True}
    requests.get(server.url + "/metrics", timeout=10)
    assert server.stop() == 0
    assert password not in server.stdout_text()
    assert password not in server.stderr_text()


def test_port_in_use_exits_1(harness):
    holder = free_port_holder(listen=True)
    try:
        port = holder.getsockname()[1]
        storage = harness.storage()
        r = harness.cli("serve", "--listen", f"127.0.0.1:{port}", storage=storage, timeout=30)
        assert r.returncode == 1
        line = one_error(r.stderr)
        assert "cannot listen" in line
        assert str(port) in line
    finally:
        holder.close()


def test_failed_first_start_does_not_swallow_the_admin_login(harness):
    """A first start that cannot listen must not leave an admin whose password nobody saw:
    the next successful start still has to print a usable first login."""
    holder = free_port_holder(listen=True)
    storage = harness.storage()
    try:
        r = harness.cli("serve", "--listen", f"127.0.0.1:{holder.getsockname()[1]}",
                        storage=storage, timeout=30)
        assert r.returncode == 1
        assert "password" not in r.stdout
    finally:
        holder.close()
    server = harness.server(storage)
    out = server.stdout_text()
    assert server.stop() == 0
    assert re.search(r"username: admin  password: \S+", out), (
        "after a start that failed to listen, no start ever prints the first admin's "
        f"password:\n{out}")


def test_schema_newer_than_binary_exits_1(harness, backend):
    storage = harness.storage(backend)
    r = harness.cli("migrate", storage=storage)
    assert r.returncode == 0, r.stderr
    storage.insert_schema_version(9999, "9999_from_the_future.sql")
    known = known_schema_version()
    for cmd in (["serve", "--listen", "127.0.0.1:0"], ["migrate"]):
        r = harness.cli(*cmd, storage=storage, timeout=30)
        assert r.returncode == 1, (cmd, r.stderr)
        line = one_error(r.stderr)
        assert "9999" in line
        assert re.search(rf"\b{known}\b", line.replace("9999", "")), line
        assert "Listening" not in r.stdout


def test_migrate_prints_version_and_is_idempotent(harness, backend):
    storage = harness.storage(backend)
    known = known_schema_version()
    r = harness.cli("migrate", storage=storage)
    assert r.returncode == 0, r.stderr
    assert re.search(rf"schema version {known}\b", r.stdout), r.stdout
    assert backend in r.stdout
    rows = storage.schema_rows()
    assert [v for v, _ in rows] == list(range(1, known + 1))
    assert all(re.fullmatch(rf"{v:04d}_\w+\.sql", n) for v, n in rows), rows
    again = harness.cli("migrate", storage=storage)
    assert again.returncode == 0
    assert re.search(rf"schema version {known}\b", again.stdout)
    assert "applied migration" not in again.stderr
    assert storage.schema_rows() == rows


def test_admin_create_with_password_stdin(harness, backend):
    storage = harness.storage(backend)
    password = "correct horse battery staple"
    r = harness.cli("admin", "create", "--username", "alice", "--password-stdin",
                    storage=storage, input=password + "\n")
    assert r.returncode == 0, r.stderr
    assert 'super admin "alice" created' in r.stdout
    assert password not in r.stdout and password not in r.stderr

    dup = harness.cli("admin", "create", "--username", "alice", "--password-stdin",
                      storage=storage, input="another long password\n")
    assert dup.returncode == 1
    assert "alice" in one_error(dup.stderr)

    # An admin exists now, so the first start creates no generated one.
    server = harness.server(storage)
    out = server.stdout_text()
    assert server.stop() == 0
    assert "password:" not in out


def test_admin_create_generates_a_password_without_stdin(harness):
    storage = harness.storage()
    r = harness.cli("admin", "create", "--username", "bob", storage=storage)
    assert r.returncode == 0, r.stderr
    m = re.search(r'super admin "bob" created; password: (\S+)', r.stdout)
    assert m and len(m.group(1)) >= 12


@pytest.mark.parametrize("username,password", [("carol", "short"), ("carol", ""),
                                               ("x", "long enough password"),
                                               ("bad name!", "long enough password")])
def test_admin_create_rejects_bad_input_with_exit_2(harness, username, password):
    storage = harness.storage()
    r = harness.cli("admin", "create", "--username", username, "--password-stdin",
                    storage=storage, input=password + "\n")
    assert r.returncode == 2, r.stderr
    only_line(r.stderr)
    assert not storage.sqlite_path.exists(), "bad input still opened the database"


def test_version(harness):
    r = harness.cli("version")
    assert r.returncode == 0
    assert re.fullmatch(r"corphub \d+\.\d+\.\d+\n", r.stdout)
    assert r.stderr == ""
