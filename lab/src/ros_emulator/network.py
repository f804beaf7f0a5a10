"""The lab's network: which router ports share a segment, the ISPs on the uplink segments,
links and ISPs that go down and up, and what routers see of all that.

A topology's `segments` cable router ports (`ROUTER:etherN`) together; its optional `isps`
section puts an ISP on a segment:

    isps:
      ISP1: {segment: isp1, network: 192.0.2.0/24, gateway: 192.0.2.1, dns: [192.0.2.53]}

What follows from it, on every router of the lab:

- carrier: the ports of a segment that is down have no link (`running=false`), and with them
  the bridges and VLANs on them; connected routes and routes through them turn inactive;
- DHCP: a `/ip/dhcp-client` on an ISP's segment is bound by that ISP (first free address from
  .2 upward, kept per client), and loses its lease when the link goes;
- pings (check-gateway, netwatch): an address answers when it is an ISP's gateway (ISP up) or
  another router's address on a segment both share (link up); beyond the connected networks, the
  router's active routes lead the way there (a recursive gateway through the immediate gateway it
  resolves to, menus/ip.py). Interfaces no segment cables answer as outside a lab;
- OSPF: see `sync_ospf` below.

The lookups (`segment_of`, `link_up`, `owner_of`, `isp_of`, `reachable`) are for the other lab
features too. Everything is recomputed by `refresh(lab)` after a write on a menu that matters
(router.after_write) and after every control operation here.
"""
from __future__ import annotations

import functools
import ipaddress
import re
import threading
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .control import ControlError, operation

if TYPE_CHECKING:  # pragma: no cover
    from .lab import Lab, Topology
    from .router import Router

ISP_KEYS = ("segment", "network", "gateway", "dns")
ETHER = re.compile(r"ether(\d+)")
UP, DOWN = "up", "down"
# a write on one of these menus may change what the network does: recompute after it
RELEVANT = ("/ip/address", "/ip/route", "/ip/dhcp-client", "/tool/netwatch", "/interface", "/routing")
Domain = tuple[str, "int | None"]  # (segment, VLAN id): one broadcast domain of the lab
MAX_SETTLE_ROUNDS = 8  # passes over every router's routes in one refresh


@dataclass(frozen=True)
class Isp:
    name: str
    segment: str
    network: ipaddress.IPv4Network
    gateway: ipaddress.IPv4Address
    dns: tuple[str, ...] = ()


@dataclass
class Network:
    """What the topology cables together, and what is down right now (kept in memory)."""

    segments: dict[str, list[tuple[str, str]]]  # segment -> [(router, port default-name)]
    isps: dict[str, Isp]
    ports: dict[tuple[str, str], str] = field(default_factory=dict)  # (router, port) -> segment
    down_segments: set[str] = field(default_factory=set)
    down_isps: set[str] = field(default_factory=set)
    # ISP -> {(router, dhcp-client interface): address it always gets}
    allocations: dict[str, dict[tuple[str, str], ipaddress.IPv4Address]] = field(default_factory=dict)
    # (router, dhcp-client interface) -> ISP, for the leases the lab gave
    leases: dict[tuple[str, str], str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)  # one refresh at a time
    # while a refresh runs (interfaces cannot change meanwhile): each router's domains
    domains: dict[str, set[Domain]] | None = field(default=None, repr=False)

    @classmethod
    def from_topology(cls, topology: "Topology") -> "Network":
        """Read and check the topology's ports and `isps` section; ValueError names the bad item."""
        segments: dict[str, list[tuple[str, str]]] = {}
        ports: dict[tuple[str, str], str] = {}
        for name, members in topology.segments.items():
            for port in members:
                count = int(topology.routers[port.router].get("ether_count", 8))
                match = ETHER.fullmatch(port.interface)
                if not match or not 1 <= int(match.group(1)) <= count:
                    raise ValueError(f"segment {name}: {port.router}:{port.interface} is not a port of "
                                     f"{port.router} (ether1..ether{count})")
                if (port.router, port.interface) in ports:
                    raise ValueError(f"segment {name}: {port.router}:{port.interface} is already cabled to "
                                     f"segment {ports[port.router, port.interface]}")
                ports[port.router, port.interface] = name
                segments.setdefault(name, []).append((port.router, port.interface))
            segments.setdefault(name, [])
        isps = parse_isps(topology.extra.get("isps"), segments)
        return cls(segments, isps, ports, allocations={name: {} for name in isps})

    def segment(self, name: str) -> str:
        if name not in self.segments:
            raise ValueError(f"unknown segment {name!r}; segments: {', '.join(sorted(self.segments))}")
        return name

    def isp(self, name: str) -> Isp:
        if name not in self.isps:
            known = ", ".join(sorted(self.isps)) or "none in the topology"
            raise ValueError(f"unknown ISP {name!r}; ISPs: {known}")
        return self.isps[name]

    def isp_on(self, segment: str) -> Isp | None:
        return next((isp for isp in self.isps.values() if isp.segment == segment), None)


