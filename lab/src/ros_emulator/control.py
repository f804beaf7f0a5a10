"""The lab's control channel: what the network does to routers, on request.

A running lab listens on a Unix socket in its state directory (`control.sock`, mode 0600). A
request is one JSON object per line, `{"op": NAME, ...arguments}`; the answer is one line,
`{"ok": true, "result": ...}` or `{"ok": false, "error": TEXT}`. The same operations run
in-process with `Lab.control(NAME, **arguments)` (tests) and from a shell with
`ros-emulator ctl NAME key=value ...` (people, `make lab`).

Features register their operations with `@operation("name")`; a handler receives the Lab and
the request's arguments as keywords and returns something JSON can encode. Handlers run on the
lab's event loop, one at a time; a handler that waits for the network (a RADIUS answer) is a
coroutine function. A bad request raises ControlError with a message for the caller.
"""
from __future__ import annotations

import asyncio
import inspect
import json
import os
import socket
from typing import TYPE_CHECKING, Any, Awaitable, Callable

if TYPE_CHECKING:  # pragma: no cover
    from .lab import Lab

SOCKET_NAME = "control.sock"

Handler = Callable[..., Any | Awaitable[Any]]
OPERATIONS: dict[str, tuple[Handler, str]] = {}


class ControlError(Exception):
    """A request the lab cannot carry out; the message goes back to the caller."""


def operation(name: str) -> Callable[[Handler], Handler]:
    """Register a control operation; the handler's docstring's first line is its help text."""
    def register(handler: Handler) -> Handler:
        if name in OPERATIONS:
            raise ValueError(f"control operation {name!r} registered twice")
        doc = (inspect.getdoc(handler) or "").splitlines()
        OPERATIONS[name] = (handler, doc[0] if doc else "")
        return handler
    return register


async def dispatch(lab: "Lab", name: str, arguments: dict[str, Any]) -> Any:
    try:
        handler, _ = OPERATIONS[name]
    except KeyError:
        raise ControlError(f"unknown operation {name!r}; known: {', '.join(sorted(OPERATIONS))}") from None
    try:
        inspect.signature(handler).bind(lab, **arguments)
    except TypeError as exc:
        raise ControlError(f"{name}: {exc}") from None
    result = handler(lab, **arguments)
    if inspect.isawaitable(result):
        result = await result
    return result


@operation("operations")
def _operations(lab: "Lab") -> dict[str, str]:
    """List the control operations and what they do."""
    return {name: text for name, (_, text) in sorted(OPERATIONS.items())}


class ControlServer:
    def __init__(self, lab: "Lab", path: str):
        self.lab = lab
        self.path = path
        self.server: asyncio.AbstractServer | None = None
        self.lock = asyncio.Lock()

    async def start(self) -> None:
        if os.path.exists(self.path):
            os.remove(self.path)
        old = os.umask(0o177)
        try:
            self.server = await asyncio.start_unix_server(self._client, self.path)
        finally:
            os.umask(old)

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()
            self.server = None
        if os.path.exists(self.path):
            os.remove(self.path)

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while line := await reader.readline():
                writer.write(json.dumps(await self._answer(line)).encode() + b"\n")
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def _answer(self, line: bytes) -> dict[str, Any]:
        try:
            request = json.loads(line)
            if not isinstance(request, dict) or not isinstance(request.get("op"), str):
                raise ControlError('a request is a JSON object with "op"')
            name = request.pop("op")
            async with self.lock:
                return {"ok": True, "result": await dispatch(self.lab, name, request)}
        except ControlError as exc:
            return {"ok": False, "error": str(exc)}
        except json.JSONDecodeError as exc:
            return {"ok": False, "error": f"not JSON: {exc}"}
        except Exception as exc:  # a bug in a handler: tell the caller, keep the lab running
            return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}


class ControlClient:
    """Talk to a running lab: `ControlClient(state_dir).call("link", segment="isp1", state="down")`."""

    def __init__(self, state_dir: str, timeout: float = 30):
        self.path = os.path.join(state_dir, SOCKET_NAME)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        try:
            self.sock.connect(self.path)
        except OSError as exc:
            self.sock.close()
            raise ControlError(f"no lab answers on {self.path}: {exc.strerror or exc}") from None
        self.reader = self.sock.makefile("rb")

    def call(self, op: str, **arguments: Any) -> Any:
        self.sock.sendall(json.dumps({"op": op, **arguments}).encode() + b"\n")
        line = self.reader.readline()
        if not line:
            raise ControlError("the lab closed the control connection")
        answer = json.loads(line)
        if not answer.get("ok"):
            raise ControlError(answer.get("error", "unknown error"))
        return answer.get("result")

    def close(self) -> None:
        self.reader.close()
        self.sock.close()

    def __enter__(self) -> "ControlClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def parse_arguments(words: list[str]) -> dict[str, Any]:
    """`key=value` words from a shell; values that read as JSON (numbers, true, lists) are decoded."""
    arguments: dict[str, Any] = {}
    for word in words:
        key, sep, value = word.partition("=")
        if not sep or not key:
            raise ControlError(f"{word!r}: arguments are key=value")
        try:
            arguments[key.replace("-", "_")] = json.loads(value)
        except json.JSONDecodeError:
            arguments[key.replace("-", "_")] = value
    return arguments
