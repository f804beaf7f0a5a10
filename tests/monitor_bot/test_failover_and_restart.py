"""Uplink failover (default routes, netwatch), OSPF neighbours, and a router that goes away and
comes back with changes made while it was down: only real changes are reported, once each."""
from __future__ import annotations

import time

import librouteros
import pytest
from conftest import wait_until
from ros_emulator import start_router


def configure_uplinks(rtr) -> None:
    api = librouteros.connect("127.0.0.1", "admin", "pw", port=rtr.port)
    try:
        api.path("ip", "address").add(address="192.0.2.2/24", interface="ether1")
        api.path("ip", "address").add(address="198.51.100.2/24", interface="ether2")
        routes = api.path("ip", "route")
        routes.add(**{"dst-address": "0.0.0.0/0", "gateway": "192.0.2.1", "check-gateway": "ping", "distance": "1"})
        routes.add(**{"dst-address": "0.0.0.0/0", "gateway": "198.51.100.1", "check-gateway": "ping", "distance": "2"})
        api.path("tool", "netwatch").add(host="192.0.2.1")
    finally:
        api.close()
    rtr.set_gateway_reachable("192.0.2.1", True)  # netwatch's first probe: up


@pytest.mark.parametrize("version", ["7.16.2", "6.49.13"])
def test_default_route_inactive_and_active_again(version, routers, discord, harness):
    rtr = routers("RTR-1", version)
    configure_uplinks(rtr)
    harness.start(harness.write_config([("RTR-1", rtr)], [("noc", discord.url)]))
    harness.wait_connected()
    rtr.set_gateway_reachable("192.0.2.1", False)
    titles = discord.wait_titles(2)
    assert sorted(titles) == ["Uplink down: default route via 192.0.2.1", "Uplink down: netwatch 192.0.2.1"]
    rtr.set_gateway_reachable("192.0.2.1", True)
    titles = discord.wait_titles(4)
    assert sorted(titles[2:]) == ["Uplink restored: default route via 192.0.2.1", "Uplink restored: netwatch 192.0.2.1"]
    down = discord.embeds()[1]
    assert down["color"] == 0xE74C3C
    time.sleep(0.3)
    assert len(discord.titles()) == 4


def test_ospf_neighbour_up_and_down(routers, discord, harness):
    rtr = routers("RTR-1")
    harness.start(harness.write_config([("RTR-1", rtr)], [("noc", discord.url)]))
    harness.wait_connected()
    neighbour = rtr.add_runtime("/routing/ospf/neighbor", instance="default-v2", area="backbone-v2", address="10.1.1.2",
                                router_id="10.255.0.2", interface="ether2", state="Full")
    assert discord.wait_titles(1) == ["OSPF neighbour up: 10.255.0.2"]
    rtr.remove_runtime("/routing/ospf/neighbor", neighbour)
    assert discord.wait_titles(2)[1] == "OSPF neighbour down: 10.255.0.2"


def test_dropped_session_reconnects_without_inventing_anything(routers, discord, harness):
    rtr = routers("RTR-1")
    for n in range(20):
        rtr.add_runtime("/ppp/active", name=f"user{n}", service="pppoe", caller_id=f"02:00:00:00:00:{n:02X}")
    harness.start(harness.write_config([("RTR-1", rtr)], [("noc", discord.url)]))
    harness.wait_connected()
    watcher = harness.bot.watchers[0]
    for round_ in range(3):
        rtr.drop_connections()  # `!fatal`, as when the API service restarts
        wait_until(lambda: watcher.sessions >= round_ + 2 and watcher.connected.is_set())
    session = rtr.add_runtime("/ppp/active", name="late", service="pppoe", caller_id="02:00:00:00:01:00")
    assert discord.wait_titles(1) == ["PPPoE login: late"]
    time.sleep(0.3)
    assert discord.titles() == ["PPPoE login: late"]
    assert discord.titles(include_summary=True).count("Monitoring RTR-1") == 1
    rtr.remove_runtime("/ppp/active", session)
    assert discord.wait_titles(2) == ["PPPoE login: late", "PPPoE logout: late"]


