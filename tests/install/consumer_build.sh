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
cmake -S "$source_dir" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" -j2 >/dev/null
"$work/build/consumer"
