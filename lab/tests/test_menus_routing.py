"""/routing menus through librouteros: OSPF of both generations, /routing/table and /routing/id
(7.x), and the policy-routing fields of /ip/route that depend on them."""
from __future__ import annotations

import pytest
from librouteros.exceptions import MultiTrapError

from helpers import by_id, menu, missing_path, refused, rows


# ---- 6.x OSPF ---------------------------------------------------------------------------------


def test_v6_builtin_instance_and_area(api6):
    (instance,) = rows(api6, "/routing/ospf/instance")
    assert instance["name"] == "default"
    assert instance["router-id"] == "0.0.0.0"
    assert instance["distribute-default"] == "never"
    for kind in ("connected", "static", "rip", "bgp", "other-ospf"):
        assert instance[f"redistribute-{kind}"] is False  # `no`, which librouteros reads as False
    assert instance["metric-connected"] == 20 and instance["metric-default"] == 1
    assert instance["in-filter"] == "ospf-in" and instance["out-filter"] == "ospf-out"
    assert instance["default"] is True and instance["disabled"] is False
    (area,) = rows(api6, "/routing/ospf/area")
    assert (area["name"], area["area-id"], area["instance"], area["type"]) == ("backbone", "0.0.0.0", "default", "default")
    assert area["default"] is True


def test_v6_builtins_not_removable_but_editable(router_v6, api6):
    instance_id = rows(api6, "/routing/ospf/instance")[0][".id"]
    area_id = rows(api6, "/routing/ospf/area")[0][".id"]
    watched = ["/routing/ospf/instance", "/routing/ospf/area"]
    refused(router_v6, watched, lambda: menu(api6, "/routing/ospf/instance").remove(instance_id),
            "failure: cannot remove builtin")
    refused(router_v6, watched, lambda: menu(api6, "/routing/ospf/area").remove(area_id),
            "failure: cannot remove builtin")
    menu(api6, "/routing/ospf/instance").update(**{".id": instance_id, "router-id": "10.255.0.1", "redistribute-connected": "as-type-1"})
    (instance,) = rows(api6, "/routing/ospf/instance")
    assert instance["router-id"] == "10.255.0.1" and instance["redistribute-connected"] == "as-type-1"


def test_v6_instance_add_defaults_invalid_and_duplicate(router_v6, api6):
    new_id = menu(api6, "/routing/ospf/instance").add(name="second")
    second = by_id(rows(api6, "/routing/ospf/instance"), new_id)
    assert second["router-id"] == "0.0.0.0" and second["redistribute-static"] is False
    assert second["metric-bgp"] == "auto" and second["default"] is False
    path = "/routing/ospf/instance"
    refused(router_v6, path, lambda: menu(api6, path).add(name="third", **{"router-id": "10.0.0.300"}),
            "invalid value for argument router-id")
    refused(router_v6, path, lambda: menu(api6, path).add(name="third", **{"redistribute-static": "sometimes"}),
            "input does not match any value of redistribute-static")
    refused(router_v6, path, lambda: menu(api6, path).add(name="second"),
            "failure: already have instance with such name")


def test_v6_area_reference_and_duplicate(router_v6, api6):
    area_id = menu(api6, "/routing/ospf/area").add(name="area1", **{"area-id": "0.0.0.1"})
    area = by_id(rows(api6, "/routing/ospf/area"), area_id)
    assert (area["instance"], area["type"], area["inject-summary-lsas"], area["disabled"]) == ("default", "default", True, False)
    path = "/routing/ospf/area"
    refused(router_v6, path, lambda: menu(api6, path).add(name="area2", instance="nope", **{"area-id": "0.0.0.2"}),
            "input does not match any value of instance")
    refused(router_v6, path, lambda: menu(api6, path).add(name="area1", **{"area-id": "0.0.0.9"}),
            "failure: already have area with such name")
    refused(router_v6, path, lambda: menu(api6, path).add(name="again", **{"area-id": "0.0.0.1"}),
            "failure: already have area with such area-id")
    refused(router_v6, path, lambda: menu(api6, path).add(name="area3", type="huge", **{"area-id": "0.0.0.3"}),
            "input does not match any value of type")


