"""A bounded FIFO of events on disk, one per webhook, that survives a restart.

The file is a journal of JSON lines: `{"add": event}` and `{"done": [ids]}` (delivered or dropped).
Replaying it gives the pending events in order; an id already added or done is never taken
twice, so a restart neither loses nor repeats what the journal recorded. The journal is
rewritten (to a temporary file, then renamed) when it holds mostly finished records.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
from collections import OrderedDict

log = logging.getLogger("ispkit_monitor.store")


class EventQueue:
    def __init__(self, path: str, max_events: int = 10000, fsync: bool = True):
        self.path = path
        self.max_events = max_events
        self.fsync = fsync
        self.pending: OrderedDict[str, dict] = OrderedDict()
        self.finished: set[str] = set()  # ids done since the last rewrite (dedupe on replay)
        self.dropped = 0
        self.records = 0
        self.changed = asyncio.Event()
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        self._load()
        self._file = open(path, "a", encoding="utf-8")  # pylint: disable=consider-using-with

    def _load(self) -> None:
        if not os.path.exists(self.path):
            return
        with open(self.path, encoding="utf-8") as journal:
            for line in journal:
                try:
                    record = json.loads(line)
                except ValueError:
                    continue  # a line cut short by a crash
                self.records += 1
                if "add" in record:
                    event = record["add"]
                    if event["id"] not in self.finished:
                        self.pending.setdefault(event["id"], event)
                for event_id in record.get("done", ()):
                    self.pending.pop(event_id, None)
                    self.finished.add(event_id)
        if self.pending:
            log.info("queue restored", extra={"fields": {"path": self.path, "pending": len(self.pending)}})
        self._rewrite()

    def _write(self, records: list[dict]) -> None:
        self._file.write("".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records))
        self._file.flush()
        if self.fsync:
            os.fsync(self._file.fileno())
        self.records += len(records)
        if self.records > 1000 and self.records > 4 * len(self.pending):
            self._file.close()
            self._rewrite()
            self._file = open(self.path, "a", encoding="utf-8")  # pylint: disable=consider-using-with

    def _rewrite(self) -> None:
        temp = self.path + ".tmp"
        with open(temp, "w", encoding="utf-8") as out:
            for event in self.pending.values():
                out.write(json.dumps({"add": event}, separators=(",", ":")) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, self.path)
        self.records = len(self.pending)
        self.finished.clear()

    def __len__(self) -> int:
        return len(self.pending)

    def put(self, events: list[dict]) -> None:
        fresh = [e for e in events if e["id"] not in self.pending and e["id"] not in self.finished]
        if not fresh:
            return
        records: list[dict] = [{"add": e} for e in fresh]
        for event in fresh:
            self.pending[event["id"]] = event
        overflow = len(self.pending) - self.max_events
        if overflow > 0:  # the oldest go first: the newest say how things are now
            lost = [self.pending.popitem(last=False)[0] for dummy in range(overflow)]
            self.dropped += overflow
            records.append({"done": lost})
            log.warning("queue full, oldest events dropped",
                        extra={"fields": {"path": self.path, "dropped": overflow, "max_events": self.max_events}})
        self._write(records)
        self.changed.set()

    def peek(self, count: int) -> list[dict]:
        out = []
        for event in self.pending.values():
            if len(out) == count:
                break
            out.append(event)
        return out

    def done(self, event_ids: list[str]) -> None:
        for event_id in event_ids:
            self.pending.pop(event_id, None)
        self._write([{"done": list(event_ids)}])

    def close(self) -> None:
        self._file.close()
