"""Subscribers: PPPoE sessions and Hotspot logins, authenticated as RouterOS does.

The lab's network dials a PPPoE client or logs a Hotspot client in: control operations `dial`,
`hangup`, `hotspot_login`, `hotspot_logout` and `sessions`, or the functions of the same names
with an EmulatedRouter (`dial(start_router(...), "alice", "pw")`; the `*_async` ones run on the
router's event loop). The router then, as MikroTik's PPP AAA, PPPoE, HotSpot and RADIUS manual
pages describe (items marked "unverified" were inferred, not read):

- finds the service: an enabled /interface/pppoe-server/server (with the service name the
  client asks for, if it asks), or an /ip/hotspot server;
- authenticates: a local /ppp/secret (service any or pppoe, enabled, caller-id if set) or
  /ip/hotspot/user decides when one exists; RADIUS is asked only for users the router does not
  know (the PPP AAA manual on use-radius: RADIUS is asked when no local entry was found; the same
  order for Hotspot is unverified), when /ppp aaa use-radius (Hotspot: the
  server profile's use-radius) is on. The emulated client speaks CHAP when the service allows it
  (PPPoE `authentication`, Hotspot `login-by` http-chap) and PAP otherwise. A RADIUS server that
  does not answer is a rejected login: local users were already looked at;
- authorizes: the profile (Mikrotik-Group, the secret's or user's profile, then the PPPoE
  server's default-profile), the rate limit (Mikrotik-Rate-Limit, else the profile's), the
  address (see `_ppp_address` and `_hotspot_address`), the session timeout, the interim
  interval (Acct-Interim-Interval, else /ppp aaa interim-update), Mikrotik-Address-List;
  `only-one` (PPP) and `shared-users` (Hotspot) refuse one session too many;
- opens the session: an /ppp/active or /ip/hotspot/active entry and, derived from it (so they
  go when it goes, whoever removes it), the dynamic `<pppoe-USER>` interface (menus/ppp.py), an
  /ip/pool/used entry, a dynamic simple queue and dynamic address-list entries
  (`session_entries`);
- accounts for sessions RADIUS accepted, when /ppp aaa accounting (Hotspot: the profile's
  radius-accounting) is on: Start, Interim-Update, Stop (only RADIUS sessions: unverified).

A session ends by hangup or logout, by `remove` on its active menu (an API client), by its
session timeout, or by a RADIUS Disconnect-Request on the /radius incoming port; every way goes
through `session_ended`, which stops its timers and sends the accounting Stop.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import itertools
import logging
import time
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Coroutine, Iterator

from pyrad import packet

from . import control, radius_client
from .control import ControlError
from .menus.tools import Pair
from .radius_client import Answer, IncomingListener, Server
from .router import Entry, Router, format_id, parse_id
from .values import Invalid, MacAddress, RateLimit, format_duration_ms, parse_duration_ms

if TYPE_CHECKING:  # pragma: no cover
    from .lab import Lab
    from .runtime import EmulatedRouter

LOG = logging.getLogger(__name__)

PPP_ACTIVE = "/ppp/active"
HOTSPOT_ACTIVE = "/ip/hotspot/active"
PPP_PROFILES = "/ppp/profile"
HOTSPOT_USER_PROFILES = "/ip/hotspot/user/profile"
# NAS-Port-Type numbers (RFC 2865 section 5.41) of the Hotspot profile's `nas-port-type` words
NAS_PORT_TYPES = {"async": 0, "sync": 1, "isdn-sync": 2, "virtual": 5, "ethernet": 15, "wireless-802.11": 19}
# Framed-IP-Address values that name no address: "the user chooses" and "the NAS chooses" (RFC 2865 5.8)
FRAMED_IP_CHOICES = ("255.255.255.255", "255.255.255.254")
ERROR_MISSING_ATTRIBUTE = 402
ERROR_SESSION_NOT_FOUND = 503
# the queue fields a rate limit `rx/tx [burst [threshold [time [priority [limit-at]]]]]` sets
QUEUE_LIMITS = (("max-limit", "rate"), ("burst-limit", "rate"), ("burst-threshold", "rate"),
                ("burst-time", "time"), ("priority", "priority"), ("limit-at", "rate"))


class Refused(Exception):
    """A login the router turns down; the message says why (never a password)."""

    def __init__(self, reason: str, via: str | None = None):
        super().__init__(reason)
        self.via = via


# ---- what a login asks and what the router grants ----------------------------------------------

@dataclass(frozen=True)
class Client:
    """A subscriber at the door: what the router tells RADIUS about them."""

    service: str  # the /radius service flag: ppp or hotspot
    user: str
    caller_id: str  # Calling-Station-Id: the client's MAC
    called_id: str  # Called-Station-Id: the PPPoE service name or the Hotspot server's name
    port_id: str  # NAS-Port-Id: the interface the client came in on
    port_type: int  # NAS-Port-Type
    address: str | None = None  # a Hotspot client's own address

    def nas_attributes(self, router: Router, nas_port: int) -> dict[str, Any]:
        attributes: dict[str, Any] = {
            "NAS-Identifier": router.identity,
            "NAS-Port": nas_port,
            "NAS-Port-Type": self.port_type,
            "NAS-Port-Id": self.port_id,
            "Calling-Station-Id": self.caller_id,
            "Called-Station-Id": self.called_id,
        }
        if self.service == "ppp":
            attributes.update({"Service-Type": "Framed-User", "Framed-Protocol": "PPP"})
        else:
            attributes["Service-Type"] = "Login-User"
            if self.address:
                attributes["Framed-IP-Address"] = self.address
        return attributes


@dataclass
class Grant:
    """What authentication decided about a session."""

    via: str  # local or radius
    profile: str
    rate_limit: str = ""
    address: str | None = None  # a fixed address
    pool: str | None = None  # or a pool to take one from
    session_timeout: float | None = None  # seconds
    interim: float | None = None  # seconds between Interim-Updates
    address_list: str = ""
    server: Server | None = None  # the RADIUS server that accepted
    radius_class: bytes | None = None  # Class, echoed in accounting


@dataclass
class Session:
    path: str
    entry_id: int
    client: Client
    grant: Grant
    acct_id: str
    nas_port: int
    accounting: bool
    started: float = field(default_factory=time.monotonic)
    cause: str = "Admin-Reset"  # Acct-Terminate-Cause unless something else ends it
    timers: list[asyncio.TimerHandle | asyncio.Task[None]] = field(default_factory=list)
    last_accounting: asyncio.Task[None] | None = None
    accounting_lock: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass
class RouterState:
    """A running router's subscriber side: its sessions and its /radius incoming listener."""

    loop: asyncio.AbstractEventLoop | None = None
    sessions: dict[tuple[str, int], Session] = field(default_factory=dict)
    sessions_made: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    # part of every Acct-Session-Id: a router started again does not repeat the ids of its last
    # run, which a RADIUS server's accounting would take for those sessions (unverified)
    boot: int = field(default_factory=lambda: int(time.time()) & 0x7FFF)
    logins_tried: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    incoming: IncomingListener | None = None
    incoming_port: int | None = None
    incoming_host: str | None = None
    tasks: set[asyncio.Task[Any]] = field(default_factory=set)


