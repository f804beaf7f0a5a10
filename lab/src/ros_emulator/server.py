"""The API service: TCP (and TLS) connections, login, tags, listen, cancel and quit."""
from __future__ import annotations

import asyncio
import os
import ssl
from typing import Any

from . import errors
from .errors import Fatal, Trap
from .protocol import ProtocolError, encode_reply, encode_sentence, read_sentence
from .router import Router, User


def parse_words(words: list[str]) -> tuple[str, dict[str, str], list[str], str | None]:
    """Split a sentence into command, attributes, query words and tag."""
    command, attrs, queries, tag = words[0], {}, [], None
    for word in words[1:]:
        if word.startswith("="):
            key, _, value = word[1:].partition("=")
            attrs[key] = value
        elif word.startswith(".tag="):
            tag = word[5:] or None  # an empty tag is no tag (API manual, "Tags")
        elif word.startswith("?"):
            queries.append(word)
    return command, attrs, queries, tag


def reply(kind: str, attrs: dict[str, str] | None = None, tag: str | None = None) -> list[str]:
    words = [kind] + [f"={k}={v}" for k, v in (attrs or {}).items()]
    if tag is not None:
        words.append(f".tag={tag}")
    return words


class Session:
    """One API connection."""

    def __init__(self, service: "ApiService", reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.service = service
        self.router: Router = service.router
        self.reader, self.writer = reader, writer
        self.user: User | None = None
        self.challenge: bytes | None = None
        self.running: dict[str | None, asyncio.Task[Any]] = {}  # tag -> listen task
        self.peer = writer.get_extra_info("peername") or ("?", 0)
        self.closed = asyncio.Event()

    def send(self, words: list[str]) -> None:
        if not self.writer.is_closing():
            self.writer.write(encode_sentence(words))

    async def fatal(self, reason: str) -> None:
        self.send(["!fatal", reason])
        await self.close()

    async def close(self) -> None:
        for task in list(self.running.values()):
            task.cancel()
        if not self.writer.is_closing():
            try:
                await self.writer.drain()
            except (ConnectionError, OSError):
                pass
            self.writer.close()
        self.closed.set()

    async def run(self) -> None:
        try:
            while not self.writer.is_closing():
                words = await read_sentence(self.reader)
                await self.handle(words)
                await self.writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            pass
        except ProtocolError as exc:
            await self.fatal(str(exc))
        finally:
            await self.close()
            self.service.sessions.discard(self)

    async def handle(self, words: list[str]) -> None:
        command, attrs, queries, tag = parse_words(words)
        if command == "/login":
            return self.login(attrs, tag)
        if command == "/quit":
            return await self.fatal("session terminated on request")
        if self.user is None:
            return await self.fatal("not logged in")
        if command == "/cancel":
            return self.cancel(attrs.get("tag") or None, tag)
        if command.endswith("/listen"):
            return self.listen(command, tag)
        try:
            rows, done = self.router.execute(command, attrs, queries, self.user)
        except Trap as trap:
            for item in trap.sentences():
                self.send(reply("!trap", item, tag))
            self.send(reply("!done", None, tag))
            return
        except Fatal as fatal:
            return await self.fatal(str(fatal))
        # the whole answer goes out in one write: thousands of small writes cost more than encoding
        answer = bytearray()
        for row in rows:
            answer += encode_reply("!re", row, tag)
        # 7.18 changelog: "put !empty sentence when API query returns nothing" (print, not set/add)
        if not rows and not done and command.endswith(("/print", "/getall")) and self.router.version_numbers >= (7, 18):
            answer += encode_reply("!empty", None, tag)
        answer += encode_reply("!done", done, tag)
        if not self.writer.is_closing():
            self.writer.write(answer)

    # ---- login -------------------------------------------------------------------------

    def login(self, attrs: dict[str, str], tag: str | None) -> None:
        """Both login methods, as the router's version (or login_method) allows.

        - `plain` (6.43+): `/login =name=U =password=P`.
        - `challenge` (before 6.43): `/login` answers `=ret=<challenge>`, then
          `/login =name=U =response=00<md5(0 + password + challenge)>`. Routers from 6.45 on keep
          only hashed passwords, so the response is refused there (seen on 6.48/6.49 by client
          projects; the exact first version is unverified). Any other `/login` hands out a challenge.
        - `both`: a test router that takes either method whatever its version.
        """
        if self.user is not None and "name" not in attrs:
            self.send(reply("!done", None, tag))
            return
        method, version = self.router.login_method, self.router.version_numbers
        name = attrs.get("name")
        if "response" in attrs and self.challenge is not None:
            challenge, self.challenge = self.challenge, None  # a challenge answers one login only
            takes_response = method in ("challenge", "both") or (method == "plain" and version < (6, 45))
            user = (self.router.authenticate(name or "", response=attrs["response"], challenge=challenge)
                    if takes_response else None)
        elif "password" in attrs and method in ("plain", "both"):
            user = self.router.authenticate(name or "", password=attrs["password"])
        elif "response" in attrs:
            user = None  # a response to no challenge
        else:
            # the pre-6.43 method: hand out a challenge (old routers do this even when given a password)
            self.challenge = os.urandom(16)
            self.send(reply("!done", {"ret": self.challenge.hex()}, tag))
            return
        if user is None:
            # `cannot log in` before 6.43 (unverified), `invalid user name or password (6)` since
            # (seen on 6.43rc, 6.47 and 6.49 routers by client projects, and on 7.x)
            message = "cannot log in" if version < (6, 43) else "invalid user name or password (6)"
            self.router.log_event("system,error,critical", f"login failure for user {name} from {self.peer[0]} via api")
            self.send(reply("!trap", {"message": message}, tag))
            self.send(reply("!done", None, tag))
            return
        self.user = user
        self.router.log_event("system,info,account", f"user {user.name} logged in from {self.peer[0]} via api")
        self.send(reply("!done", None, tag))

    # ---- listen and cancel -----------------------------------------------------------------

    def listen(self, command: str, tag: str | None) -> None:
        try:
            path, _ = self.router.resolve(command)
        except Trap as trap:
            for item in trap.sentences():
                self.send(reply("!trap", item, tag))
            self.send(reply("!done", None, tag))
            return
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[dict[str, str]] = asyncio.Queue()

        def on_change(item: dict[str, str]) -> None:
            loop.call_soon_threadsafe(queue.put_nowait, item)

        unsubscribe = self.router.subscribe(path, on_change)

        async def stream() -> None:
            try:
                while True:
                    item = await queue.get()
                    self.send(reply("!re", item, tag))
                    await self.writer.drain()
            finally:
                unsubscribe()

        self.start_running(tag, stream())

    def start_running(self, tag: str | None, coro) -> None:
        previous = self.running.pop(tag, None)
        if previous:
            previous.cancel()
        task = asyncio.ensure_future(coro)
        self.running[tag] = task

    def cancel(self, target: str | None, tag: str | None) -> None:
        """Stop one running command (`=tag=X`) or all of them.

        The order follows the API manual's example (and a 7.23 router): the stopped command's
        `!trap =category=2 =message=interrupted`, then `/cancel`'s own `!done`, then the stopped
        command's `!done`.
        """
        if target is not None and target not in self.running:
            # unverified: RouterOS's answer to a tag that runs nothing
            self.send(reply("!trap", {"category": str(errors.MISSING), "message": "unknown command tag"}, tag))
            self.send(reply("!done", None, tag))
            return
        victims = [target] if target is not None else list(self.running)
        for victim in victims:
            self.running.pop(victim).cancel()
            self.send(reply("!trap", {"category": str(errors.INTERRUPTED), "message": "interrupted"}, victim))
        self.send(reply("!done", None, tag))
        for victim in victims:
            self.send(reply("!done", None, victim))


class ApiService:
    """The `api` (plain) or `api-ssl` (TLS) service of one router."""

    def __init__(self, router: Router, host: str, port: int, ssl_context: ssl.SSLContext | None = None):
        self.router, self.host, self.port, self.ssl_context = router, host, port, ssl_context
        self.server: asyncio.base_events.Server | None = None
        self.sessions: set[Session] = set()

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._accept, self.host, self.port, ssl=self.ssl_context)
        self.port = self.server.sockets[0].getsockname()[1]
        return self.port

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        session = Session(self, reader, writer)
        self.sessions.add(session)
        await session.run()

    async def drop_sessions(self, reason: str = "session terminated") -> None:
        """Send `!fatal` to every client and close its connection (a router reboot, say)."""
        for session in list(self.sessions):
            await session.fatal(reason)

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.drop_sessions("server shutting down")
            await self.server.wait_closed()
            self.server = None
