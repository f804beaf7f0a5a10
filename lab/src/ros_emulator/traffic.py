"""Traffic: which uplink does a new connection leave by?

`route` follows the first packet of a new connection through the lab as RouterOS handles it.
On each router: /ip/firewall/mangle chain prerouting (chain output for the router's own
connections) marks the connection and the packet's routing; the routing mark names the table
(6.x `routing-mark`, 7.x `routing-table`) whose longest-prefix active route gives the gateway;
srcnat may rewrite the source. A gateway another router of the lab owns carries the packet on to
that router (its own mangle rules run, with `in-interface` the interface that owns the gateway);
a port on an ISP's segment ends the walk at that ISP. `spread` asks the same for many random
connections and counts where they went.

What is modelled, after RouterOS's manuals:
- rules run in order, disabled ones skipped; `jump` and `return`; `accept` ends the table; mark
  actions go on to the next rule unless `passthrough=no`;
- `per-connection-classifier` hashes the classifier's fields: not RouterOS's own hash, but as even;
- `nth=every,n` keeps one counter per rule that counts the packets the rule's other matchers let
  through, and matches the n-th of every `every` of them;
- a routing mark whose table has no active route to the destination falls back to the main table
  (6.x manual; 7.x does the same for mangle marks, unverified), but an unreachable, blackhole or
  prohibit route stops the packet; a route with several gateways (ECMP) picks one of those that
  answer by a hash of both addresses; a gateway beyond the connected networks (a recursive route)
  leaves by the interface and immediate gateway its nexthop lookup found (menus/ip.py);
- a connection keeps its connection mark on a router it passes again (conntrack): a packet that
  comes back to a router in a state it was in before is in a routing loop.

Where a gateway leads comes from the lab's network (network.py): `owner_of` another router, or a
port on an ISP's segment; an ISP that is down, or its link, takes the packet nowhere (result
"unreachable", with the uplink named).

Not modelled: /ip/firewall/filter (a connection a filter rule drops is reported by the way it
would leave), mangle chains forward and postrouting (they cannot change the route), address-list
entries given as DNS names (the emulator resolves no names), uplinks on VLANs. A matcher or action
the evaluator does not model fails the request with its name rather than give a wrong answer.

One operation reads each router once (a `RouterView`, under the router's lock) and treats that as
the moment it answers for; only the nth counters change as it runs.
"""
from __future__ import annotations

import hashlib
import ipaddress
import random
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable
from weakref import WeakKeyDictionary

from . import control
from .control import ControlError
from .menus.firewall import MATCHERS, PORT_PROTOCOLS, PROTOCOLS
from .menus.interface import interface_entry
from .menus.ip import NextHop, connected_networks, gateway_next_hop, lookup_routes, route_table
from .network import link_up, owner_of, segment_of
from .router import Entry, Router, format_id
from .schema import V6

if TYPE_CHECKING:  # pragma: no cover
    from .lab import Lab

IPv4 = ipaddress.IPv4Address
Span = tuple[int, int]  # first and last address (as numbers) of an address, network or range
MANGLE = "/ip/firewall/mangle"
NAT = "/ip/firewall/nat"
MAX_HOPS = 16  # routers a packet may cross before the walk calls it a loop
MAX_JUMPS = 32  # nested `jump`s before a rule set is called a jump loop
MAX_SPREAD = 100_000
DEFAULT_SRC_PORT = 40000
DEFAULT_DST_PORT = 443

# IANA numbers of the protocols rules commonly name by number
PROTOCOL_NUMBERS = {
    "icmp": 1, "igmp": 2, "tcp": 6, "udp": 17, "dccp": 33, "gre": 47, "ipsec-esp": 50,
    "ipsec-ah": 51, "icmpv6": 58, "ospf": 89, "vrrp": 112, "l2tp": 115, "sctp": 132, "udp-lite": 136,
}
# mangle actions that cannot change where a packet is routed: they go on like `passthrough`
NO_ROUTING_EFFECT = (
    "change-dscp", "change-mss", "change-ttl", "clear-df", "set-priority", "strip-ipv4-options",
    "sniff-pc", "sniff-tzsp",
)
ADDRESS_TYPES_MODELLED = ("local", "unicast", "broadcast", "multicast")
BLOCKING_TYPES_V6 = ("blackhole", "prohibit", "unreachable")
MATCHER_NAMES = frozenset(f.name for f in MATCHERS)


