"""/ip menus: address (connected routes), route (state, failover, policy routing), service, pool,
pool/used, dhcp-client, dhcp-server (network, lease) and dns, driven by librouteros."""
from __future__ import annotations

import pytest
from librouteros.exceptions import MultiTrapError, TrapError

from conftest import PASSWORD, VERSIONS, connect
from helpers import by_id, by_name, refused, v7
from ros_emulator import start_router
from ros_emulator.menus.ip import bind_dhcp_client, release_dhcp_client


def routes(handle, **query):
    return handle.print("/ip/route", **query)


# ---- /ip/address -----------------------------------------------------------------------------

def test_address_add_with_required_fields_prints_defaults(router, api):
    addresses = api.path("ip", "address")
    entry_id = addresses.add(address="192.168.10.1/24", interface="ether2")
    assert list(addresses) == [{
        ".id": entry_id, "address": "192.168.10.1/24", "network": "192.168.10.0", "interface": "ether2",
        "actual-interface": "ether2", "invalid": False, "disabled": False, "dynamic": False,
    }]
    # an address without a prefix length is a /32
    other = addresses.add(address="10.9.9.9", interface="ether3")
    assert router.print("/ip/address", **{".id": other})[0]["address"] == "10.9.9.9/32"


def test_address_has_no_broadcast_in_either_dialect(router, api):
    # `broadcast` went away in v5; 6.49 and 7.x both refuse it
    addresses = api.path("ip", "address")
    refused(router, "/ip/address",
            lambda: addresses.add(address="10.0.0.1/24", interface="ether1", broadcast="10.0.0.255"),
            "unknown parameter")


def test_address_refusals_change_nothing(router, api):
    addresses = api.path("ip", "address")
    addresses.add(address="10.0.0.1/24", interface="ether1")
    refused(router, "/ip/address", lambda: addresses.add(address="10.0.0.300/24", interface="ether1"),
            "invalid value for argument address")
    refused(router, "/ip/address", lambda: addresses.add(address="10.0.0.1/33", interface="ether1"),
            "invalid value for argument address")
    refused(router, "/ip/address", lambda: addresses.add(address="10.0.1.1/24", interface="ether99"),
            "input does not match any value of interface")
    refused(router, "/ip/address", lambda: addresses.add(address="10.0.0.1/24", interface="ether1"),
            "failure: already have such address")
    refused(router, "/ip/address", lambda: addresses.add(address="10.0.2.1/24"),
            "missing value(s) of argument(s) interface")


def test_connected_route_appears_changes_and_disappears_with_its_address(router, api):
    addresses = api.path("ip", "address")
    entry_id = addresses.add(address="10.1.0.1/24", interface="ether3")
    [route] = routes(router, connect="true")
    assert route["dst-address"] == "10.1.0.0/24" and route["gateway"] == "ether3"
    assert route["dynamic"] == "true" and route["active"] == "true" and route["distance"] == "0"
    assert route["scope"] == "10"
    if v7(router):
        assert route["local-address"] == "10.1.0.1%ether3" and route["routing-table"] == "main"
        assert route["immediate-gw"] == "ether3" and "pref-src" not in route
    else:
        assert route["pref-src"] == "10.1.0.1" and route["gateway-status"] == "ether3 reachable"
        assert "local-address" not in route and "routing-table" not in route
        assert "target-scope" not in route  # 6.x connected routes print none

    addresses.update(**{".id": entry_id, "disabled": True})
    assert routes(router, connect="true") == []
    addresses.update(**{".id": entry_id, "disabled": False})
    assert [r["dst-address"] for r in routes(router, connect="true")] == ["10.1.0.0/24"]

    addresses.update(**{".id": entry_id, "interface": "ether4"})  # moved to another interface
    [route] = routes(router, connect="true")
    assert route["gateway"] == "ether4"
    assert route.get("local-address", "10.1.0.1%ether4") == "10.1.0.1%ether4"

    addresses.update(**{".id": entry_id, "address": "10.2.0.1/16"})
    [route] = routes(router, connect="true")
    assert route["dst-address"] == "10.2.0.0/16"
    assert router.print("/ip/address")[0]["network"] == "10.2.0.0"

    addresses.remove(entry_id)
    assert routes(router, connect="true") == []


def test_connected_routes_are_dynamic_and_cannot_be_changed_or_removed(router, api):
    api.path("ip", "address").add(address="10.1.0.1/24", interface="ether3")
    [route] = routes(router, connect="true")
    route_api = api.path("ip", "route")
    refused(router, "/ip/route", lambda: route_api.update(**{".id": route[".id"], "distance": 5}),
            "failure: cannot change dynamic")
    refused(router, "/ip/route", lambda: route_api.remove(route[".id"]), "failure: cannot remove dynamic")


