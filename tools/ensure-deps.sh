#!/usr/bin/env bash
# Installs the Debian packages vis needs when pkg-config cannot find them (and GNU time).
# As root: apt-get install -y. Otherwise: prints the exact command and fails.
set -euo pipefail
declare -A pkg_for=( [libpng]=libpng-dev [libjpeg]=libjpeg-dev [openblas]=libopenblas-dev )
missing=()
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
for pc in libpng libjpeg openblas; do
  if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists "$pc"; then
    missing+=("${pkg_for[$pc]}")
  fi
done
# GNU time: the tests read a child's own peak memory from it, the benchmarks their peaks.
[ -x /usr/bin/time ] || missing+=(time)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "ensure-deps: missing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}"
else
  echo "ensure-deps: run as root:  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
