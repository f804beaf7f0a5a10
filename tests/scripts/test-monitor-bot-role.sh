#!/usr/bin/env bash
# Run the monitor_bot molecule scenario on the Debian 12 test host (tests/debian_host/host.sh):
# the role deploys the bot, then a PPPoE session on an emulated router on the host's loopback
# must reach a local webhook receiver through the deployed service.
#
# Usage: tests/scripts/test-monitor-bot-role.sh
# Env:   VENV (default: .venv in the repository); ISPKIT_MONITOR_SSH_PORT (container's sshd, 2224),
#        ISPKIT_MONITOR_ROUTER_PORT (emulated router's API, 28728), ISPKIT_MONITOR_TLS_ROUTER_PORT (a second
#        router's api-ssl, 28729, certificate from a private CA the role copies), ISPKIT_MONITOR_WEBHOOK_PORT (28780).
#
# Needs root, Linux and systemd-nspawn/debootstrap (installed with apt-get when missing). Where the
# machine cannot run the container, prints "SKIP: <reason>" and exits 0.
# Ends with a "monitor_bot role: N passed, N failed[, N skipped]" line.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
venv=${VENV:-.venv}
case $venv in /*) ;; *) venv=$repo/$venv ;; esac
scenario=monitor_bot
platform=debian12-monitor

if ! reason=$(tests/debian_host/host.sh check); then
    echo "$reason"
    echo "monitor_bot role: 0 passed, 0 failed, 1 skipped"
    exit 0
fi
if [[ ! -x $venv/bin/molecule ]]; then
    echo "test-monitor-bot-role.sh: $venv/bin/molecule not found; create the venv first (make venv)" >&2
    exit 1
fi
export PATH="$venv/bin:$PATH"
export ANSIBLE_FORCE_COLOR=${ANSIBLE_FORCE_COLOR:-0}
export ISPKIT_MONITOR_SSH_PORT=${ISPKIT_MONITOR_SSH_PORT:-2224}

# Building the root file system the first time takes about a minute; say so before molecule hides it.
tests/debian_host/host.sh build

start=$(date +%s)
echo "=== molecule test -s $scenario"
if molecule test -s "$scenario"; then
    result=0
    echo "=== $scenario passed in $(( $(date +%s) - start )) s"
else
    result=1
    echo "=== $scenario FAILED after $(( $(date +%s) - start )) s"
fi
# molecule's destroy stops the container; make sure nothing is left behind after a crash.
ISPKIT_HOST_NAME=$platform ISPKIT_HOST_SSH_PORT=$ISPKIT_MONITOR_SSH_PORT tests/debian_host/host.sh down >/dev/null 2>&1 || true
echo "monitor_bot role: $(( 1 - result )) passed, $result failed"
exit "$result"