def test_interface_rename_and_disable_reach_addresses_and_routes(router, api):
    api.path("ip", "address").add(address="10.5.0.1/24", interface="ether5")
    route_api = api.path("ip", "route")
    via_ip = route_api.add(gateway="10.5.0.254")
    via_if = route_api.add(**{"dst-address": "10.9.0.0/24", "gateway": "ether6"})
    ether = api.path("interface", "ethernet")
    ids = {row["name"]: row[".id"] for row in ether}
    ether.update(**{".id": ids["ether5"], "name": "wan1"})
    ether.update(**{".id": ids["ether6"], "name": "lan6"})

    assert router.print("/ip/address")[0]["interface"] == "wan1"
    [connected] = routes(router, connect="true")
    assert connected["gateway"] == "wan1"
    if v7(router):
        assert connected["local-address"] == "10.5.0.1%wan1"
    assert by_id(routes(router), via_if)["gateway"] == "lan6"
    assert by_id(routes(router), via_ip)["active"] == "true"

    ether.update(**{".id": ids["ether5"], "disabled": True})  # the WAN goes down
    static = by_id(routes(router), via_ip)
    assert static["active"] == "false"
    connected = routes(router, connect="true")[0]
    assert connected["active"] == "false"
    if v7(router):
        assert static["inactive"] == "true" and static["immediate-gw"] == ""
    else:
        assert static["gateway-status"] == "10.5.0.254 unreachable"
        assert connected["gateway-status"] == "wan1 unreachable"

    ether.update(**{".id": ids["ether5"], "disabled": False})
    assert by_id(routes(router), via_ip)["active"] == "true"


# ---- /ip/route ---------------------------------------------------------------------------------

def test_route_add_with_required_fields_prints_defaults(router, api):
    route_api = api.path("ip", "route")
    entry_id = route_api.add(gateway="10.0.0.254")  # no address reaches it: inactive
    row = by_id(list(route_api), entry_id)
    expected = {
        ".id": entry_id, "dst-address": "0.0.0.0/0", "gateway": "10.0.0.254", "distance": 1, "scope": 30,
        "target-scope": 10, "active": False, "static": True, "disabled": False, "dynamic": False,
    }
    if v7(router):
        expected.update({"routing-table": "main", "immediate-gw": "", "inactive": True,
                         "suppress-hw-offload": False})
    else:
        expected.update({"gateway-status": "10.0.0.254 unreachable"})
    assert row == expected


def test_route_dialect_specific_fields(router, api):
    route_api = api.path("ip", "route")
    if v7(router):
        refused(router, "/ip/route", lambda: route_api.add(gateway="10.0.0.1", **{"routing-mark": "to_WAN1"}),
                "unknown parameter")
        refused(router, "/ip/route", lambda: route_api.add(gateway="10.0.0.1", type="blackhole"),
                "unknown parameter")
        entry_id = route_api.add(gateway="10.0.0.1", **{"check-gateway": "bfd"})
        assert by_id(list(route_api), entry_id)["check-gateway"] == "bfd"
    else:
        refused(router, "/ip/route", lambda: route_api.add(gateway="10.0.0.1", **{"routing-table": "main"}),
                "unknown parameter")
        refused(router, "/ip/route", lambda: route_api.add(gateway="10.0.0.1", **{"check-gateway": "bfd"}),
                "input does not match any value of check-gateway")
        entry_id = route_api.add(gateway="10.0.0.1", **{"routing-mark": "to_WAN1"})
        assert by_id(list(route_api), entry_id)["routing-mark"] == "to_WAN1"


def test_route_refusals_change_nothing(router, api):
    route_api = api.path("ip", "route")
    route_api.add(gateway="10.0.0.1")
    refused(router, "/ip/route", lambda: route_api.add(gateway="10.0.0.1", distance=300),
            "value of distance out of range (0..255)")
    refused(router, "/ip/route", lambda: route_api.add(gateway="10.0.0.1", **{"dst-address": "10.0.0.0/33"}),
            "invalid value for argument dst-address")
    refused(router, "/ip/route", lambda: route_api.add(gateway="nosuch-if"), "invalid value for argument gateway")
    refused(router, "/ip/route", lambda: route_api.add(gateway="10.0.0.1", **{"vrf-interface" if v7(router) else "pref-src": "x"}),
            "input does not match any value of vrf-interface" if v7(router) else "invalid value for argument pref-src")


def test_duplicate_routes_are_allowed(router, api):
    route_api = api.path("ip", "route")
    first = route_api.add(gateway="10.0.0.1", **{"dst-address": "8.8.8.0/24"})
    second = route_api.add(gateway="10.0.0.1", **{"dst-address": "8.8.8.0/24"})
    assert first != second
    assert len(routes(router, **{"dst-address": "8.8.8.0/24"})) == 2


