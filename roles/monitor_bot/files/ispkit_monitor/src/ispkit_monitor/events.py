"""What is watched on a router, and how its entries become events.

An event is a flat dict (so routing rules are plain JMESPath over it): `id`, `time`, `router`,
`type` (pppoe, ppp, hotspot, failover, ospf, router, summary), `state` (up or down), `severity`
(info, warning, critical) and the fields of its kind (user, address, caller_id, ...).
"""
from __future__ import annotations

import itertools
import json
import os
import re
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

Item = dict  # one API entry: field name -> text

_UNIT_SECONDS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1, "ms": 0.001}
_DURATION = re.compile(r"(\d+)(ms|w|d|h|m|s)")
_SEQUENCE = itertools.count(1)
_BOOT = f"{int(time.time() * 1000):x}-{os.getpid():x}"


def parse_uptime(text: str | None) -> float | None:
    """Seconds from RouterOS's `1w2d3h4m5s` or `1d 02:03:04` / `00:05:00`."""
    if not text:
        return None
    total = 0.0
    rest = text
    if ":" in text:
        days, clock = text.rpartition(" ")[::2]
        parts = [int(p) for p in clock.split(":")]
        while len(parts) < 3:
            parts.insert(0, 0)
        total = parts[0] * 3600 + parts[1] * 60 + parts[2]
        rest = days
    for amount, unit in _DURATION.findall(rest):
        total += int(amount) * _UNIT_SECONDS[unit]
    return total


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = int(round(seconds))
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    if seconds or not parts:
        parts.append(f"{seconds}s")
    return "".join(parts)


def is_true(value: str | None) -> bool:
    return str(value).lower() in ("true", "yes")


def new_event(router: str, kind: str, state: str, severity: str, **fields) -> dict:
    """An event with a unique id (stable across the queue, the log and the webhook)."""
    event = {
        "id": f"{_BOOT}-{next(_SEQUENCE)}",
        "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
        "router": router,
        "type": kind,
        "state": state,
        "severity": severity,
    }
    event.update({k: v for k, v in fields.items() if v is not None and v != ""})
    return event


@dataclass(frozen=True)
class Watch:
    """One menu: presence-watched (a session is up while it exists) or status-watched."""

    name: str  # as in the config's `watch:` list
    path: str
    key: Callable[[Item], tuple]
    fields: Callable[[Item], dict]
    kind: Callable[[Item], str]
    include: Callable[[Item], bool] = lambda item: True
    status: Callable[[Item], str | None] | None = None  # None: presence-watched
    down_severity: str = "info"
    up_severity: str = "info"
    kept: tuple[str, ...] = ()  # the fields worth remembering (20,000 sessions must fit in little memory)

    def trim(self, row: Item, seen: float) -> Item:
        """The remembered part of an entry; repeated texts (service, server, gateway) shared."""
        item = {k: sys.intern(row[k]) for k in self.kept if k in row}
        item["_seen"] = seen
        return item


def _ppp_fields(item: Item) -> dict:
    return {"user": item.get("name"), "service": item.get("service"), "address": item.get("address"),
            "caller_id": item.get("caller-id"), "uptime": item.get("uptime")}


def _hotspot_fields(item: Item) -> dict:
    return {"user": item.get("user"), "address": item.get("address"), "mac_address": item.get("mac-address"),
            "server": item.get("server"), "uptime": item.get("uptime")}


def _route_fields(item: Item) -> dict:
    return {"source": "route", "dst_address": item.get("dst-address"), "gateway": item.get("gateway"),
            "routing_table": item.get("routing-table") or item.get("routing-mark"),
            "distance": item.get("distance"), "comment": item.get("comment")}


def _netwatch_fields(item: Item) -> dict:
    return {"source": "netwatch", "host": item.get("host"), "name": item.get("name"), "comment": item.get("comment")}


def _ospf_fields(item: Item) -> dict:
    return {"neighbor": item.get("router-id") or item.get("address"), "address": item.get("address"),
            "interface": item.get("interface"), "instance": item.get("instance"), "ospf_state": item.get("state")}


def _route_status(item: Item) -> str | None:
    """An uplink is down when its route cannot be used (a standby route with a higher distance
    is up, though not active): 7.x `inactive`, 6.x `gateway-status ... unreachable`."""
    if "inactive" in item:
        return "down" if is_true(item["inactive"]) else "up"
    if "gateway-status" in item:
        return "down" if "unreachable" in item["gateway-status"] else "up"
    return "up" if is_true(item.get("active")) else "down"


