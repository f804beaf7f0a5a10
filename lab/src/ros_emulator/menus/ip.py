"""/ip/address and /ip/route (with connected routes and route state)."""
from __future__ import annotations

import ipaddress

from ..errors import failure
from ..schema import V6, V7, Field, Menu
from ..values import (
    Bool, Enum, Int, Interface, InterfaceRef, INTERFACE_PATHS, Invalid, IPAddress, NoMatch,
    Prefix, Ref, Text, ValueType,
)

COMMON = [Field("comment", Text()), Field("disabled", Bool(), default="false")]


def _network(address: str) -> ipaddress.IPv4Network:
    return ipaddress.IPv4Interface(address).network


def _address_compute(router, entry):
    return {"actual-interface": entry.values.get("interface", ""), "invalid": "false"}


def _address_defaults(router, values, old):
    # RouterOS fills network (and on 6.x broadcast) from the address unless given
    if "network" not in values or (old and old.get("address") != values["address"] and old.get("network") == values.get("network")):
        values["network"] = str(_network(values["address"]).network_address)
    if router.dialect == V6 and ("broadcast" not in values or (old and old.get("address") != values["address"])):
        values["broadcast"] = str(_network(values["address"]).broadcast_address)


def _address_changed(router, entry, op):
    values = entry.values
    wanted = []
    if op != "remove" and values.get("disabled") != "true":
        net = _network(values["address"])
        route = {"dst-address": str(net), "gateway": values["interface"], "distance": "0", "scope": "10"}
        if router.dialect == V6:
            route["pref-src"] = values["address"].split("/")[0]
        else:
            route["local-address"] = f"{values['address'].split('/')[0]}%{values['interface']}"
            route["routing-table"] = "main"
        route["connect"] = "true"
        wanted.append(("/ip/route", route))
    router.replace_derived("/ip/address", entry, wanted)
    refresh_routes(router)


class Gateway(ValueType):
    """Gateways: addresses or interface names, comma-separated; on 7.x `address%interface` too."""

    def parse(self, text, router=None):
        out = []
        for item in text.split(","):
            address, _, iface = item.partition("%")
            try:
                out.append(str(ipaddress.IPv4Address(address)) + (f"%{iface}" if iface else ""))
                if iface and (router is None or router.dialect == V6):
                    raise Invalid(item)
                if iface and not router.has_entry(INTERFACE_PATHS, "name", iface):
                    raise NoMatch(iface)
                continue
            except ipaddress.AddressValueError:
                pass
            if router is not None and not router.has_entry(INTERFACE_PATHS, "name", item):
                raise Invalid(item)
            out.append(item)
        return ",".join(out)

    def __hash__(self):
        return hash("Gateway")


def _connected_networks(router) -> list[tuple[ipaddress.IPv4Network, str]]:
    return [
        (_network(e.values["address"]), e.values["interface"])
        for e in router.entries("/ip/address")
        if e.values.get("disabled") != "true"
    ]


def refresh_routes(router) -> None:
    """Recompute every route's reachability and which route of each destination is active."""
    connected = _connected_networks(router)
    table_field = "routing-mark" if router.dialect == V6 else "routing-table"
    reach: dict[int, tuple[bool, str]] = {}
    for route in router.entries("/ip/route"):
        values = route.values
        if values.get("connect") == "true":
            reach[route.id] = (True, values["gateway"])
            continue
        if values.get("disabled") == "true":
            reach[route.id] = (False, "")
            continue
        ok, via = False, ""
        for gateway in values.get("gateway", "").split(","):
            address = gateway.split("%")[0]
            try:
                ip = ipaddress.IPv4Address(address)
            except ipaddress.AddressValueError:
                ok, via = True, gateway  # an interface gateway is reachable while the interface exists
                break
            iface = next((i for net, i in connected if ip in net), None)
            if iface is None:
                continue
            if values.get("check-gateway") in ("ping", "arp") and address in router.unreachable_gateways:
                continue
            ok, via = True, iface
            break
        reach[route.id] = (ok, via)
    best: dict[tuple[str, str], tuple[int, int]] = {}
    for route in router.entries("/ip/route"):
        ok, _ = reach[route.id]
        if not ok:
            continue
        key = (route.values.get("dst-address", ""), route.values.get(table_field, "main" if router.dialect == V7 else ""))
        rank = (int(route.values.get("distance", "1")), route.id)
        if key not in best or rank < best[key]:
            best[key] = rank
    winners = {rank[1] for rank in best.values()}
    for route in router.entries("/ip/route"):
        ok, via = reach[route.id]
        status = {"active": "true" if route.id in winners else "false"}
        gateway = route.values.get("gateway", "")
        if router.dialect == V6:
            if route.values.get("connect") != "true" and gateway:
                first = gateway.split(",")[0]
                status["gateway-status"] = f"{first} reachable via  {via}" if ok else f"{first} unreachable"
        else:
            status["inactive"] = "false" if ok else "true"
            if ok and via:
                status["immediate-gw"] = via if "%" in via or via == gateway else f"{gateway.split(',')[0]}%{via}"
        if any(route.values.get(k) != v for k, v in status.items()):
            router.update_dynamic("/ip/route", route, status)