def test_v7_routing_table_must_exist(router_v7):
    api = connect(router_v7)
    route_api = api.path("ip", "route")
    refused(router_v7, "/ip/route",
            lambda: route_api.add(gateway="10.0.0.1", **{"routing-table": "to_WAN1"}),
            "input does not match any value of routing-table")
    in_main = route_api.add(gateway="10.0.0.1", **{"routing-table": "main"})
    assert by_id(list(route_api), in_main)["routing-table"] == "main"
    api.path("routing", "table").add(name="to_WAN1", fib="")
    marked = route_api.add(gateway="10.0.0.1", **{"routing-table": "to_WAN1"})
    assert by_id(list(route_api), marked)["routing-table"] == "to_WAN1"
    # a table in use cannot be removed
    table_id = router_v7.print("/routing/table", name="to_WAN1")[0][".id"]
    with pytest.raises(TrapError):
        api.path("routing", "table").remove(table_id)
    assert router_v7.print("/routing/table", name="to_WAN1")
    api.close()


def test_check_gateway_ping_failover_to_the_next_distance(router, api):
    api.path("ip", "address").add(address="10.0.1.2/24", interface="ether1")
    route_api = api.path("ip", "route")
    primary = route_api.add(gateway="10.0.1.254", distance=1, **{"check-gateway": "ping"})
    backup = route_api.add(gateway="10.0.1.253", distance=2, **{"check-gateway": "ping"})
    unchecked = route_api.add(gateway="10.0.1.252", **{"dst-address": "8.8.8.0/24"})

    def state():
        rows = routes(router)
        return {name: by_id(rows, rid)["active"] for name, rid in
                (("primary", primary), ("backup", backup), ("unchecked", unchecked))}

    assert state() == {"primary": "true", "backup": "false", "unchecked": "true"}
    if v7(router):
        assert by_id(routes(router), primary)["immediate-gw"] == "10.0.1.254%ether1"
    else:
        assert by_id(routes(router), primary)["gateway-status"] == "10.0.1.254 reachable via  ether1"

    router.set_gateway_reachable("10.0.1.254", False)
    router.set_gateway_reachable("10.0.1.252", False)  # no check-gateway: the route does not notice
    assert state() == {"primary": "false", "backup": "true", "unchecked": "true"}
    if v7(router):
        assert by_id(routes(router), primary)["inactive"] == "true"
    else:
        assert by_id(routes(router), primary)["gateway-status"] == "10.0.1.254 unreachable"

    router.set_gateway_reachable("10.0.1.254", True)
    assert state() == {"primary": "true", "backup": "false", "unchecked": "true"}
    route_api.update(**{".id": primary, "disabled": True})
    assert state() == {"primary": "false", "backup": "true", "unchecked": "true"}


def test_policy_routes_are_active_per_mark_or_table(router, api):
    api.path("ip", "address").add(address="10.0.1.2/24", interface="ether1")
    api.path("ip", "address").add(address="10.0.2.2/24", interface="ether2")
    route_api = api.path("ip", "route")
    if v7(router):
        for name in ("to_WAN1", "to_WAN2"):
            api.path("routing", "table").add(name=name, fib="")
        mark = "routing-table"
    else:
        mark = "routing-mark"
    wan1 = route_api.add(gateway="10.0.1.1", **{mark: "to_WAN1"})
    wan2 = route_api.add(gateway="10.0.2.1", **{mark: "to_WAN2"})
    main1 = route_api.add(gateway="10.0.1.1", distance=1)
    main2 = route_api.add(gateway="10.0.2.1", distance=2)
    rows = routes(router)
    assert [by_id(rows, r)["active"] for r in (wan1, wan2, main1, main2)] == ["true", "true", "true", "false"]


# ---- /ip/service ---------------------------------------------------------------------------------

def test_service_fixed_entries_and_set(router, api):
    services = api.path("ip", "service")
    rows = list(services)
    ports = {row["name"]: row["port"] for row in rows}
    assert ports == {"telnet": 23, "ftp": 21, "www": 80, "ssh": 22, "www-ssl": 443, "api": router.port,
                     "winbox": 8291, "api-ssl": 8729}
    ssh = by_name(rows, "ssh")
    expected = {".id": ssh[".id"], "name": "ssh", "port": 22, "address": "", "invalid": False, "disabled": False,
                "dynamic": False}
    if v7(router):
        expected["vrf"] = "main"
    assert ssh == expected
    api_ssl = by_name(rows, "api-ssl")
    assert (api_ssl["certificate"], api_ssl["tls-version"]) == ("none", "any")
    services.update(**{".id": ssh[".id"], "port": 2222, "address": "10.0.0.0/8,192.168.88.0/24"})
    services.update(**{".id": "telnet", "disabled": True})  # by name
    after = {row["name"]: row for row in services}
    assert after["ssh"]["port"] == 2222 and after["ssh"]["address"] == "10.0.0.0/8,192.168.88.0/24"
    assert after["telnet"]["disabled"] is True


