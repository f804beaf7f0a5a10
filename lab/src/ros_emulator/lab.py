"""A lab: several routers from a topology file, each on its own loopback port, with the links
between their interfaces recorded for the lab behaviours (failover, OSPF, sessions)."""
from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field

import yaml

from . import control
from .router import Router
from .runtime import EmulatedRouter, LoopThread
from .tls import ensure_certificates

# Features that register control operations (see control.py) are imported here.
from . import network  # noqa: E402  (links, ISPs, DHCP from ISPs, pings, OSPF)
from . import subscribers  # noqa: E402,F401  (dial, hangup, hotspot_login, hotspot_logout, sessions)
from . import traffic  # noqa: E402,F401  (route, spread: which uplink a new connection leaves by)


@dataclass(frozen=True)
class Port:
    router: str
    interface: str


@dataclass
class Topology:
    routers: dict[str, dict]
    segments: dict[str, list[Port]] = field(default_factory=dict)

    extra: dict = field(default_factory=dict)

    @classmethod
    def load(cls, path: str, version: str | None = None) -> "Topology":
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
        return cls.from_data(data, version, source=path)

    @classmethod
    def from_data(cls, data: dict, version: str | None = None, source: str = "topology") -> "Topology":
        """`extra` keeps the file's other top-level sections (e.g. `isps`) for the features that read them."""
        path = source
        defaults = data.get("defaults", {})
        routers = {}
        for name, settings in (data.get("routers") or {}).items():
            merged = {**defaults, **(settings or {})}
            if version:
                merged["version"] = version
            routers[name] = merged
        if not routers:
            raise ValueError(f"{path}: no routers defined")
        segments = {}
        for name, members in (data.get("segments") or {}).items():
            ports = []
            for member in members:
                router, _, interface = str(member).partition(":")
                if router not in routers or not interface:
                    raise ValueError(f"{path}: segment {name}: {member!r} is not ROUTER:INTERFACE of a known router")
                ports.append(Port(router, interface))
            segments[name] = ports
        extra = {k: v for k, v in data.items() if k not in ("defaults", "routers", "segments")}
        return cls(routers, segments, extra)


class Lab:
    def __init__(self, topology: Topology, state_dir: str, host: str = "127.0.0.1"):
        self.topology = topology
        self.state_dir = state_dir
        self.host = host
        self.routers: dict[str, EmulatedRouter] = {}
        self.control_server: control.ControlServer | None = None
        self.network = network.Network.from_topology(topology)  # checks the topology's ports and isps

    async def control(self, name: str, /, **arguments) -> object:
        """Run a control operation in-process (on the lab's event loop)."""
        return await control.dispatch(self, name, arguments)

    async def start(self) -> None:
        os.makedirs(self.state_dir, exist_ok=True)
        certificates = ensure_certificates(os.path.join(self.state_dir, "tls"))
        for name, settings in self.topology.routers.items():
            router = Router(
                identity=name,
                version=str(settings.get("version", "7.16.2")),
                users=[(settings.get("user", "admin"), str(settings.get("password", "")), "full")],
                ether_count=int(settings.get("ether_count", 8)),
                login_method=settings.get("login_method", "auto"),
                # one state file per version: a 6.49 configuration does not load into a 7.x router
                state_file=os.path.join(self.state_dir, f"{name}-{settings.get('version', '7.16.2')}.json"),
            )
            tls_port = settings.get("tls_port")
            handle = EmulatedRouter(router, self.host, int(settings.get("port", 0)),
                                    int(tls_port) if tls_port is not None else None, certificates)
            self.routers[name] = await handle.start_async()
        network.attach(self)
        self.control_server = control.ControlServer(self, os.path.join(self.state_dir, control.SOCKET_NAME))
        await self.control_server.start()

    async def stop(self) -> None:
        if self.control_server is not None:
            await self.control_server.stop()
        for handle in self.routers.values():
            await handle.stop_async()

    async def autosave(self, every: float = 1.0) -> None:
        """Write changed routers to their state files at most once a second."""
        while True:
            await asyncio.sleep(every)
            for handle in self.routers.values():
                if handle.router.dirty:
                    handle.router.save()

    def describe(self) -> dict:
        certificates = os.path.join(self.state_dir, "tls", "ca.crt")
        return {
            "pid": os.getpid(),
            "control": os.path.abspath(os.path.join(self.state_dir, control.SOCKET_NAME)),
            "ca_file": os.path.abspath(certificates),
            "routers": {
                name: {
                    "host": handle.host,
                    "port": handle.port,
                    "tls_port": handle.tls_port,
                    "version": handle.router.version,
                    "user": self.topology.routers[name].get("user", "admin"),
                }
                for name, handle in self.routers.items()
            },
            "segments": {
                name: [f"{p.router}:{p.interface}" for p in ports] for name, ports in self.topology.segments.items()
            },
        }


class LabHandle:
    """A lab running in this process (tests): its routers, and control operations from any thread."""

    def __init__(self, lab: Lab):
        self.lab = lab

    @property
    def routers(self) -> dict[str, EmulatedRouter]:
        return self.lab.routers

    def control(self, name: str, /, **arguments) -> object:
        return LoopThread.get().run(self.lab.control(name, **arguments))

    def stop(self) -> None:
        LoopThread.get().run(self.lab.stop())


def start_lab(topology: "Topology | dict | str", state_dir: str, version: str | None = None) -> LabHandle:
    """Start a lab in this process from a Topology, its data (a dict) or a topology file."""
    if isinstance(topology, str):
        topology = Topology.load(topology, version)
    elif isinstance(topology, dict):
        topology = Topology.from_data(topology, version)
    lab = Lab(topology, state_dir)
    LoopThread.get().run(lab.start())
    return LabHandle(lab)
