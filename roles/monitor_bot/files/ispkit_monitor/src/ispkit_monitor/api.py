"""A small asyncio RouterOS API client with tagged commands, so several `listen`s and a `print`
share one connection (librouteros reads until `!done`, which a `listen` never sends).
"""
from __future__ import annotations

import asyncio
import hashlib
import itertools
import ssl
from typing import Any


class ApiError(Exception):
    """The router answered `!trap` (its own words in the message)."""

    def __init__(self, message: str, category: str | None = None):
        super().__init__(message)
        self.category = category


class ConnectionLost(Exception):
    """The connection ended (`!fatal`, EOF, a socket error or a timeout)."""


def encode_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    if length < 0x4000:
        return (length | 0x8000).to_bytes(2, "big")
    if length < 0x200000:
        return (length | 0xC00000).to_bytes(3, "big")
    if length < 0x10000000:
        return (length | 0xE0000000).to_bytes(4, "big")
    return b"\xf0" + length.to_bytes(4, "big")


def encode_sentence(words: list[str]) -> bytes:
    out = bytearray()
    for word in words:
        data = word.encode("utf-8")
        out += encode_length(len(data)) + data
    return bytes(out + b"\x00")


async def read_length(reader: asyncio.StreamReader) -> int:
    first = (await reader.readexactly(1))[0]
    if first < 0x80:
        return first
    if first < 0xC0:
        return ((first & 0x3F) << 8) | (await reader.readexactly(1))[0]
    if first < 0xE0:
        return ((first & 0x1F) << 16) | int.from_bytes(await reader.readexactly(2), "big")
    if first < 0xF0:
        return ((first & 0x0F) << 24) | int.from_bytes(await reader.readexactly(3), "big")
    if first == 0xF0:
        return int.from_bytes(await reader.readexactly(4), "big")
    raise ConnectionLost(f"reserved control byte {first:#x}")


async def read_sentence(reader: asyncio.StreamReader) -> list[str]:
    words = []
    while True:
        length = await read_length(reader)
        if length == 0:
            return words
        words.append((await reader.readexactly(length)).decode("utf-8", "replace"))


def parse_reply(words: list[str]) -> tuple[str, dict[str, str], str | None]:
    """(`!re`, attributes, tag) from a reply sentence."""
    attrs: dict[str, str] = {}
    tag = None
    for word in words[1:]:
        if word.startswith(".tag="):
            tag = word[5:]
        elif word.startswith("="):
            key, value = word[1:].partition("=")[::2]
            attrs[key] = value
        else:
            attrs.setdefault("message", word)  # !fatal carries a plain reason word
    return words[0] if words else "", attrs, tag


class _Command:
    """The replies of one tagged command; a listen never finishes."""

    def __init__(self) -> None:
        self.rows: list[dict[str, str]] = []
        self.done: asyncio.Future[list[dict[str, str]]] = asyncio.get_running_loop().create_future()
        self.trap: ApiError | None = None
        self.on_row: Any = None  # listen: called with each `!re`


