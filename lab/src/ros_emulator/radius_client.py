"""The routers' RADIUS client (RFC 2865, 2866, 2869) and the `/radius incoming` listener for
Disconnect-Request and CoA-Request (RFC 5176), over UDP on loopback.

What RouterOS does that is modelled here (MikroTik's RADIUS client manual; items marked
"unverified" were inferred, not read):

- servers are asked in their /radius order; the first that answers decides; one that does not
  answer gets the request TRANSMISSIONS times, `timeout` apart, before the next is asked
  (the count is unverified: RouterOS counts "resends" in `/radius monitor`);
- every Access-Request carries a Message-Authenticator (BlastRADIUS hardening, 7.15+); a reply
  must carry a valid one when the entry says `require-message-auth=yes-for-request-resp` (7.x),
  and one that is present is always checked; a reply whose Response Authenticator or
  Message-Authenticator does not verify is dropped, as if it never came;
- requests leave from `src-address` when it is a loopback address, else from 127.0.0.1, which
  is also the NAS-IP-Address (so each router of a lab can be its own NAS client);
- incoming requests are verified with the secret of a /radius entry whose address sent them;
  one that verifies with none is dropped silently (RFC 5176 section 3.3).

The emulator never sends to a server outside 127.0.0.0/8: such a server counts as one that does
not answer. Passwords and secrets never reach a log or an exception message.
"""
from __future__ import annotations

import asyncio
import functools
import hashlib
import ipaddress
import logging
import os
import socket
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Awaitable, Callable

from pyrad import packet
from pyrad.dictionary import Dictionary

from .values import parse_duration_ms

LOG = logging.getLogger(__name__)

TRANSMISSIONS = 3  # per server and request (unverified)
DICTIONARY_FILE = "radius.dictionary"
INCOMING_HOST = "127.0.0.1"
DYNAMIC_REQUESTS = (packet.DisconnectRequest, packet.CoARequest)


@functools.cache
def dictionary() -> Dictionary:
    """The package's own attribute dictionary (standard attributes and MikroTik's)."""
    with resources.as_file(resources.files(__package__) / DICTIONARY_FILE) as path:
        return Dictionary(str(path))


def is_loopback(address: str) -> bool:
    """An IPv4 loopback address (the only kind the emulator sends to or from)."""
    try:
        return ipaddress.IPv4Address(address).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Server:
    """A /radius entry as the client uses it."""

    address: str
    secret: bytes = field(repr=False)
    auth_port: int = 1812
    acct_port: int = 1813
    timeout: float = 0.3  # seconds to wait for an answer to one transmission
    source: str = "127.0.0.1"  # where requests leave from, and the NAS-IP-Address
    require_message_authenticator: bool = False  # in replies to Access-Request

    @classmethod
    def from_values(cls, values: dict[str, str]) -> "Server":
        source = values.get("src-address", "0.0.0.0")
        return cls(
            address=values["address"].split("@", 1)[0],  # 7.x: address@vrf
            secret=values.get("secret", "").encode(),
            auth_port=int(values.get("authentication-port", "1812")),
            acct_port=int(values.get("accounting-port", "1813")),
            timeout=parse_duration_ms(values.get("timeout", "300ms"), "ms") / 1000,
            source=source if is_loopback(source) else "127.0.0.1",
            require_message_authenticator=values.get("require-message-auth") == "yes-for-request-resp",
        )

    @property
    def reachable(self) -> bool:
        return is_loopback(self.address)


@dataclass
class Answer:
    """What a server answered to an Access-Request."""

    accepted: bool
    attributes: dict[str, list[Any]]
    server: Server

    def first(self, name: str) -> Any:
        values = self.attributes.get(name)
        return values[0] if values else None


# ---- sending requests ---------------------------------------------------------------------