class NotModelled(ControlError):
    """A rule uses a matcher or action the traffic evaluator does not model."""


@dataclass
class Packet:
    """The first packet of a new connection as one router sees it, with the marks it gets there."""

    src: IPv4
    dst: IPv4
    protocol: str
    src_port: int
    dst_port: int
    in_interface: str | None  # None: the router's own connection (chain output)
    connection_mark: str | None = None
    routing_mark: str | None = None
    packet_mark: str | None = None
    out_interface: str | None = None  # known once routed; srcnat matches it
    nat_source: IPv4 | None = None  # the source srcnat gave the packet


@dataclass(frozen=True)
class Step:
    """What one router did with the packet."""

    verdict: str  # "forward", "local" (addressed to the router) or "unreachable"
    out_interface: str | None = None
    gateway: str | None = None


def _span(spec: str) -> Span:
    """An address, a network or a range `A-B`, as firewall matchers and address lists hold them."""
    if "-" in spec:
        low, high = spec.split("-", 1)
        return int(IPv4(low)), int(IPv4(high))
    network = ipaddress.IPv4Network(spec, strict=False)
    return int(network.network_address), int(network.broadcast_address)


def _inside(ip: IPv4, span: Span) -> bool:
    return span[0] <= int(ip) <= span[1]


def _classifier_hash(*fields: object) -> int:
    """A stable, evenly spread hash of a connection's fields (PCC, ECMP)."""
    text = "|".join(str(f) for f in fields).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big")


# ---- one router, read once per operation -------------------------------------------------------

Test = Callable[[Packet], bool]


@dataclass
class Rule:
    entry: Entry
    chain: str
    tests: list[Test]
    nth: str | None
    unmodelled: str | None  # why the evaluator cannot judge this rule (raised when a walk reaches it)


@dataclass
class RouterView:
    """What the evaluator needs of one router: rules, active routes, addresses, address lists."""

    router: Router
    owned: frozenset[IPv4]
    first_address: dict[str, IPv4]  # interface -> its first address (what masquerade gives)
    connected: list[tuple[ipaddress.IPv4Network, str]]
    broadcasts: frozenset[IPv4]
    address_lists: dict[str, list[Span]]
    routes: dict[str, list[tuple[Span, Entry]]]  # table -> its active routes, longest prefix first
    lookup: list[Entry]  # the routes gateways are looked up through (menus.ip.lookup_routes)
    bridge_of: dict[str, str]  # bridge port -> bridge
    rules: dict[str, list[Rule]] = field(default_factory=dict)  # menu path -> rules in order
    hops: dict[tuple[int, str], NextHop | None] = field(default_factory=dict)  # (route, gateway) -> hop

    @classmethod
    def read(cls, router: Router) -> "RouterView":
        with router.lock:
            connected = connected_networks(router)
            addresses = [(e.values["interface"], IPv4(e.values["address"].split("/")[0]))
                         for e in _enabled(router, "/ip/address")]
            view = cls(
                router=router,
                owned=frozenset(ip for _, ip in addresses),
                first_address={interface: ip for interface, ip in reversed(addresses)},
                connected=connected,
                broadcasts=frozenset(net.broadcast_address for net, _ in connected if net.prefixlen < 31)
                | {IPv4("255.255.255.255")},
                address_lists=_address_lists(router),
                routes=_active_routes(router),
                lookup=lookup_routes(router),
                bridge_of={port.values["interface"]: port.values["bridge"]
                           for port in _enabled(router, "/interface/bridge/port")},
            )
            view.rules = {path: [_compile(view, e) for e in _enabled(router, path)] for path in (MANGLE, NAT)}
            for route_list in view.routes.values():  # gateway state is read now, with the rest
                for _, route in route_list:
                    view.next_hops(route)
        return view

    def next_hops(self, route: Entry) -> list[NextHop]:
        """Where the route's gateways that work now lead (a recursive one through the route that
        resolves it: its interface and immediate gateway; memoised)."""
        usable = []
        for gateway in route.values.get("gateway", "").split(","):
            key = (route.id, gateway)
            if key not in self.hops:
                self.hops[key] = gateway_next_hop(self.router, gateway, route.values, self.lookup, route_id=route.id)
            if self.hops[key] is not None:
                usable.append(self.hops[key])
        return usable

    def ports_of(self, interface: str) -> set[str]:
        """An interface and, for a bridge, its ports: the names a topology segment may cable."""
        return {interface} | {port for port, bridge in self.bridge_of.items() if bridge == interface}