def _route_changed(router, entry, op):
    refresh_routes(router)


def _route_compute(router, entry):
    static = entry.values.get("connect") != "true" and not entry.dynamic
    return {"static": "true" if static else "false"}


ADDRESS = Menu(
    "/ip/address",
    [
        Field("address", Interface(), required=True),
        Field("network", IPAddress()),
        Field("broadcast", IPAddress(), dialects=frozenset({V6})),
        Field("interface", InterfaceRef(), required=True),
        Field("actual-interface", readonly=True),
        Field("invalid", readonly=True),
        *COMMON,
    ],
    unique=[(("address", "interface"), "already have such address")],
    validate=_address_defaults,
    on_change=_address_changed,
    compute=_address_compute,
)

ROUTE = Menu(
    "/ip/route",
    [
        Field("dst-address", Prefix(), default="0.0.0.0/0"),
        Field("gateway", Gateway()),
        Field("gateway-status", readonly=True, dialects=frozenset({V6})),
        Field("immediate-gw", readonly=True, dialects=frozenset({V7})),
        Field("check-gateway", Enum(("arp", "ping")), dialects=frozenset({V6})),
        Field("check-gateway", Enum(("arp", "ping", "bfd", "bfd-multihop", "none")), dialects=frozenset({V7})),
        Field("distance", Int(0, 255), default="1"),
        Field("scope", Int(0, 255), default="30"),
        Field("target-scope", Int(0, 255), default="10"),
        Field("routing-mark", Text(), dialects=frozenset({V6})),
        Field("routing-table", Ref(("/routing/table",)), default="main", dialects=frozenset({V7})),
        Field("pref-src", IPAddress(), dialects=frozenset({V6})),
        Field("local-address", readonly=True, dialects=frozenset({V7})),
        Field("type", Enum(("unicast", "blackhole", "prohibit", "unreachable")), default="unicast", dialects=frozenset({V6})),
        Field("blackhole", Bool(), dialects=frozenset({V7})),
        Field("suppress-hw-offload", Bool(), default="false", dialects=frozenset({V7})),
        Field("vrf-interface", InterfaceRef(), dialects=frozenset({V7})),
        Field("active", readonly=True),
        Field("inactive", readonly=True, dialects=frozenset({V7})),
        Field("connect", readonly=True),
        Field("static", readonly=True),
        *COMMON,
    ],
    validate=lambda router, values, old: _route_check(router, values),
    on_change=_route_changed,
    compute=_route_compute,
)


def _route_check(router, values):
    if "gateway" not in values and values.get("type", "unicast") == "unicast" and values.get("blackhole") != "true":
        raise failure("gateway or type must be set")


SERVICE = Menu(
    "/ip/service",
    [
        Field("name", readonly=True),
        Field("port", Int(1, 65535)),
        Field("address", Text(), default=""),
        Field("certificate", Text(), default="none"),
        Field("tls-version", Enum(("any", "only-1.2")), default="any"),
        Field("vrf", Text(), default="main", dialects=frozenset({V7})),
        Field("invalid", readonly=True),
        Field("disabled", Bool(), default="false"),
    ],
    kind="fixed",
    name_field="name",
    builtins=[
        {"name": name, "port": port}
        for name, port in (("telnet", "23"), ("ftp", "21"), ("www", "80"), ("ssh", "22"),
                           ("www-ssl", "443"), ("api", "8728"), ("winbox", "8291"), ("api-ssl", "8729"))
    ],
    compute=lambda router, entry: {"invalid": "false"},
)

MENUS = [ADDRESS, ROUTE, SERVICE]