def parse_isps(data: Any, segments: dict[str, list[tuple[str, str]]]) -> dict[str, Isp]:
    """The topology's `isps` section: NAME: {segment, network, gateway, dns (optional list)}."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValueError("isps: must be a mapping of ISP names to {segment, network, gateway}")
    isps: dict[str, Isp] = {}
    for name, settings in data.items():
        where = f"isps: {name}"
        if not isinstance(settings, dict):
            raise ValueError(f"{where}: must be a mapping with segment, network and gateway")
        unknown = sorted(set(settings) - set(ISP_KEYS))
        if unknown:
            raise ValueError(f"{where}: unknown option {unknown[0]!r}; options: {', '.join(ISP_KEYS)}")
        missing = [key for key in ISP_KEYS[:3] if not settings.get(key)]
        if missing:
            raise ValueError(f"{where}: missing {missing[0]}")
        segment = str(settings["segment"])
        if segment not in segments:
            raise ValueError(f"{where}: segment {segment!r} is not a segment of the topology "
                             f"({', '.join(sorted(segments))})")
        other = next((isp.name for isp in isps.values() if isp.segment == segment), None)
        if other:
            raise ValueError(f"{where}: segment {segment!r} already has ISP {other}")
        try:
            network = ipaddress.IPv4Network(str(settings["network"]))
        except ValueError:
            raise ValueError(f"{where}: network {settings['network']!r} is not an IPv4 network "
                             "address with a prefix length (A.B.C.0/N)") from None
        try:
            gateway = ipaddress.IPv4Address(str(settings["gateway"]))
        except ValueError:
            raise ValueError(f"{where}: gateway {settings['gateway']!r} is not an IPv4 address") from None
        if gateway not in network or gateway in (network.network_address, network.broadcast_address) \
                or network.prefixlen > 30:
            raise ValueError(f"{where}: gateway {gateway} is not a host address of network {network}")
        dns = settings.get("dns") or []
        if isinstance(dns, str):
            dns = [dns]
        try:
            servers = tuple(str(ipaddress.IPv4Address(str(server))) for server in dns)
        except ValueError:
            raise ValueError(f"{where}: dns {dns!r} is not a list of IPv4 addresses") from None
        isps[str(name)] = Isp(str(name), segment, network, gateway, servers)
    return isps


# ---- where things are -----------------------------------------------------------------------

def _router(lab: "Lab", name: str) -> "Router":
    try:
        return lab.routers[name].router
    except KeyError:
        raise ValueError(f"unknown router {name!r}; routers: {', '.join(sorted(lab.routers))}") from None


def _interface(router: "Router", name: str) -> tuple[str, Any] | None:
    """(menu path, entry) of the interface called `name`, of the kinds that carry addresses."""
    for path in ("/interface/ethernet", "/interface/bridge", "/interface/vlan"):
        entry = router.menus[path].find_by(("name",), (name,))
        if entry is not None:
            return path, entry
    return None


def _domains(lab: "Lab", router_name: str, interface: str, depth: int = 0) -> set[Domain]:
    """The broadcast domains an interface is in: its port's segment, a VLAN's (segment, id), a
    bridge's ports' domains. Disabled interfaces and bridge ports are in none."""
    router = lab.routers[router_name].router
    found = _interface(router, interface)
    if found is None or depth > 4 or found[1].values.get("disabled") == "true":
        return set()
    path, entry = found
    if path == "/interface/ethernet":
        segment = lab.network.ports.get((router_name, entry.values.get("default-name", "")))
        return {(segment, None)} if segment else set()
    if path == "/interface/vlan":
        vlan = int(entry.values["vlan-id"])
        return {(segment, vlan) for segment, tag in _domains(lab, router_name, entry.values["interface"], depth + 1)
                if tag is None}
    domains: set[Domain] = set()
    for port in router.entries("/interface/bridge/port"):
        if port.values.get("bridge") == entry.values.get("name") and port.values.get("disabled") != "true":
            domains |= _domains(lab, router_name, port.values["interface"], depth + 1)
    return domains


def _up(lab: "Lab", domains: set[Domain]) -> set[Domain]:
    return {domain for domain in domains if domain[0] not in lab.network.down_segments}


def _router_domains(lab: "Lab", router_name: str) -> set[Domain]:
    """Every domain one of the router's ports or VLANs is in, link up or not."""
    memo = lab.network.domains
    if memo is not None and router_name in memo:
        return memo[router_name]
    router = lab.routers[router_name].router
    domains: set[Domain] = set()
    for path in ("/interface/ethernet", "/interface/vlan"):
        for entry in list(router.menus[path].entries.values()):
            domains |= _domains(lab, router_name, entry.values.get("name", ""))
    if memo is not None:
        memo[router_name] = domains
    return domains


