#!/usr/bin/env bash
# Release build of datazone-mock, the one build both the Dockerfile and CI run.
#
#   scripts/build-release.sh [--deb] [--jobs N] [BUILD_DIR]
#
# Installs the Debian build packages (scripts/setup.sh build), configures BUILD_DIR (default
# build-release) as a Release build without tests, builds it and, with --deb, packs
# BUILD_DIR/datazone-mock_<version>_<arch>.deb with cpack (which needs dpkg-dev and file to
# compute the package's dependencies; they are installed here too). Prints the path of what it
# built as its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

deb=false
jobs="$(nproc)"
build_dir=build-release
while [ $# -gt 0 ]; do
  case "$1" in
    --deb) deb=true ;;
    --jobs) jobs="$2"; shift ;;
    --jobs=*) jobs="${1#--jobs=}" ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "build-release: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) build_dir="$1" ;;
  esac
  shift
done

bash scripts/setup.sh build

if $deb; then
  # dpkg-shlibdeps (dpkg-dev) and file are what CPack's DEB generator uses for Depends.
  bash scripts/install_packages.sh build-release dpkg-dev file
fi

cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DDATAZONE_MOCK_BUILD_TESTS=OFF \
      -DDATAZONE_MOCK_WERROR="${DATAZONE_MOCK_WERROR:-OFF}" \
      -DDATAZONE_MOCK_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$build_dir" -j"$jobs"

if $deb; then
  rm -f "$build_dir"/datazone-mock_*.deb
  (cd "$build_dir" && cpack -G DEB >/dev/null)
  package=("$build_dir"/datazone-mock_*.deb)
  [ -f "${package[0]}" ] || { echo "build-release: cpack made no .deb" >&2; exit 1; }
  echo "${package[0]}"
else
  echo "$build_dir/datazone-mock"
fi