def test_v6_network_defaults_and_area_in_use(router_v6, api6):
    area_id = menu(api6, "/routing/ospf/area").add(name="area1", **{"area-id": "0.0.0.1"})
    net_id = menu(api6, "/routing/ospf/network").add(network="10.1.2.3/24", area="area1")
    (network,) = rows(api6, "/routing/ospf/network")
    assert network == {".id": net_id, "network": "10.1.2.0/24", "area": "area1", "invalid": False,
                       "disabled": False, "dynamic": False}
    menu(api6, "/routing/ospf/network").add(network="10.0.0.0/30", area="backbone")
    watched = ["/routing/ospf/area", "/routing/ospf/network"]
    refused(router_v6, watched, lambda: menu(api6, "/routing/ospf/area").remove(area_id),
            f"failure: network {net_id} is using this item")
    refused(router_v6, watched, lambda: menu(api6, "/routing/ospf/network").add(network="10.9.0.0/24", area="nowhere"),
            "input does not match any value of area")
    refused(router_v6, watched, lambda: menu(api6, "/routing/ospf/network").add(network="10.9.0.0/33", area="backbone"),
            "invalid value for argument network")
    refused(router_v6, watched, lambda: menu(api6, "/routing/ospf/network").add(network="10.9.0.0/24"),
            "missing value(s) of argument(s) area")
    # renaming the area follows into the network that names it
    menu(api6, "/routing/ospf/area").update(**{".id": area_id, "name": "area-one"})
    assert {r["area"] for r in rows(api6, "/routing/ospf/network")} == {"area-one", "backbone"}


def test_v6_ospf_interface(router_v6, api6):
    menu(api6, "/routing/ospf/interface").add(interface="ether1")
    (entry,) = rows(api6, "/routing/ospf/interface")
    assert entry["cost"] == 10 and entry["priority"] == 1
    assert entry["network-type"] == "default" and entry["authentication"] == "none"
    assert entry["hello-interval"] == "10s" and entry["dead-interval"] == "40s" and entry["passive"] is False
    path = "/routing/ospf/interface"
    refused(router_v6, path, lambda: menu(api6, path).add(interface="ether99"),
            "input does not match any value of interface")
    refused(router_v6, path, lambda: menu(api6, path).add(interface="ether2", cost="0"),
            "value of cost out of range (1..65535)")


def test_v6_neighbor_is_runtime(router_v6, api6):
    router_v6.add_runtime("/routing/ospf/neighbor", instance="default", router_id="10.255.0.2", address="10.0.0.2",
                          interface="ether1", priority="1", state="Full", state_changes="6", adjacency="5m")
    (neighbor,) = rows(api6, "/routing/ospf/neighbor")
    assert (neighbor["router-id"], neighbor["state"], neighbor["state-changes"]) == ("10.255.0.2", "Full", 6)
    with pytest.raises(MultiTrapError):
        menu(api6, "/routing/ospf/neighbor").add(address="10.0.0.3")
    assert len(rows(api6, "/routing/ospf/neighbor")) == 1


def test_dialect_paths_refused(api6, api7):
    missing_path(api6, "/routing/ospf/interface-template", "interface-template")
    missing_path(api6, "/routing/table", "table")
    missing_path(api6, "/routing/id", "id")
    missing_path(api7, "/routing/ospf/network", "network")
    missing_path(api7, "/routing/ospf/interface", "interface")


def test_dialect_fields_refused(router_v6, api6, router_v7, api7):
    refused(router_v6, "/routing/ospf/instance",
            lambda: menu(api6, "/routing/ospf/instance").add(name="x", version="2"),
            "unknown parameter")
    menu(api7, "/routing/ospf/instance").add(name="x")
    refused(router_v7, "/routing/ospf/instance",
            lambda: menu(api7, "/routing/ospf/instance").add(name="y", **{"redistribute-connected": "as-type-1"}),
            "unknown parameter")


# ---- 7.x OSPF ---------------------------------------------------------------------------------


def test_v7_has_no_builtin_ospf(api7):
    assert rows(api7, "/routing/ospf/instance") == []
    assert rows(api7, "/routing/ospf/area") == []


