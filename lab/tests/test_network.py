"""The lab's network (network.py) through real librouteros clients, on both dialects: links and
ISPs going down and up, DHCP leases from the ISPs, check-gateway and netwatch following what
answers, OSPF neighbours and routes, the control operations in-process and over the socket."""
from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import librouteros
import pytest

from conftest import VERSIONS
from helpers import one, rows
from ros_emulator import network
from ros_emulator.control import ControlClient, ControlError
from ros_emulator.lab import Lab, Topology, start_lab

PASSWORD = "pw"
ROOT = Path(__file__).resolve().parents[2]

# The paper's two routers: an ISP each on ether1, the interconnect on ether2, a subscriber bridge.
TOPOLOGY = {
    "defaults": {"user": "admin", "password": PASSWORD},
    "routers": {"RTR-1": {}, "RTR-2": {}},
    "segments": {
        "isp1": ["RTR-1:ether1"],
        "isp2": ["RTR-2:ether1"],
        "interconnect": ["RTR-1:ether2", "RTR-2:ether2"],
        "subscribers-1": ["RTR-1:ether3", "RTR-1:ether4"],
        "nowhere": ["RTR-2:ether6"],
    },
    "isps": {
        "ISP1": {"segment": "isp1", "network": "192.0.2.0/24", "gateway": "192.0.2.1", "dns": ["192.0.2.53"]},
        "ISP2": {"segment": "isp2", "network": "198.51.100.0/24", "gateway": "198.51.100.1"},
    },
}


@pytest.fixture(params=sorted(VERSIONS))
def lab(request, tmp_path):
    handle = start_lab(TOPOLOGY, str(tmp_path / "state"), version=VERSIONS[request.param])
    yield handle
    handle.stop()


@pytest.fixture
def apis(lab):
    clients = {name: librouteros.connect("127.0.0.1", "admin", PASSWORD, port=handle.port)
               for name, handle in lab.routers.items()}
    yield clients
    for client in clients.values():
        client.close()


def v6(lab) -> bool:
    return lab.routers["RTR-1"].router.dialect == "v6"


def add(api, path: str, **values: str) -> str:
    return api.path(*path.strip("/").split("/")).add(**{k.replace("_", "-"): v for k, v in values.items()})


def route(api, **query: str) -> dict:
    return one(rows(api, "/ip/route"), **{k.replace("_", "-"): v for k, v in query.items()})


def active(api, **query: str) -> bool:
    return route(api, **query)["active"]


def running(api, name: str) -> bool:
    return one(rows(api, "/interface"), name=name)["running"]


def dhcp_client(lab, api, interface: str = "ether1", **values: str) -> dict:
    """Add a DHCP client (enabled on both dialects) and return its printed row."""
    add(api, "/ip/dhcp-client", interface=interface, disabled="no", **values)
    return one(rows(api, "/ip/dhcp-client"), interface=interface)


def interconnect(apis) -> None:
    add(apis["RTR-1"], "/ip/address", address="10.1.1.1/30", interface="ether2")
    add(apis["RTR-2"], "/ip/address", address="10.1.1.2/30", interface="ether2")


def uplinks(apis) -> None:
    """Static uplinks as the lab inventory has them, and RTR-1's failover over the interconnect."""
    add(apis["RTR-1"], "/ip/address", address="192.0.2.2/24", interface="ether1")
    add(apis["RTR-2"], "/ip/address", address="198.51.100.2/24", interface="ether1")
    interconnect(apis)
    add(apis["RTR-1"], "/ip/route", gateway="192.0.2.1", check_gateway="ping", distance="1")
    add(apis["RTR-1"], "/ip/route", gateway="10.1.1.2", check_gateway="ping", distance="2")
    add(apis["RTR-2"], "/ip/route", gateway="198.51.100.1", check_gateway="ping", distance="1")


# ---- the topology's isps section ---------------------------------------------------------------

def topology_with(**isp1) -> dict:
    data = copy.deepcopy(TOPOLOGY)
    data["isps"]["ISP1"] = {**data["isps"]["ISP1"], **isp1}
    return data


@pytest.mark.parametrize("change, message", [
    ({"segment": "isp9"}, "isps: ISP1: segment 'isp9' is not a segment of the topology"),
    ({"segment": "isp2"}, "isps: ISP2: segment 'isp2' already has ISP ISP1"),
    ({"gateway": "203.0.113.1"}, "isps: ISP1: gateway 203.0.113.1 is not a host address of network 192.0.2.0/24"),
    ({"gateway": "192.0.2.0"}, "isps: ISP1: gateway 192.0.2.0 is not a host address of network 192.0.2.0/24"),
    ({"gateway": "gw"}, "isps: ISP1: gateway 'gw' is not an IPv4 address"),
    ({"network": "192.0.2.1/24"}, "isps: ISP1: network '192.0.2.1/24' is not an IPv4 network address"),
    ({"network": None}, "isps: ISP1: missing network"),
    ({"dns": ["resolver"]}, "isps: ISP1: dns ['resolver'] is not a list of IPv4 addresses"),
    ({"vlan": 10}, "isps: ISP1: unknown option 'vlan'; options: segment, network, gateway, dns"),
])
def test_bad_isps_are_refused_before_any_router_starts(tmp_path, change, message):
    topology = Topology.from_data(topology_with(**change))
    with pytest.raises(ValueError) as info:
        Lab(topology, str(tmp_path))
    assert str(info.value).startswith(message)
    assert not (tmp_path / "control.sock").exists()