def test_service_refusals_change_nothing(router, api):
    services = api.path("ip", "service")
    ssh = by_name(services, "ssh")[".id"]
    refused(router, "/ip/service", lambda: services.add(name="mine", port=1), "no such command or directory (add)")
    refused(router, "/ip/service", lambda: services.remove(ssh), "no such command or directory (remove)")
    refused(router, "/ip/service", lambda: services.update(**{".id": ssh, "port": 70000}),
            "value of port out of range (1..65535)")
    refused(router, "/ip/service", lambda: services.update(**{".id": ssh, "address": "10.0.0.300/8"}),
            "invalid value for argument address")
    refused(router, "/ip/service", lambda: services.update(**{".id": ssh, "comment": "x"}), "unknown parameter")
    refused(router, "/ip/service", lambda: services.update(**{".id": "nosuch", "port": 1}), "no such item")
    if not v7(router):
        refused(router, "/ip/service", lambda: services.update(**{".id": ssh, "vrf": "main"}), "unknown parameter")


# ---- /ip/pool and /ip/pool/used ---------------------------------------------------------------------

def test_pool_add_with_required_fields_prints_defaults(router, api):
    pools = api.path("ip", "pool")
    entry_id = pools.add(ranges="10.10.10.2-10.10.10.254")
    expected = {".id": entry_id, "name": "pool1", "ranges": "10.10.10.2-10.10.10.254", "dynamic": False}
    if v7(router):  # 7.x counts addresses (assumed for 7.16)
        expected.update({"total": 253, "used": 0, "available": 253})
    assert list(pools) == [expected]
    second = pools.add(ranges="10.20.0.1,10.20.0.10-10.20.0.11", **{"next-pool": "pool1"})
    row = by_id(list(pools), second)
    assert row["name"] == "pool2" and row["next-pool"] == "pool1"
    if v7(router):
        assert row["total"] == 3


def test_pool_refusals_change_nothing(router, api):
    pools = api.path("ip", "pool")
    pools.add(name="lan", ranges="10.0.0.2-10.0.0.254")
    refused(router, "/ip/pool", lambda: pools.add(name="bad", ranges="10.0.0.9-10.0.0.1"),
            "invalid value for argument ranges")
    refused(router, "/ip/pool", lambda: pools.add(name="bad", ranges="10.0.0.300"),
            "invalid value for argument ranges")
    refused(router, "/ip/pool", lambda: pools.add(name="bad", ranges="10.1.0.1", **{"next-pool": "nosuch"}),
            "input does not match any value of next-pool")
    refused(router, "/ip/pool", lambda: pools.add(name="lan", ranges="10.1.0.1-10.1.0.9"),
            "failure: pool with such name exists")
    refused(router, "/ip/pool", lambda: pools.add(name="noranges"), "missing value(s) of argument(s) ranges")
    other = pools.add(name="wan", ranges="10.2.0.1")
    refused(router, "/ip/pool", lambda: pools.update(**{".id": other, "name": "lan"}),
            "failure: pool with such name exists")


def test_pool_counters_are_7x_only(router, api):
    pools = api.path("ip", "pool")
    pools.add(name="lan", ranges="10.0.0.1-10.0.0.4")
    fields = set(router.print("/ip/pool")[0])
    assert ({"total", "used", "available"} <= fields) == v7(router)
    refused(router, "/ip/pool", lambda: pools.update(**{".id": "lan", "total": 5}), "unknown parameter")


def test_pool_used_is_runtime_state(router, api):
    api.path("ip", "pool").add(name="ppp", ranges="10.0.0.1-10.0.0.4")
    used = api.path("ip", "pool", "used")
    assert list(used) == []
    entry_id = router.add_runtime("/ip/pool/used", pool="ppp", address="10.0.0.1", owner="AA:BB:CC:00:00:01",
                                  info="alice")
    assert list(used) == [{".id": entry_id, "pool": "ppp", "address": "10.0.0.1", "owner": "AA:BB:CC:00:00:01",
                           "info": "alice"}]
    if v7(router):
        assert router.print("/ip/pool")[0]["used"] == "1"
        assert router.print("/ip/pool")[0]["available"] == "3"
    refused(router, "/ip/pool/used", lambda: used.add(pool="ppp", address="10.0.0.2"),
            "no such command or directory (add)")
    refused(router, "/ip/pool/used", lambda: used.update(**{".id": entry_id, "info": "bob"}),
            "no such command or directory (set)")
    router.remove_runtime("/ip/pool/used", entry_id)
    assert list(used) == []


def test_pool_in_use_by_a_dhcp_server_is_renamed_with_it_and_kept(router, api):
    pools = api.path("ip", "pool")
    pool_id = pools.add(name="lan", ranges="10.0.0.2-10.0.0.254")
    servers = api.path("ip", "dhcp-server")
    server_id = servers.add(interface="ether2", **{"address-pool": "lan"})
    pools.update(**{".id": pool_id, "name": "lan-pool"})
    assert by_id(list(servers), server_id)["address-pool"] == "lan-pool"
    with pytest.raises(TrapError):
        pools.remove(pool_id)
    assert [row["name"] for row in pools] == ["lan-pool"]