@functools.lru_cache(maxsize=8192)
def _parse_interface(text: str) -> ipaddress.IPv4Interface:
    return ipaddress.IPv4Interface(text)


@functools.lru_cache(maxsize=8192)
def _parse_address(text: str) -> ipaddress.IPv4Address:
    return ipaddress.IPv4Address(text)


@functools.lru_cache(maxsize=8192)
def _parse_network(text: str) -> ipaddress.IPv4Network:
    return ipaddress.IPv4Network(text)


def _addresses(router: "Router") -> list[tuple[ipaddress.IPv4Interface, str]]:
    """(address, interface) of the router's enabled addresses, static and dynamic."""
    return [(_parse_interface(entry.values["address"]), entry.values["interface"])
            for entry in list(router.menus["/ip/address"].entries.values())
            if entry.values.get("disabled") != "true"]


def segment_of(lab: "Lab", router: str, interface: str) -> str | None:
    """The segment a physical port (`interface`, its current name) of `router` is cabled to."""
    entry = _router(lab, router).menus["/interface/ethernet"].find_by(("name",), (interface,))
    if entry is None:
        return None
    return lab.network.ports.get((router, entry.values.get("default-name", "")))


def link_up(lab: "Lab", segment: str) -> bool:
    """Whether the segment's link is up (ValueError for a segment the topology does not have)."""
    return lab.network.segment(segment) not in lab.network.down_segments


def owner_of(lab: "Lab", router: str, address: str) -> tuple[str, str] | None:
    """(router, interface) of the OTHER router holding `address` on an interface in a domain
    `router` shares with it, with the link up; None when no such router holds it."""
    _router(lab, router)
    ip = _parse_address(address)
    mine = _up(lab, _router_domains(lab, router))
    if not mine:
        return None
    for name, handle in lab.routers.items():
        if name == router:
            continue
        for held, interface in _addresses(handle.router):
            if held.ip == ip and _up(lab, _domains(lab, name, interface)) & mine:
                return name, interface
    return None


def isp_of(lab: "Lab", router: str, gateway: str) -> str | None:
    """The ISP whose gateway `gateway` is, when `router` has a port on its segment, the link is
    up and the ISP too; None otherwise."""
    ip = _parse_address(gateway)
    for isp in lab.network.isps.values():
        if isp.gateway != ip or isp.name in lab.network.down_isps:
            continue
        if (isp.segment, None) in _up(lab, _router_domains(lab, router)):
            return isp.name
    return None


def reachable(lab: "Lab", router: str, address: str, *, _via: frozenset[str] = frozenset()) -> bool:
    """Whether `address` answers a ping from `router`: the router's own address; on a connected
    network, an ISP's gateway (ISP up) or another router's address (link up), or anything on an
    interface no segment cables (the lab cannot tell); elsewhere, where the router's active
    routes lead: through an ISP that is up (to anything but another ISP's network), or on
    through the next router."""
    handle = _router(lab, router)
    ip = _parse_address(address)
    addresses = _addresses(handle)
    if any(held.ip == ip for held, _ in addresses):
        return True
    from .menus.ip import interface_running  # menus import nothing of the lab

    connected = sorted(((held.network, interface) for held, interface in addresses
                        if ip in held.network and interface_running(handle, interface)),
                       key=lambda item: -item[0].prefixlen)
    if connected:
        return _answers_on_link(lab, router, connected[0][1], ip)
    return _answers_beyond(lab, router, ip, _via | {router})


