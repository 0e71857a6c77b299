#!/usr/bin/env bash
# Tests a built datazone-mock .deb as a user gets it.
#
#   tests/package/deb_install_test.sh [--extract-only] PACKAGE.deb
#
# Always: unpacks it with `dpkg-deb -x` into a fresh directory (the machine is not touched) and
# checks that tree. As root, unless --extract-only: also installs it with `dpkg -i`, checks the
# installed package the same way and removes it with `dpkg -r`, leaving the machine as it was;
# this part is skipped (and says so) when datazone-mock is already installed or a file of the
# package already exists on the machine. The checks: the control fields (name, the project's
# version, computed Depends), `datazone-mock --version`, the man page, headers, static library,
# CMake package and bundled data, a project built against the package with
# find_package(datazone_mock) (unpacked tree only), and the installed binary started with
# --port 0 answering a real ListJobRuns request with 200 and JSON items, then stopping on
# SIGTERM with exit status 0.
set -euo pipefail

extract_only=false
if [ "${1:-}" = --extract-only ]; then extract_only=true; shift; fi
[ $# -eq 1 ] || { echo "usage: $0 [--extract-only] PACKAGE.deb" >&2; exit 2; }
deb="$(realpath "$1")"
source_root="$(cd "$(dirname "$0")/../.." && pwd)"
version="$(sed -n 's/^project(datazone_mock VERSION \([0-9][0-9.]*\).*/\1/p' \
           "$source_root/CMakeLists.txt")"
[ -n "$version" ] || { echo "cannot read the project version from CMakeLists.txt" >&2; exit 2; }

work="$(mktemp -d)"
installed_here=false
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  if $installed_here; then dpkg -r datazone-mock >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
ok() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
check() {  # check DESCRIPTION COMMAND...
  local description="$1"; shift
  if "$@"; then ok "$description"; else fail "$description"; fi
}

# --- The control fields --------------------------------------------------------------------
field() { dpkg-deb -f "$deb" "$1"; }
echo "== $(basename "$deb") ($(du -h "$deb" | cut -f1), installed size $(field Installed-Size) KiB)"
check "Package is datazone-mock" test "$(field Package)" = datazone-mock
check "Version is the project's ($version)" test "$(field Version)" = "$version"
check "Section is devel" test "$(field Section)" = devel
check "Maintainer is set" test -n "$(field Maintainer)"
depends="$(field Depends)"
echo "     Depends: $depends"
depends_names="$(sed 's/ ([^)]*)//g; s/, */\n/g' <<<"$depends")"
for package in libc6 libstdc++6 libssl3 libyaml-cpp0.7 libcpp-httplib0.11; do
  check "Depends names $package (computed by dpkg-shlibdeps)" \
    grep -Fxq "$package" <<<"$depends_names"
done
check "Description has a summary and an extended text" \
  test "$(field Description | head -n 1)" = "in-memory mock of the Amazon DataZone ListJobRuns API" \
    -a "$(field Description | wc -l)" -gt 5

# --- What a tree holds, unpacked or installed -----------------------------------------------
check_tree() {  # check_tree ROOT: ROOT/usr is the package's prefix
  local usr="$1/usr"
  check "bin/datazone-mock is executable" test -x "$usr/bin/datazone-mock"
  check "datazone-mock --version prints 'datazone-mock $version'" \
    test "$("$usr/bin/datazone-mock" --version)" = "datazone-mock $version"
  local page="$usr/share/man/man1/datazone-mock.1.gz"
  check "man page share/man/man1/datazone-mock.1.gz" test -s "$page"
  check "the man page is for version $version" \
    grep -Fq "\"datazone-mock $version\"" <(zcat "$page" | head -n 1)
  if command -v groff >/dev/null; then
    check "the man page renders without warnings" \
      test -z "$(zcat "$page" | groff -man -ww -z 2>&1)"
  fi
  check "headers include/datazone_mock/{datazone_mock,datazone_mock_gtest}.h" \
    test -f "$usr/include/datazone_mock/datazone_mock.h" \
      -a -f "$usr/include/datazone_mock/datazone_mock_gtest.h"
  check "static library lib/libdatazone_mock.a" test -s "$usr/lib/libdatazone_mock.a"
  local config="$usr/lib/cmake/datazone_mock"
  check "CMake package lib/cmake/datazone_mock" test -f "$config/datazone_mockConfig.cmake" \
    -a -f "$config/datazone_mockConfigVersion.cmake" -a -f "$config/datazone_mockTargets.cmake"
  check "bundled fixtures and scenarios in share/datazone-mock" \
    test -f "$usr/share/datazone-mock/scenarios/slow.yaml" \
      -a -n "$(find "$usr/share/datazone-mock/fixtures" -name '*.yaml' -print -quit)"
}

serve_check() {  # serve_check BINARY
  local binary="$1" out="$work/serve.out" err="$work/serve.err" line="" url
  mkdir -p "$work/empty"
  (cd "$work/empty" && exec "$binary" --port 0 >"$out" 2>"$err") &
  server_pid=$!
  for _ in $(seq 200); do
    line="$(head -n 1 "$out" 2>/dev/null || true)"
    [ -n "$line" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [[ "$line" != "datazone-mock listening on http://127.0.0.1:"* ]]; then
    fail "$binary --port 0 started (first line: '$line'; stderr: $(cat "$err"))"
    kill -KILL "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true
    server_pid=
    return
  fi
  url="${line#datazone-mock listening on }/v2/domains/dzd_demo01/jobs/nightly-lineage/runs?maxResults=3"
  check "GET ListJobRuns answers 200 with JSON items" python3 - "$url" <<'PY'
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=30) as response:
    body = json.loads(response.read())
    assert response.status == 200, response.status
    assert response.headers.get("x-amzn-RequestId"), "no x-amzn-RequestId"
items = body["items"]
assert isinstance(items, list) and len(items) == 3, body
assert all(item["runId"] and item["status"] for item in items), items
print("     ", len(items), "items, first", items[0]["runId"], "; nextToken", "nextToken" in body)
PY
  kill -TERM "$server_pid"
  local status=0
  wait "$server_pid" || status=$?
  server_pid=
  check "SIGTERM stops it with exit status 0 (got $status)" test "$status" = 0
}

# --- Unpacked: dpkg-deb -x ------------------------------------------------------------------
echo "== unpacked with dpkg-deb -x"
dpkg-deb -x "$deb" "$work/root"
check_tree "$work/root"
serve_check "$work/root/usr/bin/datazone-mock"
# A project of its own finds the package with find_package(datazone_mock) and links it.
if cmake -S "$source_root/tests/install/consumer" -B "$work/consumer" \
       -DCMAKE_PREFIX_PATH="$work/root/usr" >"$work/consumer.log" 2>&1 &&
   cmake --build "$work/consumer" -j2 >>"$work/consumer.log" 2>&1 &&
   "$work/consumer/consumer" >>"$work/consumer.log" 2>&1; then
  ok "a project builds against the package with find_package(datazone_mock) and runs"
else
  fail "a project builds against the package with find_package(datazone_mock) and runs"
  sed 's/^/     /' "$work/consumer.log" | tail -n 30
fi

# --- Installed: dpkg -i, then dpkg -r ---------------------------------------------------------
present_on_machine() {  # the package's files (not directories) that exist on this machine
  local path
  while read -r path; do
    if [ -e "$path" ] || [ -L "$path" ]; then echo "$path"; fi
  done < <(cd "$work/root" && find . ! -type d | sed 's|^\.||')
}
if $extract_only; then
  echo "== dpkg -i skipped (--extract-only)"
elif [ "$(id -u)" != 0 ]; then
  echo "== dpkg -i skipped (not root)"
elif dpkg-query -W -f='${Status}' datazone-mock 2>/dev/null | grep -q "install ok installed"; then
  echo "== dpkg -i skipped (datazone-mock is already installed here; leaving it alone)"
else
  existing="$(present_on_machine)"
  if [ -n "$existing" ]; then
    echo "== dpkg -i skipped (files of the package exist already, would be overwritten):"
    echo "$existing" | sed 's/^/     /' | head -n 5
  else
    echo "== installed with dpkg -i"
    installed_here=true
    if dpkg -i "$deb" >"$work/dpkg.log" 2>&1; then
      ok "dpkg -i $(basename "$deb")"
      check_tree ""
      check "datazone-mock is on PATH at /usr/bin" test "$(command -v datazone-mock)" = /usr/bin/datazone-mock
      check "man finds the page" test "$(man -w datazone-mock 2>/dev/null)" = /usr/share/man/man1/datazone-mock.1.gz
      serve_check /usr/bin/datazone-mock
    else
      fail "dpkg -i $(basename "$deb")"
      sed 's/^/     /' "$work/dpkg.log"
    fi
    dpkg -r datazone-mock >"$work/dpkg.log" 2>&1 || true
    installed_here=false
    check "dpkg -r leaves the package not installed" \
      test -z "$(dpkg-query -W -f='${Status}' datazone-mock 2>/dev/null | grep -v not-installed || true)"
    left="$(present_on_machine)"
    check "dpkg -r removes every file of the package" test -z "$left"
  fi
fi

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) FAILED"
  exit 1
fi
echo "all checks passed"
