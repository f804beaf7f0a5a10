#!/usr/bin/env bash
# Run the radius_server molecule scenarios on the Debian 12 test host (tests/debian_host/host.sh).
#
# Usage: tests/scripts/test-radius-server.sh [scenario ...]   (default: radius_server radius_server_change)
# Env:   VENV (default: .venv in the repository); the host's settings (ISPKIT_HOST_*, see host.sh);
#        ISPKIT_RADIUS_AUTH_PORT / ISPKIT_RADIUS_ACCT_PORT (default 21812/21813 on 127.0.0.1).
#
# Needs root, Linux and systemd-nspawn/debootstrap (installed with apt-get when missing). Where the
# machine cannot run the container, prints "SKIP: <reason>" and exits 0.
# Ends with a "radius: N passed, N failed[, N skipped]" line.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
venv=${VENV:-.venv}
case $venv in /*) ;; *) venv=$repo/$venv ;; esac
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(radius_server radius_server_change)

if ! reason=$(tests/debian_host/host.sh check); then
    echo "$reason"
    echo "radius: 0 passed, 0 failed, ${#scenarios[@]} skipped"
    exit 0
fi
if [[ ! -x $venv/bin/molecule ]]; then
    echo "test-radius-server.sh: $venv/bin/molecule not found; create the venv first (make venv)" >&2
    exit 1
fi
if ! "$venv/bin/python" -c 'import pyrad' 2>/dev/null; then
    "$venv/bin/python" -m pip install -q -r requirements/debian-host.txt
fi
export PATH="$venv/bin:$PATH"
export ANSIBLE_FORCE_COLOR=${ANSIBLE_FORCE_COLOR:-0}

# Building the root file system the first time takes about a minute; say so before molecule hides it.
tests/debian_host/host.sh build

passed=0
failed=0
for scenario in "${scenarios[@]}"; do
    start=$(date +%s)
    echo "=== molecule test -s $scenario"
    if molecule test -s "$scenario"; then
        passed=$((passed + 1))
        echo "=== $scenario passed in $(( $(date +%s) - start )) s"
    else
        failed=$((failed + 1))
        echo "=== $scenario FAILED after $(( $(date +%s) - start )) s"
    fi
done
# molecule's destroy stops the containers (named after the scenarios' platforms); make sure
# nothing is left behind after a crash.
for name in debian12-radius debian12-radius-change; do
    ISPKIT_HOST_NAME=$name tests/debian_host/host.sh down >/dev/null 2>&1 || true
done
echo "radius: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