def _enabled(router: Router, path: str) -> list[Entry]:
    return [e for e in router.entries(path) if e.values.get("disabled") != "true"]


def _address_lists(router: Router) -> dict[str, list[Span]]:
    """Static and dynamic entries of each list; DNS names are left out (the emulator resolves none)."""
    lists: dict[str, list[Span]] = {}
    for entry in _enabled(router, "/ip/firewall/address-list"):
        try:
            span = _span(entry.values.get("address", ""))
        except ValueError:
            continue
        lists.setdefault(entry.values.get("list", ""), []).append(span)
    return lists


def _active_routes(router: Router) -> dict[str, list[tuple[Span, Entry]]]:
    tables: dict[str, list[tuple[int, Span, Entry]]] = {}
    for route in router.entries("/ip/route"):
        if route.values.get("active") != "true":
            continue
        network = ipaddress.IPv4Network(route.values.get("dst-address", "0.0.0.0/0"))
        span = (int(network.network_address), int(network.broadcast_address))
        tables.setdefault(route_table(router, route.values), []).append((network.prefixlen, span, route))
    return {table: [(span, route) for _, span, route in sorted(items, key=lambda item: -item[0])]
            for table, items in tables.items()}


# ---- matchers ---------------------------------------------------------------------------------

def _protocol_number(name: str) -> int | str:
    return int(name) if name.isdigit() else PROTOCOL_NUMBERS.get(name, name)


def _protocol_test(value: str) -> Test:
    wanted = _protocol_number(value)

    def test(packet: Packet) -> bool:
        ours = _protocol_number(packet.protocol)
        if type(wanted) is not type(ours):  # a number against a name the table above lacks
            raise NotModelled(f"protocol {value} against {packet.protocol}: add its number to PROTOCOL_NUMBERS")
        return wanted == ours
    return test


def _ports(value: str) -> list[Span]:
    return [(int(low), int(high or low)) for low, _, high in (item.partition("-") for item in value.split(","))]


def _port_test(value: str, which: Callable[[Packet], tuple[int, ...]]) -> Test:
    spans = _ports(value)
    return lambda p: any(low <= port <= high for port in which(p) for low, high in spans)


def _mark_test(value: str, mark: Callable[[Packet], str | None]) -> Test:
    """`no-mark` matches an unmarked connection or packet."""
    if value == "no-mark":
        return lambda p: mark(p) is None
    return lambda p: mark(p) == value


def _address_types(view: RouterView, ip: IPv4) -> set[str]:
    """The address types (`dst-address-type`) an address has on this router."""
    types = {"broadcast"} if ip in view.broadcasts else set()
    if ip.is_multicast:
        types.add("multicast")
    if not types:
        types.add("unicast")
    if ip in view.owned:
        types.add("local")
    return types


def _type_test(view: RouterView, value: str, address: Callable[[Packet], IPv4]) -> Test:
    wanted = set(value.split(","))
    unmodelled = wanted - set(ADDRESS_TYPES_MODELLED)
    if unmodelled:
        raise NotModelled(f"address type {','.join(sorted(unmodelled))} is not modelled")
    return lambda p: bool(wanted & _address_types(view, address(p)))


