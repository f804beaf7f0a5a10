"""/interface (the view over every kind), /interface/ethernet, bridge, bridge/port, vlan and
the pppoe-server bindings, driven by librouteros."""
from __future__ import annotations

import pytest
from librouteros.exceptions import TrapError
from librouteros.query import Key

from conftest import PASSWORD, VERSIONS, connect
from helpers import by_name, refused, v7
from ros_emulator import start_router


# ---- /interface ----------------------------------------------------------------------------------

def test_interface_lists_every_kind(router, api):
    api.path("interface", "bridge").add(name="lan")
    api.path("interface", "vlan").add(name="vlan10", interface="ether1", **{"vlan-id": 10})
    api.path("interface", "pppoe-server").add(name="pppoe-in1")
    rows = list(api.path("interface"))
    kinds = {row["name"]: row["type"] for row in rows}
    assert kinds == {**{f"ether{n}": "ether" for n in range(1, 9)}, "lan": "bridge", "vlan10": "vlan",
                     "pppoe-in1": "pppoe-in"}
    ether1 = by_name(rows, "ether1")
    assert ether1["default-name"] == "ether1" and ether1["running"] is True and ether1["disabled"] is False
    assert ether1["mtu"] == 1500 and ether1["dynamic"] is False
    # queries work on the view like on any menu
    vlans = api.path("interface").select(Key("name")).where(Key("type") == "vlan")
    assert [row["name"] for row in vlans] == ["vlan10"]


def test_interface_set_reaches_the_kinds_menu(router, api):
    bridge_id = api.path("interface", "bridge").add(name="lan")
    interfaces = api.path("interface")
    ether3 = by_name(list(interfaces), "ether3")[".id"]
    interfaces.update(**{".id": ether3, "comment": "uplink", "disabled": True})
    interfaces.update(**{".id": bridge_id, "name": "lan-bridge"})
    tuple(interfaces("disable", **{".id": "lan-bridge"}))  # by name
    ether = router.print("/interface/ethernet", name="ether3")[0]
    assert ether["comment"] == "uplink" and ether["disabled"] == "true" and ether["running"] == "false"
    bridge = router.print("/interface/bridge")[0]
    assert bridge["name"] == "lan-bridge" and bridge["disabled"] == "true"
    tuple(interfaces("enable", **{".id": ether3}))
    assert router.print("/interface/ethernet", name="ether3")[0]["disabled"] == "false"


def test_interface_refusals_change_nothing(router, api):
    interfaces = api.path("interface")
    ether2 = by_name(list(interfaces), "ether2")[".id"]
    api.path("interface", "bridge").add(name="lan")
    refused(router, "/interface", lambda: interfaces.update(**{".id": ether2, "name": "ether1"}),
            "failure: already have interface with such name")
    refused(router, "/interface", lambda: interfaces.update(**{".id": ether2, "name": "lan"}),
            "failure: already have interface with such name")
    refused(router, "/interface", lambda: interfaces.update(**{".id": ether2, "disabled": "maybe"}),
            "invalid value for argument disabled")
    refused(router, "/interface", lambda: interfaces.update(**{".id": "nosuch", "comment": "x"}), "no such item")
    refused(router, "/interface", lambda: interfaces.update(**{".id": ether2, "type": "vlan"}), "unknown parameter")
    refused(router, "/interface", lambda: interfaces.add(name="x"), "no such command or directory (add)")
    refused(router, "/interface", lambda: interfaces.remove(ether2), "no such command or directory (remove)")


def test_renaming_an_interface_renames_its_references(router, api):
    bridge_id = api.path("interface", "bridge").add(name="lan")
    ports = api.path("interface", "bridge", "port")
    port_id = ports.add(interface="ether2", bridge="lan")
    api.path("interface", "vlan").add(name="vlan20", interface="ether3", **{"vlan-id": 20})
    api.path("ip", "address").add(address="192.168.88.1/24", interface="lan")
    api.path("ip", "address").add(address="10.20.0.1/24", interface="vlan20")
    route_id = api.path("ip", "route").add(gateway="vlan20", **{"dst-address": "10.30.0.0/24"})

    interfaces = api.path("interface")
    ids = {row["name"]: row[".id"] for row in interfaces}
    interfaces.update(**{".id": ids["ether2"], "name": "lan-port"})
    interfaces.update(**{".id": bridge_id, "name": "bridge-lan"})
    interfaces.update(**{".id": ids["ether3"], "name": "trunk"})
    interfaces.update(**{".id": ids["vlan20"], "name": "vlan-guest"})

    port = router.print("/interface/bridge/port", **{".id": port_id})[0]
    assert (port["interface"], port["bridge"]) == ("lan-port", "bridge-lan")
    assert router.print("/interface/vlan")[0]["interface"] == "trunk"
    assert {a["address"]: a["interface"] for a in router.print("/ip/address")} == {
        "192.168.88.1/24": "bridge-lan", "10.20.0.1/24": "vlan-guest"}
    assert router.print("/ip/route", **{".id": route_id})[0]["gateway"] == "vlan-guest"
    connected = {r["dst-address"]: r["gateway"] for r in router.print("/ip/route", connect="true")}
    assert connected == {"192.168.88.0/24": "bridge-lan", "10.20.0.0/24": "vlan-guest"}