# ---- /ip/dhcp-client ---------------------------------------------------------------------------------

def test_dhcp_client_add_with_required_fields_prints_defaults(router, api):
    clients = api.path("ip", "dhcp-client")
    entry_id = clients.add(interface="ether1")
    [row] = router.print("/ip/dhcp-client")
    expected = {
        ".id": entry_id, "interface": "ether1", "add-default-route": "yes", "default-route-distance": "1",
        "use-peer-dns": "true", "use-peer-ntp": "true", "invalid": "false", "dynamic": "false",
    }
    if v7(router):  # 7.x adds clients enabled, with the hostname and clientid options
        expected.update({"dhcp-options": "hostname,clientid", "disabled": "false", "status": "searching..."})
    else:  # 6.x adds them disabled, without options (its exports spell both out)
        expected.update({"dhcp-options": "", "disabled": "true", "status": "stopped"})
    assert row == expected


def test_dhcp_client_dialect_specific_fields(router, api):
    clients = api.path("ip", "dhcp-client")
    if v7(router):
        entry_id = clients.add(interface="ether1", **{"default-route-tables": "main"})
        assert router.print("/ip/dhcp-client", **{".id": entry_id})[0]["default-route-tables"] == "main"
    else:
        refused(router, "/ip/dhcp-client", lambda: clients.add(interface="ether1", **{"default-route-tables": "main"}),
                "unknown parameter")


def test_dhcp_client_refusals_change_nothing(router, api):
    clients = api.path("ip", "dhcp-client")
    clients.add(interface="ether1")
    refused(router, "/ip/dhcp-client", lambda: clients.add(interface="ether1"),
            "failure: dhcp-client on that interface already exists")
    refused(router, "/ip/dhcp-client", lambda: clients.add(interface="ether99"),
            "input does not match any value of interface")
    refused(router, "/ip/dhcp-client", lambda: clients.add(interface="ether2", **{"add-default-route": "maybe"}),
            "input does not match any value of add-default-route")
    refused(router, "/ip/dhcp-client", lambda: clients.add(interface="ether2", **{"default-route-distance": 256}),
            "value of default-route-distance out of range (0..255)")
    refused(router, "/ip/dhcp-client", lambda: clients.add(interface="ether2", **{"dhcp-options": "hostname,nosuch"}),
            "input does not match any value of dhcp-options")
    refused(router, "/ip/dhcp-client", lambda: clients.add(interface="ether2", status="bound"), "unknown parameter")


def test_dhcp_client_bound_by_the_lab_holds_an_address_and_a_default_route(router, api):
    clients = api.path("ip", "dhcp-client")
    entry_id = clients.add(interface="ether1", disabled=False)
    bind_dhcp_client(router, "ether1", "100.64.0.10/24", "100.64.0.1", dns=("1.1.1.1", "8.8.8.8"))
    row = router.print("/ip/dhcp-client")[0]
    assert {k: row[k] for k in ("status", "address", "gateway", "dhcp-server", "primary-dns", "secondary-dns")} == {
        "status": "bound", "address": "100.64.0.10/24", "gateway": "100.64.0.1", "dhcp-server": "100.64.0.1",
        "primary-dns": "1.1.1.1", "secondary-dns": "8.8.8.8"}
    [address] = router.print("/ip/address")
    assert address["dynamic"] == "true" and address["address"] == "100.64.0.10/24"
    assert address["interface"] == "ether1" and address["network"] == "100.64.0.0"
    [default] = routes(router, **{"dst-address": "0.0.0.0/0"})
    assert default["gateway"] == "100.64.0.1" and default["dynamic"] == "true" and default["active"] == "true"
    assert default["distance"] == "1" and default["vrf-interface"] == "ether1"
    assert routes(router, connect="true")[0]["dst-address"] == "100.64.0.0/24"
    assert router.print("/ip/dns")[0]["dynamic-servers"] == "1.1.1.1,8.8.8.8"

    clients.update(**{".id": entry_id, "default-route-distance": 5})
    assert routes(router, **{"dst-address": "0.0.0.0/0"})[0]["distance"] == "5"
    clients.update(**{".id": entry_id, "add-default-route": "no"})
    assert routes(router, **{"dst-address": "0.0.0.0/0"}) == []
    clients.update(**{".id": entry_id, "add-default-route": "yes", "use-peer-dns": False})
    assert len(routes(router, **{"dst-address": "0.0.0.0/0"})) == 1
    assert router.print("/ip/dns")[0]["dynamic-servers"] == ""

    # dynamic state belongs to the client: not removable by hand
    with pytest.raises(TrapError):
        api.path("ip", "address").remove(router.print("/ip/address")[0][".id"])

    clients.update(**{".id": entry_id, "disabled": True})
    assert router.print("/ip/address") == [] and routes(router) == []
    assert router.print("/ip/dhcp-client")[0]["status"] == "stopped"
    clients.update(**{".id": entry_id, "disabled": False})
    assert router.print("/ip/dhcp-client")[0]["status"] == "searching..."

    bind_dhcp_client(router, "ether1", "100.64.0.11/24", "100.64.0.1")
    assert router.print("/ip/address")[0]["address"] == "100.64.0.11/24"
    release_dhcp_client(router, "ether1")
    assert router.print("/ip/address") == [] and routes(router) == []
    bind_dhcp_client(router, "ether1", "100.64.0.12/24", "100.64.0.1")
    clients.remove(entry_id)
    assert router.print("/ip/address") == [] and routes(router) == []


