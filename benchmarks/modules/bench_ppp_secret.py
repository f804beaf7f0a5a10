"""Sync 10,000 /ppp/secret entries with one task: first run, no-change run, 1% changed run.

Compares ispkit.routeros.ppp_secret with community.routeros.api_modify (from the `ansible`
PyPI package, in a separate virtual environment given with --peer-venv) on the same emulator,
each with the entries given three ways: written in the playbook, and read from a JSON file and
from a YAML file (ours: `config_file`; the peer, which has no such option:
`data: "{{ lookup('file', ...) | from_json }}"`, or `from_yaml`).

    .venv/bin/python benchmarks/modules/bench_ppp_secret.py [--count 10000] [--peer-venv /tmp/peer]
        [--only ours-json,peer-json]

Build the peer's environment with `python -m venv /tmp/peer-venv && /tmp/peer-venv/bin/pip install
"ansible>=12,<13" librouteros==4.2.2`.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List, NamedTuple, Optional

import yaml
from ros_emulator import start_router

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "bench-pw"

# a task for one router: (router's port, the entries, the benchmark's directory) -> play
MakePlay = Callable[[int, list, Path], list]


def secrets(count: int, changed_every: int = 0) -> list[dict]:
    return [{"name": "user%05d" % i, "password": "pw%05d%s" % (i, "-new" if changed_every and i % changed_every == 0 else ""),
             "service": "pppoe", "profile": "default"} for i in range(count)]


def run_playbook(python_bin: Path, collections: str, play: list, workdir: Path) -> float:
    book = workdir / "play.yml"
    book.write_text(yaml.safe_dump(play, sort_keys=False))
    inventory = workdir / "inv.yml"
    inventory.write_text(yaml.safe_dump({"all": {"hosts": {"router": {
        "ansible_connection": "local", "ansible_python_interpreter": str(python_bin / "python")}}}}))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_PIPELINING="1", ANSIBLE_NOCOLOR="1")
    start = time.monotonic()
    process = subprocess.run([str(python_bin / "ansible-playbook"), "-i", str(inventory), str(book)],
                             env=env, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - start
    if process.returncode != 0:
        raise SystemExit("playbook failed:\n%s\n%s" % (process.stdout[-3000:], process.stderr[-2000:]))
    return elapsed


def write_entries(workdir: Path, config: list, kind: str) -> Path:
    """The entries as a file: JSON, or YAML as a person would write it (block style)."""
    path = workdir / ("secrets." + kind)
    path.write_text(json.dumps(config) if kind == "json" else yaml.safe_dump(config, sort_keys=False))
    return path


def ours(kind: Optional[str]) -> MakePlay:
    """ispkit.routeros.ppp_secret with `config` (kind None) or `config_file` (json, yml)."""
    def make(port: int, config: list, workdir: Path) -> list:
        given = {"config": config} if kind is None else {"config_file": str(write_entries(workdir, config, kind))}
        return [{"hosts": "router", "gather_facts": False, "tasks": [{"ispkit.routeros.ppp_secret": dict(
            {"hostname": "127.0.0.1", "port": port, "password": PASSWORD}, **given)}]}]
    return make


def peer(kind: Optional[str]) -> MakePlay:
    """community.routeros.api_modify with `data` in the playbook, or looked up from a file."""
    def make(port: int, config: list, workdir: Path) -> list:
        if kind is None:
            data = [dict(entry) for entry in config]
        else:
            data = "{{ lookup('ansible.builtin.file', '%s') | %s }}" % (
                write_entries(workdir, config, kind), "from_json" if kind == "json" else "from_yaml")
        return [{"hosts": "router", "gather_facts": False, "tasks": [{"community.routeros.api_modify": {
            "hostname": "127.0.0.1", "port": port, "username": "admin", "password": PASSWORD, "tls": False,
            "path": "ppp secret", "data": data, "handle_absent_entries": "ignore",
            "handle_entries_content": "ignore"}}]}]
    return make


class Variant(NamedTuple):
    tool: str
    given: str
    peer: bool
    make_play: MakePlay


VARIANTS: Dict[str, Variant] = {
    "ours-playbook": Variant("ispkit.routeros.ppp_secret", "config in the playbook", False, ours(None)),
    "ours-json": Variant("ispkit.routeros.ppp_secret", "config_file, JSON", False, ours("json")),
    "ours-yaml": Variant("ispkit.routeros.ppp_secret", "config_file, YAML", False, ours("yml")),
    "peer-playbook": Variant("community.routeros.api_modify", "data in the playbook", True, peer(None)),
    "peer-json": Variant("community.routeros.api_modify", "data: lookup('file') piped to from_json", True, peer("json")),
    "peer-yaml": Variant("community.routeros.api_modify", "data: lookup('file') piped to from_yaml", True, peer("yml")),
}


def measure(variant: Variant, python_bin: Path, collections: str, count: int, workdir: Path) -> dict:
    router = start_router(version="7.16.2", password=PASSWORD)
    try:
        def run(config: list) -> float:
            return run_playbook(python_bin, collections, variant.make_play(router.port, config, workdir), workdir)
        first = run(secrets(count))
        assert len(router.print("/ppp/secret")) == count
        mark = router.mark()
        unchanged = run(secrets(count))
        assert router.writes_since(mark) == [], "%s wrote on a no-change run" % variant.tool
        mark = router.mark()
        changed = run(secrets(count, 100))
        writes = len(router.writes_since(mark))
    finally:
        router.stop()
    return {"tool": variant.tool, "given": variant.given, "first": first, "no_change": unchanged,
            "one_percent": changed, "writes_1pct": writes}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--peer-venv", type=Path)
    parser.add_argument("--only", help="comma-separated variants of: %s" % ", ".join(VARIANTS))
    args = parser.parse_args()
    names: List[str] = args.only.split(",") if args.only else [
        name for name, variant in VARIANTS.items() if args.peer_venv or not variant.peer]
    rows = []
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        collections = tmp_path / "collections"
        (collections / "ansible_collections" / "ispkit").mkdir(parents=True)
        (collections / "ansible_collections" / "ispkit" / "routeros").symlink_to(REPO)
        for name in names:
            variant = VARIANTS[name]
            python_bin = args.peer_venv / "bin" if variant.peer else Path(sys.executable).parent
            rows.append(measure(variant, python_bin, "" if variant.peer else str(collections), args.count, tmp_path))
    print(json.dumps(rows, indent=1))
    print("load average (1, 5, 15 min): %.1f %.1f %.1f before, %.1f %.1f %.1f after"
          % (load_before + os.getloadavg()))
    print("| tool | entries given as | first run | no-change run | 1% changed | writes (1%) |\n"
          "|---|---|---|---|---|---|")
    for row in rows:
        print("| %s | %s | %.1f s | %.1f s | %.1f s | %d |" % (row["tool"], row["given"], row["first"], row["no_change"],
                                                             row["one_percent"], row["writes_1pct"]))


if __name__ == "__main__":
    main()
