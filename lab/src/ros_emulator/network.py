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
  router's active routes lead the way there. Interfaces no segment cables answer as outside a lab;
- OSPF: see `sync_ospf` below.

The lookups (`segment_of`, `link_up`, `owner_of`, `isp_of`, `reachable`) are for the other lab
features too. Everything is recomputed by `refresh(lab)` after a write on a menu that matters
(router.after_write) and after every control operation here.
"""
from __future__ import annotations

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
    router = lab.routers[router_name].router
    domains: set[Domain] = set()
    for path in ("/interface/ethernet", "/interface/vlan"):
        for entry in list(router.menus[path].entries.values()):
            domains |= _domains(lab, router_name, entry.values.get("name", ""))
    return domains


def _addresses(router: "Router") -> list[tuple[ipaddress.IPv4Interface, str]]:
    """(address, interface) of the router's enabled addresses, static and dynamic."""
    return [(ipaddress.IPv4Interface(entry.values["address"]), entry.values["interface"])
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
    ip = ipaddress.IPv4Address(address)
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
    ip = ipaddress.IPv4Address(gateway)
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
    routes lead: through an ISP that is up, or on through the next router."""
    handle = _router(lab, router)
    ip = ipaddress.IPv4Address(address)
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
    """Follow the router's active main-table route towards `ip` (not connected)."""
    handle = lab.routers[router].router
    best: tuple[int, Any] | None = None
    for route in list(handle.menus["/ip/route"].entries.values()):
        values = route.values
        if values.get("active") != "true" or values.get(
                "routing-mark" if handle.dialect == "v6" else "routing-table", "main") not in ("", "main"):
            continue
        network = ipaddress.IPv4Network(values.get("dst-address", "0.0.0.0/0"))
        if ip in network and (best is None or network.prefixlen > best[0]):
            best = (network.prefixlen, values)
    if best is None:
        return False
    values = best[1]
    if values.get("blackhole") == "true" or values.get("type", "unicast") != "unicast":
        return False
    for gateway in values.get("gateway", "").split(","):
        address = gateway.partition("%")[0]
        try:
            hop = ipaddress.IPv4Address(address)
        except ipaddress.AddressValueError:
            return True  # an interface gateway (a tunnel): beyond what the lab models
        if isp_of(lab, router, address):
            return True
        owner = owner_of(lab, router, address)
        if owner is not None:
            return owner[0] not in via and reachable(lab, owner[0], str(ip), _via=via)
        interface = next((i for held, i in _addresses(handle) if hop in held.network), None)
        if interface is not None and not _domains(lab, router, interface):
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
    from .menus.ip import refresh_routes
    from .menus.tools import refresh_netwatch

    with lab.network.lock, ExitStack() as stack:
        for name in sorted(lab.routers):
            stack.enter_context(lab.routers[name].router.lock)
        for name in lab.routers:
            _apply_carrier(lab, name)
        for name in lab.routers:
            _sync_dhcp(lab, name)
        for handle in lab.routers.values():
            refresh_routes(handle.router)
        for handle in lab.routers.values():
            refresh_netwatch(handle.router)


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
              for held in [ipaddress.IPv4Interface(entry.values["address"])] if held.ip in isp.network}
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