def test_router_restart_with_changes_while_down(tmp_path, discord, harness):
    state = str(tmp_path / "rtr1.state")
    rtr = start_router(identity="RTR-1", version="7.16.2", password="pw", state_file=state)
    try:
        configure_uplinks(rtr)
        rtr.add_runtime("/ppp/active", name="alice", service="pppoe", caller_id="02:00:00:00:00:01", address="10.10.10.2")
        rtr.add_runtime("/ppp/active", name="bob", service="pppoe", caller_id="02:00:00:00:00:02", address="10.10.10.3")
        # reconnects 1 s apart: the changes below are all made before the bot looks again
        harness.start(harness.write_config([("RTR-1", rtr)], [("noc", discord.url)], reconnect_min=1, reconnect_max=1))
        harness.wait_connected()
        port = rtr.port
        rtr.stop()
        assert discord.wait_titles(1) == ["Router unreachable: RTR-1"]
        time.sleep(0.5)
        # back with the same configuration; sessions are runtime state: bob dialled in again, carol
        # is new, alice did not come back, and ISP-1's gateway does not answer any more
        rtr = start_router(identity="RTR-1", version="7.16.2", password="pw", state_file=state, port=port)
        rtr.add_runtime("/ppp/active", name="bob", service="pppoe", caller_id="02:00:00:00:00:02", address="10.10.10.3")
        rtr.add_runtime("/ppp/active", name="carol", service="pppoe", caller_id="02:00:00:00:00:03", address="10.10.10.4")
        rtr.set_gateway_reachable("192.0.2.1", False)
        titles = discord.wait_titles(6)
        assert titles[:2] == ["Router unreachable: RTR-1", "Router reachable again: RTR-1"]
        assert sorted(titles[2:]) == sorted(["PPPoE logout: alice", "PPPoE login: carol",
                                             "Uplink down: default route via 192.0.2.1", "Uplink down: netwatch 192.0.2.1"])
        back = discord.embeds()[2]
        assert "Down for" in {f["name"] for f in back["fields"]}
        assert all("Changed while the bot was disconnected" in e["description"] for e in discord.embeds()[3:])
        time.sleep(0.5)
        assert len(discord.titles()) == 6
    finally:
        rtr.stop()


def test_bot_restart_reports_what_changed_while_it_was_stopped(routers, discord, harness):
    rtr = routers("RTR-1")
    configure_uplinks(rtr)
    alice = rtr.add_runtime("/ppp/active", name="alice", service="pppoe", caller_id="02:00:00:00:00:01",
                            address="10.10.10.2", uptime="5m")
    rtr.add_runtime("/ppp/active", name="bob", service="pppoe", caller_id="02:00:00:00:00:02", address="10.10.10.3")
    config = harness.write_config([("RTR-1", rtr)], [("noc", discord.url)])
    harness.start(config)
    harness.wait_connected()
    wait_until(lambda: discord.titles(include_summary=True) == ["Monitoring RTR-1"])
    harness.stop()  # systemd restarts the bot (an upgrade, a reboot of the server)
    rtr.remove_runtime("/ppp/active", alice)
    rtr.add_runtime("/ppp/active", name="carol", service="pppoe", caller_id="02:00:00:00:00:03", address="10.10.10.4")
    rtr.set_gateway_reachable("192.0.2.1", False)
    harness.start(config)
    harness.wait_connected()
    titles = discord.wait_titles(4)
    assert sorted(titles) == sorted(["PPPoE logout: alice", "PPPoE login: carol",
                                     "Uplink down: default route via 192.0.2.1", "Uplink down: netwatch 192.0.2.1"])
    logout = next(e for e in discord.embeds() if e["title"] == "PPPoE logout: alice")
    assert "Duration" in {f["name"] for f in logout["fields"]}  # from the uptime known before the stop
    assert discord.titles(include_summary=True).count("Monitoring RTR-1") == 2
    time.sleep(0.5)
    assert len(discord.titles()) == 4  # bob, unchanged, is not reported again
    harness.stop()
    harness.start(config)  # a restart with nothing changed reports nothing but the summary
    wait_until(lambda: discord.titles(include_summary=True).count("Monitoring RTR-1") == 3)
    time.sleep(0.5)
    assert len(discord.titles()) == 4


def test_unreadable_saved_state_starts_fresh(routers, discord, harness, tmp_path):
    rtr = routers("RTR-1")
    rtr.add_runtime("/ppp/active", name="bob", service="pppoe", caller_id="02:00:00:00:00:02", address="10.10.10.3")
    (tmp_path / "state" / "routers").mkdir(parents=True)
    (tmp_path / "state" / "routers" / "RTR-1.json").write_text("{not json")
    harness.start(harness.write_config([("RTR-1", rtr)], [("noc", discord.url)]))
    harness.wait_connected()
    wait_until(lambda: discord.titles(include_summary=True) == ["Monitoring RTR-1"])
    time.sleep(0.3)
    assert discord.titles() == []  # no invented login for bob