def test_dhcp_route_and_static_failover_route_share_the_table(router, api):
    clients = api.path("ip", "dhcp-client")
    clients.add(interface="ether1", disabled=False, **{"default-route-distance": 2})
    api.path("ip", "address").add(address="10.0.2.2/24", interface="ether2")
    static = api.path("ip", "route").add(gateway="10.0.2.1", distance=1)
    bind_dhcp_client(router, "ether1", "100.64.0.10/24", "100.64.0.1")
    defaults = {r["gateway"]: r["active"] for r in routes(router, **{"dst-address": "0.0.0.0/0"})}
    assert defaults == {"10.0.2.1": "true", "100.64.0.1": "false"}
    api.path("ip", "route").update(**{".id": static, "disabled": True})
    defaults = {r["gateway"]: r["active"] for r in routes(router, **{"dst-address": "0.0.0.0/0"})}
    assert defaults == {"10.0.2.1": "false", "100.64.0.1": "true"}


# ---- /ip/dhcp-server, network, lease ------------------------------------------------------------------

def test_dhcp_server_add_with_required_fields_prints_defaults(router, api):
    servers = api.path("ip", "dhcp-server")
    entry_id = servers.add(interface="ether2")
    [row] = router.print("/ip/dhcp-server")
    expected = {
        ".id": entry_id, "name": "dhcp1", "interface": "ether2", "address-pool": "static-only",
        "authoritative": "yes", "bootp-support": "static", "add-arp": "false", "always-broadcast": "false",
        "relay": "0.0.0.0", "src-address": "0.0.0.0", "delay-threshold": "none", "lease-script": "",
        "invalid": "false", "dynamic": "false",
    }
    if v7(router):
        expected.update({"lease-time": "30m", "use-radius": "no", "conflict-detection": "true",
                         "allow-dual-stack-queue": "true", "address-lists": "", "disabled": "false"})
    else:
        expected.update({"lease-time": "10m", "use-radius": "false", "disabled": "true"})
    assert row == expected
    second = servers.add(interface="ether3")
    assert by_id(list(servers), second)["name"] == "dhcp2"


def test_dhcp_server_dialect_specific_fields(router, api):
    servers = api.path("ip", "dhcp-server")
    if v7(router):
        entry_id = servers.add(interface="ether2", **{"use-radius": "accounting", "conflict-detection": False})
        row = router.print("/ip/dhcp-server", **{".id": entry_id})[0]
        assert row["use-radius"] == "accounting" and row["conflict-detection"] == "false"
    else:
        refused(router, "/ip/dhcp-server", lambda: servers.add(interface="ether2", **{"conflict-detection": False}),
                "unknown parameter")
        refused(router, "/ip/dhcp-server", lambda: servers.add(interface="ether2", **{"use-radius": "accounting"}),
                "invalid value for argument use-radius")


def test_dhcp_server_refusals_change_nothing(router, api):
    servers = api.path("ip", "dhcp-server")
    servers.add(name="lan", interface="ether2", **{"lease-time": "1h30m"})
    assert router.print("/ip/dhcp-server")[0]["lease-time"] == "1h30m"
    refused(router, "/ip/dhcp-server", lambda: servers.add(interface="ether3", **{"address-pool": "nosuch"}),
            "input does not match any value of address-pool")
    refused(router, "/ip/dhcp-server", lambda: servers.add(interface="nosuch"),
            "input does not match any value of interface")
    refused(router, "/ip/dhcp-server", lambda: servers.add(interface="ether3", **{"lease-time": "soon"}),
            "invalid value for argument lease-time")
    refused(router, "/ip/dhcp-server", lambda: servers.add(interface="ether3", authoritative="always"),
            "input does not match any value of authoritative")
    refused(router, "/ip/dhcp-server", lambda: servers.add(name="lan", interface="ether3"),
            "failure: server with such name already exists")