def _answers_on_link(lab: "Lab", router: str, interface: str, ip: ipaddress.IPv4Address) -> bool:
    domains = _domains(lab, router, interface)
    if not domains:
        return True  # not cabled into the lab: answers as on a router outside a lab
    up = _up(lab, domains)
    for segment, vlan in up:
        isp = lab.network.isp_on(segment)
        if vlan is None and isp is not None and isp.gateway == ip:
            return isp.name not in lab.network.down_isps
    owner = owner_of(lab, router, str(ip))
    return owner is not None and bool(_up(lab, _domains(lab, owner[0], owner[1])) & up)


def _answers_beyond(lab: "Lab", router: str, ip: ipaddress.IPv4Address, via: frozenset[str]) -> bool:
    """Follow the router's active main-table route towards `ip` (not connected); a recursive
    gateway leads on through its immediate gateway."""
    from .menus.ip import lookup_routes, resolve_gateway

    handle = lab.routers[router].router
    routes = lookup_routes(handle)
    best = next((route for route in routes if ip in _parse_network(route.values.get("dst-address", "0.0.0.0/0"))),
                None)
    if best is None:
        return False
    values = best.values
    if values.get("blackhole") == "true" or values.get("type", "unicast") != "unicast":
        return False
    for gateway in values.get("gateway", "").split(","):
        next_hop = resolve_gateway(handle, gateway, int(values.get("target-scope", "10")), routes,
                                   skip=frozenset({best.id}))
        if next_hop is None:
            continue
        if next_hop.immediate is None:
            return True  # an interface gateway (a tunnel): beyond what the lab models
        through = isp_of(lab, router, next_hop.immediate)
        if through:  # the internet, but not another ISP's access network: that is for its customers
            return not any(ip in isp.network for isp in lab.network.isps.values() if isp.name != through)
        owner = owner_of(lab, router, next_hop.immediate)
        if owner is not None:
            return owner[0] not in via and reachable(lab, owner[0], str(ip), _via=via)
        if not _domains(lab, router, next_hop.interface):
            return True
    return False


# ---- keeping routers in step with the network ------------------------------------------------

def attach(lab: "Lab") -> None:
    """Wire a started lab's routers to its network, then bring them in step with it."""
    for name, handle in lab.routers.items():
        handle.router.pinger = _pinger(lab, name)
        handle.router.after_write = _after_write(lab)
    refresh(lab)


def _pinger(lab: "Lab", name: str):
    def answers(address: str) -> bool:
        try:
            return reachable(lab, name, address)
        except ValueError:  # a host name (7.x netwatch type=dns): the lab has no DNS to judge by
            return True
    return answers


def _after_write(lab: "Lab"):
    def written(path: str) -> None:
        if path.startswith(RELEVANT):
            refresh(lab)
    return written


def refresh(lab: "Lab") -> None:
    """Bring every router in step with the network: carrier, DHCP leases, route state, OSPF,
    netwatch. Takes every router's lock (in name order) for the duration."""
    from .menus.tools import refresh_netwatch

    with lab.network.lock, ExitStack() as stack:
        for name in sorted(lab.routers):
            stack.enter_context(lab.routers[name].router.lock)
        lab.network.domains = {}
        stack.callback(setattr, lab.network, "domains", None)
        for name in lab.routers:
            _apply_carrier(lab, name)
        for name in lab.routers:
            _sync_dhcp(lab, name)
        _settle_routes(lab)
        sync_ospf(lab)  # from the routes usable now: OSPF routes never feed OSPF back
        _settle_routes(lab)
        for handle in lab.routers.values():
            refresh_netwatch(handle.router)


def _settle_routes(lab: "Lab") -> None:
    """Route state on every router until none changes: a check-gateway ping follows the routes of
    the routers on its way (a recursive gateway's ping crosses the other router), so one router's
    state can change another's. At most MAX_SETTLE_ROUNDS rounds (a flapping setup stops there)."""
    from .menus.ip import refresh_routes

    for _ in range(MAX_SETTLE_ROUNDS):
        changed = [refresh_routes(handle.router) for handle in lab.routers.values()]
        if not any(changed):
            return


def _apply_carrier(lab: "Lab", name: str) -> None:
    """Ports of segments that are down lose carrier (and log it, as RouterOS does)."""
    from .menus.ip import interfaces_changed

    router = lab.routers[name].router
    wanted = {port for (owner, port), segment in lab.network.ports.items()
              if owner == name and segment in lab.network.down_segments}
    changed = wanted ^ router.no_carrier
    if not changed:
        return
    router.no_carrier = wanted
    ethernet = router.menus["/interface/ethernet"]
    for port in sorted(changed):
        entry = ethernet.find_by(("default-name",), (port,))
        if entry is None:
            continue
        router.log_event("interface,info", f"{entry.values['name']} link {DOWN if port in wanted else UP}")
        router.update_dynamic("/interface/ethernet", entry, {})  # listeners see `running` change
    interfaces_changed(router)


