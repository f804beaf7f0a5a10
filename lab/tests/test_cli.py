"""The `ros-emulator` command: a lab in the background, its state across restarts, one router."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import librouteros
import pytest

TOPOLOGY = """
defaults: {version: "VERSION", user: admin, password: pw}
routers:
  RTR-1: {port: 0, tls_port: 0}
  RTR-2: {port: 0}
segments:
  interconnect: [RTR-1:ether2, RTR-2:ether2]
"""


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ros_emulator", *args], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("version", ["6.49.13", "7.16.2"])
def test_lab_background_start_state_survives_restart_and_stop(tmp_path, version):
    topology = tmp_path / "topology.yml"
    topology.write_text(TOPOLOGY.replace("VERSION", version))
    state = tmp_path / "state"
    started = run("lab", str(topology), "--state-dir", str(state), "--background")
    assert started.returncode == 0, started.stderr
    assert "RTR-1" in started.stdout and "RTR-2" in started.stdout and "interconnect" in started.stdout
    description = json.loads((state / "lab.json").read_text())
    try:
        rtr2 = description["routers"]["RTR-2"]
        api = librouteros.connect("127.0.0.1", "admin", "pw", port=rtr2["port"])
        assert list(api.path("system", "identity")) == [{"name": "RTR-2"}]
        api.path("interface", "bridge").add(name="Hotspot+PPPoE")
        api.close()
        assert run("status", "--state-dir", str(state)).returncode == 0
    finally:
        stopped = run("stop", "--state-dir", str(state))
    assert stopped.returncode == 0, stopped.stderr
    assert run("status", "--state-dir", str(state)).returncode == 1

    restarted = run("lab", str(topology), "--state-dir", str(state), "--background")
    assert restarted.returncode == 0, restarted.stderr
    try:
        rtr2 = json.loads((state / "lab.json").read_text())["routers"]["RTR-2"]
        api = librouteros.connect("127.0.0.1", "admin", "pw", port=rtr2["port"])
        names = [b["name"] for b in api.path("interface", "bridge")]
        assert names == ["Hotspot+PPPoE"]
        version_seen = next(iter(api.path("system", "resource")))["version"]
        assert version_seen.startswith(version)
        api.close()
    finally:
        assert run("stop", "--state-dir", str(state)).returncode == 0


def test_serve_one_router_with_password_from_environment(tmp_path):
    env = {**os.environ, "ROS_EMULATOR_PASSWORD": "from-env"}
    process = subprocess.Popen(
        [sys.executable, "-m", "ros_emulator", "serve", "--port", "0", "--identity", "R1", "--ros-version", "6.49.13",
         "--state-file", str(tmp_path / "r1.json")],
        stdout=subprocess.PIPE, text=True, env=env)
    try:
        line = process.stdout.readline()
        assert "R1 (RouterOS 6.49.13): api on 127.0.0.1:" in line
        assert "from-env" not in line
        port = int(line.rsplit(":", 1)[1])
        api = librouteros.connect("127.0.0.1", "admin", "from-env", port=port)
        api.path("system", "identity").update(name="R1-renamed")
        api.close()
        time.sleep(1.5)  # autosave runs every second
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)
    saved = json.loads((tmp_path / "r1.json").read_text())
    identity = saved["menus"]["/system/identity"][0]["values"]["name"]
    assert identity == "R1-renamed"


def test_lab_rejects_a_segment_naming_an_unknown_router(tmp_path):
    topology = tmp_path / "bad.yml"
    topology.write_text("routers: {RTR-1: {port: 0}}\nsegments: {x: [RTR-9:ether1]}\n")
    result = run("lab", str(topology), "--state-dir", str(tmp_path / "s"))
    assert result.returncode != 0
    assert "RTR-9:ether1" in result.stderr
