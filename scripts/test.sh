#!/usr/bin/env bash
# Builds datazone-mock with its tests in build-test/ and runs them.
#
#   scripts/test.sh           every test: unit, http and contract (boto3, aws CLI, JS SDK), docs
#   scripts/test.sh --unit    the unit tests only: a quick loop that needs no SDK toolchain
#
# The tree is a Release build (-O3, NDEBUG), the build users and packagers make, so the
# optimiser's warnings and behaviour are what the tests see. It is kept apart from build/, which
# scripts/serve.sh uses, so that alternating the two rebuilds nothing.
# DATAZONE_MOCK_WERROR=ON (CI sets it) turns warnings into errors.
set -euo pipefail
cd "$(dirname "$0")/.."

scope=all
case "${1:-}" in
  "") ;;
  --unit) scope=unit ;;
  -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "test.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
esac

if [ "$scope" = unit ]; then
  # Build tools, libraries and GoogleTest; not the AWS clients or the JS SDK.
  bash scripts/setup.sh unit
else
  bash scripts/setup.sh test
fi
# Benchmarks are built (not run) so that they keep compiling.
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Release -DDATAZONE_MOCK_BUILD_TESTS=ON \
      -DDATAZONE_MOCK_BUILD_BENCHMARKS=ON \
      -DDATAZONE_MOCK_WERROR="${DATAZONE_MOCK_WERROR:-OFF}" >/dev/null
cd build-test
if [ "$scope" = unit ]; then
  # Only the unit test binaries (and what they link), then only the tests labelled unit.
  targets=$(cmake --build . --target help | sed -n 's/^\.\.\. \([a-z_]*_test\)$/\1/p' |
            grep -v '^http_test$')
  # shellcheck disable=SC2086
  cmake --build . -j"$(nproc)" --target $targets
  ctest --output-on-failure -j"$(nproc)" -L '^unit$'
else
  cmake --build . -j"$(nproc)"
  ctest --output-on-failure -j"$(nproc)"
fi