def _list_test(view: RouterView, name: str, address: Callable[[Packet], IPv4]) -> Test:
    spans = view.address_lists.get(name, [])
    return lambda p: any(_inside(address(p), span) for span in spans)


def _interface_list_test(name: str, interface: Callable[[Packet], str | None]) -> Test:
    """No /interface/list in the emulator: only the built-in lists all and none."""
    if name == "all":
        return lambda p: interface(p) is not None
    if name == "none":
        return lambda p: False
    raise NotModelled(f"interface list {name} is not modelled (only all and none)")


PCC_FIELDS: dict[str, Callable[[Packet], tuple]] = {
    "src-address": lambda p: (p.src,),
    "dst-address": lambda p: (p.dst,),
    "both-addresses": lambda p: (p.src, p.dst),
    "src-port": lambda p: (p.src_port,),
    "dst-port": lambda p: (p.dst_port,),
    "both-ports": lambda p: (p.src_port, p.dst_port),
    "src-address-and-port": lambda p: (p.src, p.src_port),
    "dst-address-and-port": lambda p: (p.dst, p.dst_port),
    "both-addresses-and-ports": lambda p: (p.src, p.dst, p.src_port, p.dst_port),
}


def _pcc_test(value: str) -> Test:
    """`both-addresses:2/0`: the classifier's hash modulo `every` equals the remainder."""
    classifier, _, share = value.partition(":")
    every, _, remainder = share.partition("/")
    fields, modulus, wanted = PCC_FIELDS[classifier], int(every), int(remainder)
    return lambda p: _classifier_hash(classifier, *fields(p)) % modulus == wanted


def _src(p: Packet) -> IPv4:
    return p.src


def _dst(p: Packet) -> IPv4:
    return p.dst


MatcherFactory = Callable[[RouterView, str], Test]

MATCHER_FACTORIES: dict[str, MatcherFactory] = {
    "src-address": lambda v, x: (lambda span: lambda p: _inside(p.src, span))(_span(x)),
    "dst-address": lambda v, x: (lambda span: lambda p: _inside(p.dst, span))(_span(x)),
    "src-address-list": lambda v, x: _list_test(v, x, _src),
    "dst-address-list": lambda v, x: _list_test(v, x, _dst),
    "src-address-type": lambda v, x: _type_test(v, x, _src),
    "dst-address-type": lambda v, x: _type_test(v, x, _dst),
    "in-interface": lambda v, x: lambda p: p.in_interface == x,
    "in-interface-list": lambda v, x: _interface_list_test(x, lambda p: p.in_interface),
    # before routing there is no out-interface: such a rule matches nothing in prerouting
    "out-interface": lambda v, x: lambda p: p.out_interface == x,
    "out-interface-list": lambda v, x: _interface_list_test(x, lambda p: p.out_interface),
    "protocol": lambda v, x: _protocol_test(x),
    "src-port": lambda v, x: _port_test(x, lambda p: (p.src_port,)),
    "dst-port": lambda v, x: _port_test(x, lambda p: (p.dst_port,)),
    "port": lambda v, x: _port_test(x, lambda p: (p.src_port, p.dst_port)),
    "connection-state": lambda v, x: (lambda p: True) if "new" in x.split(",") else (lambda p: False),
    "connection-nat-state": lambda v, x: lambda p: False,  # a new connection is not NATed yet
    "connection-mark": lambda v, x: _mark_test(x, lambda p: p.connection_mark),
    "packet-mark": lambda v, x: _mark_test(x, lambda p: p.packet_mark),
    "routing-mark": lambda v, x: _mark_test(x, lambda p: p.routing_mark),
    "per-connection-classifier": lambda v, x: _pcc_test(x),
}


def _negated(test: Test) -> Test:
    return lambda p: not test(p)


def _describe(router: Router, path: str, entry: Entry) -> str:
    return f"{router.identity} {path} rule {format_id(entry.id)}"


