"""Run emulated routers: in-process for tests (a background event loop), or as a lab.

    from ros_emulator import start_router
    rtr = start_router(version="7.16.2", password="secret")
    librouteros.connect("127.0.0.1", "admin", "secret", port=rtr.port)
    rtr.writes()            # journal of state-changing API commands (proves check mode wrote nothing)
    rtr.stop()
"""
from __future__ import annotations

import asyncio
import os
import threading
from dataclasses import dataclass, field
from typing import Any, Coroutine, Iterable

from . import subscribers
from .router import Entry, JournalRecord, Router, User, format_id
from .server import ApiService
from .tls import CertificateFiles, ensure_certificates, server_context


class LoopThread:
    """One event loop in a daemon thread, shared by every in-process router."""

    _instance: "LoopThread | None" = None
    _lock = threading.Lock()

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="ros-emulator", daemon=True)
        self.thread.start()

    @classmethod
    def get(cls) -> "LoopThread":
        with cls._lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    def run(self, coro: Coroutine[Any, Any, Any], timeout: float = 30) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)


@dataclass
class EmulatedRouter:
    """A router with its API (and api-ssl) service; methods are safe to call from any thread."""

    router: Router
    host: str
    port: int = 0
    tls_port: int | None = None
    certificates: CertificateFiles | None = None
    services: list[ApiService] = field(default_factory=list)
    loop: asyncio.AbstractEventLoop | None = None

    async def start_async(self) -> "EmulatedRouter":
        self.loop = asyncio.get_running_loop()
        plain = ApiService(self.router, self.host, self.port)
        self.port = await plain.start()
        self.services.append(plain)
        if self.tls_port is not None and self.certificates is not None:
            secure = ApiService(self.router, self.host, self.tls_port, server_context(self.certificates))
            self.tls_port = await secure.start()
            self.services.append(secure)
        self._sync_ip_service()
        subscribers.attach(self)  # PPPoE/Hotspot sessions, RADIUS, /radius incoming
        return self

    def _sync_ip_service(self) -> None:
        """/ip/service shows the ports the services really listen on."""
        ports = {"api": str(self.port)}
        if self.tls_port is not None:
            ports["api-ssl"] = str(self.tls_port)
        with self.router.lock:
            for entry in self.router.entries("/ip/service"):
                if entry.values.get("name") in ports:
                    entry.values["port"] = ports[entry.values["name"]]

    async def stop_async(self) -> None:
        subscribers.detach(self)
        for service in self.services:
            await service.stop()
        self.services.clear()
        if self.router.state_file:
            self.router.save()

    def stop(self) -> None:
        LoopThread.get().run(self.stop_async())

    def drop_connections(self, reason: str = "session terminated") -> None:
        """Every client gets `!fatal` and is disconnected (as when a router reboots)."""
        async def drop() -> None:
            for service in self.services:
                await service.drop_sessions(reason)
        LoopThread.get().run(drop())

    # ---- reading state ---------------------------------------------------------------------

    def print(self, path: str, **query: str) -> list[dict[str, str]]:
        """What `print` shows for a menu (all fields), optionally filtered by exact field values."""
        words = [f"?{k}={v}" for k, v in query.items()]
        rows, _ = self.router.execute(f"{path}/print", {"detail": ""}, words, User("test"), source="test")
        return rows

    def journal(self, source: str | None = "api") -> list[JournalRecord]:
        with self.router.lock:
            return [r for r in self.router.journal if source is None or r.source == source]

    def writes(self) -> list[JournalRecord]:
        """State-changing commands clients sent (refused ones included), in order."""
        return self.journal("api")

    def mark(self) -> int:
        """A journal position; `writes_since(mark)` lists what came after it."""
        with self.router.lock:
            return len(self.router.journal)

    def writes_since(self, mark: int) -> list[JournalRecord]:
        with self.router.lock:
            return [r for r in self.router.journal[mark:] if r.source == "api"]

    # ---- runtime entries: what only the network makes on a real router -----------------------

    def add_runtime(self, path: str, **values: str) -> str:
        """Create a runtime entry (a PPPoE session in /ppp/active, a Hotspot login, an OSPF
        neighbour...) as the router would; returns its id."""
        with self.router.lock:
            entry = self.router.add_dynamic(path, {k.replace("_", "-"): v for k, v in values.items()})
            self.router.record("runtime", "network", f"{path}/add", dict(values), "ok")
            return format_id(entry.id)

    def update_runtime(self, path: str, entry_id: str, **values: str) -> None:
        with self.router.lock:
            entry = self._entry(path, entry_id)
            self.router.update_dynamic(path, entry, {k.replace("_", "-"): v for k, v in values.items()})

    def remove_runtime(self, path: str, entry_id: str) -> None:
        with self.router.lock:
            self.router.remove_entry(path, self._entry(path, entry_id))
            self.router.record("runtime", "network", f"{path}/remove", {".id": entry_id}, "ok")

    def set_gateway_reachable(self, gateway: str, reachable: bool) -> None:
        """Make a gateway stop (or start again) answering pings: routes with check-gateway and
        netwatch follow. In a lab this overrides the network for this router only: `False` forces
        the gateway down, `True` leaves it to the network again (network.py)."""
        from .menus.ip import refresh_routes
        from .menus.tools import refresh_netwatch

        with self.router.lock:
            if reachable:
                self.router.unreachable_gateways.discard(gateway)
            else:
                self.router.unreachable_gateways.add(gateway)
            refresh_routes(self.router)
            refresh_netwatch(self.router)

    def _entry(self, path: str, entry_id: str) -> Entry:
        number = int(entry_id.lstrip("*"), 16)
        return self.router.menus[path].entries[number]


def start_router(
    *,
    identity: str = "MikroTik",
    version: str = "7.16.2",
    user: str = "admin",
    password: str = "",
    users: Iterable[tuple[str, str, str]] | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    tls: bool = False,
    tls_port: int = 0,
    ether_count: int = 8,
    login_method: str = "auto",
    state_file: str | None = None,
    cert_dir: str | None = None,
) -> EmulatedRouter:
    """Start a router in this process on a free (or given) loopback port."""
    router = Router(identity=identity, version=version, users=users or [(user, password, "full")],
                    ether_count=ether_count, login_method=login_method, state_file=state_file)
    certificates = None
    if tls:
        certificates = ensure_certificates(cert_dir or os.path.join(_cache_dir(), "tls"))
    handle = EmulatedRouter(router, host, port, tls_port if tls else None, certificates)
    return LoopThread.get().run(handle.start_async())


def _cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "ros-emulator")