class _Replies(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.queue: asyncio.Queue[bytes] = asyncio.Queue()

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.queue.put_nowait(data)

    def error_received(self, exc: Exception) -> None:
        """ICMP port unreachable: to the client, a server that is down just stays silent."""


def _verified_reply(request: packet.Packet, data: bytes, enforce_ma: bool) -> packet.Packet | None:
    try:
        reply = request.CreateReply(packet=data)
    except Exception:  # pyrad raises PacketError, KeyError, struct.error... on garbage
        return None
    if not request.VerifyReply(reply, data, enforce_ma=enforce_ma):
        return None
    return reply


async def exchange(request: packet.Packet, server: Server, port: int, *,
                   enforce_ma: bool = False) -> packet.Packet | None:
    """Send `request` to `server`:`port` and return the first reply that verifies, or None when
    none came after TRANSMISSIONS transmissions, `server.timeout` apart."""
    if not server.reachable:
        return None
    raw = request.RequestPacket()
    loop = asyncio.get_running_loop()
    transport, replies = await loop.create_datagram_endpoint(
        _Replies, local_addr=(server.source, 0), remote_addr=(server.address, port))
    try:
        for _ in range(TRANSMISSIONS):
            transport.sendto(raw)
            deadline = loop.time() + server.timeout
            while (left := deadline - loop.time()) > 0:
                try:
                    data = await asyncio.wait_for(replies.queue.get(), left)
                except TimeoutError:
                    break
                reply = _verified_reply(request, data, enforce_ma)
                if reply is not None:
                    return reply
                LOG.warning("radius: dropped a bad reply from %s:%s", server.address, port)
        return None
    finally:
        transport.close()


def _attributes(reply: packet.Packet) -> dict[str, list[Any]]:
    return {key: reply[key] for key in reply.keys()
            if isinstance(key, str) and key != "Message-Authenticator"}


def _access_request(server: Server, user: str, password: str, chap: bool,
                    attributes: dict[str, Any]) -> packet.AuthPacket:
    request = packet.AuthPacket(code=packet.AccessRequest, secret=server.secret, dict=dictionary(),
                                message_authenticator=True)
    request["User-Name"] = user
    if chap:
        # RFC 2865 section 2.2: CHAP-Password = ident + MD5(ident + password + challenge)
        ident = os.urandom(1)
        challenge = os.urandom(16)
        request["CHAP-Challenge"] = challenge
        request["CHAP-Password"] = ident + hashlib.md5(ident + password.encode() + challenge).digest()
    else:
        request["User-Password"] = request.PwCrypt(password)
    request["NAS-IP-Address"] = server.source
    for name, value in attributes.items():
        request[name] = value
    return request


async def authenticate(servers: list[Server], user: str, password: str, *, chap: bool,
                       attributes: dict[str, Any]) -> Answer | None:
    """Ask `servers` in order; the first answer (Accept, or Reject and anything else), or None
    when none answered."""
    for server in servers:
        request = _access_request(server, user, password, chap, attributes)
        reply = await exchange(request, server, server.auth_port,
                               enforce_ma=server.require_message_authenticator)
        if reply is None:
            LOG.info("radius: no answer from %s:%s", server.address, server.auth_port)
            continue
        return Answer(reply.code == packet.AccessAccept, _attributes(reply), server)
    return None


async def account(server: Server, attributes: dict[str, Any]) -> bool:
    """Send one Accounting-Request; True when the server acknowledged it."""
    request = packet.AcctPacket(code=packet.AccountingRequest, secret=server.secret, dict=dictionary())
    request["NAS-IP-Address"] = server.source
    for name, value in attributes.items():
        request[name] = value
    return await exchange(request, server, server.acct_port) is not None


# ---- /radius incoming ------------------------------------------------------------------------

# handle(request) -> (acknowledged, Error-Cause or None)
DynamicHandler = Callable[[packet.CoAPacket], Awaitable[tuple[bool, int | None]]]


def bind_incoming(port: int, host: str = INCOMING_HOST) -> socket.socket:
    """The listening socket, bound now (so a port in use is known at once)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


class IncomingListener(asyncio.DatagramProtocol):
    """Answers Disconnect-Request and CoA-Request with ACK or NAK (signed with a
    Message-Authenticator); drops anything else, and requests no /radius secret verifies.

    `secrets(source address)` gives the secrets to try; `handle` decides."""

    def __init__(self, sock: socket.socket, secrets: Callable[[str], list[bytes]], handle: DynamicHandler):
        self.sock = sock
        self.secrets = secrets
        self.handle = handle
        self.transport: asyncio.DatagramTransport | None = None
        self.tasks: set[asyncio.Task[None]] = set()
        self.closed = False

    @property
    def port(self) -> int:
        return self.sock.getsockname()[1]

    async def start(self) -> None:
        if self.closed:
            return
        loop = asyncio.get_running_loop()
        await loop.create_datagram_endpoint(lambda: self, sock=self.sock)

    def close(self) -> None:
        """Stop listening (from the loop's thread)."""
        self.closed = True
        for task in self.tasks:
            task.cancel()
        if self.transport is not None:
            self.transport.close()
        else:
            self.sock.close()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: Any) -> None:
        request = self._verified(data, addr[0])
        if request is None:
            return
        task = asyncio.get_running_loop().create_task(self._answer(request, addr))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def _verified(self, data: bytes, source: str) -> packet.CoAPacket | None:
        if len(data) < 20 or data[0] not in DYNAMIC_REQUESTS:
            return None
        for secret in self.secrets(source):
            try:
                request = packet.CoAPacket(packet=data, secret=secret, dict=dictionary())
            except Exception:  # not a packet pyrad can decode
                return None
            if not request.VerifyCoARequest():
                continue
            if request.message_authenticator and not request.verify_message_authenticator():
                continue
            return request
        LOG.warning("radius incoming: dropped a request from %s that no /radius secret verifies", source)
        return None

    async def _answer(self, request: packet.CoAPacket, addr: Any) -> None:
        acknowledged, cause = await self.handle(request)
        reply = request.CreateReply()
        if request.code == packet.DisconnectRequest:
            reply.code = packet.DisconnectACK if acknowledged else packet.DisconnectNAK
        else:
            reply.code = packet.CoAACK if acknowledged else packet.CoANAK
        if cause is not None:
            reply["Error-Cause"] = cause
        reply.message_authenticator = True
        if self.transport is not None and not self.closed:
            self.transport.sendto(reply.ReplyPacket(), addr)
