# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Value kinds: how a value is validated, compared the way RouterOS normalises it, and written.

Every kind has three pure functions:
- ``check(value)`` returns an error text (without the option name) or None;
- ``canonical(value)`` turns user input or a printed router value into a comparable form;
- ``to_api(value)`` turns user input into the text sent to the router.
"""
from __future__ import annotations

import ipaddress
import re
from typing import Any, Callable, Dict, Optional

TRUE_WORDS = frozenset(("yes", "true"))
FALSE_WORDS = frozenset(("no", "false"))

# RouterOS prints durations as 1w2d3h4m5s6ms or 1d 02:03:04 or 00:05:00; units in milliseconds
DURATION_UNITS = {"w": 604800000, "d": 86400000, "h": 3600000, "m": 60000, "s": 1000, "ms": 1}
DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|w|d|h|m|s)")
CLOCK = re.compile(r"(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)")


def as_text(value: Any) -> str:
    """A value as RouterOS text: librouteros hands back bools and ints, users write either."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ",".join(as_text(item) for item in value)
    return "" if value is None else str(value)


def parse_bool(value: Any) -> Optional[bool]:
    if isinstance(value, bool):
        return value
    word = as_text(value).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def parse_duration_ms(value: Any) -> Optional[int]:
    """Milliseconds of a RouterOS duration (`5m`, `00:05:00`, `1d 02:00:00`, `300ms`, `30`)."""
    text = as_text(value).strip().replace(" ", "")
    if not text:
        return None
    if text.isdigit():  # a bare number is seconds
        return int(text) * 1000
    total = 0.0
    clock = CLOCK.search(text)
    if clock:
        hours, minutes, seconds = clock.groups()
        total += int(hours) * 3600000 + int(minutes) * 60000 + float(seconds) * 1000
        text = text[:clock.start()] + text[clock.end():]
    position = 0
    for match in DURATION_PART.finditer(text):
        if match.start() != position:
            return None
        total += float(match.group(1)) * DURATION_UNITS[match.group(2)]
        position = match.end()
    if position != len(text):
        return None
    return int(round(total))


def _check_bool(value: Any) -> Optional[str]:
    return None if parse_bool(value) is not None else "must be yes/no or true/false, got %r" % (value,)


def _check_duration(value: Any) -> Optional[str]:
    if parse_duration_ms(value) is None:
        return "must be a RouterOS duration such as 30s, 5m, 1d or 00:05:00, got %r" % (value,)
    return None


def _check_int(value: Any) -> Optional[str]:
    try:
        int(as_text(value), 0)
    except ValueError:
        return "must be an integer, got %r" % (value,)
    return None


def _check_ipv4(value: Any) -> Optional[str]:
    try:
        ipaddress.IPv4Address(as_text(value))
    except ValueError:
        return "must be an IPv4 address, got %r" % (value,)
    return None


def _check_interface_address(value: Any) -> Optional[str]:
    text = as_text(value)
    if "/" not in text:
        return "must be an address with a prefix length such as 10.1.1.1/30, got %r" % (value,)
    try:
        ipaddress.IPv4Interface(text)
    except ValueError:
        return "must be an address with a prefix length such as 10.1.1.1/30, got %r" % (value,)
    return None


def _check_prefix(value: Any) -> Optional[str]:
    try:
        ipaddress.IPv4Network(as_text(value), strict=False)
    except ValueError:
        return "must be an IPv4 prefix such as 10.0.0.0/8 or an address, got %r" % (value,)
    return None


def _check_address_match(value: Any) -> Optional[str]:
    """Firewall address matchers: `!`-negated address, prefix or range."""
    text = as_text(value).lstrip("!")
    if "-" in text:
        return _check_range(text)
    return _check_prefix(text)


def _check_range(value: Any) -> Optional[str]:
    first, sep, last = as_text(value).partition("-")
    try:
        low = ipaddress.IPv4Address(first)
        high = ipaddress.IPv4Address(last) if sep else low
    except ValueError:
        return "must be an IPv4 address or range such as 10.0.0.2-10.0.0.254, got %r" % (value,)
    if high < low:
        return "range %r ends before it starts" % (value,)
    return None


def _check_ranges(value: Any) -> Optional[str]:
    items = value if isinstance(value, (list, tuple)) else as_text(value).split(",")
    for item in items:
        item = as_text(item)
        error = _check_prefix(item) if "/" in item else _check_range(item)
        if error:
            return error
    return None


