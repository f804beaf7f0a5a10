#!/usr/bin/env bash
# Run the unit tests with `ansible-test units` in a tree where the collection sits at
# .../ansible_collections/ispkit/routeros (a symlink to this repository).
#
# Usage: tests/unit/run.sh [extra ansible-test units args]
# Env:   VENV (default: .venv in the repository), UNITS_PYTHON (default: the venv's Python version).
# Relies on the offline get-pip stand-in that tests/scripts/sanity.sh installs (run it once first).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
venv=${VENV:-.venv}
case $venv in /*) ;; *) venv=$repo/$venv ;; esac
export PATH="$venv/bin:$PATH"
units_python=${UNITS_PYTHON:-$("$venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')}

workdir=$(mktemp -d "${TMPDIR:-/tmp}/ispkit-units.XXXXXX")
trap 'rm -rf "$workdir"' EXIT
mkdir -p "$workdir/ansible_collections/ispkit"
ln -s "$repo" "$workdir/ansible_collections/ispkit/routeros"
cd "$workdir/ansible_collections/ispkit/routeros"
ansible-test units --venv --python "$units_python" "$@"
