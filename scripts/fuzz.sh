#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz in build-fuzz/ (clang, ASan + UBSan) and runs each
# for FUZZ_SECONDS (default 20) on a temporary copy of its seeds. Exits non-zero when a target
# finds a crash, a leak, undefined behaviour, a broken check, a timeout or runaway memory; the
# inputs that did it stay in the work directory it prints.
#   scripts/fuzz.sh [--junit FILE] [TARGET...]   (targets: cgi_json callback csv xlsx import
#                                                  multipart; default all)
# FUZZ_CXX picks the compiler (default clang++-14).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-fuzz"
seconds=${FUZZ_SECONDS:-20}
cxx=${FUZZ_CXX:-clang++-14}
junit=""
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --junit) junit="$2"; shift 2 ;;
    --junit=*) junit="${1#--junit=}"; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
all=(cgi_json callback csv xlsx import multipart)
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

# The longest input each target is given: a request body, a callback, an import file or an
# upload of a useful size, and no more (longer inputs only slow the search down).
max_len() {
  case "$1" in
    xlsx|import) echo 32768 ;;
    multipart) echo 8192 ;;
    *) echo 4096 ;;
  esac
}

# One <testcase> per target; a target that found something or did not run has a <failure>.
write_junit() {
  [ -n "$junit" ] || return 0
  local failures=0 name
  for name in "${targets[@]}"; do [ "${result[$name]}" = passed ] || failures=$((failures + 1)); done
  {
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo "<testsuites><testsuite name=\"fuzz\" tests=\"${#targets[@]}\" failures=\"$failures\">"
    for name in "${targets[@]}"; do
      printf '  <testcase classname="fuzz" name="%s" time="%s">' "$name" "${elapsed[$name]:-0}"
      if [ "${result[$name]}" != passed ]; then
        printf '<failure message="%s"/>' "$(printf '%s' "${result[$name]}" |
          sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g')"
      fi
      echo '</testcase>'
    done
    echo '</testsuite></testsuites>'
  } >"$junit"
}

declare -A result elapsed
for name in "${targets[@]}"; do result[$name]="not run: the fuzz targets did not build"; done

echo "== fuzz: building build-fuzz/ with $cxx"
if ! { [ -f "$build/build.ninja" ] ||
  cmake -G Ninja -S "$root/tests/fuzz" -B "$build" -DCMAKE_CXX_COMPILER="$cxx"; } ||
  ! ninja -C "$build"; then
  echo "fuzz: the build failed (is clang-14 with libclang-rt-14-dev installed?" \
    "scripts/install-deps.sh build test)" >&2
  write_junit
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/corphub-fuzz.XXXXXX")
failed=0
for name in "${targets[@]}"; do
  bin="$build/fuzz_$name"
  if [ ! -x "$bin" ]; then
    echo "fuzz: no target $name (there are: ${all[*]})" >&2
    result[$name]="no such target"
    failed=1
    continue
  fi
  dir="$work/$name"
  mkdir -p "$dir/corpus" "$dir/findings"
  cp -R "$root/tests/fuzz/corpus/$name/." "$dir/corpus/" 2>/dev/null
  "$build/fuzz_seeds" "$name" "$dir/corpus" || true
  echo "== fuzz: $name for ${seconds}s"
  start=$SECONDS
  # -timeout: one input taking that long is a finding (the parsers promise linear time).
  "$bin" -max_total_time="$seconds" -rss_limit_mb=1024 -max_len="$(max_len "$name")" \
    -timeout=10 -print_final_stats=1 -artifact_prefix="$dir/findings/" "$dir/corpus" \
    >"$dir/log" 2>&1
  rc=$?
  elapsed[$name]=$((SECONDS - start))
  findings=$(find "$dir/findings" -type f | sort)
  grep -E '^(stat::number_of_executed_units|stat::new_units_added|stat::peak_rss_mb)' "$dir/log" |
    sed 's/^/   /'
  if [ $rc -eq 0 ] && [ -z "$findings" ]; then
    result[$name]=passed
    continue
  fi
  failed=1
  kind=$(grep -m1 -oE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer): [^ ]+|runtime error: .*|fuzz check failed at .*' "$dir/log")
  result[$name]="${kind:-exit $rc}; reproducer: ${findings:-none written}; log: $dir/log"
  echo "fuzz: $name FOUND SOMETHING: ${kind:-exit $rc}" >&2
  grep -E -m1 -A25 'ERROR: |runtime error:|fuzz check failed' "$dir/log" | sed 's/^/   /' >&2
  for f in $findings; do
    echo "   reproducer: $f  (replay: $bin $f)" >&2
  done
done

write_junit
passed=0
for name in "${targets[@]}"; do [ "${result[$name]}" = passed ] && passed=$((passed + 1)); done
if [ $failed -eq 0 ]; then
  rm -rf "$work"
else
  echo "fuzz: findings and logs are kept in $work" >&2
fi
echo "fuzz: $passed passed, $(( ${#targets[@]} - passed )) failed"
exit $failed
