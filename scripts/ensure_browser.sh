#!/usr/bin/env bash
# The browser tests' one system dependency: Debian's chromium and the Noto CJK fonts (Chinese text renders as
# boxes without them). `make test` runs this first. As root on Debian/Ubuntu (CI) it installs what is missing
# with apt-get; anywhere else it says what to install and fails, so a missing browser never passes silently.
set -euo pipefail

need=()
if [ -n "${POLICY_WH_CHROMIUM:-}" ]; then
    [ -x "$POLICY_WH_CHROMIUM" ] || { echo "POLICY_WH_CHROMIUM=$POLICY_WH_CHROMIUM is not an executable file" >&2; exit 1; }
else
    command -v chromium >/dev/null 2>&1 || need+=(chromium)
fi
if ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then need+=(fonts-noto-cjk); fi
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${need[*]} for the dashboard's browser tests (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    exit 0
fi
echo "the browser tests need ${need[*]}: install them (Debian/Ubuntu: sudo apt-get install ${need[*]}), or point" >&2
echo "POLICY_WH_CHROMIUM at a Chromium binary and install a CJK font" >&2
exit 1
