# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection: options, login (plain or TLS), and RouterOS errors as one clear message.

Messages name the router, what was being done and RouterOS's own words; they never carry a
password or a traceback.
"""
from __future__ import annotations

import functools
import socket
import ssl
import traceback
from typing import Any, Dict, List, Mapping, Optional, Sequence

LIBROUTEROS_IMPORT_ERROR: Optional[str]
try:
    import librouteros
    from librouteros.exceptions import ConnectionClosed, FatalError, LibRouterosError, MultiTrapError, TrapError
    from librouteros.login import plain as login_plain
except ImportError:
    HAS_LIBROUTEROS = False
    LIBROUTEROS_IMPORT_ERROR = traceback.format_exc()
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
        try:
            return list(self.api.path(*path.strip("/").split("/")).select(*fields))
        except Exception as error:
            raise self._failure("reading %s" % path, error) from None

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