# ---- /interface/ethernet -------------------------------------------------------------------------

def test_ethernet_fixed_ports_with_defaults(router, api):
    rows = list(api.path("interface", "ethernet"))
    assert [row["name"] for row in rows] == [f"ether{n}" for n in range(1, 9)]
    ether1 = rows[0]
    expected = {"name": "ether1", "default-name": "ether1", "mtu": 1500, "l2mtu": 1514, "arp": "enabled",
                "auto-negotiation": True, "loop-protect": "default", "running": True, "disabled": False,
                "dynamic": False}
    if not v7(router):
        expected["speed"] = "1Gbps"
    assert {k: ether1[k] for k in expected} == expected
    assert ether1["mac-address"] == ether1["orig-mac-address"]
    assert len({row["mac-address"] for row in rows}) == 8


@pytest.mark.parametrize("dialect", sorted(VERSIONS))
def test_ethernet_port_count_is_configurable(dialect):
    handle = start_router(version=VERSIONS[dialect], password=PASSWORD, ether_count=3)
    try:
        api = connect(handle)
        assert [row["name"] for row in api.path("interface", "ethernet")] == ["ether1", "ether2", "ether3"]
        assert [row["name"] for row in api.path("interface")] == ["ether1", "ether2", "ether3"]
        api.close()
    finally:
        handle.stop()


def test_ethernet_refusals_change_nothing(router, api):
    ether = api.path("interface", "ethernet")
    ether1 = next(iter(ether))[".id"]
    refused(router, "/interface/ethernet", lambda: ether.add(name="ether9"), "no such command or directory (add)")
    refused(router, "/interface/ethernet", lambda: ether.remove(ether1), "no such command or directory (remove)")
    refused(router, "/interface/ethernet", lambda: ether.update(**{".id": ether1, "mtu": "big"}),
            "invalid value for argument mtu")
    refused(router, "/interface/ethernet", lambda: ether.update(**{".id": ether1, "arp": "sometimes"}),
            "input does not match any value of arp")
    refused(router, "/interface/ethernet", lambda: ether.update(**{".id": ether1, "name": "ether2"}),
            "failure: already have interface with such name")
    refused(router, "/interface/ethernet", lambda: ether.update(**{".id": ether1, "default-name": "x"}),
            "unknown parameter")
    if v7(router):  # `speed` is a 6.x field
        refused(router, "/interface/ethernet", lambda: ether.update(**{".id": ether1, "speed": "100Mbps"}),
                "unknown parameter")
    else:
        ether.update(**{".id": ether1, "speed": "100Mbps"})
        assert router.print("/interface/ethernet", name="ether1")[0]["speed"] == "100Mbps"


# ---- /interface/bridge -----------------------------------------------------------------------------

def test_bridge_add_with_required_fields_prints_defaults(router, api):
    bridges = api.path("interface", "bridge")
    entry_id = bridges.add()
    [row] = router.print("/interface/bridge")
    expected = {
        ".id": entry_id, "name": "bridge1", "mtu": "auto", "actual-mtu": "1500", "l2mtu": "65535",
        "arp": "enabled", "arp-timeout": "auto", "mac-address": row["mac-address"], "protocol-mode": "rstp",
        "fast-forward": "true", "igmp-snooping": "false", "auto-mac": "true", "ageing-time": "5m",
        "priority": "0x8000", "vlan-filtering": "false", "dhcp-snooping": "false", "running": "true",
        "disabled": "false", "dynamic": "false",
    }
    if v7(router):
        expected["port-cost-mode"] = "long"
    assert row == expected
    second = bridges.add()
    assert router.print("/interface/bridge", **{".id": second})[0]["name"] == "bridge2"
    bridges.update(**{".id": second, "ageing-time": "00:10:00", "vlan-filtering": True})
    row = router.print("/interface/bridge", **{".id": second})[0]
    assert (row["ageing-time"], row["vlan-filtering"]) == ("10m", "true")


def test_bridge_refusals_change_nothing(router, api):
    bridges = api.path("interface", "bridge")
    bridges.add(name="lan")
    refused(router, "/interface/bridge", lambda: bridges.add(name="lan"),
            "failure: already have interface with such name")
    refused(router, "/interface/bridge", lambda: bridges.add(name="ether1"),
            "failure: already have interface with such name")
    refused(router, "/interface/bridge", lambda: bridges.add(name="b2", **{"protocol-mode": "best"}),
            "input does not match any value of protocol-mode")
    refused(router, "/interface/bridge", lambda: bridges.add(name="b2", **{"ageing-time": "later"}),
            "invalid value for argument ageing-time")
    if not v7(router):
        refused(router, "/interface/bridge", lambda: bridges.add(name="b2", **{"port-cost-mode": "short"}),
                "unknown parameter")


# ---- /interface/bridge/port --------------------------------------------------------------------------

