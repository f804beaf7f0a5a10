"""/queue/simple and /tool/netwatch.

Simple queues are ordered (the first matching queue wins), so `add` takes `place-before` and
`move` works. Rates print the way RouterOS shortens them (`10000000` -> `10M`), pairs as
`upload/download`.

Netwatch on 6.49 is the plain ping watcher (host, interval 1m, timeout 1s); 7.x (since 7.4)
adds probe types, names, thresholds and a test script. A lone emulated router has no network,
so a host is `up` unless the test made it unreachable (`EmulatedRouter.set_gateway_reachable`);
in a lab, the lab's network decides (network.py). Status stays `unknown` until the first check
(`refresh_netwatch`).

Sources: help.mikrotik.com Queues and Netwatch pages, the v6 wiki, API print samples of the
RouterOS Terraform provider. Items marked "unverified" were inferred, not read.
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from ..errors import invalid_value
from ..schema import V7, Field, Menu
from ..values import (
    INTERFACE_PATHS, Bool, Duration, Enum, Int, Invalid, IPAddress, Name, NoMatch, OutOfRange,
    Prefix, Ref, Text, ValueType, format_duration_ms, parse_duration_ms,
)
from ._common import COMMON, ONLY_V6, ONLY_V7, not_itself
from .firewall import stamp
from .ip import gateway_answers

# ---- simple queues --------------------------------------------------------------------------

RATE_UNITS = {"": 1, "k": 1000, "K": 1000, "M": 1000000, "G": 1000000000}


def parse_rate(text: str) -> int:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([kKMG]?)", text)
    if not match:
        raise Invalid(text)
    return int(round(float(match.group(1)) * RATE_UNITS[match.group(2)]))


def format_rate(bits: int) -> str:
    for unit, size in (("G", 1000000000), ("M", 1000000), ("k", 1000)):
        if bits and bits % size == 0:
            return f"{bits // size}{unit}"
    return str(bits)


@dataclass(frozen=True)
class Pair(ValueType):
    """`upload/download`; one value stands for both (`10M` -> `10M/10M`)."""

    kind: str  # rate, time, priority or queue

    def one(self, text: str) -> str:
        if self.kind == "rate":
            return format_rate(parse_rate(text))
        if self.kind == "time":
            return format_duration_ms(parse_duration_ms(text))
        if self.kind == "priority":
            if not text.isdigit():
                raise Invalid(text)
            if not 1 <= int(text) <= 8:
                raise OutOfRange(1, 8)
            return str(int(text))
        if text not in QUEUE_TYPES:
            raise NoMatch(text)
        return text

    def parse(self, text, router=None):
        parts = text.split("/")
        if len(parts) == 1:
            parts = parts * 2
        if len(parts) != 2:
            raise Invalid(text)
        return "/".join(self.one(p) for p in parts)


QUEUE_TYPES = (
    "default", "default-small", "ethernet-default", "hotspot-default", "multi-queue-ethernet-default",
    "only-hardware-queue", "pcq-download-default", "pcq-upload-default", "synchronous-default",
    "wireless-default",
)


@dataclass(frozen=True)
class QueueTarget(ValueType):
    """`target=`: addresses or networks (a host prints as `/32`) and interface names."""

    def parse(self, text, router=None):
        if not text:
            raise Invalid(text)
        out = []
        for item in text.split(","):
            if re.fullmatch(r"[\d.]+(/\d+)?", item):
                out.append(Prefix().parse(item))
            elif router is None or router.has_entry(INTERFACE_PATHS, "name", item):
                out.append(item)
            else:
                raise Invalid(item)
        return ",".join(out)


def _queue_compute(router, entry):
    zero = "0/0"
    return {
        "rate": zero, "packet-rate": zero, "bytes": zero, "packets": zero, "dropped": zero,
        "queued-bytes": zero, "queued-packets": zero, "invalid": "false",
    }


SIMPLE_QUEUE = Menu(
    "/queue/simple",
    [
        Field("name", Name()),
        Field("target", QueueTarget(), required=True),
        Field("dst", Text()),
        Field("parent", Ref(("/queue/simple",), special=("none",)), default="none"),
        Field("packet-marks", Text(), default=""),
        Field("priority", Pair("priority"), default="8/8"),
        Field("queue", Pair("queue"), default="default-small/default-small"),
        Field("limit-at", Pair("rate"), default="0/0"),
        Field("max-limit", Pair("rate"), default="0/0"),
        Field("burst-limit", Pair("rate"), default="0/0"),
        Field("burst-threshold", Pair("rate"), default="0/0"),
        Field("burst-time", Pair("time"), default="0s/0s"),
        Field("bucket-size", Text(), default="0.1/0.1", dialects=ONLY_V7),  # 7.x only: unverified
        Field("time", Text()),
        *COMMON,
        *(Field(name, readonly=True) for name in (
            "rate", "packet-rate", "bytes", "packets", "dropped", "queued-bytes", "queued-packets",
            "invalid")),
    ],
    ordered=True,
    name_field="name",
    auto_name="queue",
    unique=[(("name",), "already have queue with such name")],  # text unverified
    validate=not_itself("parent", "queue can not be parent of itself"),  # text unverified
    compute=_queue_compute,
)

# ---- netwatch -------------------------------------------------------------------------------

NETWATCH = "/tool/netwatch"
HOSTNAME = re.compile(r"[A-Za-z0-9_]([A-Za-z0-9_.-]{0,252})")


def _host_address(host: str) -> str:
    """The address part of `host` (7.x also takes `address@vrf`)."""
    return host.split("@", 1)[0]


def _netwatch_check(router, values, old):
    host = values["host"]
    if router.dialect == V7:
        if values.get("type", "simple") == "dns":
            if not HOSTNAME.fullmatch(host):
                raise invalid_value("host")
        else:
            try:
                ipaddress.ip_address(_host_address(host))
            except ValueError:
                raise invalid_value("host") from None
    if old is not None and (old.get("host") != host or values.get("disabled") == "true"):
        values["status"] = "unknown"
        values.pop("since", None)


def refresh_netwatch(router) -> None:
    """Check every enabled watcher: `down` while its host is unreachable, `up` otherwise.

    Called whenever reachability changes (EmulatedRouter.set_gateway_reachable, and in a lab
    after every change of the network)."""
    state = router.menus.get(NETWATCH)
    if state is None:
        return
    for entry in list(state.entries.values()):
        if entry.values.get("disabled") == "true":
            continue
        status = "up" if gateway_answers(router, _host_address(entry.values.get("host", ""))) else "down"
        if entry.values.get("status") != status:
            router.update_dynamic(NETWATCH, entry, {"status": status, "since": stamp(router)})


NETWATCH_MENU = Menu(
    NETWATCH,
    [
        Field("name", Text(), dialects=ONLY_V7),
        Field("host", IPAddress(), required=True, dialects=ONLY_V6),
        Field("host", Text(), required=True, dialects=ONLY_V7),
        Field("type", Enum(("simple", "icmp", "tcp-conn", "http-get", "https-get", "dns")), default="simple", dialects=ONLY_V7),
        # 6.x prints its defaults; 7.x applies 10s/3s without printing them (Terraform sample)
        Field("interval", Duration(), default="1m", dialects=ONLY_V6),
        Field("timeout", Duration(), default="1s", dialects=ONLY_V6),
        Field("interval", Duration(), dialects=ONLY_V7),
        Field("timeout", Duration(), dialects=ONLY_V7),
        Field("up-script", Text(), default=""),
        Field("down-script", Text(), default=""),
        Field("test-script", Text(), default="", dialects=ONLY_V7),
        Field("src-address", IPAddress(), dialects=ONLY_V7),
        Field("start-delay", Duration(), dialects=ONLY_V7),
        Field("startup-delay", Duration(), dialects=ONLY_V7),
        Field("packet-count", Int(1, 10000), dialects=ONLY_V7),
        Field("packet-interval", Duration(), dialects=ONLY_V7),
        Field("packet-size", Int(28, 65535), dialects=ONLY_V7),
        Field("accept-icmp-time-exceeded", Bool(), dialects=ONLY_V7),
        Field("ttl", Int(1, 255), dialects=ONLY_V7),
        Field("thr-avg", Duration(), dialects=ONLY_V7),
        Field("thr-jitter", Duration(), dialects=ONLY_V7),
        Field("thr-max", Duration(), dialects=ONLY_V7),
        Field("thr-stdev", Duration(), dialects=ONLY_V7),
        Field("thr-loss-count", Int(0, 4294967295), dialects=ONLY_V7),
        Field("thr-loss-percent", Text(), dialects=ONLY_V7),
        Field("thr-tcp-conn-time", Duration(), dialects=ONLY_V7),
        Field("thr-http-time", Duration(), dialects=ONLY_V7),
        Field("http-code-min", Int(0, 999), dialects=ONLY_V7),
        Field("http-code-max", Int(0, 999), dialects=ONLY_V7),
        Field("port", Int(1, 65535), dialects=ONLY_V7),
        Field("certificate", Text(), dialects=ONLY_V7),
        Field("check-certificate", Bool(), dialects=ONLY_V7),
        Field("record-type", Enum(("A", "AAAA", "MX", "NS")), dialects=ONLY_V7),
        Field("dns-server", Text(), dialects=ONLY_V7),
        Field("http-codes", readonly=True, default="", dialects=ONLY_V7),
        Field("status", readonly=True, default="unknown"),
        Field("since", readonly=True),
        Field("done-tests", readonly=True, dialects=ONLY_V7),
        Field("failed-tests", readonly=True, dialects=ONLY_V7),
        *COMMON,
    ],
    validate=_netwatch_check,
)

MENUS = [SIMPLE_QUEUE, NETWATCH_MENU]
