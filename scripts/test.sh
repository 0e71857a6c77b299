#!/usr/bin/env bash
# Builds datazone-mock and runs every test: unit, http and contract (boto3, aws CLI, JS SDK).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
# Benchmarks are built (not run) so that they keep compiling.
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDATAZONE_MOCK_BUILD_TESTS=ON \
      -DDATAZONE_MOCK_BUILD_BENCHMARKS=ON >/dev/null
cmake --build build -j"$(nproc)"
cd build
ctest --output-on-failure -j"$(nproc)"