def _sync_dhcp(lab: "Lab", name: str) -> None:
    """DHCP clients on an ISP's segment: bound while the link is up (a new lease only while the
    ISP answers), released when the link goes."""
    from .menus.ip import bind_dhcp_client, interface_running, release_dhcp_client

    router = lab.routers[name].router
    for client in list(router.entries("/ip/dhcp-client")):
        interface = client.values["interface"]
        key = (name, str(client.id))
        isp = next((found for segment, vlan in sorted(_domains(lab, name, interface), key=str)
                    if vlan is None and (found := lab.network.isp_on(segment))), None)
        usable = isp is not None and client.values.get("disabled") != "true" and interface_running(router, interface)
        bound = client.values.get("status") == "bound"
        given = lab.network.leases.get(key)
        if given and bound and (not usable or isp is None or given != isp.name):
            release_dhcp_client(router, interface)
            bound = False
        if given and not bound:
            del lab.network.leases[key]
        if usable and not bound and isp is not None and isp.name not in lab.network.down_isps:
            address = _allocate(lab, isp, key)
            if address is None:
                continue  # the ISP's network is full: the client keeps searching
            bind_dhcp_client(router, interface, f"{address}/{isp.network.prefixlen}", str(isp.gateway), dns=isp.dns)
            lab.network.leases[key] = isp.name


def _allocate(lab: "Lab", isp: Isp, key: tuple[str, str]) -> ipaddress.IPv4Address | None:
    """The client's address from the ISP: the one it had, else the first free from .2 upward."""
    given = lab.network.allocations[isp.name]
    static = {held.ip for handle in lab.routers.values()
              for entry in list(handle.router.menus["/ip/address"].entries.values()) if not entry.dynamic
              for held in [_parse_interface(entry.values["address"])] if held.ip in isp.network}
    taken = {isp.gateway} | static | {address for owner, address in given.items() if owner != key}
    if key in given and given[key] not in taken:
        return given[key]
    for number in range(int(isp.network.network_address) + 2, int(isp.network.broadcast_address)):
        address = ipaddress.IPv4Address(number)
        if address not in taken:
            given[key] = address
            return address
    return None


# ---- control operations ----------------------------------------------------------------------

def _state(state: str) -> bool:
    """True for down; ControlError names the option for anything but up/down."""
    if state not in (UP, DOWN):
        raise ControlError(f"state: must be up or down, not {state!r}")
    return state == DOWN


def _segment_state(lab: "Lab", segment: str) -> dict[str, Any]:
    return {"state": DOWN if segment in lab.network.down_segments else UP,
            "ports": [f"{router}:{port}" for router, port in lab.network.segments[segment]]}


def _isp_state(lab: "Lab", isp: Isp) -> dict[str, Any]:
    leases: dict[str, list[str]] = {}
    for (router, client), name in sorted(lab.network.leases.items()):
        if name == isp.name:
            leases.setdefault(router, []).append(str(lab.network.allocations[isp.name][router, client]))
    return {"state": DOWN if isp.name in lab.network.down_isps else UP, "segment": isp.segment,
            "link": DOWN if isp.segment in lab.network.down_segments else UP,
            "network": str(isp.network), "gateway": str(isp.gateway), "leases": leases}


@operation("link")
def link(lab: "Lab", segment: str, state: str) -> dict[str, Any]:
    """Take a segment's link down or up (segment=NAME state=up|down): its ports lose or regain carrier."""
    try:
        name = lab.network.segment(segment)
    except ValueError as exc:
        raise ControlError(f"segment: {exc}") from None
    if _state(state):
        lab.network.down_segments.add(name)
    else:
        lab.network.down_segments.discard(name)
    refresh(lab)
    return {"segment": name, **_segment_state(lab, name)}


@operation("isp")
def isp(lab: "Lab", name: str, state: str) -> dict[str, Any]:
    """Make an ISP stop answering or answer again (name=ISP state=up|down); carrier stays up."""
    try:
        found = lab.network.isp(name)
    except ValueError as exc:
        raise ControlError(f"name: {exc}") from None
    if _state(state):
        lab.network.down_isps.add(found.name)
    else:
        lab.network.down_isps.discard(found.name)
    refresh(lab)
    return {"isp": found.name, **_isp_state(lab, found)}


