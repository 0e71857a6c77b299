#!/usr/bin/env bash
# Builds the Debian package and tests it as a user gets it.
#
#   scripts/package.sh [--jobs N] [BUILD_DIR]
#
# scripts/build-release.sh --deb builds BUILD_DIR (default build-pkg) and packs
# BUILD_DIR/datazone-mock_<version>_<arch>.deb; tests/package/deb_install_test.sh then unpacks
# it into a scratch directory and, as root, also installs it with dpkg -i and removes it again
# with dpkg -r (the machine is left as it was). Exit status 0 when every check passed.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=build-pkg
build_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) build_args+=(--jobs "$2"); shift ;;
    --jobs=*) build_args+=("$1") ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "package: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) build_dir="$1" ;;
  esac
  shift
done

bash scripts/build-release.sh --deb "${build_args[@]}" "$build_dir"
packages=("$build_dir"/datazone-mock_*.deb)
if [ ${#packages[@]} -ne 1 ] || [ ! -f "${packages[0]}" ]; then
  echo "package: expected one .deb in $build_dir, found: ${packages[*]}" >&2
  exit 1
fi
bash tests/package/deb_install_test.sh "${packages[0]}"
