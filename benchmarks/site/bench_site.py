"""playbooks/site.yml on the emulated lab next to the same configuration as community.routeros.api_modify tasks.

For each tool and round: two fresh emulated routers (RTR-1, RTR-2) on free loopback ports, the lab
inventory (inventories/lab) pointing at them, a cold converge, then a no-change run. Prints the wall
time of each ansible-playbook run (start-up included), the changed counts, the writes of the
no-change run (the emulator's journal), the median over the rounds, and any difference between
what the two tools leave on the routers (every menu site.yml manages; ids, counters and the order
of unordered menus ignored).

    .venv/bin/python benchmarks/site/bench_site.py --peer-venv /tmp/peer-venv [--rounds 3] [--profile] [--floor]

The peer venv: python3 -m venv /tmp/peer-venv && /tmp/peer-venv/bin/pip install "ansible>=12,<13"
librouteros==4.2.2 (community.routeros comes with the `ansible` package; `make bench-site` builds it).
The peer has no RouterOS 6.x OSPF, so it runs on 7.16.2 only; site.yml also runs on 6.49.13.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from ros_emulator import start_router

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
LAB_INVENTORY = REPO / "inventories" / "lab"
PASSWORD = "lab-admin"  # inventories/lab/group_vars/routers/connection.yml
ROUTERS = ("RTR-1", "RTR-2")
PEER_VERSION = "7.16.2"

# The menus site.yml's router roles manage, per RouterOS major version; rules are ordered.
COMMON_MENUS = ("/system/identity", "/interface/bridge", "/interface/bridge/port", "/ip/address", "/ip/pool",
                "/ppp/profile", "/ppp/secret", "/interface/pppoe-server/server", "/ip/hotspot/user/profile",
                "/ip/hotspot/profile", "/ip/hotspot", "/ip/hotspot/user", "/ip/dhcp-server", "/ip/dhcp-server/network",
                "/ip/dhcp-client", "/radius", "/ppp/aaa", "/radius/incoming", "/ip/firewall/nat",
                "/ip/firewall/mangle", "/ip/route", "/routing/ospf/instance", "/routing/ospf/area")
MENUS = {"6": COMMON_MENUS + ("/routing/ospf/network",),
         "7": COMMON_MENUS + ("/routing/table", "/routing/ospf/interface-template")}
ORDERED_MENUS = {"/ip/firewall/mangle", "/ip/firewall/nat"}
# Fields that follow from ids or traffic, not from configuration.
VOLATILE_FIELDS = {".id", "mac-address", "bytes", "packets"}
# Compared through a digest with a per-run salt, so a difference never prints a password.
SECRET_FIELDS = {"password", "secret"}
SALT = os.urandom(16)


@dataclass
class Tool:
    """One side of the comparison: the venv running ansible-playbook, the playbook, its collections."""

    name: str
    bin_dir: Path
    playbook: Path
    collections: str  # ANSIBLE_COLLECTIONS_PATH; the peer's collection comes from its site-packages
    limit: bool  # site.yml also has server plays: --limit routers, as `make lab` runs it
    env: dict[str, str] = field(default_factory=dict)  # e.g. ANSIBLE_PIPELINING for both tools


@dataclass
class Run:
    wall: float
    cpu: float  # user + system seconds of ansible-playbook and every process it ran (modules included)
    changed: int
    writes: int


@dataclass
class Result:
    tool: str
    version: str
    cold: list[Run] = field(default_factory=list)
    no_change: list[Run] = field(default_factory=list)


class Lab:
    """Emulated RTR-1 and RTR-2 and a copy of inventories/lab that points at their ports."""

    def __init__(self, version: str, workdir: Path) -> None:
        self.routers = {name: start_router(version=version, password=PASSWORD) for name in ROUTERS}
        inventory = workdir / "inventory"
        inventory.mkdir()
        for part in ("group_vars", "host_vars"):
            (inventory / part).symlink_to(LAB_INVENTORY / part)
        hosts = yaml.safe_load((LAB_INVENTORY / "hosts.yml").read_text())
        for name, host in hosts["all"]["children"]["routers"]["hosts"].items():
            host["routeros_api_port"] = self.routers[name].port
        self.inventory = inventory / "hosts.yml"
        self.inventory.write_text(yaml.safe_dump(hosts))

    def stop(self) -> None:
        for router in self.routers.values():
            router.stop()

    def marks(self) -> dict[str, int]:
        return {name: router.mark() for name, router in self.routers.items()}

    def writes_since(self, marks: dict[str, int]) -> int:
        return sum(len(router.writes_since(marks[name])) for name, router in self.routers.items())

    def state(self, major: str) -> dict[str, dict[str, list[str]]]:
        """Per router and menu, the static entries as sorted `key=value` lines (in order for ordered menus)."""
        return {name: {menu: entries_of(router.print(menu), menu) for menu in MENUS[major]}
                for name, router in self.routers.items()}


def shown(key: str, value: str) -> str:
    if key in SECRET_FIELDS and value:
        return "(digest %s)" % hashlib.sha256(SALT + str(value).encode()).hexdigest()[:12]
    return str(value)


def entries_of(rows: list[dict[str, str]], menu: str) -> list[str]:
    lines = [" ".join("%s=%s" % (key, shown(key, value)) for key, value in sorted(row.items())
                      if key not in VOLATILE_FIELDS)
             for row in rows if row.get("dynamic") not in ("true", True)]
    return lines if menu in ORDERED_MENUS else sorted(lines)


def differences(ours: dict[str, dict[str, list[str]]], peer: dict[str, dict[str, list[str]]]) -> list[str]:
    """One line per entry that only one tool left on a router (or a rule in another place)."""
    lines = []
    for router, menus in ours.items():
        for menu, entries in menus.items():
            other = peer[router][menu]
            if entries == other:
                continue
            lines += ["%s %s only after site.yml: %s" % (router, menu, entry) for entry in entries if entry not in other]
            lines += ["%s %s only after the peer: %s" % (router, menu, entry) for entry in other if entry not in entries]
            if sorted(entries) == sorted(other):
                lines.append("%s %s: same rules in another order" % (router, menu))
    return lines


def environment(tool: Tool, workdir: Path, extra: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=tool.collections, ANSIBLE_NOCOLOR="1",
               ANSIBLE_RETRY_FILES_ENABLED="0", ANSIBLE_HOME=str(workdir / "ansible-home"),
               ANSIBLE_LOCAL_TEMP=str(workdir / "tmp"), PWD=str(workdir), **tool.env, **extra)
    env.pop("ANSIBLE_CONFIG", None)
    return env


def recap_changed(stdout: str) -> int:
    """Sum of PLAY RECAP changed= over the hosts."""
    return sum(int(n) for n in re.findall(r"^\S+\s+:\s+ok=\d+\s+changed=(\d+)", stdout, flags=re.MULTILINE))


def run_playbook(tool: Tool, lab: Lab, workdir: Path, extra_env: dict[str, str] | None = None) -> Run:
    command = [str(tool.bin_dir / "ansible-playbook"), "-i", str(lab.inventory), str(tool.playbook)]
    if tool.limit:
        command += ["--limit", "routers"]
    marks = lab.marks()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    process = subprocess.run(command, env=environment(tool, workdir, extra_env or {}), cwd=workdir,
                             capture_output=True, text=True, timeout=600, check=False)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if process.returncode != 0:
        raise SystemExit("%s failed:\n%s\n%s" % (tool.name, process.stdout[-4000:], process.stderr[-2000:]))
    return Run(wall, cpu, recap_changed(process.stdout), lab.writes_since(marks))


def measure(tool: Tool, version: str, root: Path, result: Result) -> dict[str, dict[str, list[str]]]:
    """A cold converge and a no-change run on fresh routers; returns what the routers hold afterwards."""
    workdir = Path(tempfile.mkdtemp(dir=root))
    lab = Lab(version, workdir)
    try:
        result.cold.append(run_playbook(tool, lab, workdir))
        result.no_change.append(run_playbook(tool, lab, workdir))
        return lab.state(version.split(".")[0])
    finally:
        lab.stop()


def profile(tool: Tool, version: str, root: Path) -> dict[str, Any]:
    """Per-task times of a cold converge and a no-change run (callback_plugins/task_times.py)."""
    workdir = Path(tempfile.mkdtemp(dir=root))
    lab = Lab(version, workdir)
    runs = {}
    try:
        for run in ("cold", "no_change"):
            times = workdir / ("%s.json" % run)
            wall = run_playbook(tool, lab, workdir, {"ANSIBLE_CALLBACK_PLUGINS": str(HERE / "callback_plugins"),
                                                     "ANSIBLE_CALLBACKS_ENABLED": "task_times",
                                                     "BENCH_TASK_TIMES": str(times)}).wall
            runs[run] = dict(json.loads(times.read_text()), wall=wall)
    finally:
        lab.stop()
    return runs


def floor(tool: Tool, root: Path, counts: tuple[int, ...], rounds: int) -> dict[int, float]:
    """Median wall time of playbooks of N ansible.builtin.ping tasks on the two routers' hosts: what
    Ansible itself costs per task (fork, module payload, a Python process per host) with this inventory."""
    workdir = Path(tempfile.mkdtemp(dir=root))
    lab = Lab(PEER_VERSION, workdir)
    times = {}
    try:
        for count in counts:
            book = workdir / ("ping-%d.yml" % count)
            book.write_text(yaml.safe_dump([{"name": "Ping", "hosts": "routers", "gather_facts": False,
                                             "tasks": [{"name": "Ping %d" % n, "ansible.builtin.ping": {}}
                                                       for n in range(count)]}]))
            ping = Tool("%d ping tasks" % count, tool.bin_dir, book, tool.collections, limit=False, env=tool.env)
            times[count] = statistics.median(run_playbook(ping, lab, workdir).wall for _ in range(rounds))
    finally:
        lab.stop()
    return times


def task_summary(name: str, run: dict[str, Any], top: int = 8) -> list[str]:
    """Where a run's time goes: start-up, tasks by kind, the slowest tasks."""
    tasks = [dict(task, seconds=(task["end"] or task["start"]) - task["start"]) for task in run["tasks"]]
    modules = [t for t in tasks if t["action"].startswith(("ispkit.routeros.", "community.routeros."))
               and any(status != "skipped" for status in t["hosts"].values())]
    module_runs = sum(sum(1 for status in t["hosts"].values() if status != "skipped") for t in modules)
    in_tasks = sum(t["seconds"] for t in tasks)
    in_modules = sum(t["seconds"] for t in modules)
    lines = ["%s: wall %.1f s; before the first task %.1f s; %d tasks (%d module tasks, %d module runs on 2 routers)"
             % (name, run["wall"], run["wall"] - run["total"] + (tasks[0]["start"] if tasks else 0), len(tasks),
                len(modules), module_runs),
             "  in module tasks %.1f s (%.2f s per task, both routers in parallel), other tasks %.1f s"
             % (in_modules, in_modules / max(len(modules), 1), in_tasks - in_modules)]
    for task in sorted(tasks, key=lambda t: -t["seconds"])[:top]:
        lines.append("  %5.2f s  %s  [%s]" % (task["seconds"], task["name"], task["action"]))
    return lines