def _netwatch_status(item: Item) -> str | None:
    status = item.get("status")
    return status if status in ("up", "down") else None  # `unknown` until the first probe


WATCHES: dict[str, Watch] = {w.name: w for w in (
    Watch("ppp", "/ppp/active",
          key=lambda i: (i.get("service"), i.get("name"), i.get("caller-id")),
          fields=_ppp_fields,
          kind=lambda i: "pppoe" if i.get("service", "pppoe") == "pppoe" else "ppp",
          kept=("name", "service", "caller-id", "address", "uptime")),
    Watch("hotspot", "/ip/hotspot/active",
          key=lambda i: (i.get("server"), i.get("user"), i.get("mac-address")),
          fields=_hotspot_fields, kind=lambda i: "hotspot",
          kept=("user", "address", "mac-address", "server", "uptime")),
    Watch("routes", "/ip/route",
          key=lambda i: (i.get("dst-address"), i.get("gateway"), i.get("routing-table") or i.get("routing-mark"),
                         i.get("distance")),
          fields=_route_fields, kind=lambda i: "failover",
          include=lambda i: i.get("dst-address") == "0.0.0.0/0" and not is_true(i.get("disabled")),
          status=_route_status, down_severity="critical",
          kept=("dst-address", "gateway", "routing-table", "routing-mark", "distance", "comment", "active", "inactive",
                "gateway-status", "disabled")),
    Watch("netwatch", "/tool/netwatch",
          key=lambda i: (i.get("name") or i.get("host"),),
          fields=_netwatch_fields, kind=lambda i: "failover",
          include=lambda i: not is_true(i.get("disabled")),
          status=_netwatch_status, down_severity="critical",
          kept=("host", "name", "comment", "status", "disabled")),
    Watch("ospf", "/routing/ospf/neighbor",
          key=lambda i: (i.get("instance"), i.get("router-id") or i.get("address"), i.get("interface")),
          fields=_ospf_fields, kind=lambda i: "ospf", down_severity="warning",
          kept=("instance", "router-id", "address", "interface", "state")),
)}


class Table:
    """The entries of one watched menu as last seen, by id, with a count per identity key.

    Ids change across reboots, so a reconnect compares by key; a live `listen` row by id."""

    def __init__(self, watch: Watch):
        self.watch = watch
        self.items: dict[str, Item] = {}
        self.keys: dict[tuple, int] = {}

    def __len__(self) -> int:
        return len(self.items)

    def _add_key(self, key: tuple, delta: int) -> int:
        count = self.keys.get(key, 0) + delta
        if count:
            self.keys[key] = count
        else:
            self.keys.pop(key, None)
        return count

    def put(self, item_id: str, item: Item) -> tuple[Item | None, bool]:
        """Store an entry; (the old entry, whether its key is new to the table)."""
        old = self.items.get(item_id)
        if old is not None:
            self._add_key(self.watch.key(old), -1)
        self.items[item_id] = item
        return old, self._add_key(self.watch.key(item), +1) == 1 and (old is None or self.watch.key(old) != self.watch.key(item))

    def pop(self, item_id: str) -> tuple[Item | None, bool]:
        """Forget an entry; (the entry, whether its key is gone from the table)."""
        old = self.items.pop(item_id, None)
        if old is None:
            return None, False
        return old, self._add_key(self.watch.key(old), -1) == 0

    def by_key(self) -> dict[tuple, Item]:
        return {self.watch.key(item): item for item in self.items.values()}


