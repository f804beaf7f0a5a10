"""/ppp (profile, secret, aaa, active) and /interface/pppoe-server/server.

Written from MikroTik's PPP AAA and PPPoE manual pages, RouterOS's `/console/inspect`
argument lists (7.15) and routeros-api.md. Facts not seen in a primary source say "unverified".

Runtime: a session added to /ppp/active (EmulatedRouter.add_runtime, or a dial: subscribers.py)
with service=pppoe gets its dynamic `<pppoe-NAME>` interface in /interface/pppoe-server, and the
pool address, queue and address lists of subscribers.session_entries; it loses them with the
session.
"""
from __future__ import annotations

import ipaddress
import time

from ..schema import RUNTIME, SINGLE, V7, Field, Menu
from ..values import (
    Bool, Duration, Enum, Flags, Int, InterfaceRef, Invalid, IPAddress, ListOf, Name, OneOf, RateLimit,
    Ref, Text, format_duration_ms, parse_duration_ms,
)
from ._common import COMMON, ONLY_V6, ONLY_V7, builtin_default_flag

POOL_PATHS = ("/ip/pool",)


class AddressOrPool(Ref):
    """`local-address`/`remote-address` of a PPP profile: an IPv4 address or the name of an
    /ip/pool. A Ref, so a pool in use cannot be removed and a renamed pool is followed."""

    def parse(self, text, router=None):
        try:
            return str(ipaddress.IPv4Address(text))
        except ValueError:
            pass
        return super().parse(text, router)


ADDRESS_OR_POOL = AddressOrPool(POOL_PATHS)
YES_NO_DEFAULT = Enum(("default", "no", "yes"))
YES_NO_DEFAULT_REQUIRED = Enum(("default", "no", "required", "yes"))

PROFILE_PATHS = ("/ppp/profile",)


PROFILE = Menu(
    "/ppp/profile",
    [
        Field("name", Name()),
        Field("local-address", ADDRESS_OR_POOL),
        Field("remote-address", ADDRESS_OR_POOL),
        Field("remote-ipv6-prefix-pool", Text()),
        Field("dhcpv6-pd-pool", Text()),
        Field("bridge", Ref(("/interface/bridge",))),
        Field("bridge-horizon", Int(0, 429496729)),
        Field("bridge-learning", YES_NO_DEFAULT, default="default"),
        Field("bridge-path-cost", Int(1, 200000000)),
        Field("bridge-port-priority", Int(0, 240)),
        Field("incoming-filter", Text()),
        Field("outgoing-filter", Text()),
        Field("address-list", Text(), default=""),
        Field("interface-list", Text()),
        Field("dns-server", ListOf(IPAddress())),
        Field("wins-server", ListOf(IPAddress())),
        Field("change-tcp-mss", YES_NO_DEFAULT, default="default"),
        Field("use-ipv6", YES_NO_DEFAULT_REQUIRED, default="yes"),
        Field("use-mpls", YES_NO_DEFAULT_REQUIRED, default="default"),
        Field("use-compression", YES_NO_DEFAULT, default="default"),
        Field("use-encryption", YES_NO_DEFAULT_REQUIRED, default="default"),
        Field("use-upnp", YES_NO_DEFAULT, default="default"),
        Field("session-timeout", Duration()),
        Field("idle-timeout", Duration()),
        Field("rate-limit", RateLimit()),
        Field("only-one", YES_NO_DEFAULT, default="default"),
        Field("insert-queue-before", Text()),
        Field("parent-queue", Text()),
        Field("queue-type", Text()),
        Field("on-up", Text(), default=""),
        Field("on-down", Text(), default=""),
        Field("comment", Text()),
        Field("default", readonly=True),
    ],
    name_field="name",
    auto_name="profile",  # unverified: `add` without a name picks profile1, profile2 ...
    unique=[(("name",), "profile with the same name already exists")],  # unverified text
    builtins=[
        # values of a fresh router's two built-in profiles (from exports; unverified in detail)
        {".id": "*0", "name": "default", "change-tcp-mss": "yes"},
        {".id": "*FFFFFFFE", "name": "default-encryption", "change-tcp-mss": "yes", "use-encryption": "yes"},
    ],
    compute=builtin_default_flag,  # `default=false` on profiles a user added (REST dumps show it)
)

SECRET = Menu(
    "/ppp/secret",
    [
        Field("name", Name(), required=True),  # unverified: RouterOS may auto-name a secret
        Field("password", Text(), default=""),
        Field("service", Enum(("any", "async", "isdn", "l2tp", "ovpn", "pppoe", "pptp", "sstp")),
              default="any", dialects=ONLY_V6),  # unverified: isdn on 6.49
        Field("service", Enum(("any", "async", "l2tp", "ovpn", "pppoe", "pptp", "sstp")),
              default="any", dialects=ONLY_V7),
        Field("caller-id", Text(), default=""),
        Field("profile", Ref(PROFILE_PATHS), default="default"),
        Field("local-address", IPAddress()),
        Field("remote-address", IPAddress()),
        Field("remote-ipv6-prefix", Text()),
        Field("routes", Text(), default=""),
        Field("ipv6-routes", Text(), default=""),
        Field("limit-bytes-in", Int(0, 2**64 - 1), default="0"),
        Field("limit-bytes-out", Int(0, 2**64 - 1), default="0"),
        Field("last-logged-out", readonly=True, dialects=ONLY_V7),
        Field("last-caller-id", readonly=True, dialects=ONLY_V7),
        Field("last-disconnect-reason", readonly=True, dialects=ONLY_V7),
        *COMMON,
    ],
    name_field="name",
    unique=[(("name",), "secret with the same name already exists")],
)