def test_v7_instance_defaults_invalid_and_duplicate(router_v7, api7):
    new_id = menu(api7, "/routing/ospf/instance").add(name="default-v2")
    (instance,) = rows(api7, "/routing/ospf/instance")
    assert instance == {".id": new_id, "name": "default-v2", "version": 2, "vrf": "main", "router-id": "main",
                        "originate-default": "never", "disabled": False, "dynamic": False}
    menu(api7, "/routing/ospf/instance").update(**{".id": new_id, "router-id": "10.255.0.1", "redistribute": "static,connected"})
    (instance,) = rows(api7, "/routing/ospf/instance")
    assert instance["router-id"] == "10.255.0.1" and instance["redistribute"] == "connected,static"
    path = "/routing/ospf/instance"
    refused(router_v7, path, lambda: menu(api7, path).add(name="v3", **{"router-id": "no-such-id"}),
            "input does not match any value of router-id")
    refused(router_v7, path, lambda: menu(api7, path).add(name="v3", version="4"),
            "value of version out of range (2..3)")
    refused(router_v7, path, lambda: menu(api7, path).add(name="v3", redistribute="connected,magic"),
            "input does not match any value of redistribute")
    refused(router_v7, path, lambda: menu(api7, path).add(name="default-v2"),
            "failure: already have instance with such name")
    # a /routing/id entry may stand for the router id
    menu(api7, "/routing/id").add(name="loopback-id", id="10.255.255.1")
    menu(api7, "/routing/ospf/instance").add(name="v3", version="3", **{"router-id": "loopback-id"})
    assert {r["name"]: r["router-id"] for r in rows(api7, path)}["v3"] == "loopback-id"


def test_v7_area_needs_an_existing_instance(router_v7, api7):
    path = "/routing/ospf/area"
    watched = [path, "/routing/ospf/instance"]
    refused(router_v7, watched, lambda: menu(api7, path).add(name="backbone-v2"),
            "missing value(s) of argument(s) instance")
    refused(router_v7, watched, lambda: menu(api7, path).add(name="backbone-v2", instance="default-v2"),
            "input does not match any value of instance")
    instance_id = menu(api7, "/routing/ospf/instance").add(name="default-v2")
    area_id = menu(api7, path).add(name="backbone-v2", instance="default-v2")
    (area,) = rows(api7, path)
    assert area == {".id": area_id, "name": "backbone-v2", "area-id": "0.0.0.0", "instance": "default-v2",
                    "type": "default", "disabled": False, "dynamic": False}
    refused(router_v7, watched,
            lambda: menu(api7, path).add(name="backbone-v2", instance="default-v2", **{"area-id": "0.0.0.5"}),
            "failure: already have area with such name")
    refused(router_v7, watched, lambda: menu(api7, path).add(name="again", instance="default-v2"),
            "failure: already have area with such area-id")
    refused(router_v7, watched, lambda: menu(api7, "/routing/ospf/instance").remove(instance_id),
            f"failure: area {area_id} is using this item")


def test_v7_interface_template(router_v7, api7):
    menu(api7, "/routing/ospf/instance").add(name="default-v2")
    area_id = menu(api7, "/routing/ospf/area").add(name="backbone-v2", instance="default-v2")
    path = "/routing/ospf/interface-template"
    template_id = menu(api7, path).add(area="backbone-v2")
    (template,) = rows(api7, path)
    assert template == {".id": template_id, "area": "backbone-v2", "type": "broadcast", "cost": 1, "priority": 128,
                        "instance-id": 0, "hello-interval": "10s", "dead-interval": "40s", "retransmit-interval": "5s",
                        "transmit-delay": "1s", "inactive": False, "disabled": False, "dynamic": False}
    menu(api7, path).update(**{".id": template_id, "networks": "10.0.0.1/30,192.168.88.0/24", "interfaces": "ether2", "type": "ptp"})
    (template,) = rows(api7, path)
    assert (template["networks"], template["interfaces"], template["type"]) == ("10.0.0.0/30,192.168.88.0/24", "ether2", "ptp")
    watched = [path, "/routing/ospf/area"]
    refused(router_v7, watched, lambda: menu(api7, path).add(area="nowhere"), "input does not match any value of area")
    refused(router_v7, watched, lambda: menu(api7, path).add(area="backbone-v2", interfaces="ether77"),
            "input does not match any value of interfaces")
    refused(router_v7, watched, lambda: menu(api7, path).add(area="backbone-v2", type="mesh"),
            "input does not match any value of type")
    refused(router_v7, watched, lambda: menu(api7, "/routing/ospf/area").remove(area_id),
            f"failure: interface-template {template_id} is using this item")