@pytest.mark.parametrize("port, message", [
    ("RTR-1:ether9", "segment isp1: RTR-1:ether9 is not a port of RTR-1 (ether1..ether8)"),
    ("RTR-1:bridge1", "segment isp1: RTR-1:bridge1 is not a port of RTR-1 (ether1..ether8)"),
    ("RTR-1:ether2", "segment interconnect: RTR-1:ether2 is already cabled to segment isp1"),
])
def test_ports_must_be_ethernet_ports_cabled_once(port, message):
    data = copy.deepcopy(TOPOLOGY)
    data["segments"]["isp1"] = [port]
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        network.Network.from_topology(Topology.from_data(data))


def test_the_lab_inventory_has_both_isps_on_its_uplink_segments():
    topology = Topology.load(str(ROOT / "inventories" / "lab" / "topology.yml"))
    isps = network.Network.from_topology(topology).isps
    assert {name: (isp.segment, str(isp.gateway)) for name, isp in isps.items()} == {
        "ISP1": ("isp1", "192.0.2.1"), "ISP2": ("isp2", "198.51.100.1")}


# ---- control operations ------------------------------------------------------------------------

def test_links_lists_segments_and_isps(lab):
    state = lab.control("links")
    assert state["segments"]["interconnect"] == {"state": "up", "ports": ["RTR-1:ether2", "RTR-2:ether2"]}
    assert state["isps"]["ISP1"] == {"state": "up", "segment": "isp1", "link": "up", "network": "192.0.2.0/24",
                                     "gateway": "192.0.2.1", "leases": {}}
    lab.control("link", segment="isp1", state="down")
    lab.control("isp", name="ISP2", state="down")
    state = lab.control("links")
    assert state["segments"]["isp1"]["state"] == "down" and state["isps"]["ISP1"]["link"] == "down"
    assert state["isps"]["ISP2"]["state"] == "down" and state["segments"]["isp2"]["state"] == "up"


@pytest.mark.parametrize("op, arguments, message", [
    ("link", {"segment": "isp9", "state": "down"}, "segment: unknown segment 'isp9'; segments: interconnect, isp1,"),
    ("link", {"segment": "isp1", "state": "off"}, "state: must be up or down, not 'off'"),
    ("isp", {"name": "ISP9", "state": "down"}, "name: unknown ISP 'ISP9'; ISPs: ISP1, ISP2"),
    ("isp", {"name": "ISP1", "state": ""}, "state: must be up or down, not ''"),
    ("link", {"segment": "isp1"}, "link: missing a required argument: 'state'"),
])
def test_bad_requests_name_the_option_and_change_nothing(lab, op, arguments, message):
    before = lab.control("links")
    with pytest.raises(ControlError) as info:
        lab.control(op, **arguments)
    assert str(info.value).startswith(message)
    assert lab.control("links") == before


