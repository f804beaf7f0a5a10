"""playbooks/site.yml and drift.yml against the emulated lab (RTR-1, RTR-2), on 6.49 and 7.x.

The routers start in-process on free loopback ports; the inventory is inventories/lab with only
the API ports changed, so the test runs the lab's own group_vars and host_vars.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ros_emulator = pytest.importorskip("ros_emulator")
librouteros = pytest.importorskip("librouteros")

REPO = Path(__file__).resolve().parents[2]
LAB_INVENTORY = REPO / "inventories" / "lab"
VENV_BIN = Path(sys.executable).parent
PASSWORD = "lab-admin"  # inventories/lab/group_vars/routers/connection.yml
ROUTERS = ("RTR-1", "RTR-2")


class Lab:
    """Emulated RTR-1 and RTR-2, an inventory pointing at them, and ansible-playbook runs."""

    def __init__(self, version: str, workdir: Path, source: Path = LAB_INVENTORY, password: str = PASSWORD) -> None:
        self.version = version
        self.major = version.split(".")[0]
        self.workdir = workdir
        self.password = password
        self.routers = {name: ros_emulator.start_router(identity="MikroTik", version=version, password=password)
                        for name in ROUTERS}
        inventory = workdir / "inventory"
        inventory.mkdir()
        for part in ("group_vars", "host_vars"):
            (inventory / part).symlink_to(source / part)
        hosts = yaml.safe_load((source / "hosts.yml").read_text())
        for name, host in hosts["all"]["children"]["routers"]["hosts"].items():
            host["routeros_api_host"] = "127.0.0.1"  # the emulated router, whatever the inventory says
            host["routeros_api_port"] = self.routers[name].port
        (inventory / "hosts.yml").write_text(yaml.safe_dump(hosts))
        self.inventory = inventory / "hosts.yml"
        collections = workdir / "collections" / "ansible_collections" / "ispkit"
        collections.mkdir(parents=True)
        (collections / "routeros").symlink_to(REPO)
        self.env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(workdir / "collections"), ANSIBLE_NOCOLOR="1",
                        ANSIBLE_RETRY_FILES_ENABLED="0", ANSIBLE_HOME=str(workdir / "ansible-home"),
                        ANSIBLE_LOCAL_TEMP=str(workdir / "tmp"), ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="0",
                        ANSIBLE_CALLBACK_RESULT_FORMAT="yaml", PWD=str(workdir))

    def stop(self) -> None:
        for router in self.routers.values():
            router.stop()

    def playbook(self, name: str, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(VENV_BIN / "ansible-playbook"), "-i", str(self.inventory), str(REPO / "playbooks" / name),
                   "--limit", "routers", *args]
        return subprocess.run(command, env=self.env, cwd=self.workdir, capture_output=True, text=True,
                              timeout=300, check=False)

    def api(self, name: str) -> Any:
        return librouteros.connect("127.0.0.1", "admin", self.password, port=self.routers[name].port)


def recap(run: subprocess.CompletedProcess[str]) -> dict[str, dict[str, int]]:
    """PLAY RECAP counters per host."""
    counters = {}
    for line in run.stdout.splitlines():
        match = re.match(r"^(\S+)\s+:\s+(.*)$", line)
        if match and "ok=" in match.group(2):
            counters[match.group(1)] = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", match.group(2))}
    return counters


def changed_tasks(run: subprocess.CompletedProcess[str]) -> list[str]:
    """Names of the tasks that reported a change, with the host."""
    names, task = [], None
    for line in run.stdout.splitlines():
        if line.startswith("TASK ["):
            task = line
        elif line.startswith("changed: ["):
            names.append("%s %s" % (line.split("]")[0] + "]", task))
    return names


def static(router: Any, path: str) -> list[dict[str, str]]:
    return [row for row in router.print(path) if row.get("dynamic") not in ("true", True)]


def table_of(route: dict[str, str], major: str) -> str:
    return route.get("routing-mark" if major == "6" else "routing-table") or "main"


@pytest.fixture(params=["6.49.13", "7.16.2"], ids=["ros6", "ros7"])
def lab(request: pytest.FixtureRequest, tmp_path: Path):
    handle = Lab(request.param, tmp_path)
    yield handle
    handle.stop()


def assert_paper_configuration(lab: Lab) -> None:
    major = lab.major
    for name, router in lab.routers.items():
        peer = "10.1.1.2" if name == "RTR-1" else "10.1.1.1"
        # the other ISP's gateway, behind the peer: checked recursively (inventories/lab check_host)
        remote = "198.51.100.1" if name == "RTR-1" else "192.0.2.1"
        own, other = ("ISP1", "ISP2") if name == "RTR-1" else ("ISP2", "ISP1")
        gateway = "192.0.2.1" if name == "RTR-1" else "198.51.100.1"
        assert router.print("/system/identity")[0]["name"] == name
        bridges = [b["name"] for b in router.print("/interface/bridge")]
        assert bridges == ["Hotspot+PPPoE"], (name, bridges)
        ports = sorted(p["interface"] for p in router.print("/interface/bridge/port") if p["bridge"] == "Hotspot+PPPoE")
        assert ports == ["ether3", "ether4", "ether5"], (name, ports)
        addresses = {a["address"]: a["interface"] for a in static(router, "/ip/address")}
        assert addresses[("10.1.1.1/30" if name == "RTR-1" else "10.1.1.2/30")] == "ether2"
        assert sum(1 for i in addresses.values() if i == "Hotspot+PPPoE") == 2
        assert {p["name"] for p in router.print("/ip/pool")} == {"pppoe-pool", "hotspot-pool"}
        nat = static(router, "/ip/firewall/nat")
        assert [(r["chain"], r["action"], r["out-interface"]) for r in nat] == [("srcnat", "masquerade", "ether1")]
        mangle = static(router, "/ip/firewall/mangle")
        pcc = sorted(r["per-connection-classifier"] for r in mangle if r.get("per-connection-classifier"))
        assert pcc == ["both-addresses:2/0"] * 2 + ["both-addresses:2/1"] * 2, (name, pcc)
        routing_marks = {r["new-routing-mark"] for r in mangle if r["action"] == "mark-routing"}
        assert routing_marks == {"to_ISP1", "to_ISP2"}
        pinned = [r for r in mangle if r.get("dst-address") == "203.0.113.0/24"]
        assert len(pinned) == 2 and all(r["new-routing-mark"] == "to_ISP1" for r in pinned)
        routes = {(table_of(r, major), r["gateway"]): r for r in static(router, "/ip/route")
                  if r.get("dst-address") == "0.0.0.0/0"}
        assert routes[("main", gateway)]["distance"] == "1"
        assert routes[("main", remote)]["distance"] == "2"
        assert routes[("to_" + own, gateway)]["distance"] == "1"
        assert routes[("to_" + other, remote)]["distance"] == "1"
        assert routes[("to_" + other, gateway)]["distance"] == "2"  # failover inside the mark
        assert all(r.get("check-gateway") == "ping" for r in routes.values())
        assert all(r.get("target-scope") == "11" for (_table, hop), r in routes.items() if hop == remote)
        assert len(routes) == 6
        host_routes = [(r["gateway"], r.get("scope")) for r in static(router, "/ip/route")
                       if r.get("dst-address") == remote + "/32"]
        assert host_routes == [(peer, "10")], host_routes
        assert_ospf(name, router, major)
        assert_subscriber_services(name, router)
        if major == "7":
            tables = {t["name"] for t in router.print("/routing/table")}
            assert {"to_ISP1", "to_ISP2"} <= tables


def assert_subscriber_services(name: str, router: Any) -> None:
    """PPPoE with its rate-limited profile, Hotspot with its profiles and DHCP (inventories/lab)."""
    net, hotspot = ("10.10.10", "10.5.50") if name == "RTR-1" else ("10.10.20", "10.5.60")
    profile = next(p for p in router.print("/ppp/profile") if p["name"] == "pppoe-10M")
    assert (profile["local-address"], profile["remote-address"], profile["rate-limit"]) == (
        net + ".1", "pppoe-pool", "10M/10M"), profile
    servers = [(s["interface"], s["service-name"], s["default-profile"], s["disabled"])
               for s in router.print("/interface/pppoe-server/server")]
    assert servers == [("Hotspot+PPPoE", "internet", "pppoe-10M", "false")], servers
    hs_profile = next(p for p in router.print("/ip/hotspot/profile") if p["name"] == "hsprof1")
    assert (hs_profile["hotspot-address"], hs_profile["dns-name"]) == (hotspot + ".1", "login.%s.lab" % name.lower())
    assert [(h["name"], h["interface"], h["address-pool"], h["profile"]) for h in router.print("/ip/hotspot")] == [
        ("hotspot1", "Hotspot+PPPoE", "hotspot-pool", "hsprof1")]
    assert any(p["name"] == "hotspot-2M" and p["rate-limit"] == "2M/2M" for p in router.print("/ip/hotspot/user/profile"))
    dhcp = router.print("/ip/dhcp-server")
    assert [(d["name"], d["interface"], d["address-pool"], d["disabled"]) for d in dhcp] == [
        ("hotspot1-dhcp", "Hotspot+PPPoE", "hotspot-pool", "false")], dhcp
    networks = router.print("/ip/dhcp-server/network")
    assert [(n["address"], n["gateway"], n["dns-server"]) for n in networks] == [
        (hotspot + ".0/24", hotspot + ".1", hotspot + ".1")], networks


def assert_ospf(name: str, router: Any, major: str) -> None:
    """OSPF on the interconnect with the subscriber and uplink networks in the backbone (LAB.md step 5)."""
    own = ["10.10.10.0/24", "10.5.50.0/24", "192.0.2.0/24"] if name == "RTR-1" else [
        "10.10.20.0/24", "10.5.60.0/24", "198.51.100.0/24"]
    if major == "6":
        networks = [(n["network"], n["area"]) for n in router.print("/routing/ospf/network")]
        assert [i["name"] for i in router.print("/routing/ospf/instance")] == ["default"]
    else:
        networks = [(t["networks"], t["area"]) for t in router.print("/routing/ospf/interface-template")]
        instances = router.print("/routing/ospf/instance")
        assert [(i["name"], i["router-id"]) for i in instances] == [("default", "main")], instances
        areas = router.print("/routing/ospf/area")
        assert [(a["name"], a["area-id"], a["instance"]) for a in areas] == [("backbone", "0.0.0.0", "default")]
    assert sorted(networks) == sorted((net, "backbone") for net in ["10.1.1.0/30", *own]), (name, networks)


def test_site_converges_idempotently_and_drift_is_reported_and_repaired(lab: Lab) -> None:
    first = lab.playbook("site.yml")
    assert first.returncode == 0, first.stdout[-6000:] + first.stderr[-3000:]
    assert all(counts["changed"] > 0 for counts in recap(first).values())
    assert_paper_configuration(lab)

    second = lab.playbook("site.yml")
    assert second.returncode == 0, second.stdout[-6000:] + second.stderr[-3000:]
    assert changed_tasks(second) == []
    assert set(recap(second)) == set(ROUTERS)
    assert all(counts["changed"] == 0 for counts in recap(second).values())

    clean = lab.playbook("drift.yml")
    assert clean.returncode == 0, clean.stdout[-6000:] + clean.stderr[-3000:]
    assert json.loads((lab.workdir / "drift-report.json").read_text()) == {"RTR-1": {}, "RTR-2": {}}

    # Behind Ansible's back on RTR-1: a load-balancing rule goes, a failover distance changes.
    api = lab.api("RTR-1")
    try:
        mangle = api.path("ip", "firewall", "mangle")
        victim = next(r for r in mangle if r.get("per-connection-classifier") == "both-addresses:2/1")
        mangle.remove(victim[".id"])
        routes = api.path("ip", "route")
        main_backup = next(r for r in routes if r.get("gateway") == "198.51.100.1" and r.get("distance") == 2
                           and not r.get("routing-mark") and r.get("routing-table", "main") == "main")
        routes.update(**{".id": main_backup[".id"], "distance": 5})
    finally:
        api.close()
    mark = lab.routers["RTR-1"].mark()

    drift = lab.playbook("drift.yml")
    assert drift.returncode != 0, drift.stdout[-6000:]
    assert lab.routers["RTR-1"].writes_since(mark) == []  # check mode wrote nothing
    report = json.loads((lab.workdir / "drift-report.json").read_text())
    assert report["RTR-2"] == {}
    assert set(report["RTR-1"]) == {"dual_isp.mangle", "dual_isp.routes"}, report
    assert any("per-connection-classifier=both-addresses:2/1" in line for line in report["RTR-1"]["dual_isp.mangle"])
    assert any("distance=2" in line for line in report["RTR-1"]["dual_isp.routes"])
    assert "RTR-1 drifted: dual_isp.mangle, dual_isp.routes" in drift.stdout

    repair = lab.playbook("site.yml")
    assert repair.returncode == 0, repair.stdout[-6000:]
    assert recap(repair)["RTR-2"]["changed"] == 0
    assert_paper_configuration(lab)
    after = lab.playbook("drift.yml")
    assert after.returncode == 0, after.stdout[-6000:]


def test_bad_role_input_fails_before_any_router_is_touched(lab: Lab) -> None:
    marks = {name: router.mark() for name, router in lab.routers.items()}
    bad_input = {"dual_isp_load_balancing": "round-robin", "subscriber_access_bridge_ports": "ether3"}
    run = lab.playbook("site.yml", "-e", json.dumps(bad_input))
    assert run.returncode != 0
    assert "dual_isp_load_balancing" in run.stdout or "subscriber_access_bridge_ports" in run.stdout, run.stdout[-4000:]
    for name, router in lab.routers.items():
        assert router.writes_since(marks[name]) == []


def test_switching_the_load_balancing_method_leaves_no_stale_rules(lab: Lab) -> None:
    """PCC, then NTH: the PCC rules go (the role owns the rules whose comment starts with
    "dual_isp:"), a rule added by hand stays; back to PCC, the paper's configuration again."""
    assert lab.playbook("site.yml").returncode == 0
    api = lab.api("RTR-1")
    try:
        api.path("ip", "firewall", "mangle").add(chain="forward", action="accept", comment="by hand")
    finally:
        api.close()

    def mangle(name: str) -> list[dict[str, Any]]:
        return [r for r in lab.routers[name].print("/ip/firewall/mangle") if r.get("dynamic") != "true"]

    nth = lab.playbook("site.yml", "-e", "dual_isp_load_balancing=nth")
    assert nth.returncode == 0, nth.stdout[-6000:]
    for name in ROUTERS:
        rules = mangle(name)
        assert not [r for r in rules if r.get("per-connection-classifier")], (name, rules)
        assert [r for r in rules if r.get("nth")], (name, rules)
    assert [r["comment"] for r in mangle("RTR-1") if not r["comment"].startswith("dual_isp:")] == ["by hand"]
    again = lab.playbook("site.yml", "-e", "dual_isp_load_balancing=nth")
    assert all(counts["changed"] == 0 for counts in recap(again).values()), changed_tasks(again)

    back = lab.playbook("site.yml")
    assert back.returncode == 0, back.stdout[-6000:]
    assert not [r for name in ROUTERS for r in mangle(name) if r.get("nth")]
    assert_paper_configuration(lab)
