"""Value types: how RouterOS parses, validates and prints each kind of field.

Every type turns the text a client sent into the text RouterOS prints back (or raises
ValueError, which the router reports as RouterOS would for that field). Stored values are
always the printed form, so print and queries need no conversion.
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # pragma: no cover
    from .router import Router


class Invalid(ValueError):
    """The value is malformed: `invalid value for argument X`."""


class NoMatch(ValueError):
    """The value is not one of the allowed words or names: `input does not match any value of X`."""


class OutOfRange(ValueError):
    def __init__(self, low: int, high: int):
        super().__init__(f"{low}..{high}")
        self.low, self.high = low, high


@dataclass(frozen=True)
class ValueType:
    def parse(self, text: str, router: "Router | None" = None) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class Text(ValueType):
    max_length: int | None = None
    pattern: str | None = None

    def parse(self, text, router=None):
        if self.max_length is not None and len(text) > self.max_length:
            raise Invalid(text)
        if self.pattern and not re.fullmatch(self.pattern, text):
            raise Invalid(text)
        return text


@dataclass(frozen=True)
class Name(ValueType):
    """An entry's name: not empty."""

    def parse(self, text, router=None):
        if not text:
            raise Invalid(text)
        return text


TRUE_WORDS = {"yes": "true", "true": "true", "no": "false", "false": "false"}


@dataclass(frozen=True)
class Bool(ValueType):
    def parse(self, text, router=None):
        try:
            return TRUE_WORDS[text.lower()]
        except KeyError:
            raise Invalid(text) from None


@dataclass(frozen=True)
class Int(ValueType):
    low: int = 0
    high: int = 4294967295

    def parse(self, text, router=None):
        try:
            value = int(text, 0) if text.lower().startswith("0x") else int(text)
        except ValueError:
            raise Invalid(text) from None
        if not self.low <= value <= self.high:
            raise OutOfRange(self.low, self.high)
        return str(value)


@dataclass(frozen=True)
class Enum(ValueType):
    words: tuple[str, ...]

    def parse(self, text, router=None):
        if text not in self.words:
            raise NoMatch(text)
        return text


@dataclass(frozen=True)
class Flags(ValueType):
    """A set of words (`pap,chap`); RouterOS prints them in its own order, not the client's."""

    words: tuple[str, ...]
    allow_empty: bool = False

    def parse(self, text, router=None):
        given = [w for w in text.split(",") if w] if text else []
        if not given and not self.allow_empty:
            raise Invalid(text)
        for word in given:
            if word not in self.words:
                raise NoMatch(word)
        return ",".join(w for w in self.words if w in given)


@dataclass(frozen=True)
class OneOf(ValueType):
    """The first alternative that accepts the text wins (e.g. `none` or a duration)."""

    choices: tuple[ValueType, ...]

    def parse(self, text, router=None):
        error: ValueError = Invalid(text)
        for choice in self.choices:
            try:
                return choice.parse(text, router)
            except ValueError as exc:
                error = exc if not isinstance(error, NoMatch) else error
        raise error


@dataclass(frozen=True)
class Negatable(ValueType):
    """Firewall matchers accept a leading `!` to negate the match."""

    inner: ValueType

    def parse(self, text, router=None):
        if text.startswith("!"):
            return "!" + self.inner.parse(text[1:], router)
        return self.inner.parse(text, router)


@dataclass(frozen=True)
class ListOf(ValueType):
    inner: ValueType
    allow_empty: bool = True

    def parse(self, text, router=None):
        items = [t for t in text.split(",")] if text else []
        if not items and not self.allow_empty:
            raise Invalid(text)
        return ",".join(self.inner.parse(i, router) for i in items)


# ---- durations ---------------------------------------------------------------------------

UNITS = {"w": 604800000, "d": 86400000, "h": 3600000, "m": 60000, "s": 1000, "ms": 1}
DURATION_PART = re.compile(r"(\d+)(ms|w|d|h|m|s)")
CLOCK = re.compile(r"(?:(\d+)d)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?")


def parse_duration_ms(text: str, bare_unit: str = "s") -> int:
    """`5m`, `1h30m`, `00:05:00`, `1d00:00:00`, `300ms`, or a bare number in `bare_unit`."""
    text = text.strip()
    if re.fullmatch(r"\d+", text):
        return int(text) * UNITS[bare_unit]
    if match := CLOCK.fullmatch(text):
        days, hours, minutes, seconds, frac = match.groups()
        total = ((int(days or 0) * 24 + int(hours)) * 60 + int(minutes)) * 60 + int(seconds)
        return total * 1000 + int((frac or "0").ljust(3, "0"))
    pos, total = 0, 0
    for part in DURATION_PART.finditer(text):
        if part.start() != pos:
            raise Invalid(text)
        total += int(part.group(1)) * UNITS[part.group(2)]
        pos = part.end()
    if pos != len(text) or pos == 0:
        raise Invalid(text)
    return total


def format_duration_ms(ms: int) -> str:
    """RouterOS's compact form: 1w2d3h4m5s, 300ms; zero is `0s`."""
    if ms == 0:
        return "0s"
    out = []
    for unit in ("w", "d", "h", "m", "s", "ms"):
        count, ms = divmod(ms, UNITS[unit])
        if count:
            out.append(f"{count}{unit}")
    return "".join(out)


@dataclass(frozen=True)
class Duration(ValueType):
    bare_unit: str = "s"
    max_ms: int | None = None

    def parse(self, text, router=None):
        ms = parse_duration_ms(text, self.bare_unit)
        if self.max_ms is not None and ms > self.max_ms:
            raise Invalid(text)
        return format_duration_ms(ms)


