"""/ip: address (with connected routes), route (with route state), pool, dhcp-client,
dhcp-server (and its networks and static leases), dns, service.

Written from MikroTik's manual (help.mikrotik.com, wiki.mikrotik.com), exports of real
routers and ../shared/reference/routeros-api.md. Facts that are guesses say "unverified".

Network events the lab makes happen (a DHCP server answering our client, a gateway that
stops answering pings) come in through `bind_dhcp_client` / `release_dhcp_client` below and
`EmulatedRouter.set_gateway_reachable`.
"""
from __future__ import annotations

import functools
import ipaddress
import re
from dataclasses import dataclass
from typing import Callable

from ..errors import failure
from ..schema import FIXED, RUNTIME, SINGLE, V6, V7, Field, Menu
from ..values import (
    Bool, Duration, Enum, Int, Interface, InterfaceRef, INTERFACE_PATHS, Invalid, IPAddress,
    ListOf, MacAddress, Name, NoMatch, OutOfRange, Prefix, Ranges, Ref, Text, ValueType,
)
from ._common import COMMENT, COMMON, ONLY_V6, ONLY_V7, not_itself
from .interface import interface_running


def _network(address: str) -> ipaddress.IPv4Network:
    return ipaddress.IPv4Interface(address).network


def _router(target):
    """Accept a Router or an EmulatedRouter (tests hold the latter)."""
    return getattr(target, "router", target)


# ---- interfaces as /ip sees them -----------------------------------------------------------

def interfaces_changed(router) -> None:
    """An interface was renamed, enabled or disabled: connected routes and route state follow."""
    for entry in router.entries("/ip/address"):
        if not entry.dynamic:
            _address_changed(router, entry, "set", refresh=False)
    for entry in router.entries("/ip/dhcp-client"):
        if entry.values.get("status") == "bound":
            _dhcp_client_apply(router, entry, refresh=False)
    refresh_routes(router)


# ---- /ip/address ---------------------------------------------------------------------------

def _address_compute(router, entry):
    return {"actual-interface": entry.values.get("interface", ""), "invalid": "false"}


def _address_defaults(router, values, old):
    # RouterOS fills network from the address unless given (point-to-point addresses give it).
    # 6.x has no `broadcast` (removed in v5, per the v6 manual).
    address_moved = old is not None and old.get("address") != values["address"]
    if "network" not in values or (address_moved and old.get("network") == values.get("network")):
        values["network"] = str(_network(values["address"]).network_address)


def _connected_route(router, values: dict[str, str]) -> dict[str, str]:
    net = _network(values["address"])
    local = values["address"].split("/")[0]
    route = {"dst-address": str(net), "gateway": values["interface"], "distance": "0", "scope": "10",
             "connect": "true"}
    if router.dialect == V6:
        route["pref-src"] = local
    else:
        route["local-address"] = f"{local}%{values['interface']}"
        route["routing-table"] = "main"
    return route


def _address_changed(router, entry, op, refresh: bool = True):
    values = entry.values
    wanted = []
    if op != "remove" and values.get("disabled") != "true":
        wanted.append(("/ip/route", _connected_route(router, values)))
    router.replace_derived("/ip/address", entry, wanted)
    if router.dialect == V6:
        # a 6.x connected route prints no target-scope ("distance=0 scope=10")
        for _, route in router.derived.get(("/ip/address", entry.id), []):
            route.values.pop("target-scope", None)
    if refresh:
        refresh_routes(router)


