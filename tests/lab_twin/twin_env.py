"""The lab twin's moving parts: the emulated lab (a `ros-emulator lab` process and its control
channel), the Debian 12 test host (tests/debian_host/host.sh) and ansible-playbook runs of
playbooks/site.yml with the lab's inventory."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import librouteros
import yaml
from ros_emulator.control import ControlClient, ControlError

REPO = Path(__file__).resolve().parents[2]
LAB_INVENTORY = REPO / "inventories" / "lab"
TOPOLOGY = LAB_INVENTORY / "topology.yml"
HOST_SCRIPT = REPO / "tests" / "debian_host" / "host.sh"
VENV_BIN = Path(sys.executable).parent


class SetupError(Exception):
    """Something the suite needs could not be brought up; the message says what and why."""


def tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.splitlines()[-lines:])


class LabProcess:
    """A running lab: started here (`start`) or the one `make lab` runs (`attach`)."""

    def __init__(self, state_dir: Path, owned: bool):
        self.state_dir = state_dir
        self.owned = owned
        self.description = self._read_description()
        try:
            self.client = ControlClient(str(state_dir))
        except ControlError as exc:
            raise SetupError(str(exc)) from None

    @classmethod
    def start(cls, state_dir: Path, version: str, ports: dict[str, int] | None = None) -> "LabProcess":
        """Start inventories/lab/topology.yml's routers with `version`, on `ports` (router -> API
        port; none: ports the OS picks) and no api-ssl (the suite uses the plain API)."""
        state_dir.mkdir(parents=True, exist_ok=True)
        topology = yaml.safe_load(TOPOLOGY.read_text(encoding="utf-8"))
        for name, settings in topology["routers"].items():
            settings["port"] = (ports or {}).get(name, 0)
            settings.pop("tls_port", None)
        topology_file = state_dir / "topology.yml"
        topology_file.write_text(yaml.safe_dump(topology, sort_keys=False), encoding="utf-8")
        run = subprocess.run([str(VENV_BIN / "ros-emulator"), "lab", str(topology_file), "--state-dir",
                              str(state_dir), "--ros-version", version, "--background"],
                             capture_output=True, text=True, timeout=60, check=False)
        if run.returncode != 0:
            raise SetupError(f"ros-emulator lab did not start: {tail(run.stdout + run.stderr)}")
        return cls(state_dir, owned=True)

    @classmethod
    def attach(cls, state_dir: Path) -> "LabProcess":
        return cls(state_dir, owned=False)

    def _read_description(self) -> dict:
        try:
            return json.loads((self.state_dir / "lab.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SetupError(f"no lab runs in {self.state_dir} (start it with `make lab`): {exc}") from None

    @property
    def version(self) -> str:
        return next(iter(self.description["routers"].values()))["version"]

    @property
    def ports(self) -> dict[str, int]:
        return {name: router["port"] for name, router in self.description["routers"].items()}

    def call(self, operation: str, **arguments: Any) -> Any:
        """One control operation (control.py); a refusal raises ControlError with the lab's words."""
        return self.client.call(operation, **arguments)

    def operations(self) -> set[str]:
        return set(self.call("operations"))

    def api(self, router: str, password: str) -> librouteros.api.Api:
        settings = self.description["routers"][router]
        return librouteros.connect(settings["host"], settings["user"], password, port=settings["port"])

    def stop(self) -> None:
        self.client.close()
        if self.owned:
            subprocess.run([str(VENV_BIN / "ros-emulator"), "stop", "--state-dir", str(self.state_dir)],
                           capture_output=True, text=True, timeout=60, check=False)


class DebianHost:
    """The Debian 12 container that runs FreeRADIUS and the bot, sharing this machine's network."""

    def __init__(self, name: str, ssh_port: int):
        self.env = dict(os.environ, ISPKIT_HOST_NAME=name, ISPKIT_HOST_SSH_PORT=str(ssh_port))
        self.ssh_port = ssh_port
        self.booting: subprocess.Popen[str] | None = None

    def unavailable(self) -> str | None:
        """Why this machine cannot run the host (host.sh check's SKIP line), or None."""
        run = subprocess.run([str(HOST_SCRIPT), "check"], env=self.env, capture_output=True, text=True, check=False)
        return None if run.returncode == 0 else (run.stdout.strip() or run.stderr.strip())

    def boot(self) -> None:
        """Start booting in the background (building the cached root file system if needed)."""
        self.booting = subprocess.Popen([str(HOST_SCRIPT), "up"], env=self.env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)

    def wait(self, timeout: float = 600) -> None:
        if self.booting is None:
            self.boot()
        assert self.booting is not None
        output = self.booting.communicate(timeout=timeout)[0]
        if self.booting.returncode != 0:
            raise SetupError(f"the Debian test host did not come up: {tail(output)}")

    def ssh(self, command: str, timeout: float = 30) -> str:
        run = subprocess.run([str(HOST_SCRIPT), "ssh", command], env=self.env, capture_output=True, text=True,
                             timeout=timeout, check=False)
        if run.returncode != 0:
            raise SetupError(f"on the Debian host, {command!r} failed: {tail(run.stderr)}")
        return run.stdout

    def down(self) -> None:
        if self.booting is not None and self.booting.poll() is None:
            self.booting.kill()
            self.booting.wait()
        subprocess.run([str(HOST_SCRIPT), "down"], env=self.env, capture_output=True, text=True, timeout=120,
                       check=False)