@operation("links")
def links(lab: "Lab") -> dict[str, Any]:
    """The state of every segment and ISP (with the DHCP leases each ISP gave)."""
    return {"segments": {name: _segment_state(lab, name) for name in sorted(lab.network.segments)},
            "isps": {name: _isp_state(lab, found) for name, found in sorted(lab.network.isps.items())}}


# ---- OSPF ------------------------------------------------------------------------------------
#
# An address takes part in OSPF when an enabled instance's area covers it: 6.x with a
# /routing/ospf/network holding the address, 7.x with an interface template whose `interfaces`
# (when given) name its interface and whose `networks` (when given) hold it. Two routers become
# neighbours (Full; 2-Way between two routers neither of which is DR or BDR) over addresses of
# one subnet, in one area-id, on interfaces in a domain they share with the link up, neither
# passive. Each learns what the routers it reaches through neighbours advertise: the networks of
# their OSPF addresses, plus what their instance redistributes (connected networks; usable
# static routes other than the default; the default route per distribute-default (6.x) or
# originate-default (7.x)), as dynamic routes (distance 110) via the neighbour on the first hop,
# except networks it has connected itself. A router's id is its instance's router-id, else its
# highest address (RouterOS's default election; `lowest` is only an option of 7.x /routing/id).

OSPF_INSTANCE = "/routing/ospf/instance"
OSPF_NEIGHBOR = "/routing/ospf/neighbor"
OSPF_DISTANCE = "110"


@dataclass(frozen=True)
class OspfLink:
    """One address of a router taking part in OSPF."""

    router: str
    instance: Any  # the /routing/ospf/instance entry
    area: str  # area name
    area_id: str
    address: ipaddress.IPv4Interface
    interface: str
    passive: bool
    priority: int
    point_to_point: bool


def _enabled(router: "Router", path: str) -> list[Any]:
    return [entry for entry in router.entries(path) if entry.values.get("disabled") != "true"]


def _ospf_links(lab: "Lab", name: str) -> list[OspfLink]:
    from .menus.ip import interface_running

    router = lab.routers[name].router
    instances = {entry.values["name"]: entry for entry in _enabled(router, OSPF_INSTANCE)}
    areas = {entry.values["name"]: entry for entry in _enabled(router, "/routing/ospf/area")
             if entry.values.get("instance") in instances}
    if not areas:
        return []
    covers = _ospf_covers(router, areas)
    links = []
    for address, interface in _addresses(router):
        if not interface_running(router, interface):
            continue
        found = _ospf_cover(covers, address, interface)
        if found is not None:
            area, passive, priority, point_to_point = found
            links.append(OspfLink(name, instances[area.values["instance"]], area.values["name"],
                                  area.values.get("area-id", "0.0.0.0"), address, interface, passive,
                                  priority, point_to_point))
    return links


@dataclass(frozen=True)
class OspfCover:
    """What makes an address take part: a 6.x network or a 7.x template, and its settings."""

    area: Any
    networks: tuple[ipaddress.IPv4Network, ...]  # empty: any address
    interfaces: tuple[str, ...]  # empty: any interface
    passive: bool
    priority: int
    point_to_point: bool
    settings: dict[str, Any] | None = None  # 6.x: /routing/ospf/interface entries by interface


def _ospf_covers(router: "Router", areas: dict[str, Any]) -> list[OspfCover]:
    if router.dialect == "v6":
        settings = {entry.values.get("interface"): entry for entry in _enabled(router, "/routing/ospf/interface")}
        return [OspfCover(areas[entry.values["area"]], (_parse_network(entry.values["network"]),), (),
                          False, 1, False, settings)
                for entry in _enabled(router, "/routing/ospf/network") if entry.values.get("area") in areas]
    return [OspfCover(areas[values["area"]],
                      tuple(_parse_network(n) for n in values.get("networks", "").split(",") if n),
                      tuple(n for n in values.get("interfaces", "").split(",") if n),
                      "passive" in values, int(values.get("priority", "128")),
                      values.get("type") in ("ptp", "ptp-unnumbered"))
            for values in (entry.values for entry in _enabled(router, "/routing/ospf/interface-template"))
            if values.get("area") in areas]


