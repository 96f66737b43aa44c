"""Fixtures shared by the functional and the SDK compatibility suites (each conftest imports
them): the binary must exist, and `backend` runs a module on SQLite and, when
CORPHUB_TEST_POSTGRES_URL is set, on PostgreSQL."""
from __future__ import annotations

import os

import pytest

from corphub_harness import BIN, POSTGRES_URL

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
