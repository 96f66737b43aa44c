"""Fixtures for the functional tests: they start the real corphub binary (env CORPHUB_BIN,
default <repo>/build/corphub) on port 0 against SQLite or PostgreSQL (env
CORPHUB_TEST_POSTGRES_URL; each server gets a database of its own, dropped afterwards)."""
from __future__ import annotations

import os

import pytest

from corphub_harness import BIN, POSTGRES_URL, Harness

BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(scope="session", autouse=True)
def _binary_exists():
    if not (BIN.is_file() and os.access(BIN, os.X_OK)):
        pytest.fail(f"corphub binary not found at {BIN}: build it or set CORPHUB_BIN",
                    pytrace=False)


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request) -> str:
    if request.param == "postgres" and not POSTGRES_URL:
        pytest.skip("PostgreSQL cases need CORPHUB_TEST_POSTGRES_URL "
                    "(e.g. from scripts/pg-temp.sh start DIR)")
    return request.param


@pytest.fixture
def harness(tmp_path):
    h = Harness(tmp_path)
    yield h
    h.close()


@pytest.fixture(scope="module")
def module_harness(tmp_path_factory):
    h = Harness(tmp_path_factory.mktemp("module"))
    yield h
    h.close()


@pytest.fixture(scope="module")
def web_dist(tmp_path_factory):
    """A tiny stand-in for web/dist: the member app at /, the admin console at /admin/."""
    root = tmp_path_factory.mktemp("dist")
    (root / "member" / "assets").mkdir(parents=True)
    (root / "admin").mkdir()
    (root / "member" / "index.html").write_text(
        "<!doctype html><html><body>member app</body></html>\n")
    (root / "member" / "assets" / "app-abc.js").write_text("console.log('member asset');\n")
    (root / "member" / "manifest.webmanifest").write_text('{"name":"corphub"}\n')
    (root / "admin" / "index.html").write_text(
        "<!doctype html><html><body>admin console</body></html>\n")
    return root
