#!/usr/bin/env bash
# Runs every test suite against the build in $1 (default: build): unit and storage tests
# (ctest), the fuzz targets for a short while (scripts/fuzz.sh), functional tests against the
# real binary (pytest), the real WeCom SDKs against it (wechatpy, go-workwx), browser tests
# (Playwright).
# PostgreSQL: uses CORPHUB_TEST_POSTGRES_URL when set, else starts a throwaway server itself.
# Every suite runs even when an earlier one fails; the last line sums them all up.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-build}" && pwd)
results=$(mktemp -d)
pgdir=""
cleanup() {
  [ -n "$pgdir" ] && "$root/scripts/pg-temp.sh" stop "$pgdir" >/dev/null 2>&1
  rm -rf "$results"
}
trap cleanup EXIT

if [ -z "${CORPHUB_TEST_POSTGRES_URL:-}" ]; then
  pgdir=$(mktemp -d)
  if url=$("$root/scripts/pg-temp.sh" start "$pgdir"); then
    export CORPHUB_TEST_POSTGRES_URL="$url"
  else
    echo "test-all: could not start PostgreSQL; the PostgreSQL cases will be skipped" >&2
    pgdir=""
  fi
fi
export CORPHUB_BIN="$build/corphub"
failed=0

echo "== unit and storage tests (ctest)"
ctest --test-dir "$build" --output-on-failure -j 2 --output-junit "$results/ctest.xml" || failed=1

echo "== fuzz targets (libFuzzer, ${FUZZ_SECONDS:-20}s each)"
"$root/scripts/fuzz.sh" --junit "$results/fuzz.xml" || failed=1

echo "== functional tests (pytest)"
venv="$root/tests/.venv"
if [ ! -x "$venv/bin/pytest" ] || [ "$root/tests/requirements.txt" -nt "$venv/.installed" ]; then
  python3 -m venv "$venv" && "$venv/bin/pip" install -q -r "$root/tests/requirements.txt" &&
    touch "$venv/.installed"
fi
(cd "$root" && "$venv/bin/pytest" -q -p no:cacheprovider tests/functional \
  --junitxml="$results/pytest.xml") || failed=1

echo "== SDK compatibility tests (wechatpy, go-workwx)"
(cd "$root" && "$venv/bin/pytest" -q -p no:cacheprovider tests/compat/python \
  --junitxml="$results/compat-python.xml") || failed=1
(cd "$root/tests/compat/go" && export PATH="$PATH:/usr/local/go/bin" GOFLAGS=-mod=readonly &&
  go test -count=1 -json ./... | python3 "$root/scripts/gotest-junit.py" "$results/compat-go.xml") ||
  failed=1
if [ -n "${CORPHUB_TEST_POSTGRES_URL:-}" ]; then
  # The same suite on a fresh PostgreSQL database of the test cluster.
  godb="corphub_compat_go_$$"
  godb_url="${CORPHUB_TEST_POSTGRES_URL%/*}/$godb"
  if psql -q "$CORPHUB_TEST_POSTGRES_URL" -c "CREATE DATABASE $godb" >/dev/null; then
    (cd "$root/tests/compat/go" && export PATH="$PATH:/usr/local/go/bin" GOFLAGS=-mod=readonly \
      CORPHUB_COMPAT_STORAGE_URL="$godb_url" &&
      go test -count=1 -json ./... |
      python3 "$root/scripts/gotest-junit.py" "$results/compat-go-postgres.xml" postgres) || failed=1
    psql -q "$CORPHUB_TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS $godb WITH (FORCE)" >/dev/null
  else
    echo "test-all: could not create a database for the go-workwx suite on PostgreSQL" >&2
    failed=1
  fi
fi

echo "== browser tests (Playwright, Chromium)"
(cd "$root/web" && PLAYWRIGHT_JUNIT_OUTPUT_NAME="$results/e2e.xml" \
  npx playwright test --reporter=list,junit) || failed=1

python3 "$root/scripts/junit-summary.py" "$results"/*.xml || failed=1
exit $failed