def _ospf_cover(covers: list[OspfCover], address: ipaddress.IPv4Interface,
                interface: str) -> tuple[Any, bool, int, bool] | None:
    """(area, passive, priority, point-to-point) of the first network or template covering the
    address; 6.x takes the last three from /routing/ospf/interface (the interface's, else `all`)."""
    for cover in covers:
        if (cover.interfaces and interface not in cover.interfaces) \
                or (cover.networks and not any(address.ip in network for network in cover.networks)):
            continue
        if cover.settings is None:
            return cover.area, cover.passive, cover.priority, cover.point_to_point
        setting = cover.settings.get(interface) or cover.settings.get("all")
        values = setting.values if setting is not None else {}
        return (cover.area, values.get("passive") == "true", int(values.get("priority", "1")),
                values.get("network-type") == "point-to-point")
    return None


def _router_id(lab: "Lab", name: str, instance: Any) -> str:
    router = lab.routers[name].router
    given = instance.values.get("router-id", "0.0.0.0" if router.dialect == "v6" else "main")
    if given not in ("0.0.0.0", "main"):
        try:
            return str(ipaddress.IPv4Address(given))
        except ValueError:  # 7.x: the name of a /routing/id entry
            entry = router.menus["/routing/id"].find_by(("name",), (given,))
            if entry is not None and entry.values.get("id"):
                return entry.values["id"]
    from .menus.ip import interface_running

    held = [address.ip for address, interface in _addresses(router) if interface_running(router, interface)]
    return str(max(held)) if held else "0.0.0.0"


@dataclass(frozen=True)
class Adjacency:
    near: OspfLink
    far: OspfLink
    far_id: str


def _adjacencies(lab: "Lab", links: dict[str, list[OspfLink]]) -> list[Adjacency]:
    domains: dict[tuple[str, str], set[Domain]] = {}

    def up_domains(link: OspfLink) -> set[Domain]:
        key = (link.router, link.interface)
        if key not in domains:
            domains[key] = _up(lab, _domains(lab, *key))
        return domains[key]

    found = []
    for name, mine in links.items():
        for near in mine:
            if near.passive:
                continue
            for other, theirs in links.items():
                if other == name:
                    continue
                for far in theirs:
                    if far.passive or far.area_id != near.area_id or far.address.network != near.address.network:
                        continue
                    if up_domains(near) & up_domains(far):
                        found.append(Adjacency(near, far, _router_id(lab, other, far.instance)))
    return found


def _designated(lab: "Lab", adjacencies: list[Adjacency]) -> dict[ipaddress.IPv4Network, tuple[str, str]]:
    """(DR, BDR) address of each broadcast subnet: highest priority, then highest router id."""
    members: dict[ipaddress.IPv4Network, dict[str, tuple[int, ipaddress.IPv4Address, ipaddress.IPv4Address]]] = {}
    for adjacency in adjacencies:
        for link, router_id in ((adjacency.far, adjacency.far_id),
                                (adjacency.near, _router_id(lab, adjacency.near.router, adjacency.near.instance))):
            if link.priority > 0 and not link.point_to_point:
                members.setdefault(link.address.network, {})[link.router] = (
                    link.priority, ipaddress.IPv4Address(router_id), link.address.ip)
    elected = {}
    for network, candidates in members.items():
        ranked = sorted(candidates.values(), reverse=True)
        elected[network] = (str(ranked[0][2]), str(ranked[1][2]) if len(ranked) > 1 else "0.0.0.0")
    return elected


def _neighbor(lab: "Lab", adjacency: Adjacency, elected: dict) -> dict[str, str]:
    near, far = adjacency.near, adjacency.far
    dr, bdr = ("0.0.0.0", "0.0.0.0") if near.point_to_point else elected.get(near.address.network, ("0.0.0.0",) * 2)
    full = near.point_to_point or {str(near.address.ip), str(far.address.ip)} & {dr, bdr}
    values = {"instance": near.instance.values["name"], "router-id": adjacency.far_id,
              "address": str(far.address.ip), "interface": near.interface, "priority": str(far.priority),
              "state": "Full" if full else "2-Way", "state-changes": "6" if full else "3"}
    if lab.routers[near.router].router.dialect == "v6":
        values.update({"dr-address": dr, "backup-dr-address": bdr, "ls-retransmits": "0",
                       "ls-requests": "0", "db-summaries": "0"})
    else:
        values.update({"area": near.area, "dr": dr, "bdr": bdr})
    return values


def _usable(router: "Router", route: Any) -> bool:
    """A route the router can use now, whether or not it is the active one of its destination."""
    values = route.values
    if values.get("disabled") == "true":
        return False
    if router.dialect == "v6":
        return "unreachable" not in values.get("gateway-status", "") and values.get("routing-mark", "") == ""
    return values.get("inactive") != "true" and values.get("routing-table", "main") == "main"