class Playbooks:
    """ansible-playbook runs of playbooks/site.yml with inventories/lab, the routers' API ports
    set to the running lab's and the collection found through a link in `workdir`."""

    def __init__(self, workdir: Path, env: dict[str, str]):
        self.workdir = workdir
        inventory = workdir / "inventory"
        inventory.mkdir(parents=True, exist_ok=True)
        for part in ("group_vars", "host_vars"):
            link = inventory / part
            if not link.exists():
                link.symlink_to(LAB_INVENTORY / part)
        self.hosts = inventory / "hosts.yml"
        collections = workdir / "collections" / "ansible_collections" / "ispkit"
        collections.mkdir(parents=True, exist_ok=True)
        if not (collections / "routeros").exists():
            (collections / "routeros").symlink_to(REPO)
        self.env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(workdir / "collections"), ANSIBLE_NOCOLOR="1",
                        ANSIBLE_FORCE_COLOR="0", ANSIBLE_RETRY_FILES_ENABLED="0",
                        ANSIBLE_HOME=str(workdir / "ansible-home"), ANSIBLE_LOCAL_TEMP=str(workdir / "tmp"),
                        ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="0", ANSIBLE_HOST_KEY_CHECKING="0", **env)

    def point_at(self, ports: dict[str, int]) -> None:
        """Write the inventory's hosts with the lab's API ports."""
        hosts = yaml.safe_load((LAB_INVENTORY / "hosts.yml").read_text(encoding="utf-8"))
        for name, host in hosts["all"]["children"]["routers"]["hosts"].items():
            host["routeros_api_port"] = ports[name]
        self.hosts.write_text(yaml.safe_dump(hosts), encoding="utf-8")

    def start(self, limit: str, extra_vars: dict | None = None, name: str = "") -> "PlaybookRun":
        """Start playbooks/site.yml on the hosts of `limit` in the background (with `extra_vars`
        given as -e JSON); its output goes to a log file, site-<limit>[-<name>].log (an SSH
        ControlPersist master would hold a pipe open for a minute)."""
        command = [str(VENV_BIN / "ansible-playbook"), "-i", str(self.hosts), str(REPO / "playbooks" / "site.yml"),
                   "--limit", limit]
        if extra_vars:
            command += ["-e", json.dumps(extra_vars)]
        log = self.workdir / f"site-{limit.replace(',', '+')}{'-' + name if name else ''}.log"
        env = dict(self.env, ANSIBLE_LOG_PATH=str(log.with_suffix(".timed.log")))  # the same, with times
        with log.open("w", encoding="utf-8") as output:
            process = subprocess.Popen(command, env=env, cwd=self.workdir, stdout=output,
                                       stderr=subprocess.STDOUT, text=True)
        return PlaybookRun(limit, process, log)

    def site(self, limit: str, timeout: float = 900, extra_vars: dict | None = None, name: str = "") -> None:
        self.start(limit, extra_vars, name).finish(timeout)


class PlaybookRun:
    """A running ansible-playbook; `finish` waits for it and raises SetupError when it failed."""

    def __init__(self, limit: str, process: subprocess.Popen, log: Path):
        self.limit, self.process, self.log = limit, process, log

    def finish(self, timeout: float = 900) -> None:
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise SetupError(f"site.yml --limit {self.limit} did not finish in {timeout:.0f} s "
                             f"(its output: {self.log})") from None
        if code != 0:
            raise SetupError(f"site.yml --limit {self.limit} failed: {failures(self.log.read_text(encoding='utf-8'))} "
                             f"(its output: {self.log})")


def finish_all(runs: list[PlaybookRun]) -> None:
    """Wait for every run, then raise one SetupError naming each that failed."""
    problems = []
    for run in runs:
        try:
            run.finish()
        except SetupError as exc:
            problems.append(str(exc))
    if problems:
        raise SetupError("; ".join(problems))


def failures(output: str) -> str:
    """The lines of an ansible-playbook output that say what failed (fatal: and [ERROR]:)."""
    lines = [line.strip() for line in output.splitlines() if line.startswith(("fatal:", "[ERROR]:", "failed:"))]
    return " | ".join(dict.fromkeys(lines)) or tail(output, 5)


__all__ = ["ControlError", "DebianHost", "LabProcess", "PlaybookRun", "Playbooks", "SetupError", "finish_all", "LAB_INVENTORY", "REPO"]