def _compile(view: RouterView, entry: Entry) -> Rule:
    """A rule's matchers as tests (`!` negates one); nth is kept apart: it counts what they let through."""
    tests: list[Test] = []
    nth = unmodelled = None
    for name, value in entry.values.items():
        if name not in MATCHER_NAMES:
            continue
        if name == "nth":
            nth = value
            continue
        factory = MATCHER_FACTORIES.get(name)
        if factory is None:
            unmodelled = f"matcher {name} is not modelled by the traffic evaluator"
            continue
        negated = value.startswith("!")
        try:
            test = factory(view, value[1:] if negated else value)
        except NotModelled as exc:
            unmodelled = f"{name}={value}: {exc}"
            continue
        tests.append(_negated(test) if negated else test)
    return Rule(entry, entry.values.get("chain", ""), tests, nth, unmodelled)


# nth counters, per router and rule (a changed nth value starts a new counter)
_NTH_COUNTERS: "WeakKeyDictionary[Router, dict[tuple[int, str], int]]" = WeakKeyDictionary()


def _nth_hit(router: Router, rule: Entry, value: str) -> bool:
    """Count one more packet for the rule; `every,n` matches the n-th of every `every`."""
    spec = value.lstrip("!")
    every, nth = (int(part) for part in spec.split(","))
    counters = _NTH_COUNTERS.setdefault(router, {})
    key = (rule.id, spec)
    counters[key] = counters.get(key, 0) + 1
    hit = (counters[key] - 1) % every == nth - 1
    return hit != value.startswith("!")


def _matches(view: RouterView, path: str, rule: Rule, packet: Packet) -> bool:
    if rule.unmodelled:
        raise NotModelled(f"{_describe(view.router, path, rule.entry)}: {rule.unmodelled}")
    try:
        if not all(test(packet) for test in rule.tests):
            return False
    except NotModelled as exc:
        raise NotModelled(f"{_describe(view.router, path, rule.entry)}: {exc}") from None
    return rule.nth is None or _nth_hit(view.router, rule.entry, rule.nth)


# ---- rule chains ----------------------------------------------------------------------------

Action = Callable[[RouterView, Entry, Packet], bool]  # applies a rule's action; True ends the table


def _walk(view: RouterView, path: str, chain: str, packet: Packet, act: Action, depth: int = 0) -> bool:
    """Run `chain` of the rules at `path`; True when a rule ended the table (accept, passthrough=no)."""
    if depth > MAX_JUMPS:
        raise ControlError(f"{view.router.identity} {path}: more than {MAX_JUMPS} nested jumps (a jump loop) "
                           f"at chain {chain}")
    for rule in view.rules[path]:
        if rule.chain != chain or not _matches(view, path, rule, packet):
            continue
        values = rule.entry.values
        action = values.get("action", "accept")
        if action == "jump":
            if _walk(view, path, values["jump-target"], packet, act, depth + 1):
                return True
        elif action == "return":
            return False
        elif action == "accept":
            return True
        elif action not in ("passthrough", "log") and act(view, rule.entry, packet):
            return True
    return False


def _mangle_action(view: RouterView, rule: Entry, packet: Packet) -> bool:
    values = rule.values
    action = values.get("action")
    if action == "mark-connection":
        packet.connection_mark = values["new-connection-mark"]
    elif action == "mark-routing":
        packet.routing_mark = values["new-routing-mark"]
    elif action == "mark-packet":
        packet.packet_mark = values["new-packet-mark"]
    elif action not in NO_ROUTING_EFFECT:
        raise NotModelled(f"{_describe(view.router, MANGLE, rule)}: action {action} is not modelled "
                          "by the traffic evaluator")
    return values.get("passthrough") == "false"


