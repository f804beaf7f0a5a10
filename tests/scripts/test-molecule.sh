#!/usr/bin/env bash
# Run the router molecule scenarios (extensions/molecule: dual_isp, subscriber_access, site, drift)
# with shared state, on RouterOS 6.49 and 7.x. Per version, one `molecule test --shared-state`:
# the default scenario starts the emulated RTR-1 and RTR-2 on free loopback ports, the scenarios
# run in order on that lab, and the default scenario stops it. The versions run at the same time,
# each with its own molecule ephemeral directory and ANSIBLE_HOME; the collection is linked into
# that ANSIBLE_HOME, so molecule's prerun installs nothing and the working tree itself is tested.
#
# Usage: tests/scripts/test-molecule.sh [SCENARIO...]      (default: all four, in that order)
# Env:   VENV (default: .venv in the repository);
#        MOLECULE_ROS_VERSIONS (default: "6.49.13 7.16.2");
#        ISPKIT_MOLECULE_LOGS (molecule's output per version; default: tests/output/molecule).
# Prints a line per scenario and version, molecule's output for a version that failed, and ends
# with "molecule: N passed, N failed".
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
venv=${VENV:-.venv}
case $venv in /*) ;; *) venv=$repo/$venv ;; esac
read -r -a versions <<< "${MOLECULE_ROS_VERSIONS:-6.49.13 7.16.2}"
scenarios=("$@")
[[ ${#scenarios[@]} -gt 0 ]] || scenarios=(dual_isp subscriber_access site drift)
logs=${ISPKIT_MOLECULE_LOGS:-$repo/tests/output/molecule}

if [[ ! -x $venv/bin/molecule ]]; then
    echo "test-molecule.sh: $venv/bin/molecule not found; create the venv first (make venv)" >&2
    exit 1
fi
export PATH="$venv/bin:$PATH"
export NO_COLOR=1 ANSIBLE_FORCE_COLOR=0 ANSIBLE_NOCOLOR=1
mkdir -p "$logs"
work=$(mktemp -d "${TMPDIR:-/tmp}/ispkit-molecule.XXXXXX")
declare -A pids  # molecule test per version

# Stop the molecule runs this script started and any lab they left behind (when interrupted),
# then forget the run's directories (the logs stay).
cleanup() {
    local lab pid
    for pid in "${pids[@]}"; do
        kill -- "-$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    done
    for lab in "$work"/*/ephemeral/lab; do
        [[ -f $lab/lab.json ]] && "$venv/bin/ros-emulator" stop --state-dir "$lab" >/dev/null 2>&1 || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
set -m  # each molecule run in a process group of its own, which cleanup stops as a whole

# molecule test for one version, in the background; its output goes to $logs/<version>.log.
start_version() {
    local version=$1 dir=$work/$1
    mkdir -p "$dir/ephemeral" "$dir/ansible-home/collections/ansible_collections/ispkit"
    ln -s "$repo" "$dir/ansible-home/collections/ansible_collections/ispkit/routeros"
    local selection=() name
    for name in "${scenarios[@]}"; do selection+=(-s "$name"); done
    MOLECULE_ROS_VERSION=$version MOLECULE_EPHEMERAL_DIRECTORY=$dir/ephemeral ANSIBLE_HOME=$dir/ansible-home \
        molecule test "${selection[@]}" --shared-state > "$logs/$version.log" 2>&1 &
    pids[$version]=$!
}

# A scenario passed when molecule's recap lists it with no failed or missing action.
scenario_passed() {
    local log=$1 name=$2
    grep -Eq "^$name +: actions=[0-9]+ +successful=[0-9]+ +disabled=[0-9]+ +skipped=[0-9]+ +missing=0 +failed=0 *$" "$log"
}

start=$(date +%s)
for version in "${versions[@]}"; do
    echo "=== molecule test ${scenarios[*]} --shared-state on RouterOS $version (log: $logs/$version.log)"
    start_version "$version"
done

passed=0 failed=0
for version in "${versions[@]}"; do
    rc=0
    wait "${pids[$version]}" || rc=$?
    unset "pids[$version]"  # reaped: cleanup must not signal a reused process id
    log=$logs/$version.log
    version_failed=0
    for name in "${scenarios[@]}"; do
        if scenario_passed "$log" "$name"; then
            echo "PASS $name on RouterOS $version"
            passed=$((passed + 1))
        else
            echo "FAIL $name on RouterOS $version"
            failed=$((failed + 1)) version_failed=1
        fi
    done
    if [[ $rc -ne 0 && $version_failed -eq 0 ]]; then
        echo "FAIL the lab (default scenario) on RouterOS $version: molecule exited with $rc"
        failed=$((failed + 1)) version_failed=1
    fi
    if [[ $version_failed -ne 0 ]]; then
        echo "--- molecule's output on RouterOS $version"
        cat "$log"
        echo "--- end of molecule's output on RouterOS $version"
    fi
done
echo "=== molecule scenarios on RouterOS ${versions[*]} took $(( $(date +%s) - start )) s"
echo "molecule: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
