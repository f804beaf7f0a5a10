#!/usr/bin/env bash
# Run `ansible-test sanity` on the collection, on a machine that reaches PyPI but no other site.
#
# Usage: tests/scripts/sanity.sh [extra ansible-test sanity args, e.g. --test pep8]
# Env:   VENV (default: .venv in the repository), SANITY_PYTHON (default: the venv's Python version).
#
# ansible-test needs the collection at .../ansible_collections/ispkit/routeros and lints every
# file there, so the script copies the collection content (git-tracked and untracked-not-ignored
# files, minus galaxy.yml's build_ignore: lab/, .venv, requirements/ ...) into a temporary tree.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
venv=${VENV:-.venv}
case $venv in /*) ;; *) venv=$repo/$venv ;; esac
python=$venv/bin/python

if [[ ! -x $venv/bin/ansible-test ]]; then
    echo "sanity.sh: $venv/bin/ansible-test not found; create the venv first: make -C '$repo' test-sanity" >&2
    exit 1
fi
export PATH="$venv/bin:$PATH"
sanity_python=${SANITY_PYTHON:-$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')}

# ansible-test bootstraps pip in its virtual environments with a script it downloads from a site
# this machine cannot reach, unless the script is already in its cache. Install a stand-in that
# takes pip from ensurepip and then runs `pip install` with ansible-test's arguments.
pip_script=$("$python" - <<'EOF'
import os, pathlib, re, ansible_test
source = pathlib.Path(ansible_test.__file__).parent / '_internal' / 'python_requirements.py'
match = re.search(r"\bpip='([0-9.]+)'", source.read_text())
if not match:
    raise SystemExit(f'sanity.sh: cannot find the pinned pip version in {source}')
print(os.path.expanduser('~/.ansible/test/cache/get_pip_%s.py' % match.group(1).replace('.', '_')))
EOF
)
stand_in_marker='# ispkit.routeros offline get-pip stand-in'
if [[ ! -e $pip_script ]] || grep -qF "$stand_in_marker" "$pip_script"; then
    mkdir -p "$(dirname "$pip_script")"
    cat >"$pip_script.tmp" <<EOF
$stand_in_marker (written by tests/scripts/sanity.sh)
import ensurepip
import os
import subprocess
import sys

# Copy first: ensurepip sets PIP_CONFIG_FILE=/dev/null, which would hide pip's configuration
# (certificate bundle, index) from the install below.
env = os.environ.copy()
ensurepip.bootstrap(upgrade=True)
args = [arg for arg in sys.argv[1:] if arg not in ('--no-setuptools', '--no-wheel')]
sys.exit(subprocess.call([sys.executable, '-m', 'pip', 'install', *args], env=env))
EOF
    mv "$pip_script.tmp" "$pip_script"
fi

workdir=$(mktemp -d "${TMPDIR:-/tmp}/ispkit-sanity.XXXXXX")
trap 'rm -rf "$workdir"' EXIT
collection=$workdir/ansible_collections/ispkit/routeros
mkdir -p "$collection"

"$python" - "$repo" "$collection" <<'EOF'
import fnmatch, os, shutil, subprocess, sys
import yaml

repo, dest = sys.argv[1:]
with open(os.path.join(repo, 'galaxy.yml'), encoding='utf-8') as f:
    ignored = (yaml.safe_load(f) or {}).get('build_ignore') or []
ignored = [*ignored, '.git', 'tests/output']

def is_ignored(rel):
    # Like ansible-galaxy build: a pattern that matches a directory drops everything under it.
    parts = rel.split('/')
    prefixes = ('/'.join(parts[:i]) for i in range(1, len(parts) + 1))
    return any(fnmatch.fnmatch(p, pattern) for p in prefixes for pattern in ignored)

try:
    listing = subprocess.run(['git', '-C', repo, 'ls-files', '-z', '-co', '--exclude-standard'],
                             check=True, capture_output=True).stdout.decode()
    candidates = set(filter(None, listing.split('\0')))
except (OSError, subprocess.CalledProcessError):  # not a git checkout: walk the tree
    candidates = set()
    for root, dirs, files in os.walk(repo):
        rel_root = os.path.relpath(root, repo)
        dirs[:] = [d for d in dirs if not is_ignored(os.path.normpath(os.path.join(rel_root, d)))]
        candidates.update(os.path.normpath(os.path.join(rel_root, f)) for f in files)

for rel in sorted(candidates):
    src = os.path.join(repo, rel)
    if is_ignored(rel) or not os.path.lexists(src):  # lexists: tracked files deleted in the work tree
        continue
    target = os.path.join(dest, rel)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if os.path.islink(src):
        os.symlink(os.readlink(src), target)
    else:
        shutil.copy2(src, target)
EOF

cd "$collection"
echo "sanity.sh: ansible-test sanity --venv --python $sanity_python in $collection"
ansible-test sanity --venv --python "$sanity_python" "$@"