def test_dhcp_network_add_with_required_fields_prints_defaults(router, api):
    networks = api.path("ip", "dhcp-server", "network")
    entry_id = networks.add(address="192.168.88.0/24")
    [row] = router.print("/ip/dhcp-server/network")
    expected = {".id": entry_id, "address": "192.168.88.0/24", "gateway": "", "dns-server": "", "ntp-server": "",
                "wins-server": "", "caps-manager": "", "dhcp-option": "", "dynamic": "false"}
    if v7(router):
        expected["dns-none"] = "false"
    assert row == expected
    networks.update(**{".id": entry_id, "gateway": "192.168.88.1", "dns-server": "192.168.88.1,8.8.8.8",
                       "domain": "lan", "netmask": 24})
    row = router.print("/ip/dhcp-server/network")[0]
    assert (row["gateway"], row["dns-server"], row["domain"], row["netmask"]) == (
        "192.168.88.1", "192.168.88.1,8.8.8.8", "lan", "24")
    # an overlapping network is another network
    networks.add(address="192.168.88.0/25")


def test_dhcp_network_refusals_change_nothing(router, api):
    networks = api.path("ip", "dhcp-server", "network")
    entry_id = networks.add(address="192.168.88.0/24")
    refused(router, "/ip/dhcp-server/network", lambda: networks.add(address="192.168.88.0/24"),
            "failure: such network already exists")
    refused(router, "/ip/dhcp-server/network", lambda: networks.add(address="192.168.89.1/24"),
            "failure: invalid network")
    refused(router, "/ip/dhcp-server/network", lambda: networks.add(address="192.168.90.0/24", **{"dns-server": "8.8.8"}),
            "invalid value for argument dns-server")
    refused(router, "/ip/dhcp-server/network", lambda: tuple(networks("disable", **{".id": entry_id})),
            "no such command or directory (disable)")
    if not v7(router):
        refused(router, "/ip/dhcp-server/network", lambda: networks.add(address="192.168.90.0/24", **{"dns-none": True}),
                "unknown parameter")


def test_dhcp_lease_add_with_required_fields_prints_defaults(router, api):
    leases = api.path("ip", "dhcp-server", "lease")
    entry_id = leases.add(address="192.168.88.50", **{"mac-address": "aa:bb:cc:dd:ee:ff"})
    [row] = router.print("/ip/dhcp-server/lease")
    # server=all is stored as no server; a lease never bound is waiting and was never seen
    assert row == {".id": entry_id, "address": "192.168.88.50", "mac-address": "AA:BB:CC:DD:EE:FF",
                   "address-lists": "", "dhcp-option": "", "status": "waiting", "last-seen": "never",
                   "blocked": "false", "radius": "false", "disabled": "false", "dynamic": "false"}


def test_dhcp_lease_uniqueness_and_references(router, api):
    servers = api.path("ip", "dhcp-server")
    servers.add(name="lan", interface="ether2")
    servers.add(name="guest", interface="ether3")
    leases = api.path("ip", "dhcp-server", "lease")
    leases.add(address="192.168.88.50", server="lan", **{"mac-address": "AA:BB:CC:DD:EE:01"})
    refused(router, "/ip/dhcp-server/lease",
            lambda: leases.add(address="192.168.88.51", server="lan", **{"mac-address": "aa:bb:cc:dd:ee:01"}),
            "failure: already have static lease for this client")
    refused(router, "/ip/dhcp-server/lease",
            lambda: leases.add(address="192.168.88.51", server="all", **{"mac-address": "AA:BB:CC:DD:EE:01"}),
            "failure: already have static lease for this client")
    refused(router, "/ip/dhcp-server/lease",
            lambda: leases.add(address="192.168.88.50", server="guest", **{"mac-address": "AA:BB:CC:DD:EE:02"}),
            "failure: already have static lease with this IP address")
    refused(router, "/ip/dhcp-server/lease",
            lambda: leases.add(address="192.168.88.52", server="nosuch", **{"mac-address": "AA:BB:CC:DD:EE:03"}),
            "input does not match any value of server")
    refused(router, "/ip/dhcp-server/lease",
            lambda: leases.add(address="192.168.88.52", **{"mac-address": "AA:BB:CC:DD:EE"}),
            "invalid value for argument mac-address")
    # the same client on another named server, or a disabled duplicate, is allowed
    leases.add(address="192.168.89.50", server="guest", **{"mac-address": "AA:BB:CC:DD:EE:01"})
    leases.add(address="192.168.88.50", server="guest", disabled=True, **{"mac-address": "AA:BB:CC:DD:EE:09"})
    assert len(router.print("/ip/dhcp-server/lease")) == 3
    if not v7(router):
        refused(router, "/ip/dhcp-server/lease",
                lambda: leases.add(address="192.168.88.60", **{"mac-address": "AA:BB:CC:DD:EE:10",
                                                               "allow-dual-stack-queue": True}),
                "unknown parameter")


# ---- /ip/dns ------------------------------------------------------------------------------------------