def _srcnat_action(view: RouterView, rule: Entry, packet: Packet) -> bool:
    values = rule.values
    action = values.get("action")
    if action == "masquerade":
        packet.nat_source = view.first_address.get(packet.out_interface or "")
    elif action == "src-nat" and values.get("to-addresses"):
        packet.nat_source = IPv4(values["to-addresses"].split("-")[0].split("/")[0])
    else:
        raise NotModelled(f"{_describe(view.router, NAT, rule)}: srcnat action {action} is not modelled "
                          "by the traffic evaluator")
    return True


# ---- routing --------------------------------------------------------------------------------

def _lookup(view: RouterView, dst: IPv4, table: str) -> Entry | None:
    """The active route of `table` with the longest prefix holding `dst`."""
    return next((route for span, route in view.routes.get(table, ()) if _inside(dst, span)), None)


def _route_for(view: RouterView, dst: IPv4, routing_mark: str | None) -> Entry | None:
    """The routing mark's table, falling back to main when it has no route to `dst`."""
    table = routing_mark or "main"
    route = _lookup(view, dst, table)
    if route is None and table != "main":
        route = _lookup(view, dst, "main")
    return route


def _blocks(view: RouterView, route: Entry) -> bool:
    """An unreachable, blackhole or prohibit route: the packet goes nowhere."""
    if view.router.dialect == V6:
        return route.values.get("type", "unicast") in BLOCKING_TYPES_V6
    return route.values.get("blackhole") == "true"


def _egress(view: RouterView, route: Entry, packet: Packet) -> tuple[str, str | None] | None:
    """(out-interface, immediate gateway or None when on-link) of a route, ECMP by both addresses;
    a recursive gateway leaves by the interface and immediate gateway it was resolved to."""
    if route.values.get("connect") == "true":
        return route.values["gateway"], None
    usable = view.next_hops(route)
    if not usable:
        return None
    hop = usable[_classifier_hash("ecmp", packet.src, packet.dst) % len(usable)]
    return hop.interface, hop.immediate


def through_router(view: RouterView, packet: Packet) -> Step:
    """Mangle (prerouting, or output for the router's own connections), routing and srcnat on one
    router; marks and the NATed source are left on `packet`."""
    _walk(view, MANGLE, "output" if packet.in_interface is None else "prerouting", packet, _mangle_action)
    if packet.dst in view.owned:
        return Step("local")
    route = _route_for(view, packet.dst, packet.routing_mark)
    if route is None or _blocks(view, route):
        return Step("unreachable")
    egress = _egress(view, route, packet)
    if egress is None:
        return Step("unreachable")
    packet.out_interface, gateway = egress
    _walk(view, NAT, "srcnat", packet, _srcnat_action)
    return Step("forward", packet.out_interface, gateway)


# ---- following a connection through the lab ---------------------------------------------------

class Views(dict):
    """RouterView of each router an operation looked at, read on first use, and the lab's answers
    to where a next hop is (network.owner_of), asked once per router and address."""

    def __init__(self, lab: "Lab"):
        super().__init__()
        self.lab = lab
        self.owners: dict[tuple[str, str], tuple[str, str] | None] = {}

    def __missing__(self, name: str) -> RouterView:
        view = self[name] = RouterView.read(self.lab.routers[name].router)
        return view

    def owner(self, router_name: str, address: str) -> tuple[str, str] | None:
        key = (router_name, address)
        if key not in self.owners:
            self.owners[key] = owner_of(self.lab, router_name, address)
        return self.owners[key]


def _uplink_behind(lab: "Lab", view: RouterView, router_name: str, interface: str) -> tuple[str, bool] | None:
    """(ISP, whether it carries traffic now) when the interface is cabled to an ISP's segment."""
    for port in sorted(view.ports_of(interface)):
        segment = segment_of(lab, router_name, port)
        isp = lab.network.isp_on(segment) if segment else None
        if isp is not None:
            return isp.name, link_up(lab, segment) and isp.name not in lab.network.down_isps
    return None