class RouterState:
    """What the bot knows of one router: a Table per watch, kept across reconnects."""

    def __init__(self, router: str, watches: list[Watch]):
        self.router = router
        self.tables = {w.name: Table(w) for w in watches}
        self.known = False  # False until the first full snapshot

    def _event(self, watch: Watch, item: Item, state: str, **extra) -> dict:
        severity = watch.up_severity if state == "up" else watch.down_severity
        fields = watch.fields(item)
        if state == "down" and watch.status is None:
            seen = item.get("_seen")
            uptime = parse_uptime(item.get("uptime"))
            if uptime is not None and seen is not None:
                fields["duration"] = round(uptime + time.monotonic() - seen)
        if state == "down" or not extra.get("while_away"):  # a fresh login's uptime says nothing
            fields.pop("uptime", None)
        fields.update(extra)
        return new_event(self.router, watch.kind(item), state, severity, **fields)

    def on_listen(self, watch_name: str, row: Item) -> list[dict]:
        """Events for one `listen` row (a change, an add, or `.dead` for a removal)."""
        table = self.tables[watch_name]
        watch = table.watch
        item_id = row.get(".id", "")
        if is_true(row.get(".dead")):
            return self._removed(table, item_id)
        old = table.items.get(item_id)
        item = watch.trim(dict(old or {}, **row), time.monotonic())
        if not watch.include(item):
            return self._removed(table, item_id)
        old, key_is_new = table.put(item_id, item)
        if watch.status is None:
            return [self._event(watch, item, "up")] if key_is_new and self.known else []
        if old is None or not self.known:
            return []
        before, after = watch.status(old), watch.status(item)
        if before and after and before != after:
            return [self._event(watch, item, after)]
        return []

    def _removed(self, table: Table, item_id: str) -> list[dict]:
        old, key_gone = table.pop(item_id)
        if old is not None and key_gone and table.watch.status is None and self.known:
            return [self._event(table.watch, old, "down")]
        return []

    def on_snapshot(self, snapshot: dict[str, list[Item]]) -> list[dict]:
        """Replace what is known by a full snapshot; events for what changed while away.

        A watch missing from `snapshot` (its print failed) keeps what was known: an error is
        never read as "everyone left"."""
        events: list[dict] = []
        now = time.monotonic()
        for name, rows in snapshot.items():
            table = self.tables[name]
            watch = table.watch
            before = table.by_key()
            fresh = Table(watch)
            for row in rows:
                if watch.include(row):
                    fresh.put(sys.intern(row.get(".id", "")), watch.trim(row, now))
            self.tables[name] = fresh
            if not self.known:
                continue
            after = fresh.by_key()
            if watch.status is None:
                events += [self._event(watch, item, "down", while_away=True) for key, item in before.items() if key not in after]
                events += [self._event(watch, item, "up", while_away=True) for key, item in after.items() if key not in before]
            else:
                for key, item in after.items():
                    old = before.get(key)
                    if old is not None and watch.status(old) and watch.status(item) and watch.status(old) != watch.status(item):
                        events.append(self._event(watch, item, watch.status(item), while_away=True))
        return events

    def dump(self) -> dict:
        """What is known, for a file: `_seen` (monotonic, meaningless after a restart) becomes wall time."""
        offset = time.time() - time.monotonic()
        return {"router": self.router, "saved": time.time(), "tables": {
            name: [dict(item, _seen=item["_seen"] + offset) if "_seen" in item else item
                   for item in table.items.values()] for name, table in self.tables.items()}}

    def restore(self, data: dict) -> bool:
        """Take what a previous run knew (see dump): the first snapshot is then compared with it,
        so what changed while the bot was stopped is reported like a reconnect. Entry ids are
        not kept (they change across router reboots); tables compare by key."""
        if not isinstance(data, dict) or data.get("router") != self.router or not isinstance(data.get("tables"), dict):
            return False
        offset = time.monotonic() - time.time()
        for name, items in data["tables"].items():
            table = self.tables.get(name)
            if table is None or not isinstance(items, list):
                continue
            for number, item in enumerate(items):
                if isinstance(item, dict):
                    if isinstance(item.get("_seen"), (int, float)):
                        item["_seen"] += offset
                    table.put(f"restored-{number}", {k: sys.intern(v) if isinstance(v, str) else v for k, v in item.items()})
        self.known = True
        return True

    def save(self, path: str) -> None:
        temp = path + ".tmp"
        with open(temp, "w", encoding="utf-8") as out:
            json.dump(self.dump(), out, separators=(",", ":"))
        os.replace(temp, path)

    def load(self, path: str) -> bool:
        try:
            with open(path, encoding="utf-8") as source:
                return self.restore(json.load(source))
        except FileNotFoundError:
            return False
        except (OSError, ValueError):
            return False

    def summary(self) -> dict:
        counts = {name: len(table) for name, table in self.tables.items()}
        routes = self.tables.get("routes")
        if routes is not None:
            counts["routes_active"] = sum(1 for i in routes.items.values() if is_true(i.get("active")))
        return new_event(self.router, "summary", "up", "info", counts=counts)