def test_bridge_port_add_with_required_fields_prints_defaults(router, api):
    api.path("interface", "bridge").add(name="lan")
    ports = api.path("interface", "bridge", "port")
    entry_id = ports.add(interface="ether2", bridge="lan")
    [row] = router.print("/interface/bridge/port")
    expected = {
        ".id": entry_id, "interface": "ether2", "bridge": "lan", "pvid": "1", "priority": "0x80",
        "path-cost": "10", "horizon": "none", "edge": "auto", "point-to-point": "auto", "learn": "auto",
        "hw": "true", "frame-types": "admit-all", "status": "in-bridge", "inactive": "false",
        "disabled": "false", "dynamic": "false",
    }
    if v7(router):
        expected["internal-path-cost"] = "10"
    assert row == expected


def test_bridge_port_refusals_change_nothing(router, api):
    bridges = api.path("interface", "bridge")
    lan = bridges.add(name="lan")
    bridges.add(name="guest")
    ports = api.path("interface", "bridge", "port")
    ports.add(interface="ether2", bridge="lan")
    refused(router, "/interface/bridge/port", lambda: ports.add(interface="ether3"),
            "missing value(s) of argument(s) bridge")
    refused(router, "/interface/bridge/port", lambda: ports.add(bridge="lan"),
            "missing value(s) of argument(s) interface")
    refused(router, "/interface/bridge/port", lambda: ports.add(interface="ether2", bridge="guest"),
            "failure: device already added as bridge port")
    refused(router, "/interface/bridge/port", lambda: ports.add(interface="ether3", bridge="nosuch"),
            "input does not match any value of bridge")
    refused(router, "/interface/bridge/port", lambda: ports.add(interface="ether33", bridge="lan"),
            "input does not match any value of interface")
    refused(router, "/interface/bridge/port", lambda: ports.add(interface="ether3", bridge="lan", pvid=5000),
            "value of pvid out of range (1..4094)")
    if not v7(router):
        refused(router, "/interface/bridge/port",
                lambda: ports.add(interface="ether3", bridge="lan", **{"internal-path-cost": 10}),
                "unknown parameter")
    # a bridge with ports cannot be removed while they reference it
    refused(router, "/interface/bridge", lambda: bridges.remove(lan),
            f"failure: port {router.print('/interface/bridge/port')[0]['.id']} is using this item")
    ports.remove(router.print("/interface/bridge/port")[0][".id"])
    bridges.remove(lan)
    assert [row["name"] for row in bridges] == ["guest"]


# ---- /interface/vlan -----------------------------------------------------------------------------------

def test_vlan_add_with_required_fields_prints_defaults(router, api):
    vlans = api.path("interface", "vlan")
    entry_id = vlans.add(name="vlan10", interface="ether1", **{"vlan-id": 10})
    assert router.print("/interface/vlan") == [{
        ".id": entry_id, "name": "vlan10", "vlan-id": "10", "interface": "ether1", "mtu": "1500",
        "arp": "enabled", "running": "true", "disabled": "false", "dynamic": "false",
    }]


def test_vlan_refusals_change_nothing(router, api):
    vlans = api.path("interface", "vlan")
    vlans.add(name="vlan10", interface="ether1", **{"vlan-id": 10})
    refused(router, "/interface/vlan", lambda: vlans.add(name="vlan11", interface="ether1", **{"vlan-id": 4096}),
            "value of vlan-id out of range (1..4095)")
    refused(router, "/interface/vlan", lambda: vlans.add(name="vlan11", interface="nosuch", **{"vlan-id": 11}),
            "input does not match any value of interface")
    refused(router, "/interface/vlan", lambda: vlans.add(name="vlan10", interface="ether2", **{"vlan-id": 10}),
            "failure: already have interface with such name")
    refused(router, "/interface/vlan", lambda: vlans.add(name="other", interface="ether1", **{"vlan-id": 10}),
            "failure: vlan with such id already exists on this interface")
    refused(router, "/interface/vlan", lambda: vlans.add(interface="ether1", **{"vlan-id": 12}),
            "missing value(s) of argument(s) name")
    # the interface a vlan rides on cannot be removed under it
    bridge = api.path("interface", "bridge").add(name="trunk")
    vlans.add(name="vlan30", interface="trunk", **{"vlan-id": 30})
    with pytest.raises(TrapError):
        api.path("interface", "bridge").remove(bridge)
    assert router.print("/interface/bridge", name="trunk")


# ---- /interface/pppoe-server (static bindings) --------------------------------------------------------

def test_pppoe_server_binding_defaults_and_refusals(router, api):
    bindings = api.path("interface", "pppoe-server")
    entry_id = bindings.add(name="pppoe-alice")
    assert router.print("/interface/pppoe-server") == [{
        ".id": entry_id, "name": "pppoe-alice", "user": "", "service": "", "running": "true",
        "disabled": "false", "dynamic": "false",
    }]
    refused(router, "/interface/pppoe-server", lambda: bindings.add(name="pppoe-alice"),
            "failure: already have interface with such name")
    refused(router, "/interface/pppoe-server", lambda: bindings.add(name="bob", uptime="1s"), "unknown parameter")