def test_v7_neighbor_is_runtime(router_v7, api7):
    router_v7.add_runtime("/routing/ospf/neighbor", instance="default-v2", area="backbone-v2", address="10.0.0.2",
                          interface="ether1", router_id="10.255.0.2", state="Full", state_changes="5", adjacency="1m2s")
    (neighbor,) = rows(api7, "/routing/ospf/neighbor")
    assert (neighbor["area"], neighbor["state"], neighbor["adjacency"]) == ("backbone-v2", "Full", "1m2s")
    with pytest.raises(MultiTrapError):
        menu(api7, "/routing/ospf/neighbor").update(**{".id": neighbor[".id"], "state": "Down"})


# ---- 7.x routing tables, and the route fields that name them -------------------------------


def test_v7_routing_table_main_and_fib_flag(router_v7, api7):
    (main,) = rows(api7, "/routing/table")
    assert (main[".id"], main["name"], main["fib"], main["dynamic"], main["invalid"]) == ("*0", "main", "", True, False)
    path = "/routing/table"
    with_fib = menu(api7, path).add(name="to_WAN1", fib="")
    without_fib = menu(api7, path).add(name="lookup-only")
    tables = {r[".id"]: r for r in rows(api7, path)}
    assert tables[with_fib] == {".id": with_fib, "name": "to_WAN1", "fib": "", "invalid": False, "disabled": False, "dynamic": False}
    assert "fib" not in tables[without_fib]
    tuple(menu(api7, path)("unset", **{".id": with_fib, "value-name": "fib"}))
    assert "fib" not in {r[".id"]: r for r in rows(api7, path)}[with_fib]
    refused(router_v7, path, lambda: menu(api7, path).add(name="to_WAN1"), "failure: already have table with such name")
    refused(router_v7, path, lambda: menu(api7, path).remove("*0"), "failure: cannot remove builtin")
    refused(router_v7, path, lambda: menu(api7, path).update(**{".id": "*0", "comment": "mine"}),
            "failure: cannot change dynamic")
    refused(router_v7, path, lambda: menu(api7, path).add(name=""), "invalid value for argument name")


def test_v7_route_routing_table_reference(router_v7, api7):
    menu(api7, "/ip/address").add(address="192.0.2.2/24", interface="ether1")
    watched = ["/ip/route", "/routing/table"]
    refused(router_v7, watched,
            lambda: menu(api7, "/ip/route").add(gateway="192.0.2.1", **{"routing-table": "to_WAN1"}),
            "input does not match any value of routing-table")
    refused(router_v7, watched, lambda: menu(api7, "/ip/route").add(gateway="192.0.2.1", **{"routing-mark": "to_WAN1"}),
            "unknown parameter")
    table_id = menu(api7, "/routing/table").add(name="to_WAN1", fib="")
    route_id = menu(api7, "/ip/route").add(gateway="192.0.2.1", **{"routing-table": "to_WAN1"})
    route = by_id(rows(api7, "/ip/route"), route_id)
    assert route["routing-table"] == "to_WAN1"
    refused(router_v7, watched, lambda: menu(api7, "/routing/table").remove(table_id),
            f"failure: route {route_id} is using this item")


def test_v6_route_routing_mark_needs_no_table(api6):
    menu(api6, "/ip/address").add(address="192.0.2.2/24", interface="ether1")
    route_id = menu(api6, "/ip/route").add(gateway="192.0.2.1", **{"routing-mark": "to_WAN1"})
    route = by_id(rows(api6, "/ip/route"), route_id)
    assert route["routing-mark"] == "to_WAN1"


def test_v7_routing_id(router_v7, api7):
    id_id = menu(api7, "/routing/id").add(name="rid", id="10.255.255.1")
    (entry,) = rows(api7, "/routing/id")
    assert entry == {".id": id_id, "name": "rid", "id": "10.255.255.1", "disabled": False, "dynamic": False}
    refused(router_v7, "/routing/id", lambda: menu(api7, "/routing/id").add(name="other", id="10.255.255"),
            "invalid value for argument id")
    refused(router_v7, "/routing/id", lambda: menu(api7, "/routing/id").add(name="rid"),
            "failure: already have id with such name")