ADDRESS = Menu(
    "/ip/address",
    [
        Field("address", Interface(), required=True),
        Field("network", IPAddress()),
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


# ---- /ip/route -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Gateway(Ref):
    """Gateways: addresses or interface names, comma-separated; on 7.x `address%interface` too.

    A Ref to the interface menus, so renaming an interface renames the gateways that name it.
    """

    paths: tuple[str, ...] = INTERFACE_PATHS

    def parse(self, text, router=None):
        out = []
        for item in text.split(","):
            address, _, iface = item.partition("%")
            try:
                ip = ipaddress.IPv4Address(address)
            except ipaddress.AddressValueError:
                ip = None
            if ip is not None:
                if iface and (router is None or router.dialect == V6):
                    raise Invalid(item)
                if iface and not router.has_entry(INTERFACE_PATHS, "name", iface):
                    raise NoMatch(iface)
                out.append(str(ip) + (f"%{iface}" if iface else ""))
                continue
            if router is not None and not router.has_entry(INTERFACE_PATHS, "name", item):
                raise Invalid(item)
            out.append(item)
        return ",".join(out)


def connected_networks(router) -> list[tuple[ipaddress.IPv4Network, str]]:
    """(network, interface) of every enabled address on a running interface."""
    return [
        (_network(e.values["address"]), e.values["interface"])
        for e in router.entries("/ip/address")
        if e.values.get("disabled") != "true" and interface_running(router, e.values["interface"])
    ]


# ---- route state: nexthop lookup ------------------------------------------------------------
#
# RouterOS resolves a route's gateway through the main table's active routes (6.x manual: "only
# in main routing table, even for routes with different routing-mark"; 7.x does the same unless a
# gateway names a table, which the emulator does not model): the most specific one whose scope is
# at most the route's target-scope. Connected routes have scope 10 and a static route's default
# target-scope is 10, so a plain gateway must be on a connected network; a gateway beyond one
# (a recursive route, target-scope 11 or more) goes on through the route that holds it, with that
# route's gateway and target-scope, until a connected network is reached.

MAX_NEXTHOP_DEPTH = 8  # lookups one gateway may chain (RouterOS's own limit is unverified)
MAX_ROUTE_ROUNDS = 16  # recomputations of a router's routes before their state is taken as is


@dataclass(frozen=True)
class NextHop:
    """Where one gateway of a route leads: out of `interface` to the on-link address `immediate`
    (None for an interface gateway: the destination itself is on-link); `recursive` when it was
    found through another route than a connected one."""

    interface: str
    immediate: str | None
    recursive: bool = False


@functools.lru_cache(maxsize=4096)
def _prefix(text: str) -> ipaddress.IPv4Network:
    return ipaddress.IPv4Network(text)


@functools.lru_cache(maxsize=4096)
def _host(text: str) -> ipaddress.IPv4Address | None:
    """An address, or None for anything else (an interface name)."""
    try:
        return ipaddress.IPv4Address(text)
    except ipaddress.AddressValueError:
        return None


def route_table(router, values: dict[str, str]) -> str:
    """The table a route is in: `main`, or its 6.x routing-mark / 7.x routing-table."""
    if router.dialect == V6:
        return values.get("routing-mark") or "main"
    return values.get("routing-table", "main")


def _forwards(values: dict[str, str]) -> bool:
    """A unicast route with gateways (not a blackhole, prohibit or unreachable one)."""
    return values.get("blackhole") != "true" and values.get("type", "unicast") == "unicast"


def lookup_routes(router, active: set[int] | None = None) -> list:
    """The routes nexthop lookup may use: the main table's active ones (`active`: their ids, else
    as the routes print now), most specific first."""
    chosen = [route for route in router.entries("/ip/route")
              if (route.id in active if active is not None else route.values.get("active") == "true")
              and route_table(router, route.values) == "main"]
    return sorted(chosen, key=lambda route: -_prefix(route.values.get("dst-address", "0.0.0.0/0")).prefixlen)


def resolve_gateway(router, gateway: str, target_scope: int, routes: list, *,
                    skip: frozenset[int] = frozenset(), depth: int = 0) -> NextHop | None:
    """RouterOS's nexthop lookup for one gateway (`A.B.C.D`, 7.x `A.B.C.D%iface`, or an interface
    name) through `routes` (lookup_routes); None when it fails. `skip`: routes already on the
    way (a route never resolves through itself)."""
    address, _, pinned = gateway.partition("%")
    ip = _host(address)
    if ip is None:
        return NextHop(gateway, None) if interface_running(router, gateway) else None
    for route in routes:
        values = route.values
        if route.id in skip or int(values.get("scope", "30")) > target_scope \
                or ip not in _prefix(values.get("dst-address", "0.0.0.0/0")):
            continue
        if values.get("connect") == "true":
            if pinned and values["gateway"] != pinned:
                continue
            return NextHop(values["gateway"], address, depth > 0)
        if pinned:  # on-link on the named interface only
            continue
        if depth >= MAX_NEXTHOP_DEPTH or not _forwards(values):
            return None
        for through in values.get("gateway", "").split(","):
            hop = resolve_gateway(router, through, int(values.get("target-scope", "10")), routes,
                                  skip=skip | {route.id}, depth=depth + 1)
            if hop is not None:  # an interface gateway puts `address` itself on-link there
                return NextHop(hop.interface, hop.immediate or address, True)
        return None
    return None


def gateway_next_hop(router, gateway: str, values: dict[str, str], routes: list,
                     answers: Callable[[str], bool] | None = None, route_id: int | None = None) -> NextHop | None:
    """Where one gateway of a route (its `values`) leads now, or None while it is unusable: the
    lookup fails, or check-gateway finds that the gateway itself (beyond the next hop, for a
    recursive route) does not answer. `answers`: the ping to use (default gateway_answers)."""
    hop = resolve_gateway(router, gateway, int(values.get("target-scope", "10")), routes,
                          skip=frozenset() if route_id is None else frozenset({route_id}))
    if hop is None or hop.immediate is None or values.get("check-gateway") not in ("ping", "arp"):
        return hop
    address = gateway.partition("%")[0]
    ping = answers or (lambda host: gateway_answers(router, host))
    return hop if ping(address) else None


def gateway_answers(router, address: str) -> bool:
    """Whether `address` answers the router's pings (check-gateway, netwatch): not while a test
    made it unreachable (EmulatedRouter.set_gateway_reachable); in a lab, when the lab's network
    says so (network.py installs `router.pinger`)."""
    if address in router.unreachable_gateways:
        return False
    return router.pinger is None or router.pinger(address)


RouteState = tuple[bool, "NextHop | None"]  # usable, and where its first usable gateway leads


def _route_states(router, routes: list, active: set[int], answers: Callable[[str], bool]) -> dict[int, RouteState]:
    """Each route's state, its gateways looked up through the routes in `active`."""
    lookup = lookup_routes(router, active)
    states: dict[int, RouteState] = {}
    for route in routes:
        values = route.values
        if values.get("disabled") == "true":
            states[route.id] = (False, None)
        elif values.get("connect") == "true":
            # a connected route of a disabled interface stays, inactive (unverified)
            ok = interface_running(router, values["gateway"])
            states[route.id] = (ok, NextHop(values["gateway"], None) if ok else None)
        elif not _forwards(values):
            states[route.id] = (True, None)
        else:
            hop = next((found for gateway in values.get("gateway", "").split(",")
                        if (found := gateway_next_hop(router, gateway, values, lookup, answers, route.id))), None)
            states[route.id] = (hop is not None, hop)
    return states


def _winners(router, routes: list, states: dict[int, RouteState]) -> set[int]:
    """The active route of each destination and table: the usable one of least distance."""
    best: dict[tuple[str, str], tuple[int, int]] = {}
    for route in routes:
        if not states[route.id][0]:
            continue
        key = (route.values.get("dst-address", ""), route_table(router, route.values))
        rank = (int(route.values.get("distance", "1")), route.id)
        if key not in best or rank < best[key]:
            best[key] = rank
    return {rank[1] for rank in best.values()}


def _route_status(router, route, state: RouteState, active: bool) -> dict[str, str]:
    """What a route prints of its state, as 6.x (gateway-status) or 7.x (inactive, immediate-gw)."""
    ok, hop = state
    status = {"active": "true" if active else "false"}
    gateway = route.values.get("gateway", "")
    first = gateway.split(",")[0]
    if router.dialect == V6:
        if not gateway:
            return status
        if route.values.get("connect") == "true":
            status["gateway-status"] = f"{gateway} {'reachable' if ok else 'unreachable'}"
        elif ok and hop is not None and hop.recursive:
            status["gateway-status"] = f"{first} recursive via {hop.immediate} {hop.interface}"
        elif ok and hop is not None and hop.interface != first:
            status["gateway-status"] = f"{first} reachable via  {hop.interface}"  # two spaces, as 6.x prints
        else:
            status["gateway-status"] = f"{first} {'reachable' if ok else 'unreachable'}"
        return status
    status["inactive"] = "false" if ok else "true"
    if not ok or hop is None:
        status["immediate-gw"] = ""
    elif hop.immediate is None:
        status["immediate-gw"] = hop.interface
    else:
        status["immediate-gw"] = f"{hop.immediate}%{hop.interface}"
    return status


def refresh_routes(router) -> bool:
    """Recompute every route's state (its gateways looked up, check-gateway) and which route of
    each destination is active; True when what a route prints changed.

    A route's state depends on the routes its gateway is looked up through, so the routes are
    recomputed from none active until the active set settles (at most MAX_ROUTE_ROUNDS rounds):
    connected routes first, then the routes resolved through them, and so on. Pings are asked
    once per address (they follow the routes as they print: network.py settles the lab)."""
    routes = router.entries("/ip/route")
    pings: dict[str, bool] = {}

    def answers(address: str) -> bool:
        if address not in pings:
            pings[address] = gateway_answers(router, address)
        return pings[address]

    active: set[int] = set()
    states: dict[int, RouteState] = {}
    for _ in range(MAX_ROUTE_ROUNDS):
        states = _route_states(router, routes, active, answers)
        winners = _winners(router, routes, states)
        if winners == active:
            break
        active = winners
    changed = False
    for route in routes:
        status = _route_status(router, route, states[route.id], route.id in active)
        if any(route.values.get(k) != v for k, v in status.items()):
            router.update_dynamic("/ip/route", route, status)
            changed = True
    return changed


def _route_changed(router, entry, op):
    refresh_routes(router)


def _route_compute(router, entry):
    static = entry.values.get("connect") != "true" and not entry.dynamic
    return {"static": "true" if static else "false"}


def _route_check(router, values, old):
    if values.get("connect") == "true":
        return
    if router.dialect == V6:
        if "gateway" not in values and values.get("type", "unicast") == "unicast":
            raise failure("gateway or type must be set")  # wording unverified
    elif "gateway" not in values and values.get("blackhole") != "true":
        raise failure("gateway or blackhole must be set")  # wording unverified


ROUTE = Menu(
    "/ip/route",
    [
        Field("dst-address", Prefix(), default="0.0.0.0/0"),
        Field("gateway", Gateway()),
        Field("gateway-status", readonly=True, dialects=ONLY_V6),
        Field("immediate-gw", readonly=True, dialects=ONLY_V7),
        Field("check-gateway", Enum(("arp", "ping")), dialects=ONLY_V6),
        Field("check-gateway", Enum(("arp", "ping", "bfd", "bfd-multihop", "none")), dialects=ONLY_V7),
        Field("distance", Int(0, 255), default="1"),
        Field("scope", Int(0, 255), default="30"),
        Field("target-scope", Int(0, 255), default="10"),
        Field("routing-mark", Text(), dialects=ONLY_V6),
        Field("routing-table", Ref(("/routing/table",)), default="main", dialects=ONLY_V7),
        Field("pref-src", IPAddress()),
        Field("local-address", readonly=True, dialects=ONLY_V7),
        # 6.x prints `type` only when it is not unicast (route prints of 6.x routers)
        Field("type", Enum(("unicast", "blackhole", "prohibit", "unreachable")), dialects=ONLY_V6),
        Field("blackhole", Bool(), dialects=ONLY_V7),
        Field("suppress-hw-offload", Bool(), default="false", dialects=ONLY_V7),
        Field("vrf-interface", InterfaceRef()),  # both: 6.x DHCP routes print it too
        Field("active", readonly=True),
        Field("inactive", readonly=True, dialects=ONLY_V7),
        Field("connect", readonly=True),
        Field("dhcp", readonly=True, dialects=ONLY_V7),
        Field("ospf", readonly=True),  # learned from an OSPF neighbour (the lab's network.py)
        Field("static", readonly=True),
        *COMMON,
    ],
    # RouterOS accepts duplicate routes: no `unique`
    validate=_route_check,
    on_change=_route_changed,
    compute=_route_compute,
)


# ---- /ip/service ---------------------------------------------------------------------------

SERVICE = Menu(
    "/ip/service",
    [
        Field("name", readonly=True),
        Field("port", Int(1, 65535)),
        # allowed client networks; a bare address prints as /32 (unverified)
        Field("address", ListOf(Prefix()), default=""),
        # TLS services only (www-ssl, api-ssl); absent on the others (seen on 7.x and in 6.x prints)
        Field("certificate", Text()),
        Field("tls-version", Enum(("any", "only-1.2"))),
        Field("vrf", Text(), default="main", dialects=ONLY_V7),
        Field("invalid", readonly=True),
        Field("disabled", Bool(), default="false"),
        # no `comment`: RouterOS refuses it here (seen on 7.x)
    ],
    kind=FIXED,
    name_field="name",
    builtins=[
        {"name": name, "port": port, **({"certificate": "none", "tls-version": "any"} if name.endswith("-ssl") else {})}
        for name, port in (("telnet", "23"), ("ftp", "21"), ("www", "80"), ("ssh", "22"),
                           ("www-ssl", "443"), ("api", "8728"), ("winbox", "8291"), ("api-ssl", "8729"))
    ],
    compute=lambda router, entry: {"invalid": "false"},
)


# ---- /ip/pool and /ip/pool/used --------------------------------------------------------------

def _range_size(ranges: str) -> int:
    total = 0
    for item in (r for r in ranges.split(",") if r):
        low, _, high = item.partition("-")
        total += int(ipaddress.IPv4Address(high or low)) - int(ipaddress.IPv4Address(low)) + 1
    return total


def _pool_compute(router, entry):
    if router.dialect == V6:
        return {}
    # 7.x prints counters (seen on 7.23; assumed for 7.16, unverified)
    total = _range_size(entry.values.get("ranges", ""))
    name = entry.values.get("name")
    used = sum(1 for u in router.entries("/ip/pool/used") if u.values.get("pool") == name)
    return {"total": str(total), "used": str(used), "available": str(max(total - used, 0))}


POOL = Menu(
    "/ip/pool",
    [
        Field("name", Name()),
        Field("ranges", Ranges(), required=True),
        Field("next-pool", Ref(("/ip/pool",), special=("none",))),
        Field("total", readonly=True, dialects=ONLY_V7),
        Field("used", readonly=True, dialects=ONLY_V7),
        Field("available", readonly=True, dialects=ONLY_V7),
        COMMENT,
    ],
    name_field="name",
    auto_name="pool",  # `add` without a name makes pool1, pool2 ... (unverified; Winbox offers pool1)
    unique=[(("name",), "pool with such name exists")],
    validate=not_itself("next-pool", "next-pool cannot be the pool itself"),  # wording unverified
    compute=_pool_compute,
)

POOL_USED = Menu(
    "/ip/pool/used",
    [Field(name, readonly=True) for name in ("pool", "address", "owner", "info")],
    kind=RUNTIME,
    removable=False,
)


# ---- /ip/dhcp-client -------------------------------------------------------------------------

DHCP_CLIENT_STATE = ("status", "address", "gateway", "dhcp-server", "primary-dns", "secondary-dns",
                     "primary-ntp", "secondary-ntp", "expires-after")


def _dhcp_client_compute(router, entry):
    out = {"invalid": "false"}
    if entry.values.get("status") != "bound":
        # `stopped` for a disabled client is unverified
        out["status"] = "stopped" if entry.values.get("disabled") == "true" else "searching..."
    return out


def _dhcp_client_apply(router, entry, refresh: bool = True) -> None:
    """The dynamic address and default route a bound client holds (none when unbound)."""
    values = entry.values
    wanted = []
    if values.get("status") == "bound" and values.get("disabled") != "true":
        address = values["address"]
        wanted.append(("/ip/address", {
            "address": address, "network": str(_network(address).network_address),
            "interface": values["interface"],
        }))
        if values.get("gateway") and values.get("add-default-route", "yes") != "no":
            route = {"dst-address": "0.0.0.0/0", "gateway": values["gateway"],
                     "distance": values.get("default-route-distance", "1"), "vrf-interface": values["interface"]}
            if router.dialect == V7:
                route["dhcp"] = "true"
                route["routing-table"] = "main"
                if values.get("check-gateway") in ("ping", "arp"):  # the 7.x client checks its route's gateway
                    route["check-gateway"] = values["check-gateway"]
            wanted.append(("/ip/route", route))
    before = {id(e) for _, e in router.derived.get(("/ip/dhcp-client", entry.id), [])}
    router.replace_derived("/ip/dhcp-client", entry, wanted)
    for path, derived in router.derived.get(("/ip/dhcp-client", entry.id), []):
        if path == "/ip/address" and id(derived) not in before:
            _address_changed(router, derived, "add", refresh=False)
    if refresh:
        refresh_routes(router)


def _dhcp_client_changed(router, entry, op):
    if op == "remove" or entry.values.get("disabled") == "true":
        for key in DHCP_CLIENT_STATE:
            entry.values.pop(key, None)
        router.replace_derived("/ip/dhcp-client", entry, [])
        refresh_routes(router)
        return
    _dhcp_client_apply(router, entry)


def _dhcp_client_find(router, interface: str):
    state = router.menus["/ip/dhcp-client"]
    entry = state.find_by(("interface",), (interface,))
    if entry is None:
        raise LookupError(f"no dhcp-client on {interface}")
    return entry


def bind_dhcp_client(target, interface: str, address: str, gateway: str | None = None, *,
                     dhcp_server: str | None = None, dns: tuple[str, ...] = (), ntp: tuple[str, ...] = (),
                     expires_after: str = "10m") -> None:
    """A DHCP server answered the client on `interface`: it is bound to `address` (A.B.C.D/N).

    The router then holds a dynamic address (and its connected route) and, unless the client
    says add-default-route=no, a dynamic default route via `gateway`.
    """
    router = _router(target)
    with router.lock:
        entry = _dhcp_client_find(router, interface)
        if entry.values.get("disabled") == "true":
            raise ValueError(f"the dhcp-client on {interface} is disabled")
        lease = {"status": "bound", "address": Interface().parse(address),
                 "expires-after": Duration().parse(expires_after)}
        if gateway:
            lease["gateway"] = IPAddress().parse(gateway)
        lease["dhcp-server"] = dhcp_server or gateway or ""
        for prefix, servers in (("dns", dns), ("ntp", ntp)):
            for key, server in zip((f"primary-{prefix}", f"secondary-{prefix}"), servers):
                lease[key] = server
        for key in DHCP_CLIENT_STATE:
            entry.values.pop(key, None)
        router.update_dynamic("/ip/dhcp-client", entry, lease)
        _dhcp_client_apply(router, entry)
        router.record("runtime", "network", "/ip/dhcp-client/bind", {"interface": interface, "address": address}, "ok")


def release_dhcp_client(target, interface: str) -> None:
    """The client's lease ended (server gone): back to `searching...`, its address and route go."""
    router = _router(target)
    with router.lock:
        entry = _dhcp_client_find(router, interface)
        for key in DHCP_CLIENT_STATE:
            entry.values.pop(key, None)
        router.replace_derived("/ip/dhcp-client", entry, [])
        refresh_routes(router)
        router.update_dynamic("/ip/dhcp-client", entry, {})
        router.record("runtime", "network", "/ip/dhcp-client/release", {"interface": interface}, "ok")


DHCP_OPTION_NAMES = ("clientid", "clientid_duid", "hostname")  # the built-in client options

DHCP_CLIENT = Menu(
    "/ip/dhcp-client",
    [
        Field("interface", InterfaceRef(), required=True),
        Field("add-default-route", Enum(("yes", "no", "special-classless")), default="yes"),
        Field("default-route-distance", Int(0, 255), default="1"),
        # 7.x only (added during 7.x; present in 7.16 is unverified)
        Field("default-route-tables", ListOf(Text()), dialects=ONLY_V7),
        Field("check-gateway", Enum(("none", "arp", "ping")), dialects=ONLY_V7),  # unverified
        Field("use-peer-dns", Bool(), default="true"),
        Field("use-peer-ntp", Bool(), default="true"),
        # 6.x exports spell dhcp-options=hostname,clientid out (so no default there);
        # 7.x exports omit it (so it is the default)
        Field("dhcp-options", ListOf(Enum(DHCP_OPTION_NAMES)), default="", dialects=ONLY_V6),
        Field("dhcp-options", ListOf(Enum(DHCP_OPTION_NAMES)), default="hostname,clientid", dialects=ONLY_V7),
        Field("script", Text()),
        Field("status", readonly=True),
        Field("address", readonly=True),
        Field("gateway", readonly=True),
        Field("dhcp-server", readonly=True),
        Field("primary-dns", readonly=True),
        Field("secondary-dns", readonly=True),
        Field("primary-ntp", readonly=True),
        Field("secondary-ntp", readonly=True),
        Field("expires-after", readonly=True),
        Field("invalid", readonly=True),
        COMMENT,
        # a new client is disabled on 6.x (its exports say disabled=no), enabled on 7.x
        Field("disabled", Bool(), default="true", dialects=ONLY_V6),
        Field("disabled", Bool(), default="false", dialects=ONLY_V7),
    ],
    unique=[(("interface",), "dhcp-client on that interface already exists")],
    on_change=_dhcp_client_changed,
    compute=_dhcp_client_compute,
)


# ---- /ip/dhcp-server, /network, /lease -----------------------------------------------------------

DHCP_SERVER = Menu(
    "/ip/dhcp-server",
    [
        Field("name", Name()),
        Field("interface", InterfaceRef(), required=True),
        Field("address-pool", Ref(("/ip/pool",), special=("static-only",)), default="static-only"),
        # 6.x exports of the default configuration leave lease-time=10m out; 7.x ones spell
        # it out, and 7.x's manual gives 30m
        Field("lease-time", Duration(), default="10m", dialects=ONLY_V6),
        Field("lease-time", Duration(), default="30m", dialects=ONLY_V7),
        Field("authoritative", Enum(("after-10sec-delay", "after-2sec-delay", "no", "yes")), default="yes"),
        Field("bootp-support", Enum(("none", "static", "dynamic")), default="static"),
        Field("add-arp", Bool(), default="false"),
        Field("always-broadcast", Bool(), default="false"),
        Field("relay", IPAddress(), default="0.0.0.0"),
        Field("src-address", IPAddress(), default="0.0.0.0"),
        Field("delay-threshold", Text(), default="none"),
        Field("lease-script", Text(), default=""),
        # 6.x: a plain yes/no (printed true/false, unverified); 7.x: an enum printed as a word
        Field("use-radius", Bool(), default="false", dialects=ONLY_V6),
        Field("use-radius", Enum(("yes", "no", "accounting")), default="no", dialects=ONLY_V7),
        Field("conflict-detection", Bool(), default="true", dialects=ONLY_V7),  # unverified
        Field("allow-dual-stack-queue", Bool(), default="true", dialects=ONLY_V7),
        Field("address-lists", Text(), default="", dialects=ONLY_V7),
        Field("invalid", readonly=True),
        COMMENT,
        # like the client: disabled on 6.x unless told otherwise, enabled on 7.x
        Field("disabled", Bool(), default="true", dialects=ONLY_V6),
        Field("disabled", Bool(), default="false", dialects=ONLY_V7),
    ],
    name_field="name",
    auto_name="dhcp",
    unique=[(("name",), "server with such name already exists")],
    compute=lambda router, entry: {"invalid": "false"},
)


def _network_check(router, values, old):
    net = ipaddress.IPv4Interface(values["address"])
    if net.ip != net.network.network_address:
        raise failure("invalid network")  # seen on 7.x for 192.168.88.1/24


DHCP_NETWORK = Menu(
    "/ip/dhcp-server/network",
    [
        Field("address", Interface(), required=True),
        Field("gateway", ListOf(IPAddress()), default=""),
        Field("netmask", Int(0, 32)),
        Field("dns-server", ListOf(IPAddress()), default=""),
        Field("domain", Text()),
        Field("ntp-server", ListOf(IPAddress()), default=""),
        Field("wins-server", ListOf(IPAddress()), default=""),
        Field("caps-manager", ListOf(IPAddress()), default=""),
        Field("dhcp-option", Text(), default=""),
        Field("next-server", IPAddress()),
        Field("boot-file-name", Text()),
        Field("dns-none", Bool(), default="false", dialects=ONLY_V7),  # unverified for 7.16
        COMMENT,
        # no `disabled`: a network cannot be disabled
    ],
    unique=[(("address",), "such network already exists")],
    validate=_network_check,
)


def _lease_check(router, values, old):
    if values.get("server") == "all":
        del values["server"]  # `all` is stored as no server at all (seen on 7.x)
    if values.get("disabled") == "true":
        return
    server = values.get("server")
    for other in router.entries("/ip/dhcp-server/lease"):
        if other.values is old or other.dynamic or other.values.get("disabled") == "true":
            continue
        if other.values.get("address") == values.get("address"):
            raise failure("already have static lease with this IP address")
        same_server = server is None or other.values.get("server") in (None, server)
        if same_server and values.get("mac-address") and other.values.get("mac-address") == values["mac-address"]:
            raise failure("already have static lease for this client")


def _lease_compute(router, entry):
    if entry.dynamic:
        return {}
    return {key: value for key, value in (("status", "waiting"), ("last-seen", "never"),
                                          ("blocked", "false"), ("radius", "false"))
            if key not in entry.values}


DHCP_LEASE = Menu(
    "/ip/dhcp-server/lease",
    [
        Field("address", IPAddress(), required=True),
        Field("mac-address", MacAddress(), required=True),  # or client-id; required unverified
        Field("client-id", Text()),
        Field("server", Ref(("/ip/dhcp-server",), special=("all",))),
        Field("lease-time", Duration()),
        Field("rate-limit", Text()),
        Field("address-lists", Text(), default=""),
        Field("dhcp-option", Text(), default=""),
        Field("block-access", Bool()),
        Field("allow-dual-stack-queue", Bool(), dialects=ONLY_V7),
        Field("status", readonly=True),
        Field("last-seen", readonly=True),
        Field("active-address", readonly=True),
        Field("active-mac-address", readonly=True),
        Field("active-client-id", readonly=True),
        Field("active-server", readonly=True),
        Field("host-name", readonly=True),
        Field("expires-after", readonly=True),
        Field("blocked", readonly=True),
        Field("radius", readonly=True),
        *COMMON,
    ],
    validate=_lease_check,
    compute=_lease_compute,
)


# ---- /ip/dns -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class KiB(ValueType):
    """A size in KiB (`2048`, `2048KiB`, `4MiB`); printed as `2048KiB`."""

    low: int = 64
    high: int = 4294967295

    def parse(self, text, router=None):
        match = re.fullmatch(r"(\d+)\s*(KiB|MiB|k|M)?", text)
        if not match:
            raise Invalid(text)
        value = int(match.group(1)) * (1024 if match.group(2) in ("MiB", "M") else 1)
        if not self.low <= value <= self.high:
            raise OutOfRange(self.low, self.high)
        return f"{value}KiB"


def _dns_compute(router, entry):
    dynamic = []
    for client in router.entries("/ip/dhcp-client"):
        values = client.values
        if values.get("status") == "bound" and values.get("use-peer-dns") == "true":
            for key in ("primary-dns", "secondary-dns"):
                if values.get(key) and values[key] not in dynamic:
                    dynamic.append(values[key])
    return {"dynamic-servers": ",".join(dynamic), "cache-used": "24KiB"}


DNS = Menu(
    "/ip/dns",
    [
        Field("servers", ListOf(IPAddress()), default=""),
        Field("dynamic-servers", readonly=True),
        Field("use-doh-server", Text(), default=""),  # DoH exists since 6.47
        Field("verify-doh-cert", Bool(), default="false"),
        Field("doh-max-server-connections", Int(1, 1000), default="5", dialects=ONLY_V7),
        Field("doh-max-concurrent-queries", Int(1, 1000), default="50", dialects=ONLY_V7),
        Field("doh-timeout", Duration(), default="5s", dialects=ONLY_V7),
        Field("allow-remote-requests", Bool(), default="false"),
        Field("max-udp-packet-size", Int(50, 65507), default="4096"),
        Field("query-server-timeout", Duration(), default="2s"),
        Field("query-total-timeout", Duration(), default="10s"),
        Field("max-concurrent-queries", Int(0, 4294967295), default="100"),
        Field("max-concurrent-tcp-sessions", Int(0, 4294967295), default="20"),
        Field("cache-size", KiB(), default="2048KiB"),
        Field("cache-max-ttl", Duration(), default="1w"),
        Field("address-list-extra-time", Duration(), default="0s", dialects=ONLY_V7),
        Field("vrf", Text(), default="main", dialects=ONLY_V7),
        Field("mdns-repeat-ifaces", ListOf(InterfaceRef()), default="", dialects=ONLY_V7),  # 7.16+
        Field("cache-used", readonly=True),
    ],
    kind=SINGLE,
    builtins=[{}],
    compute=_dns_compute,
)

MENUS = [ADDRESS, ROUTE, SERVICE, POOL, POOL_USED, DHCP_CLIENT, DHCP_SERVER, DHCP_NETWORK, DHCP_LEASE, DNS]
