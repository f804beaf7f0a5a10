"""Integration harness: emulated routers of both dialects on loopback, real ansible-playbook runs.

A playbook is a list of tasks; each task's result is registered and written to a JSON file that
the test reads back. Check-mode tasks log in as the `checker` user, so the emulator's journal
proves they wrote nothing while the real tasks around them run in the same playbook.
"""
from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

ros_emulator = pytest.importorskip("ros_emulator")

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
DIALECTS = {"6": "6.49.13", "7": "7.16.2"}
PASSWORD = "s3cret-Pw!"
CHECKER = "checker"


@pytest.fixture(scope="session")
def collections_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("collections")
    namespace = root / "ansible_collections" / "ispkit"
    namespace.mkdir(parents=True)
    (namespace / "routeros").symlink_to(REPO)
    return root


def start(major: str, **kwargs: Any) -> Any:
    handle = ros_emulator.start_router(
        version=DIALECTS[major], users=[("admin", PASSWORD, "full"), (CHECKER, PASSWORD, "full")], **kwargs)
    handle.major = major
    return handle


@pytest.fixture
def routers():
    """One emulated router per dialect, by major version; a playbook runs on both at once."""
    handles = {major: start(major) for major in sorted(DIALECTS)}
    yield handles
    for handle in handles.values():
        handle.stop()


@dataclass
class Run:
    """The outcome of one playbook on one router: per task results, the journal of its writes."""

    results: list[dict[str, Any]]
    stdout: str
    stderr: str
    returncode: int
    journal: list[Any] = field(default_factory=list)

    def writes_by(self, user: str) -> list[Any]:
        return [record for record in self.journal if record.user == user]


PerMajor = Any  # a value, or a callable taking the major version ('6' or '7')


def resolve(value: PerMajor, major: str) -> Any:
    return value(major) if callable(value) else value


class Playbook:
    """Runs tasks against every router at once (one inventory host per router).

    A task is {'module': name, 'args': {...} or f(major), 'check': bool, 'fails': bool, 'async': seconds}; its
    arguments reach each host through host variables, so they may differ by dialect.
    """

    def __init__(self, routers: dict[str, Any], collections_path: Path, workdir: Path) -> None:
        self.routers = routers
        self.collections_path = collections_path
        self.workdir = workdir

    def run(self, tasks: list[dict[str, Any]], *, verbosity: int = 0,
            connection: dict[str, Any] | None = None) -> dict[str, Run]:
        host_vars: dict[str, dict[str, Any]] = {}
        for major, router in self.routers.items():
            host_vars["ros" + major] = {
                "ansible_connection": "local", "ansible_python_interpreter": sys.executable, "major": major,
                "router_port": router.port,
            }
        play_tasks = []
        for index, task in enumerate(tasks):
            keys: set[str] = set()
            for major in self.routers:
                args = dict(resolve(connection or {}, major), **resolve(task["args"], major))
                if task.get("check"):
                    args.setdefault("username", CHECKER)
                keys.update(args)
                for key, value in args.items():
                    host_vars["ros" + major]["t%d_%s" % (index, key)] = value
            entry: dict[str, Any] = {
                "name": "task %d" % index,
                "ispkit.routeros." + task["module"]: {
                    key: "{{ t%d_%s | default(omit) }}" % (index, key) for key in sorted(keys)},
                "register": "r%d" % index,
            }
            if task.get("check"):
                entry["check_mode"] = True
            if task.get("async"):  # run in the background, polled every second
                entry.update({"async": task["async"], "poll": 1})
            if task.get("fails") or task.get("ignore_errors"):
                entry["ignore_errors"] = True
            play_tasks.append(entry)
        play_tasks.append({"name": "results", "ansible.builtin.copy": {
            "content": "{{ [%s] | to_json }}" % ", ".join("r%d" % i for i in range(len(tasks))),
            "dest": str(self.workdir / "{{ inventory_hostname }}.json"), "mode": "0600"}})
        play = [{
            "hosts": "all", "gather_facts": False,
            "module_defaults": {"group/ispkit.routeros.api": {
                "hostname": "127.0.0.1", "port": "{{ router_port }}", "username": "admin", "password": PASSWORD}},
            "tasks": play_tasks,
        }]
        playbook = self.workdir / "playbook.yml"
        playbook.write_text(yaml.safe_dump(play, sort_keys=False))
        inventory = self.workdir / "inventory.yml"
        inventory.write_text(yaml.safe_dump({"all": {"hosts": host_vars}}))
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(self.collections_path), ANSIBLE_NOCOLOR="1",
                   ANSIBLE_PIPELINING="1", ANSIBLE_RETRY_FILES_ENABLED="0",
                   ANSIBLE_LOCAL_TEMP=str(self.workdir / "tmp"), ANSIBLE_HOME=str(self.workdir / "ansible-home"),
                   # async jobs' results: `~` would be the password database's home, not $HOME
                   ANSIBLE_ASYNC_DIR=str(self.workdir / "async"),
                   ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="0")
        command = [str(VENV_BIN / "ansible-playbook"), "-i", str(inventory), str(playbook)]
        if verbosity:
            command.append("-" + "v" * verbosity)
        marks = {major: router.mark() for major, router in self.routers.items()}
        for major in self.routers:
            (self.workdir / ("ros%s.json" % major)).unlink(missing_ok=True)
        process = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, cwd=self.workdir,
                                 check=False)  # failures are read from the results
        runs = {}
        for major, router in self.routers.items():
            out_file = self.workdir / ("ros%s.json" % major)
            if not out_file.exists():
                raise AssertionError("playbook did not finish on ros%s:\n%s\n%s"
                                     % (major, process.stdout[-6000:], process.stderr[-3000:]))
            results = json.loads(out_file.read_text())
            for task, result in zip(tasks, results):
                failed = bool(result.get("failed"))
                if failed != bool(task.get("fails")):
                    raise AssertionError("ros%s: task %r %s unexpectedly: %s" % (
                        major, task, "failed" if failed else "succeeded", json.dumps(result, indent=1)[:4000]))
            runs[major] = Run(results, process.stdout, process.stderr, process.returncode,
                              router.writes_since(marks[major]))
        return runs


@pytest.fixture
def playbook(routers: dict[str, Any], collections_path: Path, tmp_path: Path) -> Playbook:
    return Playbook(routers, collections_path, tmp_path)


def script_to_api(line: str) -> tuple[str, str, dict[str, str]]:
    """A rendered `/ip address add k=v` line as (menu path, command, attributes) for the API."""
    words = shlex.split(line)
    path_words = []
    while words and "=" not in words[0] and words[0] not in ("add", "set", "remove"):
        path_words.append(words.pop(0).strip("/"))
    command = words.pop(0)
    attrs = {}
    for word in words:
        name, sep, value = word.partition("=")
        attrs[name] = value if sep else ""
    return "/" + "/".join(path_words), command, attrs


def replay(router: Any, lines: list[str]) -> None:
    """Send rendered script lines to a router through its API, as a user pasting them would."""
    import librouteros

    api = librouteros.connect("127.0.0.1", "admin", PASSWORD, port=router.port)
    try:
        for line in lines:
            path, command, attrs = script_to_api(line)
            list(api.path(*path.strip("/").split("/"))(command, **attrs))
    finally:
        api.close()


def static_entries(router: Any, path: str, fields: tuple[str, ...]) -> list[dict[str, str]]:
    """The static entries of a menu, reduced to the fields a test names (in menu order)."""
    rows = [row for row in router.print(path) if row.get("dynamic") not in ("true", True)]
    return [{name: row.get(name) for name in fields if row.get(name) is not None} for row in rows]
