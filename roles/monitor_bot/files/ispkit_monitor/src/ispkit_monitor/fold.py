"""Flap folding: the first change of a subject goes out at once; further changes within the
window are held and leave as one event at the window's end (its latest state, with a count)."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Callable

IDENTITY = ("router", "type", "source", "service", "user", "caller_id", "mac_address", "server", "dst_address",
            "gateway", "routing_table", "distance", "host", "name", "neighbor", "interface", "instance")


def subject(event: dict) -> tuple:
    return tuple(event.get(k) for k in IDENTITY)


@dataclass
class _Subject:
    last_sent: float
    held: dict | None = None
    count: int = 0
    timer: asyncio.TimerHandle | None = None


class Folder:
    def __init__(self, window: float, deliver: Callable[[dict], None]):
        self.window, self.deliver = window, deliver
        self.subjects: dict[tuple, _Subject] = {}
        self.submitted = 0

    def submit(self, event: dict) -> None:
        if self.window <= 0 or event["type"] == "summary":
            self.deliver(event)
            return
        loop = asyncio.get_running_loop()
        now = loop.time()
        key = subject(event)
        known = self.subjects.get(key)
        if known is None or (known.held is None and now - known.last_sent >= self.window):
            self.subjects[key] = _Subject(last_sent=now)
            self.deliver(event)
            self._prune(now)
            return
        known.held, known.count = event, known.count + 1
        if known.timer is None:
            known.timer = loop.call_at(known.last_sent + self.window, self._release, key)

    def _release(self, key: tuple) -> None:
        known = self.subjects[key]
        known.timer = None
        if known.held is None:
            return
        event = known.held
        if known.count > 1:
            event = dict(event, flaps=known.count, window=self.window)
        known.held, known.count = None, 0
        known.last_sent = asyncio.get_running_loop().time()
        self.deliver(event)

    def _prune(self, now: float) -> None:
        self.submitted += 1
        if self.submitted % 1000:
            return
        for key in [k for k, s in self.subjects.items() if s.held is None and now - s.last_sent >= self.window]:
            del self.subjects[key]

    def flush(self) -> None:
        """Release everything held (on shutdown: held events go to the queue, not lost)."""
        for key, known in list(self.subjects.items()):
            if known.timer is not None:
                known.timer.cancel()
            self._release(key)