_STATES: "weakref.WeakKeyDictionary[Router, RouterState]" = weakref.WeakKeyDictionary()


def _state(router: Router) -> RouterState:
    state = _STATES.get(router)
    if state is None:
        state = _STATES[router] = RouterState()
    return state


def _in_loop(loop: asyncio.AbstractEventLoop, call: Callable[[], object]) -> None:
    """Run `call` on `loop`: now when this is the loop's thread, else as soon as it can."""
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is loop:
        call()
    else:
        loop.call_soon_threadsafe(call)


def _spawn(state: RouterState, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
    assert state.loop is not None
    task = state.loop.create_task(coro)
    state.tasks.add(task)
    task.add_done_callback(state.tasks.discard)
    return task


# ---- a running router: attach, detach, /radius incoming --------------------------------------------

def attach(handle: "EmulatedRouter") -> None:
    """The router runs on `handle.loop`: sessions may open, /radius incoming may listen."""
    state = _state(handle.router)
    state.loop = handle.loop
    with handle.router.lock:
        sync_incoming(handle.router)


def detach(handle: "EmulatedRouter") -> None:
    """The router stops: its listener closes, timers and accounting in flight are dropped."""
    state = _STATES.get(handle.router)
    if state is None:
        return
    _close_incoming(state)
    for session in state.sessions.values():
        for timer in session.timers:
            timer.cancel()
    for task in list(state.tasks):
        task.cancel()
    state.sessions.clear()
    state.loop = None


def incoming_changed(router: Router) -> None:
    """/radius incoming was set (menus/radius.py): listen on the new port, or stop."""
    if router in _STATES:
        sync_incoming(router)


def sync_incoming(router: Router) -> None:
    """Make the listener match /radius incoming (accept, port). A port that cannot be bound is
    logged, not fatal; the next change of /radius incoming tries again."""
    state = _STATES.get(router)
    if state is None or state.loop is None:
        return
    values = router.single_values("/radius/incoming")
    wanted = int(values.get("port", "3799")) if values.get("accept") == "true" else None
    host = _incoming_host(router)
    if (wanted, host) == (state.incoming_port, state.incoming_host) and (wanted is None or state.incoming is not None):
        return
    _close_incoming(state)
    if wanted is None:
        return
    try:
        sock = radius_client.bind_incoming(wanted, host)
    except OSError as exc:
        router.log_event("radius,error", f"incoming: cannot listen on port {wanted}: {exc.strerror or exc}")
        LOG.warning("%s: radius incoming cannot listen on port %s: %s", router.identity, wanted, exc)
        return
    listener = IncomingListener(sock, lambda source: _incoming_secrets(router, source),
                                lambda request: _dynamic_authorization(router, request))
    state.incoming, state.incoming_port, state.incoming_host = listener, wanted, host
    loop = state.loop
    _in_loop(loop, lambda: _spawn(state, listener.start()))


def _close_incoming(state: RouterState) -> None:
    listener, state.incoming, state.incoming_port, state.incoming_host = state.incoming, None, None, None
    if listener is not None and state.loop is not None:
        _in_loop(state.loop, listener.close)


def _incoming_host(router: Router) -> str:
    """Where a router listens for Disconnect/CoA-Request: its own address, the loopback
    src-address its RADIUS requests leave from (the NAS address the server sends them to; every
    emulated router shares this host), else 127.0.0.1."""
    with router.lock:
        for entry in router.entries("/radius"):
            source = entry.values.get("src-address", "0.0.0.0")
            if entry.values.get("disabled") != "true" and radius_client.is_loopback(source):
                return source
    return radius_client.INCOMING_HOST


def _incoming_secrets(router: Router, source: str) -> list[bytes]:
    with router.lock:
        return [e.values.get("secret", "").encode() for e in router.entries("/radius")
                if e.values.get("disabled") != "true" and e.values.get("address", "").split("@")[0] == source]


def _identifiers(router: Router, session: Session) -> dict[str, str]:
    """What a Disconnect-Request or CoA-Request may name a session by."""
    entry = router.menus[session.path].entries.get(session.entry_id)
    return {
        "User-Name": session.client.user,
        "Acct-Session-Id": session.acct_id,
        "Framed-IP-Address": entry.values.get("address", "") if entry else "",
        "Calling-Station-Id": session.client.caller_id.upper(),
    }


async def _dynamic_authorization(router: Router, request: packet.CoAPacket) -> tuple[bool, int | None]:
    """RFC 5176: end (Disconnect) or change (CoA: Mikrotik-Rate-Limit, Mikrotik-Address-List)
    every session the request's identifying attributes all match."""
    names = ("User-Name", "Acct-Session-Id", "Framed-IP-Address", "Calling-Station-Id")
    given = {name: str(request[name][0]) for name in names if name in request}
    if "Calling-Station-Id" in given:
        given["Calling-Station-Id"] = given["Calling-Station-Id"].upper()
    if not given:
        return False, ERROR_MISSING_ATTRIBUTE
    state = _state(router)
    with router.lock:
        matches = [s for s in list(state.sessions.values()) if given.items() <= _identifiers(router, s).items()]
        if not matches:
            return False, ERROR_SESSION_NOT_FOUND
        for session in matches:
            if request.code == packet.DisconnectRequest:
                _end(router, session, "Admin-Reset")
            else:
                _change(router, session, request)
    return True, None


def _change(router: Router, session: Session, request: packet.CoAPacket) -> None:
    changes = {}
    if "Mikrotik-Rate-Limit" in request:
        rate = _rate_limit(router, str(request["Mikrotik-Rate-Limit"][0]))
        if rate:
            session.grant.rate_limit = changes["_rate-limit"] = rate
    if "Mikrotik-Address-List" in request:
        session.grant.address_list = changes["_address-list"] = str(request["Mikrotik-Address-List"][0])
    entry = router.menus[session.path].entries.get(session.entry_id)
    if changes and entry is not None:
        router.update_dynamic(session.path, entry, changes)


# ---- entries derived from a session ---------------------------------------------------------------

def queue_limits(rate_limit: str) -> dict[str, str]:
    """The simple queue fields of a rate limit, as RouterOS prints them (`10M/10M`...)."""
    return {name: Pair(kind).parse(part) for (name, kind), part in zip(QUEUE_LIMITS, rate_limit.split())}


def session_entries(router: Router, path: str, entry: Entry) -> list[tuple[str, dict[str, str]]]:
    """The dynamic entries a session holds (menus/ppp.py and menus/hotspot.py make them derived
    entries of the active entry): the pool address, the rate limit's queue, address lists."""
    values = entry.values
    address = values.get("address", "")
    user = values.get("name", values.get("user", ""))
    wanted: list[tuple[str, dict[str, str]]] = []
    if values.get("_pool") and address:
        # owner and info as RouterOS prints them are unverified
        wanted.append(("/ip/pool/used", {"pool": values["_pool"], "address": address,
                                         "owner": "ppp" if path == PPP_ACTIVE else "hotspot", "info": user}))
    if values.get("_rate-limit"):
        if path == PPP_ACTIVE:
            name = target = f"<pppoe-{user}>"
        else:
            name, target = f"<hotspot-{user}>", f"{address}/32"
        wanted.append(("/queue/simple", {"name": name, "target": target, **queue_limits(values["_rate-limit"])}))
    for address_list in filter(None, values.get("_address-list", "").split(",")):
        if address:
            wanted.append(("/ip/firewall/address-list", {"list": address_list, "address": address}))
    return wanted


def session_ended(router: Router, path: str, entry: Entry) -> None:
    """An active entry is gone (hangup, logout, `remove`, timeout, Disconnect): stop the session's
    timers, log it, send its accounting Stop. Called by the active menus' on_change."""
    state = _STATES.get(router)
    session = state.sessions.pop((path, entry.id), None) if state else None
    if state is None or session is None:
        return
    if path == PPP_ACTIVE:
        router.log_event("pppoe,ppp,info", f"<pppoe-{session.client.user}>: disconnected")
    else:
        router.log_event("hotspot,account,info",
                         f"{session.client.user} ({entry.values.get('address', '')}): logged out")
    if state.loop is None:
        return
    stop = _accounting_attributes(router, session, "Stop", entry) if session.accounting else None

    def finish() -> None:
        for timer in session.timers:
            timer.cancel()
        if stop is not None:
            _queue_accounting(state, session, stop)

    _in_loop(state.loop, finish)


def _end(router: Router, session: Session, cause: str) -> None:
    """End a session, unless it is gone already (call under the router's lock)."""
    entry = router.menus[session.path].entries.get(session.entry_id)
    if entry is None:
        return
    session.cause = cause
    router.remove_entry(session.path, entry)
    router.record("runtime", "network", f"{session.path}/remove", {".id": format_id(entry.id), "cause": cause}, "ok")


# ---- accounting ---------------------------------------------------------------------------------------

def _accounting_attributes(router: Router, session: Session, status: str, entry: Entry | None) -> dict[str, Any]:
    attributes: dict[str, Any] = {
        "Acct-Status-Type": status,
        "Acct-Session-Id": session.acct_id,
        "Acct-Authentic": "RADIUS",
        "User-Name": session.client.user,
        **session.client.nas_attributes(router, session.nas_port),
        "Acct-Delay-Time": 0,
    }
    if entry is not None and entry.values.get("address"):
        attributes["Framed-IP-Address"] = entry.values["address"]
    if session.grant.radius_class is not None:
        attributes["Class"] = session.grant.radius_class
    if status != "Start":
        # the emulator moves no traffic: the counters stay at zero
        attributes.update({
            "Acct-Session-Time": int(time.monotonic() - session.started),
            "Acct-Input-Octets": 0, "Acct-Output-Octets": 0, "Acct-Input-Gigawords": 0,
            "Acct-Output-Gigawords": 0, "Acct-Input-Packets": 0, "Acct-Output-Packets": 0,
        })
    if status == "Stop":
        attributes["Acct-Terminate-Cause"] = session.cause
    return attributes


def _queue_accounting(state: RouterState, session: Session, attributes: dict[str, Any]) -> None:
    """Send after the session's earlier accounting (a Stop never overtakes its Start)."""
    server = session.grant.server
    assert server is not None

    async def send() -> None:
        async with session.accounting_lock:
            if not await radius_client.account(server, attributes):
                LOG.info("radius: accounting %s of %s got no answer", attributes["Acct-Status-Type"], session.acct_id)

    session.last_accounting = _spawn(state, send())


async def _interim_updates(router: Router, state: RouterState, session: Session, every: float) -> None:
    while True:
        await asyncio.sleep(every)
        with router.lock:
            entry = router.menus[session.path].entries.get(session.entry_id)
            if entry is None:
                return
            attributes = _accounting_attributes(router, session, "Interim-Update", entry)
        _queue_accounting(state, session, attributes)


def _expire(router: Router, session: Session) -> None:
    with router.lock:
        _end(router, session, "Session-Timeout")


# ---- small lookups ------------------------------------------------------------------------------

def _values(router: Router, path: str, **match: str) -> list[dict[str, str]]:
    return [e.values for e in router.entries(path)
            if all(e.values.get(k.replace("_", "-")) == v for k, v in match.items())]


def _named(router: Router, path: str, name: str) -> dict[str, str] | None:
    entry = router.menus[path].find_by(("name",), (name,))
    return entry.values if entry is not None else None


def _setting(profiles: list[dict[str, str]], name: str) -> str:
    """The first profile that sets `name` decides (the secret's profile before the server's
    default-profile); "" when none does. `default` means "as the next one says"."""
    for profile in profiles:
        value = profile.get(name, "")
        if value not in ("", "default"):
            return value
    return ""


def _password_matches(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def _rate_limit(router: Router, text: str) -> str:
    """A rate limit RADIUS sent, or "" (logged) when RouterOS could not read it."""
    try:
        return RateLimit().parse(text.strip())
    except Invalid:
        router.log_event("radius,warning", f"ignored Mikrotik-Rate-Limit {text!r}: not a rate limit")
        return ""


def _seconds(text: str) -> float | None:
    if not text or text in ("none", "0s"):
        return None
    seconds = parse_duration_ms(text) / 1000
    return seconds or None


def _is_address(text: str) -> bool:
    try:
        ipaddress.IPv4Address(text)
        return True
    except ValueError:
        return False


def _pool_addresses(ranges: str) -> Iterator[str]:
    """A pool's addresses from the top down, the order RouterOS hands them out (unverified for PPP;
    DHCP leases do start at the top)."""
    for item in reversed([r for r in ranges.split(",") if r]):
        low, _, high = item.partition("-")
        first, last = int(ipaddress.IPv4Address(low)), int(ipaddress.IPv4Address(high or low))
        for number in range(last, first - 1, -1):
            yield str(ipaddress.IPv4Address(number))


def allocate(router: Router, pool: str) -> tuple[str, str]:
    """A free address of `pool` (or of its next-pool chain) and the pool it came from."""
    name, seen = pool, set()
    while name and name != "none" and name not in seen:
        seen.add(name)
        values = _named(router, "/ip/pool", name)
        if values is None:
            raise Refused(f"no /ip/pool named {name}")
        used = {v.get("address") for v in _values(router, "/ip/pool/used", pool=name)}
        address = next((a for a in _pool_addresses(values.get("ranges", "")) if a not in used), None)
        if address is not None:
            return address, name
        name = values.get("next-pool", "")
    raise Refused(f"could not allocate an address from pool {pool}: no free address")


def _take_address(router: Router, address: str | None, pool: str | None) -> tuple[str, str]:
    """(address, the pool it was taken from or "")."""
    if address:
        return address, ""
    if pool:
        return allocate(router, pool)
    raise Refused("no address for the session: no Framed-IP-Address, remote-address or pool")


def _mac(text: Any, option: str) -> str:
    try:
        return MacAddress().parse(str(text))
    except Invalid:
        raise ValueError(f"{option}: {str(text)!r} is not a MAC address (XX:XX:XX:XX:XX:XX)") from None


def _caller_id(user: str) -> str:
    """A client MAC for a dial that gives none, the same for the same user."""
    digest = hashlib.sha256(user.encode()).hexdigest()
    return "02:" + ":".join(digest[i:i + 2] for i in range(0, 10, 2)).upper()


def _mac_format(mac: str, pattern: str) -> str:
    """`radius-mac-format`: the MAC's hex digits put in place of the pattern's X's."""
    digits = iter(mac.replace(":", ""))
    return "".join(next(digits) if c == "X" else c for c in pattern)


# ---- RADIUS ---------------------------------------------------------------------------------------------

def _radius_servers(router: Router, service: str) -> list[Server]:
    servers = []
    for values in _values(router, "/radius"):
        if values.get("disabled") == "true" or service not in values.get("service", "").split(","):
            continue
        server = Server.from_values(values)
        if not server.reachable:
            router.log_event("radius,warning",
                             f"server {server.address} is not on loopback: the emulator never sends to it")
        servers.append(server)
    return servers


async def _radius_grant(router: Router, client: Client, password: str, chap: bool, nas_port: int,
                        profiles_path: str, default_profile: str) -> Grant:
    with router.lock:
        servers = _radius_servers(router, client.service)
        attributes = client.nas_attributes(router, nas_port)
    if not servers:
        raise Refused(f"no RADIUS server with service {client.service}", via="radius")
    answer = await radius_client.authenticate(servers, client.user, password, chap=chap, attributes=attributes)
    if answer is None:
        raise Refused("RADIUS server did not answer (timeout)", via="radius")
    if not answer.accepted:
        message = answer.first("Reply-Message")
        raise Refused("rejected by RADIUS" + (f": {message}" if message else ""), via="radius")
    with router.lock:
        return _grant_of(router, answer, profiles_path, default_profile)


def _grant_of(router: Router, answer: Answer, profiles_path: str, default_profile: str) -> Grant:
    group = answer.first("Mikrotik-Group")
    profile = default_profile
    if group:
        if _named(router, profiles_path, str(group)) is not None:
            profile = str(group)
        else:
            router.log_event("radius,warning", f"Mikrotik-Group {group}: no such profile, using {default_profile}")
    rate = answer.first("Mikrotik-Rate-Limit")
    framed_ip = answer.first("Framed-IP-Address")
    session_timeout = answer.first("Session-Timeout")
    interim = answer.first("Acct-Interim-Interval")
    return Grant(
        via="radius", profile=profile,
        rate_limit=_rate_limit(router, str(rate)) if rate else "",
        address=str(framed_ip) if framed_ip and str(framed_ip) not in FRAMED_IP_CHOICES else None,
        pool=str(answer.first("Framed-Pool") or "") or None,
        session_timeout=float(session_timeout) if session_timeout else None,
        interim=float(interim) if interim else None,
        address_list=str(answer.first("Mikrotik-Address-List") or ""),
        server=answer.server,
        radius_class=answer.first("Class"),  # octets
    )


# ---- opening a session --------------------------------------------------------------------------------

def _open(router: Router, path: str, values: dict[str, str], client: Client, grant: Grant,
          accounting: bool, nas_port: int) -> tuple[Entry, Session]:
    """Create the active entry (and so its derived entries) and the session's timers and Start."""
    state = _state(router)
    acct_id = f"{0x80000000 | state.boot << 16 | next(state.sessions_made) & 0xFFFF:08x}"  # RouterOS-like (unverified)
    if path == PPP_ACTIVE:
        values["session-id"] = "0x" + acct_id.upper()
    entry = router.add_dynamic(path, values)
    router.record("runtime", "network", f"{path}/add",
                  {k: v for k, v in values.items() if not k.startswith("_")}, "ok")
    session = Session(path, entry.id, client, grant, acct_id, nas_port, accounting and grant.server is not None)
    state.sessions[(path, entry.id)] = session
    if state.loop is not None:
        if grant.session_timeout:
            session.timers.append(state.loop.call_later(grant.session_timeout, _expire, router, session))
        if session.accounting:
            _queue_accounting(state, session, _accounting_attributes(router, session, "Start", entry))
            if grant.interim:
                session.timers.append(_spawn(state, _interim_updates(router, state, session, grant.interim)))
    return entry, session


def _described(entry: Entry, session: Session, interface: str, **extra: str) -> dict[str, Any]:
    return {
        "accepted": True, "id": format_id(entry.id), "user": session.client.user,
        "address": entry.values.get("address", ""), "interface": interface,
        "rate_limit": session.grant.rate_limit, "via": session.grant.via, "profile": session.grant.profile,
        "session_id": session.acct_id, **extra,
    }


def _refused(user: str, exc: Refused, grant: Grant | None) -> dict[str, Any]:
    """A refusal; `via` says who authenticated the user (None: it never got that far)."""
    return {"accepted": False, "reason": str(exc), "user": user, "via": exc.via or (grant.via if grant else None)}


def _nas_port(router: Router) -> int:
    """A NAS-Port number per login, as RouterOS numbers its sessions (format unverified)."""
    return 0x80000000 + next(_state(router).logins_tried) % 0x00FFFFFF


# ---- PPPoE ----------------------------------------------------------------------------------------------

def _pppoe_server(router: Router, service: str | None) -> dict[str, str]:
    servers = [v for v in _values(router, "/interface/pppoe-server/server") if v.get("disabled") != "true"]
    if service is not None:
        servers = [v for v in servers if v.get("service-name") == service]
    if not servers:
        raise Refused("no enabled PPPoE server" + (f" with service-name {service}" if service is not None else ""))
    server = servers[0]
    limit = server.get("max-sessions", "unlimited")
    if limit != "unlimited":
        name = server.get("service-name")
        busy = sum(1 for v in _values(router, PPP_ACTIVE, service="pppoe") if v.get("_service-name") == name)
        if busy >= int(limit):
            raise Refused(f"PPPoE server {server.get('service-name')}: max-sessions ({limit}) reached")
    return server


def _ppp_secret(router: Router, user: str) -> dict[str, str] | None:
    """The user's enabled local secret for PPPoE; a disabled one is as good as none (unverified:
    operators disable local secrets to hand their users to RADIUS)."""
    for values in _values(router, "/ppp/secret", name=user):
        if values.get("disabled") != "true" and values.get("service", "any") in ("any", "pppoe"):
            return values
    return None


def _chap_allowed(methods: str, chap_word: str, pap_word: str, option: str) -> bool:
    allowed = methods.split(",")
    if chap_word in allowed:
        return True
    if pap_word in allowed:
        return False
    raise Refused(f"{option} ({methods}) has neither {chap_word} nor {pap_word}, "
                  "the methods the emulated client speaks")


def _ppp_address(grant: Grant, secret: dict[str, str] | None,
                 profiles: list[dict[str, str]]) -> tuple[str | None, str | None]:
    """(fixed address, pool): Framed-IP-Address, the secret's remote-address, Framed-Pool, then
    the profiles' remote-address (an address or a pool). An address beats a pool (PPP AAA)."""
    if grant.address:
        return grant.address, None
    if secret and secret.get("remote-address"):
        return secret["remote-address"], None
    if grant.pool:
        return None, grant.pool
    remote = _setting(profiles, "remote-address")
    if remote:
        return (remote, None) if _is_address(remote) else (None, remote)
    return None, None


async def dial_async(handle: "EmulatedRouter", user: Any, password: Any, caller_id: Any = None,
                     service: Any = None) -> dict[str, Any]:
    """A PPPoE client dials: the session's description, or why the router refused it."""
    router = handle.router
    user, password = str(user), str(password)
    if not user:
        raise ValueError("user: empty user name")
    caller = _mac(caller_id, "caller_id") if caller_id is not None else _caller_id(user)
    service = str(service) if service is not None else None
    grant: Grant | None = None
    try:
        with router.lock:
            server = _pppoe_server(router, service)
            chap = _chap_allowed(server.get("authentication", ""), "chap", "pap", "PPPoE server authentication")
            secret = _ppp_secret(router, user)
            aaa = router.single_values("/ppp/aaa")
            default_profile = server.get("default-profile", "default")
            nas_port = _nas_port(router)
        client = Client("ppp", user, caller, server.get("service-name", ""), server.get("interface", ""),
                        NAS_PORT_TYPES["ethernet"])
        if secret is not None:
            if not _password_matches(password, secret.get("password", "")):
                raise Refused("authentication failed: wrong password", via="local")
            if secret.get("caller-id") and secret["caller-id"].upper() != caller:
                raise Refused(f"authentication failed: caller-id {caller} is not the secret's", via="local")
            grant = Grant("local", secret.get("profile", "default"))
        elif aaa.get("use-radius") == "true":
            grant = await _radius_grant(router, client, password, chap, nas_port, PPP_PROFILES, default_profile)
        else:
            raise Refused("authentication failed: no such user", via="local")
        with router.lock:
            entry, session = _open_ppp(router, server, client, grant, secret, aaa, nas_port)
    except Refused as exc:
        with router.lock:
            router.log_event("pppoe,ppp,error", f"<{caller}>: user {user} authentication failed: {exc}")
        return _refused(user, exc, grant)
    return _described(entry, session, f"<pppoe-{user}>")


def _open_ppp(router: Router, server: dict[str, str], client: Client, grant: Grant,
              secret: dict[str, str] | None, aaa: dict[str, str], nas_port: int) -> tuple[Entry, Session]:
    profiles = [p for p in (_named(router, PPP_PROFILES, grant.profile),
                            _named(router, PPP_PROFILES, server.get("default-profile", "default"))) if p]
    if _setting(profiles, "only-one") == "yes" and _values(router, PPP_ACTIVE, name=client.user):
        raise Refused(f"user {client.user} is already connected (profile only-one)")
    grant.rate_limit = grant.rate_limit or _setting(profiles, "rate-limit")
    if grant.session_timeout is None:
        grant.session_timeout = _seconds(_setting(profiles, "session-timeout"))
    if grant.interim is None:
        grant.interim = _seconds(aaa.get("interim-update", "0s"))
    address, pool = _take_address(router, *_ppp_address(grant, secret, profiles))
    values = {
        "name": client.user, "service": "pppoe", "caller-id": client.caller_id, "address": address,
        "uptime": "0s", "encoding": "", "radius": "true" if grant.via == "radius" else "false",
        "_service-name": server.get("service-name", ""), "_pool": pool, "_rate-limit": grant.rate_limit,
        "_address-list": grant.address_list,
    }
    entry, session = _open(router, PPP_ACTIVE, values, client, grant, aaa.get("accounting") == "true", nas_port)
    router.log_event("pppoe,ppp,info", f"<pppoe-{client.user}>: authenticated")
    router.log_event("pppoe,ppp,info", f"<pppoe-{client.user}>: connected")
    return entry, session


async def hangup_async(handle: "EmulatedRouter", user: Any = None, id: Any = None) -> dict[str, int]:  # noqa: A002
    """The client hangs up (User-Request): its sessions end; returns after their accounting Stop."""
    option, value = _one_of(user=user, id=id)
    if option == "user":
        return await _end_matching(handle, PPP_ACTIVE, "hangup", lambda entry: entry.values.get("name") == value)
    number = parse_id(value)
    if number is None:
        raise ValueError(f"id: {value!r} is not a session id such as *1")
    return await _end_matching(handle, PPP_ACTIVE, "hangup", lambda entry: entry.id == number)


# ---- Hotspot --------------------------------------------------------------------------------------------

def _hotspot_server(router: Router, name: str | None) -> dict[str, str]:
    servers = [v for v in _values(router, "/ip/hotspot") if v.get("disabled") != "true"]
    if name is not None:
        if not _values(router, "/ip/hotspot", name=name):
            raise ValueError(f"server: no /ip/hotspot server named {name!r}")
        servers = [v for v in servers if v.get("name") == name]
    if not servers:
        raise Refused("no enabled Hotspot server" + (f" named {name}" if name is not None else ""))
    if len(servers) > 1:
        raise ValueError(f"server: {len(servers)} Hotspot servers are enabled; say which one (server=NAME)")
    return servers[0]


def _hotspot_user(router: Router, user: str, server: str) -> dict[str, str] | None:
    for values in _values(router, "/ip/hotspot/user", name=user):
        if values.get("disabled") != "true" and values.get("server", "all") in ("all", server):
            return values
    return None


def _hotspot_address(grant: Grant, user_profile: dict[str, str], client_address: str | None,
                     server: dict[str, str]) -> tuple[str | None, str | None]:
    """(fixed address, pool): Framed-IP-Address or the user's address, Framed-Pool or the user
    profile's address-pool, the client's own address, then the server's address-pool
    (the order of the last two is the emulator's choice: a client with no address of its own
    gets one)."""
    if grant.address:
        return grant.address, None
    for pool in (grant.pool, user_profile.get("address-pool")):
        if pool and pool != "none":
            return None, pool
    if client_address:
        return client_address, None
    pool = server.get("address-pool", "none")
    return (None, pool) if pool != "none" else (None, None)


async def hotspot_login_async(handle: "EmulatedRouter", user: Any, password: Any, mac: Any,
                              address: Any = None, server: Any = None) -> dict[str, Any]:
    """A Hotspot client logs in through the login page: the login's description, or why not."""
    router = handle.router
    user, password = str(user), str(password)
    if not user:
        raise ValueError("user: empty user name")
    mac = _mac(mac, "mac")
    if address is not None and not _is_address(str(address)):
        raise ValueError(f"address: {address!r} is not an IPv4 address")
    client_address = str(address) if address is not None else None
    grant: Grant | None = None
    try:
        with router.lock:
            hotspot = _hotspot_server(router, str(server) if server is not None else None)
            profile = _named(router, "/ip/hotspot/profile", hotspot.get("profile", "default")) or {}
            chap = _chap_allowed(profile.get("login-by", ""), "http-chap", "http-pap", "Hotspot profile login-by")
            local = _hotspot_user(router, user, hotspot.get("name", ""))
            nas_port = _nas_port(router)
            port_type = profile.get("nas-port-type", "wireless-802.11")
        client = Client("hotspot", user, _mac_format(mac, profile.get("radius-mac-format", "XX:XX:XX:XX:XX:XX")),
                        hotspot.get("name", ""), hotspot.get("interface", ""),
                        int(port_type) if port_type.isdigit() else NAS_PORT_TYPES.get(port_type, 19),
                        client_address)
        if local is not None:
            if not _password_matches(password, local.get("password", "")):
                raise Refused("invalid username or password", via="local")
            if local.get("mac-address") and local["mac-address"] != mac:
                raise Refused(f"user {user} may log in only from {local['mac-address']}", via="local")  # unverified
            grant = Grant("local", local.get("profile", "default"), address=local.get("address"),
                          session_timeout=_seconds(local.get("limit-uptime", "")))
        elif profile.get("use-radius") == "true":
            grant = await _radius_grant(router, client, password, chap, nas_port, HOTSPOT_USER_PROFILES, "default")
        else:
            raise Refused("invalid username or password", via="local")
        with router.lock:
            entry, session = _open_hotspot(router, hotspot, profile, client, grant, mac, chap, nas_port)
    except Refused as exc:
        with router.lock:
            router.log_event("hotspot,info,debug", f"{user} ({client_address or mac}): login failed: {exc}")
        return _refused(user, exc, grant)
    return _described(entry, session, hotspot.get("interface", ""), mac=mac, server=hotspot.get("name", ""))


def _open_hotspot(router: Router, hotspot: dict[str, str], profile: dict[str, str], client: Client,
                  grant: Grant, mac: str, chap: bool, nas_port: int) -> tuple[Entry, Session]:
    if _values(router, HOTSPOT_ACTIVE, mac_address=mac):
        raise Refused(f"{mac} is already logged in")
    user_profile = _named(router, HOTSPOT_USER_PROFILES, grant.profile) or {}
    shared = user_profile.get("shared-users", "1")
    if shared != "unlimited" and len(_values(router, HOTSPOT_ACTIVE, user=client.user)) >= int(shared):
        raise Refused(f"no more sessions are allowed for user {client.user} (shared-users {shared})")
    grant.rate_limit = grant.rate_limit or user_profile.get("rate-limit", "") or profile.get("rate-limit", "")
    if grant.session_timeout is None:
        grant.session_timeout = _seconds(user_profile.get("session-timeout", ""))
    interim = profile.get("radius-interim-update", "received")
    if interim != "received":
        grant.interim = _seconds(interim)
    address, pool = _hotspot_address(grant, user_profile, client.address, hotspot)
    if address is None and pool is None:
        raise Refused("no address for the client: give its address, or an address-pool to the server")
    address, pool = _take_address(router, address, pool)
    values = {
        "server": hotspot.get("name", ""), "user": client.user, "address": address, "mac-address": mac,
        "login-by": "http-chap" if chap else "http-pap", "uptime": "0s",
        "radius": "true" if grant.via == "radius" else "false",
        "_pool": pool, "_rate-limit": grant.rate_limit, "_address-list": grant.address_list,
    }
    if grant.session_timeout:
        values["session-time-left"] = format_duration_ms(int(grant.session_timeout * 1000))
    entry, session = _open(router, HOTSPOT_ACTIVE, values, client, grant,
                           profile.get("radius-accounting", "true") == "true", nas_port)
    router.log_event("hotspot,account,info", f"{client.user} ({address}): logged in")
    return entry, session


async def hotspot_logout_async(handle: "EmulatedRouter", user: Any = None, mac: Any = None) -> dict[str, int]:
    """The client logs out (User-Request); returns after the accounting Stop."""
    option, value = _one_of(user=user, mac=mac)
    field_name, wanted = ("user", value) if option == "user" else ("mac-address", _mac(value, "mac"))
    return await _end_matching(handle, HOTSPOT_ACTIVE, "hotspot_logout",
                               lambda entry: entry.values.get(field_name) == wanted)


# ---- ending sessions on request, and listing them ------------------------------------------------------------

def _one_of(**options: Any) -> tuple[str, str]:
    """The one option of `options` that was given, as text."""
    given = [(name, str(value)) for name, value in options.items() if value is not None]
    if len(given) != 1:
        raise ValueError(f"give {' or '.join(name + '=' for name in options)} (one of them)")
    return given[0]


async def _end_matching(handle: "EmulatedRouter", path: str, operation: str,
                        matches: Callable[[Entry], bool]) -> dict[str, int]:
    """End the sessions of `path` that `matches` (User-Request); return after their accounting Stop."""
    router = handle.router
    state = _state(router)
    ended: list[Session] = []
    count = 0
    with router.lock:
        for entry in [e for e in router.menus[path].entries.values() if matches(e)]:
            session = state.sessions.get((path, entry.id))
            if session is not None:
                session.cause = "User-Request"
                ended.append(session)
            router.remove_entry(path, entry)
            router.record("runtime", "network", f"{path}/remove", {".id": format_id(entry.id), "by": operation}, "ok")
            count += 1
    pending = [s.last_accounting for s in ended if s.last_accounting is not None]
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)
    return {"ended": count}


def sessions_of(handle: "EmulatedRouter") -> dict[str, list[dict[str, str]]]:
    """What /ppp/active and /ip/hotspot/active print."""
    return {"ppp": handle.print(PPP_ACTIVE), "hotspot": handle.print(HOTSPOT_ACTIVE)}


# ---- from another thread (tests with start_router) ------------------------------------------------------

def _run(handle: "EmulatedRouter", coro: Coroutine[Any, Any, Any], timeout: float = 120) -> Any:
    if handle.loop is None:
        coro.close()
        raise RuntimeError("the router is not running")
    return asyncio.run_coroutine_threadsafe(coro, handle.loop).result(timeout)


def dial(handle: "EmulatedRouter", user: Any, password: Any, caller_id: Any = None,
         service: Any = None) -> dict[str, Any]:
    """dial_async from a thread other than the router's loop."""
    return _run(handle, dial_async(handle, user, password, caller_id, service))


def hangup(handle: "EmulatedRouter", user: Any = None, id: Any = None) -> dict[str, int]:  # noqa: A002
    return _run(handle, hangup_async(handle, user, id))


def hotspot_login(handle: "EmulatedRouter", user: Any, password: Any, mac: Any, address: Any = None,
                  server: Any = None) -> dict[str, Any]:
    return _run(handle, hotspot_login_async(handle, user, password, mac, address, server))


def hotspot_logout(handle: "EmulatedRouter", user: Any = None, mac: Any = None) -> dict[str, int]:
    return _run(handle, hotspot_logout_async(handle, user, mac))


# ---- control operations ---------------------------------------------------------------------------------

def _router_of(lab: "Lab", router: Any) -> "EmulatedRouter":
    try:
        return lab.routers[str(router)]
    except KeyError:
        raise ControlError(f"router: no router named {router!r}; known: {', '.join(sorted(lab.routers))}") from None


async def _control(operation: str, coro: Coroutine[Any, Any, Any]) -> Any:
    try:
        return await coro
    except ValueError as exc:
        raise ControlError(f"{operation}: {exc}") from None


@control.operation("dial")
async def _dial(lab: "Lab", router: Any, user: Any, password: Any, caller_id: Any = None,
                service: Any = None) -> dict[str, Any]:
    """Dial a PPPoE client: router=NAME user=U password=P [caller_id=MAC] [service=SERVICE-NAME]."""
    return await _control("dial", dial_async(_router_of(lab, router), user, password, caller_id, service))


@control.operation("hangup")
async def _hangup(lab: "Lab", router: Any, user: Any = None, id: Any = None) -> dict[str, int]:  # noqa: A002
    """Hang up PPPoE sessions: router=NAME (user=U | id=*N)."""
    return await _control("hangup", hangup_async(_router_of(lab, router), user, id))


@control.operation("hotspot_login")
async def _hotspot_login(lab: "Lab", router: Any, user: Any, password: Any, mac: Any, address: Any = None,
                         server: Any = None) -> dict[str, Any]:
    """Log a Hotspot client in: router=NAME user=U password=P mac=MAC [address=IP] [server=NAME]."""
    return await _control("hotspot_login",
                          hotspot_login_async(_router_of(lab, router), user, password, mac, address, server))


@control.operation("hotspot_logout")
async def _hotspot_logout(lab: "Lab", router: Any, user: Any = None, mac: Any = None) -> dict[str, int]:
    """Log Hotspot clients out: router=NAME (user=U | mac=MAC)."""
    return await _control("hotspot_logout", hotspot_logout_async(_router_of(lab, router), user, mac))


@control.operation("sessions")
def _sessions(lab: "Lab", router: Any) -> dict[str, list[dict[str, str]]]:
    """The router's PPP and Hotspot sessions: router=NAME."""
    return sessions_of(_router_of(lab, router))