AAA = Menu(
    "/ppp/aaa",
    [
        Field("use-radius", Bool(), default="false"),
        Field("accounting", Bool(), default="true"),
        Field("interim-update", Duration(), default="0s"),
        Field("use-circuit-id-in-nas-port-id", Bool(), default="false"),
        Field("enable-ipv6-accounting", Bool(), default="false", dialects=ONLY_V7),
    ],
    kind=SINGLE,
    builtins=[{}],
)


# ---- /ppp/active: sessions made by the network -------------------------------------------

def stamp_uptime(entry) -> None:
    """Remember when a runtime entry's `uptime` was last given, so print shows it growing."""
    given = entry.values.get("uptime", "0s")
    if entry.values.get("_uptime-base") != given or "_since" not in entry.values:
        entry.values["_uptime-base"] = given
        entry.values["_since"] = repr(time.time())


def current_uptime(entry) -> str:
    try:
        base = parse_duration_ms(entry.values.get("_uptime-base", entry.values.get("uptime", "0s")))
    except (Invalid, ValueError):
        base = 0
    since = float(entry.values.get("_since", repr(time.time())))
    return format_duration_ms(base + int(time.time() - since) * 1000)


def _active_compute(router, entry):
    return {
        "uptime": current_uptime(entry),
        # unverified format: RouterOS prints e.g. 0x81000001
        "session-id": entry.values.get("session-id") or f"0x81{entry.id:06X}",
    }


def _pppoe_service_name(router) -> str:
    servers = [e for e in router.entries("/interface/pppoe-server/server") if e.values.get("disabled") != "true"]
    return servers[0].values.get("service-name", "") if servers else ""


def _active_changed(router, entry, op):
    from ..subscribers import session_ended, session_entries

    values = entry.values
    name = values.get("name", "")
    if op == "remove":
        session_ended(router, "/ppp/active", entry)
        if router.dialect == V7:
            secret = router.menus["/ppp/secret"].find_by(("name",), (name,))
            if secret is not None:
                router.update_dynamic("/ppp/secret", secret, {
                    "last-logged-out": time.strftime("%Y-%m-%d %H:%M:%S"),
                    "last-caller-id": values.get("caller-id", ""),
                    "last-disconnect-reason": "",
                })
        return
    stamp_uptime(entry)
    wanted = []
    static = any(
        b.values.get("user") == name and not b.dynamic for b in router.entries("/interface/pppoe-server")
    )
    # A session of a user with a static /interface pppoe-server binding uses that binding.
    if values.get("service") == "pppoe" and name and not static:
        wanted.append(("/interface/pppoe-server", {
            "name": f"<pppoe-{name}>",
            "user": name,
            "service": values.get("_service-name") or _pppoe_service_name(router),
            "remote-address": values.get("caller-id", ""),
            "encoding": values.get("encoding", ""),
            "mtu": "1480",  # unverified: the usual PPPoE MTU/MRU
            "mru": "1480",
        }))
    wanted.extend(session_entries(router, "/ppp/active", entry))  # pool address, queue, address lists
    router.replace_derived("/ppp/active", entry, wanted)


ACTIVE = Menu(
    "/ppp/active",
    [
        Field("name", readonly=True),
        Field("service", readonly=True, default="pppoe"),  # a default for runtime creation only
        Field("caller-id", readonly=True, default=""),
        Field("address", readonly=True),
        Field("uptime", readonly=True, default="0s"),
        Field("encoding", readonly=True, default=""),
        Field("session-id", readonly=True),
        Field("limit-bytes-in", readonly=True, default="0"),
        Field("limit-bytes-out", readonly=True, default="0"),
        Field("radius", readonly=True, default="false"),
    ],
    kind=RUNTIME,
    on_change=_active_changed,
    compute=_active_compute,
)


# ---- /interface/pppoe-server/server ----------------------------------------------------------

PPPOE_SERVER = Menu(
    "/interface/pppoe-server/server",
    [
        Field("service-name", Name()),
        Field("interface", InterfaceRef(), required=True),
        Field("max-mtu", OneOf((Enum(("auto",)), Int(0, 65535))), default="auto"),
        Field("max-mru", OneOf((Enum(("auto",)), Int(0, 65535))), default="auto"),
        Field("mrru", OneOf((Enum(("disabled",)), Int(512, 65535))), default="disabled"),
        Field("authentication", Flags(("pap", "chap", "mschap1", "mschap2")),
              default="pap,chap,mschap1,mschap2"),
        Field("keepalive-timeout", OneOf((Enum(("disabled",)), Int(0, 4294967295))), default="10"),
        Field("one-session-per-host", Bool(), default="false"),
        Field("max-sessions", OneOf((Enum(("unlimited",)), Int(0, 65535))), default="unlimited"),
        Field("pado-delay", Int(0, 60000), default="0"),
        Field("default-profile", Ref(PROFILE_PATHS), default="default"),
        Field("accept-empty-service", Bool(), default="true", dialects=ONLY_V7),  # unverified default
        Field("comment", Text(), dialects=ONLY_V7),
        Field("disabled", Bool(), default="true"),  # a new server is disabled unless told otherwise
    ],
    name_field="service-name",
    auto_name="service",  # exports show service-name=service1 for servers added without one
    # several services may share an interface, but not one service name twice on it
    unique=[(("interface", "service-name"), "already have such entry")],  # unverified text
)

MENUS = [PROFILE, SECRET, AAA, ACTIVE, PPPOE_SERVER]