def _check_ipv4_list(value: Any) -> Optional[str]:
    items = value if isinstance(value, (list, tuple)) else as_text(value).split(",")
    for item in items:
        if as_text(item) and _check_ipv4(item):
            return "must be a list of IPv4 addresses, got %r" % (value,)
    return None


# `rx/tx [burst-rx/tx [threshold-rx/tx [time-rx/tx [priority [limit-at-rx/tx]]]]]`, rates like 10M
RATE = r"\d+(?:\.\d+)?[kKMG]?"
RATE_PAIR = r"%s(?:/%s)?" % (RATE, RATE)
TIME_PAIR = r"\d+[smhd]?(?:/\d+[smhd]?)?"
RATE_LIMIT = re.compile(r"{0}(?: {0}(?: {0}(?: {1}(?: [1-8](?: {0})?)?)?)?)?".format(RATE_PAIR, TIME_PAIR))


def _check_rate_limit(value: Any) -> Optional[str]:
    text = as_text(value)
    if text and not RATE_LIMIT.fullmatch(text):
        return "must be a RouterOS rate limit such as 10M/10M (rx/tx, optional bursts), got %r" % (value,)
    return None


def _check_duration_or_word(value: Any) -> Optional[str]:
    """Timeouts that also take a word (`none`, `unlimited`, `disabled`)."""
    if as_text(value).isalpha():
        return None
    return _check_duration(value)


def _canonical_duration_or_word(value: Any) -> Any:
    text = as_text(value)
    return text if text.isalpha() else parse_duration_ms(text)


def _canonical_prefix(value: Any) -> str:
    # RouterOS clears host bits of a destination and drops /32 from a single address
    network = ipaddress.IPv4Network(as_text(value), strict=False)
    return str(network.network_address) if network.prefixlen == 32 else str(network)


def _canonical_address_match(value: Any) -> str:
    text = as_text(value)
    negated = text.startswith("!")
    body = text.lstrip("!")
    return ("!" if negated else "") + (body if "-" in body else _canonical_prefix(body))


def _check_prefix_list(value: Any) -> Optional[str]:
    items = value if isinstance(value, (list, tuple)) else as_text(value).split(",")
    for item in items:
        if as_text(item) and _check_prefix(item):
            return "must be a list of IPv4 addresses or networks (A.B.C.D/N), got %r" % (value,)
    return None


def _canonical_prefix_list(value: Any) -> tuple:
    """A set of networks: order does not matter."""
    return tuple(sorted(_canonical_prefix(item) for item in _canonical_list(value)))


def _canonical_flags(value: Any) -> tuple:
    items = value if isinstance(value, (list, tuple)) else as_text(value).split(",")
    return tuple(sorted(as_text(item) for item in items if as_text(item)))


def _canonical_list(value: Any) -> tuple:
    items = value if isinstance(value, (list, tuple)) else as_text(value).split(",")
    return tuple(as_text(item) for item in items if as_text(item))


def _canonical_int(value: Any) -> Any:
    text = as_text(value)
    try:
        return int(text, 0)
    except ValueError:
        return text  # words like `auto` or `none` that share an option with numbers


def format_duration(value: Any) -> str:
    """A duration as RouterOS prints it: 1w2d3h4m5s6ms, zero as 0s."""
    milliseconds = parse_duration_ms(value)
    if milliseconds is None:
        raise ValueError(value)
    parts = []
    for unit in ("w", "d", "h", "m", "s", "ms"):
        count, milliseconds = divmod(milliseconds, DURATION_UNITS[unit])
        if count:
            parts.append("%d%s" % (count, unit))
    return "".join(parts) or "0s"


def _display_duration_or_word(value: Any) -> str:
    text = as_text(value)
    return text if text.isalpha() else format_duration(text)


def _display_prefix(value: Any) -> str:
    return str(ipaddress.IPv4Network(as_text(value), strict=False))  # host bits cleared, length kept


def _display_range(item: Any) -> str:
    """A pool range as RouterOS prints it: first-last (a network becomes its first-last)."""
    text = as_text(item)
    if "/" in text:
        network = ipaddress.IPv4Network(text, strict=False)
        return "%s-%s" % (network.network_address, network.broadcast_address)
    first, sep, last = text.partition("-")
    return "%s-%s" % (ipaddress.IPv4Address(first), ipaddress.IPv4Address(last)) if sep \
        else str(ipaddress.IPv4Address(first))


def _as_list(value: Any) -> list:
    return list(_canonical_list(value))


def _switch(value: Any) -> str:
    """A switch's word: booleans (RouterOS 6.x prints true/false) as yes/no, other words as they are."""
    flag = parse_bool(value)
    return as_text(value) if flag is None else ("yes" if flag else "no")