def _advertised(lab: "Lab", name: str, links: list[OspfLink]) -> list[ipaddress.IPv4Network]:
    """What a router's OSPF tells the others: its OSPF networks and what it redistributes."""
    from .menus.ip import connected_networks

    router = lab.routers[name].router
    networks = [link.address.network for link in links]
    default = ipaddress.IPv4Network("0.0.0.0/0")
    for instance in {id(link.instance): link.instance for link in links}.values():
        values = instance.values
        if router.dialect == "v6":
            connected = values.get("redistribute-connected", "no") != "no"
            static = values.get("redistribute-static", "no") != "no"
            originate = values.get("distribute-default", "never")
            always, if_installed = originate.startswith("always"), originate.startswith("if-installed")
        else:
            flags = set(values.get("redistribute", "").split(","))
            connected, static = "connected" in flags, "static" in flags
            originate = values.get("originate-default", "never")
            always, if_installed = originate == "always", originate == "if-installed"
        if connected:
            networks += [network for network, _ in connected_networks(router)]
        own = [route for route in router.entries("/ip/route")
               if not route.dynamic and route.values.get("connect") != "true" and _usable(router, route)]
        if static:
            networks += [_parse_network(route.values["dst-address"]) for route in own
                         if route.values.get("dst-address") != "0.0.0.0/0"]
        installed = any(route.values.get("dst-address") == "0.0.0.0/0" and route.values.get("ospf") != "true"
                        and _usable(router, route) for route in router.entries("/ip/route"))
        if always or (if_installed and installed):
            networks.append(default)
    return list(dict.fromkeys(networks))


def _learned(lab: "Lab", name: str, adjacencies: list[Adjacency],
             advertised: dict[str, list[ipaddress.IPv4Network]]) -> list[tuple[OspfLink, dict[str, str]]]:
    """The OSPF routes `name` installs: breadth first through its neighbours, nearest first."""
    router = lab.routers[name].router
    connected = {_parse_network(route.values["dst-address"]) for route in router.entries("/ip/route")
                 if route.values.get("connect") == "true"}
    first_hop: dict[str, Adjacency] = {}
    frontier = [name]
    order: list[str] = []
    while frontier:
        following = []
        for current in frontier:
            for adjacency in adjacencies:
                far = adjacency.far.router
                if adjacency.near.router != current or far in first_hop or far == name:
                    continue
                first_hop[adjacency.far.router] = first_hop.get(current, adjacency)
                following.append(adjacency.far.router)
        order += sorted(following)
        frontier = sorted(following)
    routes: dict[ipaddress.IPv4Network, tuple[OspfLink, dict[str, str]]] = {}
    for other in order:
        hop = first_hop[other]
        gateway = str(hop.far.address.ip)
        for network in advertised.get(other, []):
            if network in connected or network in routes:
                continue
            values = {"dst-address": str(network), "distance": OSPF_DISTANCE, "scope": "20", "target-scope": "10",
                      "ospf": "true"}
            if router.dialect == "v6":
                values["gateway"] = gateway
            else:
                values.update({"gateway": f"{gateway}%{hop.near.interface}", "routing-table": "main"})
            routes[network] = (hop.near, values)
    return list(routes.values())


def sync_ospf(lab: "Lab") -> None:
    """Neighbours and learned routes of every router, from the lab's current state (callers hold
    every router's lock: `refresh`)."""
    links = {name: _ospf_links(lab, name) for name in lab.routers}
    adjacencies = _adjacencies(lab, links)
    elected = _designated(lab, adjacencies)
    advertised = {name: _advertised(lab, name, mine) for name, mine in links.items() if mine}
    for name, handle in lab.routers.items():
        router = handle.router
        wanted: dict[int, list[tuple[str, dict[str, str]]]] = {
            entry.id: [] for entry in router.entries(OSPF_INSTANCE)}
        for adjacency in adjacencies:
            if adjacency.near.router == name:
                wanted[adjacency.near.instance.id].append((OSPF_NEIGHBOR, _neighbor(lab, adjacency, elected)))
        for link, route in _learned(lab, name, adjacencies, advertised):
            wanted[link.instance.id].append(("/ip/route", route))
        for entry in router.entries(OSPF_INSTANCE):
            if wanted[entry.id] or (OSPF_INSTANCE, entry.id) in router.derived:
                router.replace_derived(OSPF_INSTANCE, entry, wanted[entry.id])
