#!/usr/bin/env bash
# Installs what datazone-mock needs on Debian 12, as root. `setup.sh build` installs the build
# tools and libraries; `setup.sh unit` adds GoogleTest and Google Benchmark; `setup.sh test`
# also checks the real AWS clients used by the contract
# tests and installs the pinned JS SDK. What no package registry here can supply stops the
# script with one line naming it.
set -euo pipefail
cd "$(dirname "$0")/.."

what="${1:-build}"
packages=(cmake g++ make pkg-config libcpp-httplib-dev nlohmann-json3-dev libyaml-cpp-dev
          libssl-dev zlib1g-dev libbrotli-dev)
if [ "$what" = test ] || [ "$what" = unit ]; then
  # openssl: the TLS tests make a throwaway CA with its command line tool.
  packages+=(libgtest-dev libgmock-dev libbenchmark-dev openssl)
fi

if [ "$what" = test ]; then
  # nginx: the load balancer of the replica test (tests/contract/python/test_replicas.py).
  # python3-pytest: pytest for the example suite of the pytest plugin (clients/pytest).
  # chromium (and the fonts it only recommends): the browser tests (tests/browser).
  packages+=(nginx python3-pytest chromium fonts-liberation)
fi

bash scripts/install_packages.sh setup "${packages[@]}"

if [ "$what" = test ]; then
  need() { echo "setup: $1" >&2; exit 1; }
  command -v python3 >/dev/null || need "install python3 with boto3 (a version that knows DataZone ListJobRuns)"
  python3 - <<'PY' || need "install boto3/botocore new enough to know DataZone ListJobRuns (e.g. pip install 'boto3>=1.40')"
import boto3
boto3.session.Session().client("datazone", region_name="us-east-1").meta.service_model.operation_model("ListJobRuns")
PY
  python3 -c "import yaml" 2>/dev/null || need "install PyYAML for python3 (it comes with awscli)"
  command -v aws >/dev/null || need "install the aws CLI (pip install awscli)"
  aws datazone list-job-runs help >/dev/null 2>&1 ||
    need "install an aws CLI new enough to know 'aws datazone list-job-runs'"
  command -v node >/dev/null || need "install Node.js >= 20 with npm"
  node_major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$node_major" -ge 20 ] || need "install Node.js >= 20 (found $(node --version))"
  command -v npm >/dev/null || need "install npm"
  # The pinned JS SDK, exactly as locked.
  for dir in tests/contract/js examples/node tests/browser; do
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  done
fi
