# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection: options, login (plain or TLS), and RouterOS errors as one clear message.

Messages name the router, what was being done and RouterOS's own words; they never carry a
password or a traceback.
"""
from __future__ import annotations

import functools
import logging
import socket
import ssl
import traceback
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

LIBROUTEROS_IMPORT_ERROR: Optional[str]
try:
    import librouteros
    from librouteros.exceptions import ConnectionClosed, FatalError, LibRouterosError, MultiTrapError, TrapError
    from librouteros.login import plain as login_plain
    from librouteros.protocol import LOGGER as LIBROUTEROS_LOGGER, ApiProtocol, decode_length, determine_length
    from librouteros.protocol import compose_word, encode_sentence, log as protocol_log
except ImportError:
    HAS_LIBROUTEROS = False
    LIBROUTEROS_IMPORT_ERROR = traceback.format_exc()
    ApiProtocol = object
else:
    HAS_LIBROUTEROS = True
    LIBROUTEROS_IMPORT_ERROR = None

API_PORT = 8728
API_TLS_PORT = 8729

CONNECTION_ARGUMENT_SPEC: Dict[str, Dict[str, Any]] = {
    "hostname": {"type": "str"},
    "port": {"type": "int"},
    "username": {"type": "str", "default": "admin"},
    "password": {"type": "str", "default": "", "no_log": True},
    "tls": {"type": "bool", "default": False},
    "validate_certs": {"type": "bool", "default": True},
    "ca_path": {"type": "path"},
    "timeout": {"type": "int", "default": 10},
}


# bytes asked of the socket at once: a 10,000-entry print is read in a few hundred calls
READ_CHUNK = 65536

# commands of one batch sent before their answers are read: enough to keep router and module
# busy at once, few enough that neither side's socket buffer fills up
BATCH_WINDOW = 64


class ReadAheadProtocol(ApiProtocol):  # type: ignore[misc,valid-type]
    """librouteros's protocol, reading sentences out of a read-ahead buffer. librouteros reads a
    word's length and body with one recv() each, formats a debug line per word even when nobody
    listens, and casts every value through int(): two seconds per 10,000 entries read."""

    def __init__(self, transport: Any, encoding: str) -> None:
        super().__init__(transport, encoding)
        self.data = b""
        self.position = 0

    def take(self, length: int) -> bytes:
        end = self.position + length
        while end > len(self.data):
            got = self.transport.sock.recv(max(READ_CHUNK, end - len(self.data)))
            if not got:
                raise ConnectionClosed("Connection unexpectedly closed.")
            self.data = self.data[self.position:] + got
            end -= self.position
            self.position = 0
        chunk = self.data[self.position:end]
        self.position = end
        return chunk

    def read_word(self) -> str:
        """The next word; '' ends a sentence."""
        data, position = self.data, self.position
        if position < len(data):
            length = data[position]
            if length < 0x80 and position + 1 + length <= len(data):  # short and buffered: most words
                self.position = position + 1 + length
                return data[position + 1:self.position].decode(self.encoding, errors="ignore")
        head = self.take(1)
        if head == b"\x00":
            return ""
        extra = determine_length(head)
        if extra:
            head += self.take(extra)
        return self.take(decode_length(head)).decode(self.encoding, errors="ignore")

    def readSentence(self) -> Tuple[str, Tuple[str, ...]]:  # noqa: N802 (librouteros's name)
        words = tuple(iter(self.read_word, ""))
        if LIBROUTEROS_LOGGER.isEnabledFor(logging.DEBUG):
            protocol_log("--->", *words)
        if words and words[0] == "!fatal":
            self.transport.close()
            raise FatalError(words[1] if len(words) > 1 else "")
        return words[0], words[1:]

    def read_reply(self) -> Tuple[str, Dict[str, str]]:
        """The next reply's word and attributes, as the router's text (`.tag` among them;
        librouteros's own parser takes only `=name=value` words)."""
        reply, words = self.readSentence()
        attributes = {}
        for word in words:
            if word[:1] == "=":
                name, _sep, value = word[1:].partition("=")
                attributes[name] = value
            elif word.startswith(".tag="):
                attributes[".tag"] = word[5:]
        return reply, attributes

    def writeSentence(self, cmd: str, *words: str) -> None:  # noqa: N802 (librouteros's name)
        if LIBROUTEROS_LOGGER.isEnabledFor(logging.DEBUG):
            protocol_log("<---", cmd, *words)
        self.transport.write(encode_sentence(cmd, *words, encoding=self.encoding))


class RouterError(Exception):
    """A failure talking to the router, already worded for the user."""


def trap_text(error: Exception) -> str:
    """RouterOS's words from a trap (several traps joined)."""
    if HAS_LIBROUTEROS and isinstance(error, MultiTrapError):
        return "; ".join(str(trap) for trap in error.traps)
    return str(error)


def connection_failure(where: str, error: BaseException, timeout: int) -> str:
    """Why a connection or login failed, in words; `where` is host:port."""
    if isinstance(error, ssl.SSLCertVerificationError):
        return ("TLS certificate of %s is not trusted (%s); give ca_path with the CA that signed it, "
                "or validate_certs=false on a lab network" % (where, error.verify_message or error.reason))
    if isinstance(error, ssl.SSLError):
        return "TLS handshake with %s failed: %s (is this the api-ssl port?)" % (where, error.reason or error)
    if isinstance(error, (socket.timeout, TimeoutError)):
        return "no answer from %s within %d s (timeout)" % (where, timeout)
    if isinstance(error, ConnectionRefusedError):
        return "connection to %s refused: is the RouterOS API service enabled on that port?" % where
    if isinstance(error, socket.gaierror):
        return "cannot resolve host of %s: %s" % (where, error.strerror)
    if HAS_LIBROUTEROS and isinstance(error, TrapError):
        return "login to %s refused: RouterOS said: %s" % (where, trap_text(error))
    if HAS_LIBROUTEROS and isinstance(error, (ConnectionClosed, FatalError)):
        return "%s closed the connection during login: %s" % (where, error or "no reason given")
    if isinstance(error, OSError):
        return "cannot connect to %s: %s" % (where, error.strerror or error)
    return "cannot connect to %s: %s" % (where, type(error).__name__)


def tls_wrapper(hostname: str, validate_certs: bool, ca_path: Optional[str]) -> Any:
    context = ssl.create_default_context(cafile=ca_path)
    if not validate_certs:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return functools.partial(context.wrap_socket, server_hostname=hostname)


class Client:
    """A logged-in API session; every method raises RouterError with a readable message."""

    def __init__(self, params: Mapping[str, Any]) -> None:
        hostname = params["hostname"]
        port = params["port"] or (API_TLS_PORT if params["tls"] else API_PORT)
        self.where = "%s:%s" % (hostname, port)
        kwargs: Dict[str, Any] = {"port": port, "timeout": params["timeout"], "encoding": "utf-8",
                                  "login_method": login_plain}
        if params["tls"]:
            kwargs["ssl_wrapper"] = tls_wrapper(hostname, params["validate_certs"], params["ca_path"])
        try:
            self.api = librouteros.connect(hostname, params["username"], params["password"], **kwargs)
        except Exception as error:  # every failure becomes one message, never a traceback
            raise RouterError(connection_failure(self.where, error, params["timeout"])) from None
        self.api.protocol = ReadAheadProtocol(self.api.protocol.transport, "utf-8")
        self.timeout = params["timeout"]

    def _failure(self, doing: str, error: Exception) -> RouterError:
        if HAS_LIBROUTEROS and isinstance(error, (TrapError, MultiTrapError)):
            return RouterError("%s: RouterOS said: %s" % (doing, trap_text(error)))
        if isinstance(error, (socket.timeout, TimeoutError)):
            return RouterError("%s: no answer from %s within %d s (timeout)" % (doing, self.where, self.timeout))
        if HAS_LIBROUTEROS and isinstance(error, (LibRouterosError, OSError)):
            return RouterError("%s: connection to %s lost: %s" % (doing, self.where, error))
        return RouterError("%s: %s: %s" % (doing, type(error).__name__, error))

    def read(self, path: str, fields: Sequence[str]) -> List[Dict[str, Any]]:
        """Every entry of a menu, only the given fields, values as the router's text."""
        return self.read_many([(path, fields)])[0]

    def read_many(self, menus: Sequence[Tuple[str, Sequence[str]]]) -> List[List[Dict[str, Any]]]:
        """Every entry of each menu (path, fields), all asked at once (tagged, as the API allows):
        one round trip for a task's menus instead of one per menu."""
        doing = "reading %s" % ", ".join(path for path, _fields in menus)
        rows: List[List[Dict[str, Any]]] = [[] for _menu in menus]
        refusals: Dict[int, List[str]] = {}
        pending = set(range(len(menus)))
        try:
            for tag, (path, fields) in enumerate(menus):
                self.api.protocol.writeSentence("/%s/print" % path.strip("/"), "=.proplist=%s" % ",".join(fields),
                                                ".tag=%d" % tag)
            while pending:
                reply, attributes = self.api.protocol.read_reply()
                tag = int(attributes.pop(".tag", -1))
                if reply == "!re" and 0 <= tag < len(menus):
                    rows[tag].append(attributes)
                elif reply == "!trap":
                    refusals.setdefault(tag, []).append(attributes.get("message", ""))
                elif reply == "!done":
                    pending.discard(tag)
        except Exception as error:
            raise self._failure(doing, error) from None
        if refusals:
            first = min(refusals)
            raise RouterError("reading %s: RouterOS said: %s" % (menus[first][0], ", ".join(refusals[first])))
        return rows

    def command(self, path: str, command: str, doing: str, **words: str) -> List[Dict[str, Any]]:
        try:
            return list(self.api.path(*path.strip("/").split("/"))(command, **words))
        except Exception as error:
            raise self._failure(doing, error) from None

    def add(self, path: str, doing: str, **words: str) -> str:
        try:
            return self.api.path(*path.strip("/").split("/")).add(**words)
        except Exception as error:
            raise self._failure(doing, error) from None

    def batch(self, path: str, command: str, calls: Sequence[Mapping[str, str]]) -> Tuple[
            List[Optional[str]], Optional[Tuple[int, str]]]:
        """Run `command` once per word set, up to BATCH_WINDOW of them sent ahead of their answers
        (tagged, as the API allows), and none sent after the router refuses one.

        Returns each call's `ret` (the new id of an add), None for a call refused or never sent,
        and (index, RouterOS's words) of the first refusal, or None. One round trip per command
        is what limits a 10,000-entry first run; a router runs one session's commands in order.
        """
        sentence = "/%s/%s" % (path.strip("/"), command)
        answers: List[Optional[str]] = [None] * len(calls)
        refusals: Dict[int, List[str]] = {}
        pending: set = set()
        sent = 0
        try:
            while sent < len(calls) or pending:
                while sent < len(calls) and len(pending) < BATCH_WINDOW and not refusals:
                    words = [compose_word(key, value) for key, value in calls[sent].items()]
                    self.api.protocol.writeSentence(sentence, *words, ".tag=%d" % sent)
                    pending.add(sent)
                    sent += 1
                if not pending:
                    break
                reply, attributes = self.api.protocol.read_reply()
                tag = int(attributes.pop(".tag", -1))
                if reply == "!trap":
                    refusals.setdefault(tag, []).append(attributes.get("message", ""))
                elif reply == "!done":
                    pending.discard(tag)
                    if tag not in refusals and 0 <= tag < len(calls):
                        answers[tag] = attributes.get("ret")
        except Exception as error:
            raise self._failure("`%s` (%d of them) on %s" % (sentence, len(calls), self.where), error) from None
        if not refusals:
            return answers, None
        first = min(refusals)
        return answers, (first, ", ".join(refusals[first]))

    def dialect(self) -> str:
        """'6' or '7', from /system/resource's version (`6.49.13 (long-term)`)."""
        rows = self.read("/system/resource", ["version"])
        version = str(rows[0].get("version", "")) if rows else ""
        major = version.split(".", 1)[0]
        if major not in ("6", "7"):
            raise RouterError("%s runs RouterOS %r; this collection supports 6.x and 7.x" % (self.where, version))
        return major

    def close(self) -> None:
        try:
            self.api.close()
        except Exception:  # closing a dead session is not an error worth reporting
            pass