def _hop(router_name: str, packet: Packet, step: Step) -> dict:
    return {
        "router": router_name,
        "in": packet.in_interface,
        "out": step.out_interface,
        "gateway": step.gateway,
        "connection_mark": packet.connection_mark,
        "routing_mark": packet.routing_mark,
        "srcnat": str(packet.nat_source) if packet.nat_source else None,
    }


def follow(lab: "Lab", views: Views, router_name: str, packet: Packet) -> dict:
    """Walk a new connection from router to router until it leaves the lab, stops or loops."""
    hops: list[dict] = []
    conntrack: dict[str, str | None] = {}  # connection mark per router the connection crossed
    seen: set[tuple] = set()
    while True:
        state = (router_name, packet.in_interface, packet.src, conntrack.get(router_name))
        if state in seen or len(hops) >= MAX_HOPS:
            return {"uplink": None, "hops": hops, "result": "loop"}
        seen.add(state)
        view = views[router_name]
        packet = replace(packet, connection_mark=conntrack.get(router_name), routing_mark=None,
                         packet_mark=None, out_interface=None, nat_source=None)
        step = through_router(view, packet)
        conntrack[router_name] = packet.connection_mark
        hops.append(_hop(router_name, packet, step))
        if step.verdict != "forward":
            return {"uplink": None, "hops": hops, "result": step.verdict}
        peer = views.owner(router_name, step.gateway or str(packet.dst))
        if peer is None:
            uplink = _uplink_behind(lab, view, router_name, step.out_interface or "")
            if uplink is None:  # delivered on a segment of the lab, or to a host the lab does not model
                return {"uplink": None, "hops": hops, "result": "ok"}
            return {"uplink": uplink[0], "hops": hops, "result": "ok" if uplink[1] else "unreachable"}
        router_name = peer[0]
        packet = replace(packet, in_interface=peer[1], src=packet.nat_source or packet.src)


# ---- control operations: arguments ----------------------------------------------------------------

def _router_name(lab: "Lab", op: str, name: object) -> str:
    if name not in lab.routers:
        raise ControlError(f"{op}: router: no router {name!r} in the lab; known: {', '.join(sorted(lab.routers))}")
    return str(name)


def _address(op: str, option: str, text: object) -> IPv4:
    try:
        return IPv4(str(text))
    except ipaddress.AddressValueError:
        raise ControlError(f"{op}: {option}: {text!r} is not an IPv4 address") from None


def _network(op: str, option: str, text: object) -> ipaddress.IPv4Network:
    try:
        return ipaddress.IPv4Network(str(text), strict=False)
    except ValueError:
        raise ControlError(f"{op}: {option}: {text!r} is not an IPv4 address or network (A.B.C.D/N)") from None


def _number(op: str, option: str, value: object, low: int, high: int) -> int:
    text = str(value)
    if not text.isdigit() or not low <= int(text) <= high:
        raise ControlError(f"{op}: {option}: {value!r} is not a number from {low} to {high}")
    return int(text)


def _protocol(op: str, value: object) -> str:
    text = str(value)
    if text not in PROTOCOLS and not (text.isdigit() and int(text) <= 255):
        raise ControlError(f"{op}: protocol: {value!r} is not a protocol name ({', '.join(PORT_PROTOCOLS)}, icmp ...) "
                           "or number 0-255")
    return text


def _port(op: str, option: str, value: object, protocol: str, default: int) -> int:
    """A port; 0 for protocols without ports (a port given for them is an error)."""
    if protocol not in PORT_PROTOCOLS:
        if value is not None:
            raise ControlError(f"{op}: {option}: protocol {protocol} has no ports")
        return 0
    return default if value is None else _number(op, option, value, 0, 65535)


def _in_interface(op: str, view: RouterView, router_name: str, src: IPv4, given: object) -> str | None:
    """The interface the connection arrives on: given (a bridge port counts as its bridge), or the
    one the router's main table routes `src` back through; None for the router's own address."""
    if given is not None:
        with view.router.lock:
            known = interface_entry(view.router, str(given)) is not None
        if not known:
            raise ControlError(f"{op}: in_interface: {router_name} has no interface {given!r}")
        return view.bridge_of.get(str(given), str(given))
    if src in view.owned:
        return None
    route = _lookup(view, src, "main")
    egress = _egress(view, route, Packet(src, src, "tcp", 0, 0, None)) if route is not None else None
    if egress is None:
        raise ControlError(f"{op}: {router_name} has no route back to src {src}; give in_interface")
    return egress[0]


