#!/usr/bin/env bash
# The benchmark: builds a Release tree (build-bench/), then runs bench/run.py, which loads
# datazone-mock and two references (nginx, a bare cpp-httplib server) with wrk on 127.0.0.1
# and prints one table. Usage: bash bench/run.sh [SECONDS_PER_RUN]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh build
bash scripts/install_packages.sh bench wrk nginx-light libbenchmark-dev
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DDATAZONE_MOCK_BUILD_BENCHMARKS=ON \
      -DDATAZONE_MOCK_BUILD_TESTS=OFF >/dev/null
cmake --build build-bench -j"$(nproc)" >/dev/null
echo "== micro-benchmarks (Google Benchmark, pinned to CPU 1)"
taskset -c 1 ./build-bench/bench/micro_bench --benchmark_min_time=0.2
echo
exec python3 bench/run.py "${1:-5}"