def _display_int(value: Any) -> Any:
    return _canonical_int(value)


class Kind:
    """A value kind: validation, canonical form for comparison, API text, and the form output
    shows (the same for a value the task gives and the router's print of it: a check run's
    `after` reads like a real run's)."""

    def __init__(self, name: str, check: Callable[[Any], Optional[str]] | None = None,
                 canonical: Callable[[Any], Any] = as_text,
                 to_api: Callable[[Any], str] = as_text, ansible_type: str = "str",
                 display: Callable[[Any], Any] | None = None) -> None:
        self.name = name
        self.checked = check is not None  # False: every value is valid
        self.check = check or (lambda value: None)
        self.canonical = canonical
        self.to_api = to_api
        self.ansible_type = ansible_type
        self.display = display or {"bool": parse_bool, "int": _display_int, "list": _as_list}.get(ansible_type, as_text)


def _canonical_storage_path(value: Any) -> str:
    """Boards with flash storage print a file path under `flash/` (`hotspot` set, `flash/hotspot`
    printed): the same directory either way."""
    text = as_text(value).strip("/")
    return text[len("flash/"):] if text.startswith("flash/") else text


KINDS: Dict[str, Kind] = {
    "str": Kind("str"),
    # a directory or file on the router's storage
    "storage_path": Kind("storage_path", None, _canonical_storage_path),
    "bool": Kind("bool", _check_bool, parse_bool, lambda v: "yes" if parse_bool(v) else "no", "bool"),
    "int": Kind("int", _check_int, _canonical_int, as_text, "int"),
    # numbers or words (`auto`, `none`, `unlimited`): compared as numbers when they are
    "number_or_word": Kind("number_or_word", None, _canonical_int),
    "duration": Kind("duration", _check_duration, parse_duration_ms, display=format_duration),
    "duration_or_word": Kind("duration_or_word", _check_duration_or_word, _canonical_duration_or_word,
                             display=_display_duration_or_word),
    "ipv4_list": Kind("ipv4_list", _check_ipv4_list, _canonical_list, as_text, "list"),
    "rate_limit": Kind("rate_limit", _check_rate_limit),
    "ipv4": Kind("ipv4", _check_ipv4),
    "interface_address": Kind("interface_address", _check_interface_address,
                              lambda v: str(ipaddress.IPv4Interface(as_text(v))),
                              display=lambda v: str(ipaddress.IPv4Interface(as_text(v)))),
    "prefix": Kind("prefix", _check_prefix, _canonical_prefix, display=_display_prefix),
    "address_match": Kind("address_match", _check_address_match, _canonical_address_match,
                          display=_canonical_address_match),
    "ranges": Kind("ranges", _check_ranges, _canonical_list, as_text, "list",
                   display=lambda v: [_display_range(item) for item in _canonical_list(v)]),
    # RouterOS prints a set of words in its own order: output sorts them
    "flags": Kind("flags", None, _canonical_flags, as_text, "list", display=lambda v: list(_canonical_flags(v))),
    "list": Kind("list", None, _canonical_list, as_text, "list"),
    # yes/no, or a word some dialects add (use-radius: a boolean on 6.x, yes/no/accounting on 7.x);
    # the field's choices say which words each dialect takes
    "switch": Kind("switch", None, _switch, _switch, display=_switch),
    # allowed client networks (/ip service address): a bare address is its /32
    "prefix_list": Kind("prefix_list", _check_prefix_list, _canonical_prefix_list, as_text, "list",
                        display=lambda v: [_display_prefix(item) for item in _canonical_list(v)]),
}


def display(kind: str, value: Any) -> Any:
    """A value (given, or the router's) as output shows it; one the kind cannot parse as it is."""
    try:
        return KINDS[kind].display(value)
    except ValueError:
        return KINDS["list"].display(value) if KINDS[kind].ansible_type == "list" else as_text(value)


def canonical(kind: str, value: Any) -> Any:
    """Comparable form of a value; a value the kind cannot parse compares as its text."""
    if value is None:
        return None
    try:
        result = KINDS[kind].canonical(value)
    except ValueError:
        return as_text(value)
    return as_text(value) if result is None else result


SCRIPT_SAFE = re.compile(r"[A-Za-z0-9_.:/,*!@+-]+")


def script_quote(text: str) -> str:
    """A value as RouterOS script writes it: bare when safe, else quoted with escapes."""
    if text and SCRIPT_SAFE.fullmatch(text):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$").replace("\n", "\\n")
    return '"%s"' % escaped
