"""/interface and the interface kinds the lab uses: ethernet, bridge (and ports), vlan,
pppoe-server bindings."""
from __future__ import annotations

from ..errors import failure
from ..schema import FIXED, LIST, Field, Menu
from ..values import (
    INTERFACE_PATHS, Bool, Duration, Enum, Int, InterfaceRef, MacAddress, Name, OneOf, Ref, Text,
)
from ._common import COMMON, ONLY_V6, ONLY_V7

MTU = OneOf((Enum(("auto",)), Int(0, 65535)))
INTERFACE_NAME_TAKEN = "already have interface with such name"


def interface_running(router, name: str) -> bool:
    """Whether the interface called `name` runs: enabled, and an ethernet port with carrier (in a
    lab, its segment's link up: network.py fills `router.no_carrier`), a VLAN while its parent
    runs, a bridge while one of its enabled ports runs (or while it has none)."""
    return _runs(router, name, 0)


def _runs(router, name: str, depth: int) -> bool:
    for path in INTERFACE_PATHS:
        state = router.menus.get(path)
        entry = state.find_by(("name",), (name,)) if state is not None else None
        if entry is not None:
            return _entry_runs(router, path, entry, depth)
    return False


def _entry_runs(router, path: str, entry, depth: int) -> bool:
    if entry.values.get("disabled") == "true" or depth > 4:
        return False
    if path == "/interface/ethernet":
        return entry.values.get("default-name") not in router.no_carrier
    if path == "/interface/vlan":
        return _runs(router, entry.values.get("interface", ""), depth + 1)
    if path == "/interface/bridge":
        ports = [port.values["interface"] for port in router.entries("/interface/bridge/port")
                 if port.values.get("bridge") == entry.values.get("name") and port.values.get("disabled") != "true"]
        return not ports or any(_runs(router, port, depth + 1) for port in ports)
    return True


def _running_as(path: str):
    """`compute` of an interface kind: its `running` flag."""
    def compute(router, entry):
        return {"running": "true" if _entry_runs(router, path, entry, 0) else "false"}
    return compute


def _bridge_compute(router, entry):
    mtu = entry.values.get("mtu", "auto")
    return {
        "actual-mtu": "1500" if mtu == "auto" else mtu,
        "l2mtu": "65535",
        "mac-address": entry.values.get("admin-mac") or "02:00:00:00:00:%02X" % (entry.id % 256),
        **_running_as("/interface/bridge")(router, entry),
    }


def _port_check(router, values, old):
    # an interface can be a port of one bridge only, and a bridge cannot be its own port
    if values["interface"] == values["bridge"]:
        raise failure("bridge cannot be added as port to itself")
    for port in router.entries("/interface/bridge/port"):
        if port.values is not old and port.values.get("interface") == values["interface"]:
            raise failure("device already added as bridge port")


def interface_entry(router, name: str):
    """The interface called `name`, of whichever kind, or None."""
    for path in INTERFACE_PATHS:
        state = router.menus.get(path)
        if state is None:
            continue
        entry = state.find_by(("name",), (name,))
        if entry is not None:
            return entry
    return None


def _name_free(router, values, old):
    """Interface names are unique across every interface kind (ether1, bridge1, vlan10 ...)."""
    name = values.get("name")
    if not name or (old is not None and old.get("name") == name):
        return
    other = interface_entry(router, name)
    if other is not None and other.values is not old:
        raise failure(INTERFACE_NAME_TAKEN)


def _interface_changed(router, entry, op):
    # addresses, connected routes and route state depend on interface names and states
    from .ip import interfaces_changed

    interfaces_changed(router)


ETHERNET = Menu(
    "/interface/ethernet",
    [
        Field("name", Name()),
        Field("default-name", readonly=True),
        Field("mtu", Int(0, 65535), default="1500"),
        Field("l2mtu", Int(0, 65535), default="1514", readonly=True),
        Field("mac-address", MacAddress()),
        Field("orig-mac-address", readonly=True),
        Field("arp", Enum(("disabled", "enabled", "local-proxy-arp", "proxy-arp", "reply-only")), default="enabled"),
        Field("auto-negotiation", Bool(), default="true"),
        Field("speed", Text(), default="1Gbps", dialects=ONLY_V6),
        Field("loop-protect", Enum(("default", "on", "off")), default="default"),
        Field("running", readonly=True),
        *COMMON,
    ],
    kind=FIXED,
    name_field="name",
    unique=[(("name",), INTERFACE_NAME_TAKEN)],
    interface_type="ether",
    validate=_name_free,
    on_change=_interface_changed,
    compute=_running_as("/interface/ethernet"),
)

