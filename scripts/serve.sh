#!/usr/bin/env bash
# Builds datazone-mock and serves the bundled demo data (extra arguments go to the server).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh build
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DDATAZONE_MOCK_BUILD_TESTS=OFF >/dev/null
cmake --build build --target datazone-mock -j"$(nproc)"
exec ./build/datazone-mock "$@"
