"""Fixtures for the functional tests: they start the real corphub binary (env CORPHUB_BIN,
default <repo>/build/corphub) on port 0 against SQLite or PostgreSQL (env
CORPHUB_TEST_POSTGRES_URL; each server gets a database of its own, dropped afterwards)."""
from __future__ import annotations

import pytest

from corphub_fixtures import BACKENDS, _binary_exists, backend  # noqa: F401 (shared fixtures)
from corphub_harness import Harness


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
