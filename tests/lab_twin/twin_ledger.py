"""What the monitor bot should have said, and whether it said exactly that.

The suite writes down every message it causes (a login, a logout, each default route that changed
state when an ISP was cut or restored, each OSPF neighbour that came or went with it) with the
time of the action; the ledger then matches them
against the embeds the webhook receiver got: none missing, none extra, none twice. Pure logic:
the receiver and the routers are read by the caller.
"""
from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

# Embed field names of the bot's English messages (ispkit_monitor/messages.py) that tell two
# messages with the same title apart: the same gateway may serve several routing tables.
ROUTER_FIELD = "Router"
TABLE_FIELD = "Routing table"
DISTANCE_FIELD = "Distance"

Key = tuple[str, str, str, str]  # router, title, routing table, distance


@dataclass(frozen=True)
class Expected:
    """A message the bot must deliver once, caused by an action at `since` (time.monotonic())."""

    router: str
    title: str
    since: float
    table: str = ""
    distance: str = ""

    @property
    def key(self) -> Key:
        return (self.router, self.title, self.table, self.distance)


def embed_key(embed: dict) -> Key:
    """The key of a delivered embed, comparable with Expected.key."""
    fields = {item.get("name"): str(item.get("value", "")) for item in embed.get("fields", [])}
    return (fields.get(ROUTER_FIELD, ""), embed.get("title", ""), fields.get(TABLE_FIELD, ""),
            fields.get(DISTANCE_FIELD, ""))


@dataclass
class Verdict:
    """How the delivered messages compare with the expected ones."""

    expected: int
    delivered: int
    missing: list[Key] = field(default_factory=list)
    extra: list[Key] = field(default_factory=list)
    duplicated: list[Key] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.expected > 0 and not (self.missing or self.extra or self.duplicated)

    def summary(self) -> str:
        text = (f"{self.expected} expected, {self.delivered} delivered, {len(self.missing)} missing, "
                f"{len(self.extra)} extra, {len(self.duplicated)} duplicated")
        if self.latencies:
            text += (f"; latency median {statistics.median(self.latencies):.2f} s,"
                     f" max {max(self.latencies):.2f} s")
        return text

    def problems(self) -> str:
        parts = []
        for label, keys in (("missing", self.missing), ("extra", self.extra), ("duplicated", self.duplicated)):
            if keys:
                parts.append(f"{label}: " + "; ".join(" / ".join(part for part in key if part) for key in keys))
        return ". ".join(parts)


def reconcile(expected: Iterable[Expected], delivered: Iterable[tuple[dict, float]]) -> Verdict:
    """Match each expected message with the first delivered embed of the same key.

    A delivered embed nobody expected is extra; one whose key was already matched is a
    duplicate; an expected message nothing matched is missing. Latency: arrival - action."""
    wanted = sorted(expected, key=lambda item: item.since)
    received = list(delivered)
    verdict = Verdict(expected=len(wanted), delivered=len(received))
    used = [False] * len(received)
    matched: set[Key] = set()
    for item in wanted:
        for index, (embed, arrived) in enumerate(received):
            if not used[index] and embed_key(embed) == item.key:
                used[index] = True
                matched.add(item.key)
                verdict.latencies.append(max(0.0, arrived - item.since))
                break
        else:
            verdict.missing.append(item.key)
    for index, (embed, _arrived) in enumerate(received):
        if not used[index]:
            key = embed_key(embed)
            (verdict.duplicated if key in matched else verdict.extra).append(key)
    return verdict


KINDS = ("login", "logout", "Uplink down", "Uplink restored", "OSPF neighbour")


def kinds(expected: Iterable[Expected]) -> str:
    """How many messages of each kind, e.g. `6 login, 6 logout, 12 uplink down`."""
    counts = Counter(next((kind for kind in KINDS if kind in item.title), "other") for item in expected)
    return ", ".join(f"{count} {kind.lower()}" for kind, count in counts.items())


def _text(value: Any) -> str:
    """A field as RouterOS prints it (librouteros turns true/false into booleans, digits into ints)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def route_key(route: dict) -> tuple[str, str, str]:
    """A default route by gateway, routing table (7.x) or mark (6.x; main: empty) and distance."""
    table = _text(route.get("routing-table") or route.get("routing-mark"))
    return (_text(route.get("gateway")), table, _text(route.get("distance")))


def route_state(route: dict) -> str:
    """`down` when RouterOS cannot use the route: 7.x `inactive`, 6.x an unreachable gateway.

    A standby route (a higher distance behind an active one) is usable, so it is `up`."""
    if "inactive" in route:
        return "down" if _text(route["inactive"]) == "true" else "up"
    if "gateway-status" in route:
        return "down" if "unreachable" in _text(route["gateway-status"]) else "up"
    return "up" if _text(route.get("active")) == "true" else "down"


def default_routes(routes: Iterable[dict]) -> dict[tuple[str, str, str], str]:
    """The enabled default routes of a router, by route_key, with their state."""
    return {route_key(route): route_state(route) for route in routes
            if route.get("dst-address") == "0.0.0.0/0" and _text(route.get("disabled")) != "true"}


def route_changes(router: str, before: dict[tuple[str, str, str], str], after: dict[tuple[str, str, str], str],
                  since: float) -> list[Expected]:
    """The failover and recovery messages a change of route states must cause."""
    changes = []
    for key, state in sorted(after.items()):
        if key in before and before[key] != state:
            gateway, table, distance = key
            verb = "Uplink down" if state == "down" else "Uplink restored"
            changes.append(Expected(router, f"{verb}: default route via {gateway}", since, table, distance))
    return changes


def neighbour_id(row: dict) -> str:
    """An OSPF neighbour as the bot names it: its router id, else its address."""
    return _text(row.get("router-id") or row.get("address"))


@dataclass(frozen=True)
class Watched:
    """What the bot watches on a router that cutting an uplink can change: the default routes'
    states, and the OSPF neighbours (a router whose automatic router id was the cut uplink's
    address takes another one, and its neighbour sees it go and come as a new neighbour)."""

    routes: dict[tuple[str, str, str], str]
    neighbours: frozenset[str]

    @classmethod
    def read(cls, routes: Iterable[dict], neighbours: Iterable[dict]) -> "Watched":
        return cls(default_routes(routes), frozenset(neighbour_id(row) for row in neighbours))

    def changes(self, router: str, after: "Watched", since: float) -> list[Expected]:
        """The messages going from this state to `after` must cause."""
        gone = [Expected(router, f"OSPF neighbour down: {n}", since) for n in sorted(self.neighbours - after.neighbours)]
        came = [Expected(router, f"OSPF neighbour up: {n}", since) for n in sorted(after.neighbours - self.neighbours)]
        return route_changes(router, self.routes, after.routes, since) + gone + came