def median(runs: list[Run], attribute: str = "wall") -> float:
    return statistics.median(getattr(run, attribute) for run in runs)


def walls(runs: list[Run]) -> str:
    """The median wall time and every run's."""
    return "%.1f s (%s)" % (median(runs), ", ".join("%.1f" % run.wall for run in runs))


def table(results: list[Result]) -> list[str]:
    """The results as a Markdown table, one row per tool and RouterOS version."""
    lines = ["| tool | RouterOS | cold converge: median (runs) | no-change run: median (runs) "
             "| CPU s, cold / no-change (median) | changed, cold / no-change | writes in no-change runs |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append("| %s | %s | %s | %s | %.1f / %.1f | %s / %s | %s |" % (
            r.tool, r.version, walls(r.cold), walls(r.no_change), median(r.cold, "cpu"), median(r.no_change, "cpu"),
            ",".join(str(run.changed) for run in r.cold), ",".join(str(run.changed) for run in r.no_change),
            ",".join(str(run.writes) for run in r.no_change)))
    return lines


def targets(ours: Result, peer: Result) -> list[str]:
    """Issue 4's target: site.yml takes at most half the peer's wall time, cold and with no change."""
    lines = []
    for label, attribute in (("cold converge", "cold"), ("no-change run", "no_change")):
        mine, theirs = median(getattr(ours, attribute)), median(getattr(peer, attribute))
        lines.append("%s: site.yml %.1f s, peer %.1f s, ratio %.2f (target <= 0.50): %s"
                     % (label, mine, theirs, mine / theirs, "met" if mine <= theirs / 2 else "NOT met"))
    return lines


