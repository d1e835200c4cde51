#!/usr/bin/env bash
# The Debian packages changzhu needs, installed with apt-get when missing (as root; otherwise it names the command
# to run and fails: the tests never skip for want of them).
#   tools/system_deps.sh venv   venv support for $PYTHON (python3.11-venv), for `make install`
#   tools/system_deps.sh        Chromium with CJK fonts (browser tests) and the PostgreSQL server binaries
#                               (tools/with_postgres.sh starts a throwaway server when none is running)
set -euo pipefail

missing=()
if [ "${1:-}" = venv ]; then
    python=${PYTHON:-python3.11}
    "$python" -c "import ensurepip, venv" 2>/dev/null || missing+=("${python##*/}-venv")
else
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    fc-list 2>/dev/null | grep -qi "noto sans cjk" || missing+=(fonts-noto-cjk)
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "the tests need ${missing[*]}: run  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
echo "installing ${missing[*]} (apt-get)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
