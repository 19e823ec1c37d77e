#!/usr/bin/env bash
# make deps: check cheaply that the Debian packages the suite needs are present; install the missing ones with
# apt-get when running as root, otherwise print the exact apt-get line and fail.
set -u
missing=()
have_pc() { pkg-config --exists "$1" 2>/dev/null; }
for p in "$@"; do
  case "$p" in
    libgsl-dev)        have_pc gsl || missing+=("$p") ;;
    liblapacke-dev)    have_pc lapacke || [ -f /usr/include/lapacke.h ] || missing+=("$p") ;;
    libopenblas-dev)   have_pc openblas || [ -f /usr/include/x86_64-linux-gnu/cblas.h ] || missing+=("$p") ;;
    libcmocka-dev)     have_pc cmocka || missing+=("$p") ;;
    gnuplot-nox)       command -v gnuplot >/dev/null || missing+=("$p") ;;
    fonts-dejavu-core) [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=("$p") ;;
    pkg-config)        command -v pkg-config >/dev/null || missing+=("$p") ;;
    valgrind)          command -v valgrind >/dev/null || missing+=("$p") ;;
    *)                 dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p") ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0
line="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" = 0 ]; then
  echo "make deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { echo "make deps: apt-get failed; run: $line" >&2; exit 1; }
else
  echo "make deps: missing ${missing[*]}; run as root: $line" >&2
  exit 1
fi