def compare(ours: Tool, peer: Tool | None, rounds: int, root: Path) -> tuple[list[Result], list[str]]:
    """Both tools on 7.16.2, back to back, taking turns going first; the differences of their routers."""
    results = [Result(tool.name, PEER_VERSION) for tool in (ours, peer) if tool]
    tools = list(zip([tool for tool in (ours, peer) if tool], results))
    diffs: list[str] = []
    for round_number in range(rounds):
        states = {tool.name: measure(tool, PEER_VERSION, root, result)
                  for tool, result in (tools if round_number % 2 == 0 else tools[::-1])}
        if peer:
            diffs += ["round %d: %s" % (round_number + 1, line)
                      for line in differences(states[ours.name], states[peer.name])]
    return results, diffs


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--peer-venv", type=lambda text: Path(text).resolve(), help="venv with ansible>=12,<13 and librouteros==4.2.2")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="also print per-task times of one run of each tool")
    parser.add_argument("--floor", action="store_true",
                        help="also time playbooks of 1 and 26 ansible.builtin.ping tasks (Ansible's cost per task)")
    parser.add_argument("--pipelining", action="store_true", help="run both tools with ANSIBLE_PIPELINING=1")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1, got %d" % args.rounds)
    if args.peer_venv and not (args.peer_venv / "bin" / "ansible-playbook").exists():
        parser.error("--peer-venv %s has no bin/ansible-playbook (pip install \"ansible>=12,<13\" librouteros==4.2.2)"
                     % args.peer_venv)
    return args