class RouterApi:
    """One logged-in API connection. `call` runs a command to `!done`; `listen` streams changes."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, timeout: float):
        self.reader, self.writer, self.timeout = reader, writer, timeout
        self.commands: dict[str, _Command] = {}
        self.tags = itertools.count(1)
        self.closed: asyncio.Future[Exception] = asyncio.get_running_loop().create_future()
        self.reader_task: asyncio.Task[None] | None = None

    @classmethod
    async def connect(cls, host: str, port: int, username: str, password: str, *,
                      ssl_context: ssl.SSLContext | None = None, timeout: float = 10.0) -> "RouterApi":
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(host, port, ssl=ssl_context, server_hostname=host if ssl_context else None),
                timeout)
        except asyncio.TimeoutError as exc:
            raise ConnectionLost(f"connect to {host}:{port} timed out") from exc
        except (OSError, ssl.SSLError) as exc:
            raise ConnectionLost(f"connect to {host}:{port}: {exc}") from exc
        api = cls(reader, writer, timeout)
        api.reader_task = asyncio.ensure_future(api._read_loop())
        try:
            done = await api.call("/login", name=username, password=password)
            if done and "ret" in done[-1]:  # before 6.43: answer the MD5 challenge
                challenge = bytes.fromhex(done[-1]["ret"])
                digest = hashlib.md5(b"\x00" + password.encode() + challenge).hexdigest()  # nosec - RouterOS's protocol
                await api.call("/login", name=username, response="00" + digest)
        except BaseException:
            await api.close()
            raise
        return api

    async def _read_loop(self) -> None:
        reason: Exception = ConnectionLost("connection closed")
        try:
            while True:
                kind, attrs, tag = parse_reply(await read_sentence(self.reader))
                if kind == "!fatal":
                    reason = ConnectionLost(f"router closed the session: {attrs.get('message', '')}")
                    break
                command = self.commands.get(tag or "")
                if command is None:
                    continue
                if kind == "!re":
                    if command.on_row is not None:
                        command.on_row(attrs)
                    else:
                        command.rows.append(attrs)
                elif kind == "!trap":
                    command.trap = command.trap or ApiError(attrs.get("message", "trap"), attrs.get("category"))
                elif kind == "!done":
                    self.commands.pop(tag or "", None)
                    if not command.done.done():
                        if command.trap is not None:
                            command.done.set_exception(command.trap)
                        else:
                            if attrs and command.on_row is None:
                                command.rows.append(attrs)
                            command.done.set_result(command.rows)
        except (asyncio.IncompleteReadError, OSError, ssl.SSLError) as exc:
            reason = ConnectionLost(f"connection lost: {exc or type(exc).__name__}")
        except ConnectionLost as exc:
            reason = exc
        except asyncio.CancelledError:
            reason = ConnectionLost("connection closed by us")
        self._fail_all(reason)

    def _fail_all(self, reason: Exception) -> None:
        if not self.closed.done():
            self.closed.set_result(reason)
        for command in self.commands.values():
            if not command.done.done():
                command.done.set_exception(reason)
                command.done.exception()  # retrieved: nobody may be waiting for a listen's end
        self.commands.clear()
        if not self.writer.is_closing():
            self.writer.close()

    def _send(self, words: list[str]) -> tuple[str, _Command]:
        if self.closed.done():
            raise ConnectionLost("not connected")
        tag = str(next(self.tags))
        command = _Command()
        self.commands[tag] = command
        self.writer.write(encode_sentence(words + [f".tag={tag}"]))
        return tag, command

    async def call(self, path: str, *queries: str, **attrs: str) -> list[dict[str, str]]:
        """Run a command; `!re` rows (and the `!done` attributes, if any, last) or ApiError."""
        words = [path] + [f"={k.replace('_', '-') if not k.startswith('.') else k}={v}" for k, v in attrs.items()]
        command = self._send(words + list(queries))[1]
        try:
            return await asyncio.wait_for(asyncio.shield(command.done), self.timeout)
        except asyncio.TimeoutError as exc:
            await self.close()
            raise ConnectionLost(f"{path}: no answer in {self.timeout:g}s") from exc

    def listen(self, menu: str, on_row: Any) -> str:
        """Start `<menu>/listen`; `on_row(attrs)` gets each change. Returns the tag."""
        tag, command = self._send([f"{menu}/listen"])
        command.on_row = on_row
        command.done.add_done_callback(lambda f: f.exception() if not f.cancelled() else None)
        return tag

    def listen_result(self, tag: str) -> asyncio.Future[list[dict[str, str]]] | None:
        command = self.commands.get(tag)
        return command.done if command else None

    async def close(self) -> None:
        if self.reader_task is not None and not self.reader_task.done():
            self.reader_task.cancel()
            try:
                await self.reader_task
            except asyncio.CancelledError:
                pass
        self._fail_all(ConnectionLost("connection closed by us"))
        try:  # bounded: a peer that went away without closing must not hold up a shutdown
            await asyncio.wait_for(self.writer.wait_closed(), 2)
        except (OSError, ssl.SSLError, asyncio.TimeoutError):
            pass
