#!/usr/bin/env bash
# Run the unit tests with `ansible-test units` in a temporary tree where the collection sits at
# .../ansible_collections/ispkit/routeros (ansible-test resolves symlinks, so the files the unit
# tests need are copied: plugins, meta, galaxy.yml, tests/unit).
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

# ansible-test bootstraps pip from a site this machine cannot reach unless sanity.sh's offline
# stand-in is in its cache; without it, run the same tests with plain pytest.
if ! ls ~/.ansible/test/cache/get_pip_*.py >/dev/null 2>&1; then
    echo "run.sh: no offline get-pip stand-in yet (tests/scripts/sanity.sh installs it); using plain pytest" >&2
    exec "$venv/bin/python" -m pytest -q "$repo/tests/unit"
fi

workdir=$(mktemp -d "${TMPDIR:-/tmp}/ispkit-units.XXXXXX")
trap 'rm -rf "$workdir"' EXIT
collection=$workdir/ansible_collections/ispkit/routeros
mkdir -p "$collection/tests"
cp -R "$repo/plugins" "$repo/meta" "$repo/galaxy.yml" "$collection/"
cp -R "$repo/tests/unit" "$collection/tests/"
find "$collection" -name __pycache__ -prune -exec rm -rf {} +
cd "$collection"
ansible-test units --venv --python "$units_python" "$@"