def main() -> None:
    args = parse_arguments()
    loads = [Path("/proc/loadavg").read_text().split()[:3]]
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        root = Path(tmp)
        collections = root / "collections"
        (collections / "ansible_collections" / "ispkit").mkdir(parents=True)
        (collections / "ansible_collections" / "ispkit" / "routeros").symlink_to(REPO)
        (root / "no-collections").mkdir()
        env = {"ANSIBLE_PIPELINING": "1"} if args.pipelining else {}
        ours = Tool("site.yml (ispkit.routeros)", Path(sys.executable).parent, REPO / "playbooks" / "site.yml",
                    str(collections), limit=True, env=env)
        peer = Tool("api_modify_site.yml (community.routeros)", args.peer_venv / "bin", HERE / "api_modify_site.yml",
                    str(root / "no-collections"), limit=False, env=env) if args.peer_venv else None
        results, diffs = compare(ours, peer, args.rounds, root)
        info = Result(ours.name, "6.49.13")
        for _ in range(args.rounds):
            measure(ours, info.version, root, info)
        floors = floor(ours, root, (1, 26), args.rounds) if args.floor else {}
        profiles = {tool.name + " on " + PEER_VERSION: profile(tool, PEER_VERSION, root)
                    for tool in (ours, peer) if tool and args.profile}
    loads.append(Path("/proc/loadavg").read_text().split()[:3])

    print("load average (1, 5, 15 min): %s at the start, %s at the end; %d CPUs; ANSIBLE_PIPELINING %s" % (
        " ".join(loads[0]), " ".join(loads[1]), os.cpu_count() or 0, "on" if args.pipelining else "off"))
    print("\n".join(table(results + [info])))
    if peer:
        print("\n".join(targets(results[0], results[1])))
        print("state after site.yml vs after the peer (%d menus per router, %d rounds): %s" % (
            len(MENUS["7"]), args.rounds, "identical" if not diffs else "%d differences" % len(diffs)))
        for line in diffs:
            print("  " + line)
    if floors:
        per_task = (floors[26] - floors[1]) / 25
        print("Ansible alone, ansible.builtin.ping tasks on both routers (median of %d): 1 task %.1f s, 26 tasks %.1f s;"
              " %.2f s per task, %.1f s start-up" % (args.rounds, floors[1], floors[26], per_task, floors[1] - per_task))
    for name, runs in profiles.items():
        for run, data in runs.items():
            print("\n".join(task_summary("%s, %s" % (name, run), data)))
    if any(run.writes for r in (results[0], info) for run in r.no_change):
        raise SystemExit("site.yml wrote on a no-change run")
    if diffs:
        raise SystemExit("the routers differ after site.yml and after the peer")


if __name__ == "__main__":
    main()
