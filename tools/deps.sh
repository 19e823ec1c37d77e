#!/usr/bin/env bash
# make deps: check cheaply that the Debian packages the suite needs are present; install the missing ones with
# apt-get when running as root, otherwise print the exact apt-get line and fail.
set -u
missing=()
for p in "$@"; do
  case "$p" in
    make|gcc)          command -v "$p" >/dev/null || missing+=("$p") ;;
    gnuplot-nox)       command -v gnuplot >/dev/null || missing+=("$p") ;;
    pkg-config)        command -v pkg-config >/dev/null || missing+=("$p") ;;
    fontconfig)        command -v fc-match >/dev/null || missing+=("$p") ;;
    valgrind)          command -v valgrind >/dev/null || missing+=("$p") ;;
    fonts-dejavu-core) [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=("$p") ;;
    libopenblas-dev)   ls /usr/lib/*/libopenblas.so >/dev/null 2>&1 || missing+=("$p") ;;
    *)                 dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p") ;; # -dev packages: installed or not
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
