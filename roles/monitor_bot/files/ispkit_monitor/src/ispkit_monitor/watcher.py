"""One router: connect, `listen` on every watched menu, take a full snapshot, then stream changes;
after a loss, reconnect with backoff and report only what changed while away."""
from __future__ import annotations

import asyncio
import logging
import os
import re
from typing import Callable

from .api import ApiError, ConnectionLost, RouterApi
from .config import Config, RouterConfig
from .events import WATCHES, RouterState, new_event
from .metrics import Metrics

log = logging.getLogger("ispkit_monitor.watcher")
STATE_SAVE_DELAY = 1.0  # seconds; a crash (not a stop) may report the last second's changes again


class RouterWatcher:
    def __init__(self, router: RouterConfig, config: Config, emit: Callable[[list[dict]], None],
                 metrics: Metrics | None = None):
        self.router, self.config, self.emit = router, config, emit
        self.metrics = metrics or Metrics()
        self.watches = [WATCHES[name] for name in router.watch]
        self.state = RouterState(router.name, self.watches)
        self.connected = asyncio.Event()  # set while a session is up and its snapshot taken
        self.sessions = 0
        # What the bot knew when it last stopped: changes made while it was stopped are reported.
        self.state_path = os.path.join(config.state_dir, "routers",
                                       re.sub(r"[^A-Za-z0-9_.-]", "_", router.name) + ".json")
        self.restored = self.state.load(self.state_path)
        if self.restored:
            log.info("router state restored", extra=self._fields(path=self.state_path))
        elif os.path.exists(self.state_path):
            log.warning("router state unreadable, starting fresh", extra=self._fields(path=self.state_path))
        self._save_handle: asyncio.TimerHandle | None = None

    def save(self) -> None:
        """Write what is known now (after a snapshot, at most once a second while events come, at stop)."""
        if self._save_handle is not None:
            self._save_handle.cancel()
            self._save_handle = None
        if not self.state.known:
            return
        try:
            os.makedirs(os.path.dirname(self.state_path), exist_ok=True)
            self.state.save(self.state_path)
        except OSError as exc:
            log.warning("cannot save router state", extra=self._fields(path=self.state_path, error=exc.strerror))

    def _save_soon(self) -> None:
        if self._save_handle is None:
            self._save_handle = asyncio.get_running_loop().call_later(STATE_SAVE_DELAY, self.save)

    def _fields(self, **extra) -> dict:
        return {"fields": dict(router=self.router.name, **extra)}

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        delay = self.config.reconnect_min
        lost_at: float | None = None  # loop time the router stopped answering
        reported_down = False
        while True:
            try:
                api = await RouterApi.connect(self.router.host, self.router.port, self.router.username,
                                              self.router.password, ssl_context=self.router.ssl_context(),
                                              timeout=self.router.timeout)
            except (ConnectionLost, ApiError) as exc:
                now = loop.time()
                if lost_at is None:
                    lost_at = now
                    log.warning("router unreachable", extra=self._fields(error=str(exc)))
                wait = delay
                if not reported_down:
                    remaining = lost_at + self.config.unreachable_after - now
                    if remaining <= 0:
                        reported_down = True
                        self.emit([new_event(self.router.name, "router", "down", "critical", error=str(exc))])
                    else:
                        wait = min(delay, remaining)
                await asyncio.sleep(wait)
                delay = min(delay * 2, self.config.reconnect_max)
                continue
            delay = self.config.reconnect_min
            back: list[dict] = []
            if reported_down and lost_at is not None:
                back.append(new_event(self.router.name, "router", "up", "info", down_for=round(loop.time() - lost_at)))
            sessions = self.sessions
            try:
                await self._session(api, back)
            except (ConnectionLost, ApiError) as exc:
                log.warning("router session lost", extra=self._fields(error=str(exc)))
            except Exception:  # pylint: disable=broad-exception-caught
                log.exception("router session failed", extra=self._fields())
            finally:
                self.connected.clear()
                self.metrics.set("router_connected", 0, router=self.router.name)
                await api.close()
            if self.sessions > sessions:  # this session reached its snapshot: count the loss from now
                lost_at, reported_down = loop.time(), False

    async def _session(self, api: RouterApi, back: list[dict]) -> None:
        rows: asyncio.Queue[tuple[str, dict]] = asyncio.Queue()
        ready: set[str] = set()

        def listener(name: str):
            def on_row(row: dict) -> None:
                if name in ready:  # rows before the snapshot are in the snapshot
                    rows.put_nowait((name, row))
            return on_row

        for watch in self.watches:
            api.listen(watch.path, listener(watch.name))
        snapshot: dict[str, list[dict]] = {}
        for watch in self.watches:
            try:
                proplist = ",".join((".id",) + watch.kept)  # only what is remembered: less to read and hold
                snapshot[watch.name] = await api.call(f"{watch.path}/print", **{".proplist": proplist})
            except ApiError as exc:  # kept as it was known: an error is not "everyone left"
                log.warning("cannot read menu", extra=self._fields(path=watch.path, error=str(exc)))
            ready.add(watch.name)
        first = not self.sessions  # this run's first snapshot
        events = self.state.on_snapshot(snapshot)
        self.state.known = True
        self.save()
        if first and self.config.summary_on_start:
            events = [self.state.summary()] + events  # after a restart: and what changed while stopped
        if self.sessions:
            self.metrics.inc("router_reconnects_total", 1, router=self.router.name)
        self.sessions += 1
        log.info("router connected", extra=self._fields(
            snapshot={name: len(items) for name, items in snapshot.items()}, changes_while_away=len(events) if self.sessions > 1 or self.restored else 0))
        self.metrics.set("router_connected", 1, router=self.router.name)
        self.connected.set()
        if back or events:
            self.emit(back + events)
        closed = api.closed
        while True:
            getter = asyncio.ensure_future(rows.get())
            try:
                done = (await asyncio.wait({getter, closed}, return_when=asyncio.FIRST_COMPLETED))[0]
            finally:
                if not getter.done():
                    getter.cancel()
            if getter not in done:
                raise closed.result()
            name, row = getter.result()
            batch = self.state.on_listen(name, row)
            while not rows.empty():  # a burst becomes one emit
                name, row = rows.get_nowait()
                batch += self.state.on_listen(name, row)
            if batch:
                self.emit(batch)
                self._save_soon()


async def check_router(router: RouterConfig) -> tuple[bool, str]:
    """`--check`: log in once and read the version."""
    try:
        api = await RouterApi.connect(router.host, router.port, router.username, router.password,
                                      ssl_context=router.ssl_context(), timeout=router.timeout)
    except (ConnectionLost, ApiError) as exc:
        return False, str(exc)
    try:
        resource = await api.call("/system/resource/print")
        version = resource[0].get("version", "?") if resource else "?"
        return True, f"RouterOS {version}"
    except (ConnectionLost, ApiError) as exc:
        return False, str(exc)
    finally:
        await api.close()