DNS_COMMON = {
    "servers": "", "dynamic-servers": "", "use-doh-server": "", "verify-doh-cert": "false",
    "allow-remote-requests": "false", "max-udp-packet-size": "4096", "query-server-timeout": "2s",
    "query-total-timeout": "10s", "max-concurrent-queries": "100", "max-concurrent-tcp-sessions": "20",
    "cache-size": "2048KiB", "cache-max-ttl": "1w", "cache-used": "24KiB",
}
DNS_V7 = {"doh-max-server-connections": "5", "doh-max-concurrent-queries": "50", "doh-timeout": "5s",
          "address-list-extra-time": "0s", "vrf": "main", "mdns-repeat-ifaces": ""}


def test_dns_print_defaults_and_set(router, api):
    assert router.print("/ip/dns") == [{**DNS_COMMON, **(DNS_V7 if v7(router) else {})}]
    dns = api.path("ip", "dns")
    dns.update(servers="8.8.8.8,1.1.1.1", **{"allow-remote-requests": True, "cache-size": 4096,
                                            "cache-max-ttl": "2d"})
    [row] = list(dns)  # librouteros view: no id on a single-value menu
    assert ".id" not in row
    assert (row["servers"], row["allow-remote-requests"], row["cache-size"], row["cache-max-ttl"]) == (
        "8.8.8.8,1.1.1.1", True, "4096KiB", "2d")
    tuple(dns("unset", **{"value-name": "cache-size"}))
    assert router.print("/ip/dns")[0]["cache-size"] == "2048KiB"


def test_dns_refusals_change_nothing(router, api):
    dns = api.path("ip", "dns")
    refused(router, "/ip/dns", lambda: dns.update(servers="8.8.8.888"), "invalid value for argument servers")
    refused(router, "/ip/dns", lambda: dns.update(**{"cache-size": 10}),
            "value of cache-size out of range (64..4294967295)")
    refused(router, "/ip/dns", lambda: dns.update(**{"dynamic-servers": "1.1.1.1"}), "unknown parameter")
    refused(router, "/ip/dns", lambda: dns.add(servers="1.1.1.1"), "no such command or directory (add)")
    if v7(router):
        refused(router, "/ip/dns", lambda: dns.update(**{"mdns-repeat-ifaces": "nosuch"}),
                "input does not match any value of mdns-repeat-ifaces")
    else:
        refused(router, "/ip/dns", lambda: dns.update(**{"doh-timeout": "3s"}), "unknown parameter")


# ---- paths of one dialect --------------------------------------------------------------------------

def test_unknown_ip_paths_are_refused(router, api):
    with pytest.raises(MultiTrapError) as info:
        list(api.path("ip", "nosuch"))
    assert info.value.traps[0].message == "no such command or directory (nosuch)"


# ---- saved state ------------------------------------------------------------------------------------

@pytest.mark.parametrize("dialect", ["v6", "v7"])
def test_dynamic_ip_state_is_rebuilt_after_a_restart(tmp_path, dialect):
    state = str(tmp_path / "router.json")
    handle = start_router(version=VERSIONS[dialect], password=PASSWORD, state_file=state)
    api = connect(handle)
    api.path("ip", "address").add(address="10.0.0.1/24", interface="ether2")
    api.path("ip", "dhcp-client").add(interface="ether1", disabled=False)
    api.path("ip", "route").add(gateway="10.0.0.254", distance=3)
    bind_dhcp_client(handle, "ether1", "100.64.0.5/24", "100.64.0.1")
    api.close()

    def summary(h):
        return sorted((r["dst-address"], r["gateway"], r["active"], r["dynamic"]) for r in routes(h))

    before = summary(handle)
    handle.stop()
    again = start_router(version=VERSIONS[dialect], password=PASSWORD, state_file=state)
    try:
        assert summary(again) == before == sorted([
            ("0.0.0.0/0", "10.0.0.254", "false", "false"), ("0.0.0.0/0", "100.64.0.1", "true", "true"),
            ("10.0.0.0/24", "ether2", "true", "true"), ("100.64.0.0/24", "ether1", "true", "true")])
        assert again.print("/ip/dhcp-client")[0]["status"] == "bound"
    finally:
        again.stop()


def test_state_saved_before_a_menu_existed_gets_its_builtin_entries(tmp_path):
    """A state file from an older emulator (no /radius/incoming) still starts: the missing
    single-value menu gets its built-in entry, saved entries stay."""
    import json

    state = tmp_path / "router.json"
    handle = start_router(version=VERSIONS["v7"], password=PASSWORD, state_file=str(state))
    api = connect(handle)
    api.path("ip", "address").add(address="10.0.0.1/24", interface="ether2")
    api.close()
    handle.stop()
    data = json.loads(state.read_text())
    del data["menus"]["/radius/incoming"]
    state.write_text(json.dumps(data))
    again = start_router(version=VERSIONS["v7"], password=PASSWORD, state_file=str(state))
    try:
        assert again.print("/radius/incoming")[0]["accept"] == "false"
        assert [r["address"] for r in again.print("/ip/address")] == ["10.0.0.1/24"]
    finally:
        again.stop()