def test_link_and_isp_over_the_unix_socket_and_ctl(lab, apis, tmp_path):
    uplinks(apis)
    state = str(tmp_path / "state")
    with ControlClient(state) as client:
        assert client.call("link", segment="isp1", state="down")["state"] == "down"
        assert not running(apis["RTR-1"], "ether1")
        assert client.call("links")["segments"]["isp1"]["state"] == "down"
        assert client.call("link", segment="isp1", state="up") == {
            "segment": "isp1", "state": "up", "ports": ["RTR-1:ether1"]}
    ran = subprocess.run([sys.executable, "-m", "ros_emulator", "ctl", "--state-dir", state, "isp", "name=ISP1",
                          "state=down"], capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["state"] == "down"
    assert not active(apis["RTR-1"], gateway="192.0.2.1")
    assert active(apis["RTR-1"], gateway="10.1.1.2")


# ---- links: carrier ----------------------------------------------------------------------------

def test_link_down_takes_carrier_from_both_ends_and_routes_through_it(lab, apis):
    uplinks(apis)
    add(apis["RTR-1"], "/interface/bridge", name="subscribers")
    for port in ("ether3", "ether4"):
        add(apis["RTR-1"], "/interface/bridge/port", bridge="subscribers", interface=port)
    add(apis["RTR-1"], "/ip/address", address="10.10.10.1/24", interface="subscribers")
    rtr1, rtr2 = apis["RTR-1"], apis["RTR-2"]
    assert active(rtr1, gateway="192.0.2.1") and not active(rtr1, gateway="10.1.1.2")

    lab.control("link", segment="isp1", state="down")
    assert not running(rtr1, "ether1") and running(rtr1, "ether2")
    connected = route(rtr1, dst_address="192.0.2.0/24")
    assert not connected["active"]
    uplink = route(rtr1, gateway="192.0.2.1")
    assert not uplink["active"]
    if v6(lab):
        assert connected["gateway-status"] == "ether1 unreachable"
        assert uplink["gateway-status"] == "192.0.2.1 unreachable"
    else:
        assert connected["inactive"] and uplink["inactive"] and uplink["immediate-gw"] == ""
    assert active(rtr1, gateway="10.1.1.2")  # the backup through RTR-2 takes over
    assert any(entry["message"] == "ether1 link down" for entry in rows(rtr1, "/log"))

    lab.control("link", segment="interconnect", state="down")
    assert not running(rtr1, "ether2") and not running(rtr2, "ether2")
    assert not active(rtr1, gateway="10.1.1.2")

    lab.control("link", segment="subscribers-1", state="down")
    assert not running(rtr1, "subscribers")  # every port of the bridge lost carrier
    assert not active(rtr1, dst_address="10.10.10.0/24")

    for segment in ("isp1", "interconnect", "subscribers-1"):
        lab.control("link", segment=segment, state="up")
    assert running(rtr1, "ether1") and running(rtr1, "subscribers") and running(rtr2, "ether2")
    assert active(rtr1, gateway="192.0.2.1") and active(rtr1, dst_address="10.10.10.0/24")
    assert any(entry["message"] == "ether1 link up" for entry in rows(rtr1, "/log"))


def test_a_bridge_runs_while_one_of_its_ports_has_carrier(lab, apis):
    rtr1 = apis["RTR-1"]
    add(rtr1, "/interface/bridge", name="mixed")
    add(rtr1, "/interface/bridge/port", bridge="mixed", interface="ether3")  # subscribers-1
    add(rtr1, "/interface/bridge/port", bridge="mixed", interface="ether1")  # isp1
    lab.control("link", segment="isp1", state="down")
    assert running(rtr1, "mixed")
    lab.control("link", segment="subscribers-1", state="down")
    assert not running(rtr1, "mixed")


def test_vlans_follow_their_port_and_meet_the_same_vlan_only(lab, apis):
    add(apis["RTR-1"], "/interface/vlan", name="v10", vlan_id="10", interface="ether2")
    add(apis["RTR-2"], "/interface/vlan", name="v10", vlan_id="10", interface="ether2")
    add(apis["RTR-2"], "/interface/vlan", name="v20", vlan_id="20", interface="ether2")
    add(apis["RTR-1"], "/ip/address", address="10.2.0.1/24", interface="v10")
    add(apis["RTR-2"], "/ip/address", address="10.2.0.2/24", interface="v10")
    add(apis["RTR-2"], "/ip/address", address="10.3.0.2/24", interface="v20")
    assert network.owner_of(lab.lab, "RTR-1", "10.2.0.2") == ("RTR-2", "v10")
    assert network.owner_of(lab.lab, "RTR-1", "10.3.0.2") is None  # another VLAN
    lab.control("link", segment="interconnect", state="down")
    assert not running(apis["RTR-1"], "v10")
    assert network.owner_of(lab.lab, "RTR-1", "10.2.0.2") is None


# ---- DHCP from the ISPs ------------------------------------------------------------------------

def test_dhcp_client_on_an_isp_segment_is_bound_with_a_default_route(lab, apis):
    rtr1 = apis["RTR-1"]
    client = dhcp_client(lab, rtr1, default_route_distance="3")
    assert (client["status"], client["address"], client["gateway"]) == ("bound", "192.0.2.2/24", "192.0.2.1")
    assert client["primary-dns"] == "192.0.2.53"
    assert one(rows(rtr1, "/ip/address"), address="192.0.2.2/24")["dynamic"]
    default = route(rtr1, dst_address="0.0.0.0/0")
    assert default["dynamic"] and default["active"] and default["distance"] == 3
    assert default["gateway"] == "192.0.2.1"
    assert rows(rtr1, "/ip/dns")[0]["dynamic-servers"] == "192.0.2.53"
    assert lab.control("links")["isps"]["ISP1"]["leases"] == {"RTR-1": ["192.0.2.2"]}
    assert lab.routers["RTR-1"].writes()[-1].command == "/ip/dhcp-client/add"  # the lease is no client write


def test_dhcp_lease_lost_with_the_link_and_the_same_address_when_it_returns(lab, apis):
    rtr1 = apis["RTR-1"]
    dhcp_client(lab, rtr1)
    lab.control("link", segment="isp1", state="down")
    client = one(rows(rtr1, "/ip/dhcp-client"), interface="ether1")
    assert client["status"] == "searching..." and "address" not in client
    assert not [r for r in rows(rtr1, "/ip/route") if r["dst-address"] == "0.0.0.0/0"]
    assert not [a for a in rows(rtr1, "/ip/address") if a["interface"] == "ether1"]
    lab.control("link", segment="isp1", state="up")
    client = one(rows(rtr1, "/ip/dhcp-client"), interface="ether1")
    assert (client["status"], client["address"]) == ("bound", "192.0.2.2/24")
    assert active(rtr1, dst_address="0.0.0.0/0")


def test_dhcp_addresses_skip_static_ones_and_other_clients(tmp_path):
    data = copy.deepcopy(TOPOLOGY)
    data["segments"]["isp1"] = ["RTR-1:ether1", "RTR-2:ether7", "RTR-2:ether8"]
    handle = start_lab(data, str(tmp_path), version=VERSIONS["v7"])
    try:
        rtr1 = librouteros.connect("127.0.0.1", "admin", PASSWORD, port=handle.routers["RTR-1"].port)
        rtr2 = librouteros.connect("127.0.0.1", "admin", PASSWORD, port=handle.routers["RTR-2"].port)
        add(rtr1, "/ip/address", address="192.0.2.2/24", interface="ether1")
        add(rtr2, "/ip/dhcp-client", interface="ether7")
        add(rtr2, "/ip/dhcp-client", interface="ether8", add_default_route="no")
        clients = {c["interface"]: c["address"] for c in rows(rtr2, "/ip/dhcp-client")}
        assert clients == {"ether7": "192.0.2.3/24", "ether8": "192.0.2.4/24"}
        assert [r["gateway"] for r in rows(rtr2, "/ip/route") if r["dst-address"] == "0.0.0.0/0"] == ["192.0.2.1"]
        rtr1.close()
        rtr2.close()
    finally:
        handle.stop()


def test_no_isp_no_lease_and_a_down_isp_gives_none_but_keeps_what_it_gave(lab, apis):
    rtr1, rtr2 = apis["RTR-1"], apis["RTR-2"]
    assert dhcp_client(lab, rtr2, interface="ether2")["status"] == "searching..."  # interconnect: no ISP
    assert dhcp_client(lab, rtr2, interface="ether6")["status"] == "searching..."  # a segment without ISP
    lab.control("isp", name="ISP1", state="down")
    assert dhcp_client(lab, rtr1)["status"] == "searching..."
    lab.control("isp", name="ISP1", state="up")
    assert one(rows(rtr1, "/ip/dhcp-client"), interface="ether1")["status"] == "bound"
    lab.control("isp", name="ISP1", state="down")
    client = one(rows(rtr1, "/ip/dhcp-client"), interface="ether1")
    assert (client["status"], client["address"]) == ("bound", "192.0.2.2/24")  # leases outlive a silent ISP


def test_disabled_client_releases_and_enabled_again_binds(lab, apis):
    rtr1 = apis["RTR-1"]
    client = dhcp_client(lab, rtr1)
    rtr1.path("ip", "dhcp-client").update(**{".id": client[".id"], "disabled": "yes"})
    assert one(rows(rtr1, "/ip/dhcp-client"), interface="ether1")["status"] == "stopped"
    rtr1.path("ip", "dhcp-client").update(**{".id": client[".id"], "disabled": "no"})
    assert one(rows(rtr1, "/ip/dhcp-client"), interface="ether1")["address"] == "192.0.2.2/24"


# ---- pings: check-gateway and netwatch ---------------------------------------------------------

def test_isp_down_fails_check_gateway_only_and_distance_picks_the_other(lab, apis):
    uplinks(apis)
    rtr1 = apis["RTR-1"]
    unchecked = add(rtr1, "/ip/route", dst_address="203.0.113.0/24", gateway="192.0.2.1")
    lab.control("isp", name="ISP1", state="down")
    assert running(rtr1, "ether1") and active(rtr1, dst_address="192.0.2.0/24")  # carrier stays
    assert not active(rtr1, gateway="192.0.2.1", dst_address="0.0.0.0/0")
    assert active(rtr1, gateway="10.1.1.2")
    assert route(rtr1, **{".id": unchecked})["active"]  # without check-gateway nothing notices
    if v6(lab):
        assert route(rtr1, gateway="192.0.2.1", dst_address="0.0.0.0/0")["gateway-status"] == "192.0.2.1 unreachable"
    lab.control("isp", name="ISP1", state="up")
    assert active(rtr1, gateway="192.0.2.1", dst_address="0.0.0.0/0") and not active(rtr1, gateway="10.1.1.2")


def test_routing_marks_and_tables_fail_over_on_their_own(lab, apis):
    uplinks(apis)
    rtr1 = apis["RTR-1"]
    if v6(lab):
        table = {"routing_mark": "to-ISP1"}
    else:
        add(rtr1, "/routing/table", name="to-ISP1", fib="")
        table = {"routing_table": "to-ISP1"}
    first = add(rtr1, "/ip/route", gateway="192.0.2.1", check_gateway="ping", distance="1", **table)
    backup = add(rtr1, "/ip/route", gateway="10.1.1.2", check_gateway="ping", distance="2", **table)
    assert route(rtr1, **{".id": first})["active"] and not route(rtr1, **{".id": backup})["active"]
    lab.control("isp", name="ISP1", state="down")
    assert not route(rtr1, **{".id": first})["active"] and route(rtr1, **{".id": backup})["active"]
    assert all(r["active"] for r in rows(rtr1, "/ip/route") if r["gateway"] == "10.1.1.2")  # main table too


def test_a_gateway_on_the_other_router_answers_while_it_holds_the_address(lab, apis):
    rtr1, rtr2 = apis["RTR-1"], apis["RTR-2"]
    add(rtr1, "/ip/address", address="10.1.1.1/30", interface="ether2")
    add(rtr1, "/ip/route", gateway="10.1.1.2", check_gateway="ping")
    assert not active(rtr1, gateway="10.1.1.2")  # nobody has 10.1.1.2 yet
    address = add(rtr2, "/ip/address", address="10.1.1.2/30", interface="ether2")
    assert active(rtr1, gateway="10.1.1.2")
    rtr2.path("ip", "address").update(**{".id": address, "address": "10.1.1.3/30"})
    assert not active(rtr1, gateway="10.1.1.2")
    rtr2.path("ip", "address").update(**{".id": address, "address": "10.1.1.2/30", "disabled": "yes"})
    assert not active(rtr1, gateway="10.1.1.2")
    rtr2.path("ip", "address").update(**{".id": address, "disabled": "no"})
    assert active(rtr1, gateway="10.1.1.2")


def test_gateways_off_the_lab_answer_and_set_gateway_reachable_still_overrides(lab, apis):
    rtr2 = apis["RTR-2"]
    add(rtr2, "/ip/address", address="172.16.0.1/24", interface="ether5")  # ether5 of RTR-2: no segment
    add(rtr2, "/ip/route", dst_address="172.17.0.0/16", gateway="172.16.0.254", check_gateway="ping")
    assert active(rtr2, gateway="172.16.0.254")
    lab.routers["RTR-2"].set_gateway_reachable("172.16.0.254", False)
    assert not active(rtr2, gateway="172.16.0.254")
    lab.routers["RTR-2"].set_gateway_reachable("172.16.0.254", True)
    assert active(rtr2, gateway="172.16.0.254")


def test_netwatch_follows_isps_and_the_path_to_internet_hosts(lab, apis):
    uplinks(apis)
    rtr1 = apis["RTR-1"]
    add(rtr1, "/tool/netwatch", host="192.0.2.1")
    add(rtr1, "/tool/netwatch", host="8.8.8.8")
    add(rtr1, "/tool/netwatch", host="10.1.1.2")

    def status() -> dict[str, str]:
        return {row["host"]: row["status"] for row in rows(rtr1, "/tool/netwatch")}

    assert status() == {"192.0.2.1": "up", "8.8.8.8": "up", "10.1.1.2": "up"}
    lab.control("isp", name="ISP1", state="down")  # 8.8.8.8 now through RTR-2 and ISP2
    assert status() == {"192.0.2.1": "down", "8.8.8.8": "up", "10.1.1.2": "up"}
    lab.control("isp", name="ISP2", state="down")
    assert status() == {"192.0.2.1": "down", "8.8.8.8": "down", "10.1.1.2": "up"}
    lab.control("link", segment="interconnect", state="down")
    assert status() == {"192.0.2.1": "down", "8.8.8.8": "down", "10.1.1.2": "down"}
    lab.control("link", segment="interconnect", state="up")
    lab.control("isp", name="ISP1", state="up")
    lab.control("isp", name="ISP2", state="up")
    assert status() == {"192.0.2.1": "up", "8.8.8.8": "up", "10.1.1.2": "up"}


def test_lookups(lab, apis):
    uplinks(apis)
    handle = lab.lab
    assert network.segment_of(handle, "RTR-1", "ether2") == "interconnect"
    assert network.segment_of(handle, "RTR-1", "ether7") is None
    assert network.link_up(handle, "isp1")
    assert network.owner_of(handle, "RTR-1", "10.1.1.2") == ("RTR-2", "ether2")
    assert network.owner_of(handle, "RTR-1", "10.1.1.1") is None  # its own, not another router's
    assert network.isp_of(handle, "RTR-1", "192.0.2.1") == "ISP1"
    assert network.isp_of(handle, "RTR-1", "198.51.100.1") is None  # not on ISP2's segment
    assert network.reachable(handle, "RTR-1", "8.8.8.8")
    lab.control("link", segment="isp1", state="down")
    assert not network.link_up(handle, "isp1")
    assert network.isp_of(handle, "RTR-1", "192.0.2.1") is None
    assert not network.reachable(handle, "RTR-1", "192.0.2.1")
    lab.control("link", segment="interconnect", state="down")
    assert network.owner_of(handle, "RTR-1", "10.1.1.2") is None
    with pytest.raises(ValueError, match="unknown segment 'isp9'"):
        network.link_up(handle, "isp9")


# ---- recursive gateways: nexthop lookup through other routes -------------------------------------

def where(lab, api, route_id: str) -> tuple[bool, str]:
    """(active, where the route leads as the dialect prints it: 6.x gateway-status, 7.x immediate-gw)."""
    row = route(api, **{".id": route_id})
    return row["active"], row["gateway-status"] if v6(lab) else row["immediate-gw"]


def resolved(lab, gateway: str, immediate: str, interface: str) -> tuple[bool, str]:
    """What an active route prints when its gateway was looked up through another route."""
    return True, f"{gateway} recursive via {immediate} {interface}" if v6(lab) else f"{immediate}%{interface}"


def unresolved(lab, gateway: str) -> tuple[bool, str]:
    return False, f"{gateway} unreachable" if v6(lab) else ""


def set_route(api, route_id: str, **values: str) -> None:
    api.path("ip", "route").update(**{".id": route_id, **{k.replace("_", "-"): v for k, v in values.items()}})


def test_a_recursive_gateway_is_checked_beyond_the_other_router(lab, apis):
    """RTR-2 checks ISP1's gateway through RTR-1 (a host route over the interconnect, scope 10, and
    a route to that host, target-scope 11): the ping crosses RTR-1, so cutting ISP1 behind RTR-1
    fails the check, where checking RTR-1 itself notices nothing."""
    uplinks(apis)
    rtr2 = apis["RTR-2"]
    add(rtr2, "/ip/route", dst_address="192.0.2.1/32", gateway="10.1.1.1", scope="10")
    recursive = add(rtr2, "/ip/route", dst_address="203.0.113.0/24", gateway="192.0.2.1", target_scope="11",
                    check_gateway="ping")
    neighbour = add(rtr2, "/ip/route", dst_address="198.18.0.0/15", gateway="10.1.1.1", check_gateway="ping")
    assert where(lab, rtr2, recursive) == resolved(lab, "192.0.2.1", "10.1.1.1", "ether2")
    for op, arguments in (("isp", {"name": "ISP1"}), ("link", {"segment": "isp1"})):
        lab.control(op, state="down", **arguments)
        assert where(lab, rtr2, recursive) == unresolved(lab, "192.0.2.1"), op
        if not v6(lab):
            assert route(rtr2, **{".id": recursive})["inactive"]
        assert active(rtr2, **{".id": neighbour})  # RTR-1 still answers
        lab.control(op, state="up", **arguments)
        assert where(lab, rtr2, recursive) == resolved(lab, "192.0.2.1", "10.1.1.1", "ether2"), op
    lab.control("link", segment="interconnect", state="down")  # no way to the host: the lookup fails
    assert where(lab, rtr2, recursive) == unresolved(lab, "192.0.2.1")
    lab.control("link", segment="interconnect", state="up")
    assert where(lab, rtr2, recursive)[0]


def test_target_scope_decides_which_routes_a_gateway_is_looked_up_through(lab, apis):
    interconnect(apis)
    rtr2 = apis["RTR-2"]
    host = add(rtr2, "/ip/route", dst_address="192.0.2.1/32", gateway="10.1.1.1")  # a static route: scope 30
    recursive = add(rtr2, "/ip/route", dst_address="203.0.113.0/24", gateway="192.0.2.1", target_scope="11")
    assert where(lab, rtr2, recursive) == unresolved(lab, "192.0.2.1")  # scope 30 > target-scope 11
    set_route(rtr2, recursive, target_scope="30")
    assert where(lab, rtr2, recursive) == resolved(lab, "192.0.2.1", "10.1.1.1", "ether2")
    set_route(rtr2, recursive, target_scope="10")
    set_route(rtr2, host, scope="10")  # scope <= target-scope: found again
    assert where(lab, rtr2, recursive) == resolved(lab, "192.0.2.1", "10.1.1.1", "ether2")
    set_route(rtr2, recursive, target_scope="9")  # below even the connected routes (scope 10)
    assert where(lab, rtr2, recursive) == unresolved(lab, "192.0.2.1")
    # two lookups deep: the middle route's own target-scope applies to its gateway
    set_route(rtr2, recursive, target_scope="11")
    middle = add(rtr2, "/ip/route", dst_address="198.18.0.1/32", gateway="192.0.2.1", scope="10",
                 target_scope="10")
    deep = add(rtr2, "/ip/route", dst_address="198.19.0.0/16", gateway="198.18.0.1", target_scope="11")
    assert where(lab, rtr2, deep) == resolved(lab, "198.18.0.1", "10.1.1.1", "ether2")
    set_route(rtr2, host, disabled="yes")  # the bottom of the chain goes: both above it follow
    assert where(lab, rtr2, middle) == unresolved(lab, "192.0.2.1")
    assert where(lab, rtr2, deep) == unresolved(lab, "198.18.0.1")
    set_route(rtr2, host, disabled="no")
    assert where(lab, rtr2, deep)[0] and where(lab, rtr2, middle)[0]


def test_a_gateway_is_never_looked_up_through_its_own_route_or_a_loop(lab, apis):
    interconnect(apis)
    rtr2 = apis["RTR-2"]
    itself = add(rtr2, "/ip/route", gateway="8.8.8.8", target_scope="30")  # 0.0.0.0/0 holds 8.8.8.8
    first = add(rtr2, "/ip/route", dst_address="203.0.113.1/32", gateway="203.0.113.2", scope="10",
                target_scope="11")
    second = add(rtr2, "/ip/route", dst_address="203.0.113.2/32", gateway="203.0.113.1", scope="10",
                 target_scope="11")
    for route_id, gateway in ((itself, "8.8.8.8"), (first, "203.0.113.2"), (second, "203.0.113.1")):
        assert where(lab, rtr2, route_id) == unresolved(lab, gateway)
    add(rtr2, "/ip/route", dst_address="8.8.8.0/24", gateway="10.1.1.1")
    assert where(lab, rtr2, itself) == resolved(lab, "8.8.8.8", "10.1.1.1", "ether2")


def test_pings_follow_a_recursive_route_through_the_other_router(lab, apis):
    """RTR-1's only default route is recursive through RTR-2 (ISP2's gateway checked): netwatch's
    pings beyond it go the same way."""
    interconnect(apis)
    rtr1, rtr2 = apis["RTR-1"], apis["RTR-2"]
    add(rtr2, "/ip/address", address="198.51.100.2/24", interface="ether1")
    add(rtr2, "/ip/route", gateway="198.51.100.1", check_gateway="ping")
    add(rtr1, "/ip/route", dst_address="198.51.100.1/32", gateway="10.1.1.2", scope="10")
    default = add(rtr1, "/ip/route", gateway="198.51.100.1", target_scope="11", check_gateway="ping")
    add(rtr1, "/tool/netwatch", host="8.8.8.8")

    def status() -> str:
        return one(rows(rtr1, "/tool/netwatch"))["status"]

    assert where(lab, rtr1, default) == resolved(lab, "198.51.100.1", "10.1.1.2", "ether2")
    assert status() == "up" and network.reachable(lab.lab, "RTR-1", "8.8.8.8")
    lab.control("isp", name="ISP2", state="down")
    assert where(lab, rtr1, default) == unresolved(lab, "198.51.100.1") and status() == "down"
    lab.control("isp", name="ISP2", state="up")
    assert where(lab, rtr1, default)[0] and status() == "up"


# ---- OSPF --------------------------------------------------------------------------------------

LANS = {"RTR-1": "10.10.10.1/24", "RTR-2": "10.10.20.1/24"}


def ospf(lab, apis, name: str, networks: list[str], **instance: str) -> None:
    """One instance in the backbone covering `networks` (6.x: the built-in instance and area)."""
    api = apis[name]
    if v6(lab):
        if instance:
            api.path("routing", "ospf", "instance").update(**{".id": "default", **instance})
        for prefix in networks:
            add(api, "/routing/ospf/network", network=prefix, area="backbone")
    else:
        add(api, "/routing/ospf/instance", name="default", version="2", **instance)
        add(api, "/routing/ospf/area", name="backbone", instance="default")
        add(api, "/routing/ospf/interface-template", networks=",".join(networks), area="backbone")


def ospf_lab(lab, apis, **instance: str) -> None:
    interconnect(apis)
    for name, lan in LANS.items():
        add(apis[name], "/ip/address", address=lan, interface="ether5")
        ospf(lab, apis, name, ["10.1.1.0/30", lan.replace(".1/24", ".0/24")], **instance)


def ospf_routes(api) -> dict[str, dict]:
    return {r["dst-address"]: r for r in rows(api, "/ip/route") if r.get("ospf")}


def test_ospf_neighbours_full_on_both_and_networks_learned(lab, apis):
    ospf_lab(lab, apis)
    for name, other, address, remote in (("RTR-1", "RTR-2", "10.1.1.2", "10.10.20.0/24"),
                                         ("RTR-2", "RTR-1", "10.1.1.1", "10.10.10.0/24")):
        neighbour = one(rows(apis[name], "/routing/ospf/neighbor"))
        assert (neighbour["address"], neighbour["interface"], neighbour["state"]) == (address, "ether2", "Full")
        assert neighbour["router-id"] == LANS[other].split("/")[0]  # automatic: the highest address
        assert neighbour["instance"] == "default"
        if v6(lab):
            assert (neighbour["dr-address"], neighbour["backup-dr-address"]) == ("10.1.1.2", "10.1.1.1")
            assert neighbour["priority"] == 1
        else:
            assert (neighbour["area"], neighbour["dr"], neighbour["bdr"]) == ("backbone", "10.1.1.2", "10.1.1.1")
            assert neighbour["priority"] == 128 and neighbour["timeout"].endswith("s")
        assert neighbour["adjacency"].endswith("s")
        learned = ospf_routes(apis[name])
        assert sorted(learned) == [remote]  # the interconnect is connected on both: not learned
        entry = learned[remote]
        assert entry["dynamic"] and entry["active"] and entry["distance"] == 110 and not entry["static"]
        if v6(lab):
            assert entry["gateway"] == address
            assert entry["gateway-status"] == f"{address} reachable via  ether2"
        else:
            assert entry["gateway"] == entry["immediate-gw"] == f"{address}%ether2"
            assert entry["routing-table"] == "main"


def test_ospf_cut_interconnect_drops_neighbours_and_routes_and_restores_them(lab, apis):
    ospf_lab(lab, apis)
    lab.control("link", segment="interconnect", state="down")
    for api in apis.values():
        assert rows(api, "/routing/ospf/neighbor") == [] and ospf_routes(api) == {}
    lab.control("link", segment="interconnect", state="up")
    assert sorted(ospf_routes(apis["RTR-1"])) == ["10.10.20.0/24"]
    assert one(rows(apis["RTR-2"], "/routing/ospf/neighbor"))["state"] == "Full"


def test_ospf_router_id_given_and_redistribution(lab, apis):
    redistribute = ({"redistribute-connected": "as-type-1", "redistribute-static": "as-type-2",
                     "distribute-default": "if-installed-as-type-1"} if v6(lab) else
                    {"redistribute": "connected,static", "originate-default": "if-installed"})
    interconnect(apis)
    for name, lan in LANS.items():
        add(apis[name], "/ip/address", address=lan, interface="ether5")
    ospf(lab, apis, "RTR-1", ["10.1.1.0/30"], **{"router-id": "1.1.1.1"})
    ospf(lab, apis, "RTR-2", ["10.1.1.0/30"], **redistribute)
    add(apis["RTR-2"], "/ip/address", address="198.51.100.2/24", interface="ether1")
    add(apis["RTR-2"], "/ip/route", dst_address="172.20.0.0/16", gateway="198.51.100.7")
    add(apis["RTR-2"], "/ip/route", gateway="198.51.100.1", check_gateway="ping")
    assert one(rows(apis["RTR-2"], "/routing/ospf/neighbor"))["router-id"] == "1.1.1.1"
    learned = ospf_routes(apis["RTR-1"])
    assert sorted(learned) == ["0.0.0.0/0", "10.10.20.0/24", "172.20.0.0/16", "198.51.100.0/24"]
    assert ospf_routes(apis["RTR-2"]) == {}  # RTR-1 covers only the interconnect and redistributes nothing
    lab.control("isp", name="ISP2", state="down")  # RTR-2's default route is no longer installed
    assert sorted(ospf_routes(apis["RTR-1"])) == ["10.10.20.0/24", "172.20.0.0/16", "198.51.100.0/24"]


@pytest.mark.parametrize("change", ["area", "passive", "disabled", "subnet"])
def test_ospf_needs_same_area_subnet_and_active_non_passive_interfaces(lab, apis, change):
    interconnect(apis)
    ospf(lab, apis, "RTR-1", ["10.1.1.0/30"])
    if change == "subnet":
        add(apis["RTR-2"], "/ip/address", address="10.1.1.6/30", interface="ether2")
        ospf(lab, apis, "RTR-2", ["10.1.1.4/30"])
    elif change == "area":
        if v6(lab):
            add(apis["RTR-2"], "/routing/ospf/area", name="area1", area_id="0.0.0.1")
            add(apis["RTR-2"], "/routing/ospf/network", network="10.1.1.0/30", area="area1")
        else:
            add(apis["RTR-2"], "/routing/ospf/instance", name="default")
            add(apis["RTR-2"], "/routing/ospf/area", name="area1", area_id="0.0.0.1", instance="default")
            add(apis["RTR-2"], "/routing/ospf/interface-template", networks="10.1.1.0/30", area="area1")
    else:
        ospf(lab, apis, "RTR-2", ["10.1.1.0/30"])
        assert one(rows(apis["RTR-2"], "/routing/ospf/neighbor"))["state"] == "Full"
        if change == "passive":
            if v6(lab):
                add(apis["RTR-2"], "/routing/ospf/interface", interface="ether2", passive="yes")
            else:
                template = one(rows(apis["RTR-2"], "/routing/ospf/interface-template"))[".id"]
                apis["RTR-2"].path("routing", "ospf", "interface-template").update(**{".id": template, "passive": ""})
        else:
            instance = one(rows(apis["RTR-2"], "/routing/ospf/instance"), name="default")
            apis["RTR-2"].path("routing", "ospf", "instance").update(**{".id": instance[".id"], "disabled": "yes"})
    for api in apis.values():
        assert rows(api, "/routing/ospf/neighbor") == []


def test_ospf_neighbours_appear_to_listeners(lab, apis):
    interconnect(apis)
    ospf(lab, apis, "RTR-1", ["10.1.1.0/30"])
    seen = []
    unsubscribe = lab.routers["RTR-1"].router.subscribe("/routing/ospf/neighbor", seen.append)
    ospf(lab, apis, "RTR-2", ["10.1.1.0/30"])
    lab.control("link", segment="interconnect", state="down")
    unsubscribe()
    assert (seen[0]["address"], seen[0]["state"]) == ("10.1.1.2", "Full")
    assert seen[-1] == {".id": seen[0][".id"], ".dead": "true"}
