#!/usr/bin/env bash
# Installs the built tree into a fresh prefix, builds tests/install/consumer against it with
# find_package(datazone_mock), and runs the consumer.
set -euo pipefail
build_dir="$1"
source_dir="$(cd "$(dirname "$0")" && pwd)/consumer"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
test -x "$work/prefix/bin/datazone-mock"
test -f "$work/prefix/share/datazone-mock/scenarios/slow.yaml"
# A library built with DATAZONE_MOCK_SANITIZE links only into programs that carry the same
# sanitizer runtime, so the consumer is built with the flags the tree was built with.
sanitize="$(sed -n 's/^DATAZONE_MOCK_SANITIZE:STRING=//p' "$build_dir/CMakeCache.txt")"
cmake -S "$source_dir" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" \
      -DCMAKE_CXX_FLAGS="${sanitize:+-fsanitize=$sanitize -fno-omit-frame-pointer}" >/dev/null
cmake --build "$work/build" -j2 >/dev/null
"$work/build/consumer"