def _trace(lab: "Lab", views: Views, op: str, router_name: str, src: IPv4, dst: IPv4, protocol: str,
           src_port: int, dst_port: int, in_interface: object) -> dict:
    arrives_on = _in_interface(op, views[router_name], router_name, src, in_interface)
    return follow(lab, views, router_name, Packet(src, dst, protocol, src_port, dst_port, arrives_on))


@control.operation("route")
def route_operation(lab: "Lab", router: str, src: str, dst: str, protocol: str = "tcp", src_port: object = None,
                    dst_port: object = None, in_interface: str | None = None) -> dict:
    """Which uplink a new connection src -> dst leaves by (mangle marks, routing tables, hop by hop)."""
    name = _router_name(lab, "route", router)
    proto = _protocol("route", protocol)
    return _trace(lab, Views(lab), "route", name, _address("route", "src", src), _address("route", "dst", dst),
                  proto, _port("route", "src_port", src_port, proto, DEFAULT_SRC_PORT),
                  _port("route", "dst_port", dst_port, proto, DEFAULT_DST_PORT), in_interface)


def _random_host(rng: random.Random, network: ipaddress.IPv4Network, exclude: frozenset[IPv4] = frozenset()) -> IPv4:
    """A host of the network (not its network or broadcast address when it has those), not one of
    `exclude`; the caller makes sure the network has such a host."""
    low, high = (0, network.num_addresses) if network.prefixlen >= 31 else (1, network.num_addresses - 1)
    while (host := network[rng.randrange(low, high)]) in exclude:
        pass
    return host


def _clients_exclude(view: RouterView, router_name: str, sources: ipaddress.IPv4Network) -> frozenset[IPv4]:
    """The router's own addresses in `sources` (spread's clients are never the router itself);
    ControlError when they are all there is."""
    own = frozenset(ip for ip in view.owned if ip in sources)
    hosts = sources.num_addresses if sources.prefixlen >= 31 else sources.num_addresses - 2
    if len(own) >= hosts:
        raise ControlError(f"spread: src_network: {sources} holds no address but {router_name}'s own")
    return own


def _outcome(answer: dict) -> str:
    """What `spread` counts a connection as: its uplink, `elsewhere` (left by no ISP), or the result."""
    if answer["result"] != "ok":
        return answer["result"]
    return answer["uplink"] or "elsewhere"


@control.operation("spread")
def spread_operation(lab: "Lab", router: str, src_network: str, dst: str, count: object, protocol: str = "tcp",
                     seed: object = None, dst_port: object = None, in_interface: str | None = None) -> dict:
    """Count where `count` new connections from random hosts and ports of src_network to dst go."""
    name = _router_name(lab, "spread", router)
    sources = _network("spread", "src_network", src_network)
    targets = _network("spread", "dst", dst)
    total = _number("spread", "count", count, 1, MAX_SPREAD)
    proto = _protocol("spread", protocol)
    port = _port("spread", "dst_port", dst_port, proto, DEFAULT_DST_PORT)
    views = Views(lab)
    exclude = _clients_exclude(views[name], name, sources)
    rng = random.Random(None if seed is None else str(seed))
    counts = {isp: 0 for isp in lab.network.isps}
    counts.update(unreachable=0, loop=0)
    for _ in range(total):
        src_port = rng.randrange(1024, 65536) if proto in PORT_PROTOCOLS else 0
        answer = _trace(lab, views, "spread", name, _random_host(rng, sources, exclude), _random_host(rng, targets),
                        proto, src_port, port, in_interface)
        key = _outcome(answer)
        counts[key] = counts.get(key, 0) + 1
    return counts