BRIDGE = Menu(
    "/interface/bridge",
    [
        Field("name", Name(), default=None),
        Field("mtu", MTU, default="auto"),
        Field("actual-mtu", readonly=True),
        Field("l2mtu", readonly=True),
        Field("arp", Enum(("disabled", "enabled", "local-proxy-arp", "proxy-arp", "reply-only")), default="enabled"),
        Field("arp-timeout", OneOf((Enum(("auto",)), Duration())), default="auto"),
        Field("mac-address", readonly=True),
        Field("protocol-mode", Enum(("none", "rstp", "stp", "mstp")), default="rstp"),
        Field("fast-forward", Bool(), default="true"),
        Field("igmp-snooping", Bool(), default="false"),
        Field("auto-mac", Bool(), default="true"),
        Field("admin-mac", MacAddress()),
        Field("ageing-time", Duration(), default="5m"),
        Field("priority", Text(), default="0x8000"),
        Field("vlan-filtering", Bool(), default="false"),
        Field("dhcp-snooping", Bool(), default="false"),
        # 7.x: STP path costs in the long (802.1t) or short form (version added unverified)
        Field("port-cost-mode", Enum(("long", "short")), default="long", dialects=ONLY_V7),
        Field("running", readonly=True),
        *COMMON,
    ],
    name_field="name",
    auto_name="bridge",
    unique=[(("name",), INTERFACE_NAME_TAKEN)],
    interface_type="bridge",
    validate=_name_free,
    on_change=_interface_changed,
    compute=_bridge_compute,
)

BRIDGE_PORT = Menu(
    "/interface/bridge/port",
    [
        Field("interface", InterfaceRef(), required=True),
        Field("bridge", Ref(("/interface/bridge",)), required=True),
        Field("pvid", Int(1, 4094), default="1"),
        Field("priority", Text(), default="0x80"),
        Field("path-cost", Int(1, 200000000), default="10"),
        # 7.x exports show it beside path-cost (default unverified)
        Field("internal-path-cost", Int(1, 200000000), default="10", dialects=ONLY_V7),
        Field("horizon", OneOf((Enum(("none",)), Int(0, 429496729))), default="none"),
        Field("edge", Enum(("auto", "no", "no-discover", "yes", "yes-discover")), default="auto"),
        Field("point-to-point", Enum(("auto", "no", "yes")), default="auto"),
        Field("learn", Enum(("auto", "no", "yes")), default="auto"),
        Field("hw", Bool(), default="true"),
        Field("frame-types", Enum(("admit-all", "admit-only-untagged-and-priority-tagged", "admit-only-vlan-tagged")), default="admit-all"),
        Field("status", readonly=True),
        Field("inactive", readonly=True),
        *COMMON,
    ],
    validate=_port_check,
    compute=lambda router, entry: {"inactive": "false", "status": "in-bridge"},
)

VLAN = Menu(
    "/interface/vlan",
    [
        Field("name", Name(), required=True),
        Field("vlan-id", Int(1, 4095), required=True),
        Field("interface", InterfaceRef(), required=True),
        Field("mtu", Int(0, 65535), default="1500"),
        Field("arp", Enum(("disabled", "enabled", "local-proxy-arp", "proxy-arp", "reply-only")), default="enabled"),
        Field("running", readonly=True),
        *COMMON,
    ],
    name_field="name",
    unique=[(("name",), INTERFACE_NAME_TAKEN), (("interface", "vlan-id"), "vlan with such id already exists on this interface")],
    interface_type="vlan",
    validate=_name_free,
    on_change=_interface_changed,
    compute=_running_as("/interface/vlan"),
)

PPPOE_SERVER_BINDING = Menu(
    "/interface/pppoe-server",
    [
        Field("name", Name(), required=True),
        Field("user", Text(), default=""),
        Field("service", Text(), default=""),
        Field("remote-address", readonly=True),
        Field("uptime", readonly=True),
        Field("encoding", readonly=True),
        Field("mtu", readonly=True),
        Field("mru", readonly=True),
        Field("running", readonly=True),
        *COMMON,
    ],
    name_field="name",
    unique=[(("name",), INTERFACE_NAME_TAKEN)],
    interface_type="pppoe-in",
    validate=_name_free,
    on_change=_interface_changed,
    compute=_running_as("/interface/pppoe-server"),
)

# /interface lists every interface of the kinds above; set/enable/disable reach the kind's menu.
INTERFACE = Menu(
    "/interface",
    [
        Field("name", Name()),
        Field("default-name", readonly=True),
        Field("type", readonly=True),
        Field("mtu", readonly=True),
        Field("actual-mtu", readonly=True),
        Field("l2mtu", readonly=True),
        Field("mac-address", readonly=True),
        Field("running", readonly=True),
        Field("slave", readonly=True),
        *COMMON,
    ],
    kind="view",
    name_field="name",
)

MENUS = [INTERFACE, ETHERNET, BRIDGE, BRIDGE_PORT, VLAN, PPPOE_SERVER_BINDING]
