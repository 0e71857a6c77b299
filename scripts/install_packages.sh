#!/usr/bin/env bash
# Installs those of the named Debian packages that are missing; the one place the scripts do so.
#
#   scripts/install_packages.sh WHO PACKAGE...
#
# WHO names the caller in the messages. Nothing missing: nothing happens, as any user. Something
# missing: installed as root; otherwise exit 1 with one line naming what to install.
set -euo pipefail

who="$1"
shift
missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "$who: missing Debian packages (run as root to install): ${missing[*]}" >&2
  exit 1
fi
echo "$who: installing ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
