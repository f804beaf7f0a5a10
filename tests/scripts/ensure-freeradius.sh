#!/usr/bin/env bash
# Make Debian's FreeRADIUS (the `freeradius` binary and `radclient`) available to the emulator's
# subscriber tests (lab/tests/test_subscribers.py), which start their own server on free loopback
# ports with a configuration of their own. Idempotent.
#
# Usage: tests/scripts/ensure-freeradius.sh
#
# - installed already: prints where it is, exits 0;
# - root with apt-get: installs `freeradius` and `freeradius-utils` without recommends; a
#   policy-rc.d keeps the package from starting its own daemon, and a daemon that runs anyway
#   (started before this script ran, or by systemd) is stopped, so nothing is left on 1812/1813;
# - otherwise: prints "SKIP: <reason>" and exits 3 (the tests then skip with that reason).
set -euo pipefail

if command -v freeradius >/dev/null && command -v radclient >/dev/null; then
    echo "freeradius: $(command -v freeradius)"
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "SKIP: FreeRADIUS is not installed and installing it needs root (apt-get install freeradius freeradius-utils)"
    exit 3
fi
if ! command -v apt-get >/dev/null; then
    echo "SKIP: FreeRADIUS is not installed and there is no apt-get to install it"
    exit 3
fi

policy=/usr/sbin/policy-rc.d
created_policy=no
if [ ! -e "$policy" ]; then
    # exit status 101: "action forbidden", invoke-rc.d then starts no service
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 0755 "$policy"
    created_policy=yes
fi
cleanup() { if [ "$created_policy" = yes ]; then rm -f "$policy"; fi; }
trap cleanup EXIT

if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        freeradius freeradius-utils >/dev/null; then
    # the package lists may be missing or stale on a fresh machine
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        freeradius freeradius-utils >/dev/null
fi

# The package's own service must not hold 1812/1813 (policy-rc.d covers invoke-rc.d; systemd
# presets do not go through it).
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    systemctl disable --now freeradius.service >/dev/null 2>&1 || true
elif [ -x /etc/init.d/freeradius ]; then
    /etc/init.d/freeradius stop >/dev/null 2>&1 || true
fi
echo "freeradius: installed $(command -v freeradius)"
