#!/usr/bin/env bash
# Installs the Debian packages listed in deps/debian-packages.txt for the given sections
# (default: build), only when some are missing. Node.js and npm (and Go, for the test section)
# come from Debian only when the machine has none (a newer one may already be there).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
list="$here/deps/debian-packages.txt"
sections=("$@")
[ ${#sections[@]} -gt 0 ] || sections=(build)

want=()
current=""
while IFS= read -r line; do
  line="${line%%#*}"; line="${line//[[:space:]]/}"
  [ -n "$line" ] || continue
  if [[ "$line" == \[*\] ]]; then current="${line:1:-1}"; continue; fi
  for s in "${sections[@]}"; do [ "$s" = "$current" ] && want+=("$line"); done
done <"$list"
command -v node >/dev/null 2>&1 || want+=(nodejs npm)
# The Go SDK tests need Go (Debian's is old enough for them) when the machine has none.
for s in "${sections[@]}"; do
  if [ "$s" = test ] && ! command -v go >/dev/null 2>&1 && [ ! -x /usr/local/go/bin/go ]; then
    want+=(golang-go)
  fi
done

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "corphub: installing Debian packages: ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || true
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
