#!/usr/bin/env bash
# Builds datazone-mock and runs every test: unit, http and contract (boto3, aws CLI, JS SDK).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDATAZONE_MOCK_BUILD_TESTS=ON >/dev/null
cmake --build build -j"$(nproc)"
cd build
ctest --output-on-failure -j"$(nproc)"
