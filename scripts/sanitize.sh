#!/usr/bin/env bash
# Builds and tests under a sanitizer, with the presets in CMakePresets.json:
#   scripts/sanitize.sh asan   AddressSanitizer + UBSan, every test but the browser, README and
#                              example runs, which drive the contract suites' paths (build-asan/)
#   scripts/sanitize.sh tsan   ThreadSanitizer, the unit and http tests (build-tsan/)
# A sanitizer report fails the test that triggered it: the options in the presets make the process
# abort or exit non-zero, and every test that starts the server checks its exit code.
set -euo pipefail
cd "$(dirname "$0")/.."

preset="${1:-asan}"
case "$preset" in
  asan | tsan) ;;
  *) echo "usage: $0 [asan|tsan]" >&2; exit 2 ;;
esac

bash scripts/setup.sh test

# The sanitizer options (ASAN_OPTIONS, UBSAN_OPTIONS, TSAN_OPTIONS; scripts/tsan.supp says why
# TSan needs more than the defaults) live in the presets, so `ctest --preset NAME` run by hand
# behaves the same as this script.
cmake --preset "$preset" >/dev/null
nice -n 10 cmake --build --preset "$preset"
nice -n 10 ctest --preset "$preset"
