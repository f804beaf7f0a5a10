"""Sync 10,000 /ppp/secret entries with one task: first run, no-change run, 1% changed run.

Compares ispkit.routeros.ppp_secret with community.routeros.api_modify (from the `ansible`
PyPI package, in a separate virtual environment given with --peer-venv) on the same emulator.

    .venv/bin/python benchmarks/modules/bench_ppp_secret.py [--count 10000] [--peer-venv /tmp/peer]
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

import yaml
from ros_emulator import start_router

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "bench-pw"


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


def ours(port: int, config: list) -> list:
    return [{"hosts": "router", "gather_facts": False, "tasks": [{"ispkit.routeros.ppp_secret": {
        "hostname": "127.0.0.1", "port": port, "password": PASSWORD, "config": config}}]}]


def peer(port: int, config: list) -> list:
    data = [dict(entry) for entry in config]
    return [{"hosts": "router", "gather_facts": False, "tasks": [{"community.routeros.api_modify": {
        "hostname": "127.0.0.1", "port": port, "username": "admin", "password": PASSWORD, "tls": False,
        "path": "ppp secret", "data": data, "handle_absent_entries": "ignore",
        "handle_entries_content": "ignore"}}]}]


def measure(name: str, python_bin: Path, collections: str, make_play, count: int, workdir: Path) -> dict:
    router = start_router(version="7.16.2", password=PASSWORD)
    try:
        first = run_playbook(python_bin, collections, make_play(router.port, secrets(count)), workdir)
        assert len(router.print("/ppp/secret")) == count
        mark = router.mark()
        unchanged = run_playbook(python_bin, collections, make_play(router.port, secrets(count)), workdir)
        assert router.writes_since(mark) == [], "%s wrote on a no-change run" % name
        mark = router.mark()
        changed = run_playbook(python_bin, collections, make_play(router.port, secrets(count, 100)), workdir)
        writes = len(router.writes_since(mark))
    finally:
        router.stop()
    return {"tool": name, "first": first, "no_change": unchanged, "one_percent": changed, "writes_1pct": writes}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--peer-venv", type=Path)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        collections = tmp_path / "collections"
        (collections / "ansible_collections" / "ispkit").mkdir(parents=True)
        (collections / "ansible_collections" / "ispkit" / "routeros").symlink_to(REPO)
        rows.append(measure("ispkit.routeros.ppp_secret", Path(sys.executable).parent, str(collections), ours,
                            args.count, tmp_path))
        if args.peer_venv:
            rows.append(measure("community.routeros.api_modify", args.peer_venv / "bin", "", peer,
                                args.count, tmp_path))
    print(json.dumps(rows, indent=1))
    print("| tool | first run | no-change run | 1% changed | writes (1%) |\n|---|---|---|---|---|")
    for row in rows:
        print("| %s | %.1f s | %.1f s | %.1f s | %d |" % (row["tool"], row["first"], row["no_change"],
                                                       row["one_percent"], row["writes_1pct"]))


if __name__ == "__main__":
    main()