# ---- addresses ---------------------------------------------------------------------------

def _ip(text: str) -> ipaddress.IPv4Address:
    try:
        return ipaddress.IPv4Address(text)
    except ValueError:
        raise Invalid(text) from None


@dataclass(frozen=True)
class IPAddress(ValueType):
    def parse(self, text, router=None):
        return str(_ip(text))


@dataclass(frozen=True)
class Interface(ValueType):
    """An address with its prefix length, host bits kept (`/ip/address address=`); no prefix is /32."""

    def parse(self, text, router=None):
        addr, slash, plen = text.partition("/")
        ip = _ip(addr)
        if slash:  # `10.0.0.5/` is not an address
            if not plen.isdigit() or int(plen) > 32:
                raise Invalid(text)
            return f"{ip}/{int(plen)}"
        return f"{ip}/32"


@dataclass(frozen=True)
class Prefix(ValueType):
    """A network; host bits are cleared as RouterOS does for `dst-address` (`10.0.0.5/8` -> `10.0.0.0/8`)."""

    def parse(self, text, router=None):
        addr, slash, plen = text.partition("/")
        ip = _ip(addr)
        length = 32
        if slash:
            if not plen.isdigit() or int(plen) > 32:
                raise Invalid(text)
            length = int(plen)
        net = ipaddress.IPv4Network(f"{ip}/{length}", strict=False)
        return str(net)


@dataclass(frozen=True)
class AddressMatch(ValueType):
    """Firewall address matchers: an address, a network or a range; a /32 prints without its mask."""

    def parse(self, text, router=None):
        if "-" in text:
            low, high = (_ip(t) for t in text.split("-", 1))
            if int(high) < int(low):
                raise Invalid(text)
            return f"{low}-{high}"
        net = Prefix().parse(text)
        return net[:-3] if net.endswith("/32") else net


@dataclass(frozen=True)
class Ranges(ValueType):
    """`/ip/pool ranges=`: comma-separated `a-b`, single addresses or networks."""

    def parse(self, text, router=None):
        if not text:
            raise Invalid(text)
        out = []
        for item in text.split(","):
            if "-" in item:
                low, high = (_ip(t) for t in item.split("-", 1))
                if int(high) < int(low):
                    raise Invalid(text)
                out.append(f"{low}-{high}")
            elif "/" in item:
                net = ipaddress.IPv4Network(Prefix().parse(item))
                out.append(f"{net.network_address}-{net.broadcast_address}")
            else:
                out.append(str(_ip(item)))
        return ",".join(out)


MAC = re.compile(r"[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}")


@dataclass(frozen=True)
class MacAddress(ValueType):
    def parse(self, text, router=None):
        if not MAC.fullmatch(text):
            raise Invalid(text)
        return text.upper()


# ---- rates ---------------------------------------------------------------------------------

RATE = r"\d+(?:\.\d+)?[kKMG]?"
RATE_PAIR = rf"{RATE}(?:/{RATE})?"
TIME_PAIR = r"\d+[smhd]?(?:/\d+[smhd]?)?"
RATE_LIMIT = re.compile(
    rf"{RATE_PAIR}(?: {RATE_PAIR}(?: {RATE_PAIR}(?: {TIME_PAIR}(?: [1-8](?: {RATE_PAIR})?)?)?)?)?"
)


@dataclass(frozen=True)
class RateLimit(ValueType):
    """`rx/tx [burst-rx/tx [threshold-rx/tx [time-rx/tx [priority [limit-at-rx/tx]]]]]`."""

    def parse(self, text, router=None):
        if not RATE_LIMIT.fullmatch(text):
            raise Invalid(text)
        return text


@dataclass(frozen=True)
class Rate(ValueType):
    """A bit rate such as `10M` or `512k` (queue max-limit); `0` means unlimited."""

    def parse(self, text, router=None):
        if not re.fullmatch(RATE_PAIR, text):
            raise Invalid(text)
        return text


@dataclass(frozen=True)
class PortList(ValueType):
    """`80`, `80,443`, `1000-2000`."""

    def parse(self, text, router=None):
        out = []
        for item in text.split(","):
            low, dash, high = item.partition("-")
            for p in (low, high) if dash else (low,):  # `80-` is no range
                if not p.isdigit() or not 0 <= int(p) <= 65535:
                    raise Invalid(text)
            out.append(item)
        return ",".join(out)


# ---- references ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Ref(ValueType):
    """The name of an entry in another menu (an interface, a pool, a profile, an area ...).

    `paths` are searched for an entry whose `key` equals the value; `special` words are
    accepted as they are (e.g. `none`, `all`, `static-only`). The router renames references
    when the target is renamed and refuses to remove a target that is still referenced.
    """

    paths: tuple[str, ...]
    key: str = "name"
    special: tuple[str, ...] = ()

    def parse(self, text, router=None):
        if text in self.special:
            return text
        if router is not None and not router.has_entry(self.paths, self.key, text):
            raise NoMatch(text)
        return text


# Interface-like menus: anything a bridge port, an address or a route gateway may name.
INTERFACE_PATHS = (
    "/interface/ethernet",
    "/interface/bridge",
    "/interface/pppoe-server",
    "/interface/vlan",
)


def InterfaceRef(*special: str) -> Ref:  # noqa: N802 - reads like a type in menu tables
    return Ref(INTERFACE_PATHS, special=special)


@dataclass(frozen=True)
class Custom(ValueType):
    """A one-off parser for a single field (kept next to the menu that needs it)."""

    fn: Callable[[str], str] = field(compare=False)

    def parse(self, text, router=None):
        return self.fn(text)
