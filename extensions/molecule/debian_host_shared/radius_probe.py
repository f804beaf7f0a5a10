"""Send one RADIUS request as a NAS would and print the answer as JSON.

  radius_probe.py --secret S [--source 127.0.0.2] auth --user U --password P [--chap]
  radius_probe.py --secret S acct --user U --status start|interim|stop --session-id ID

Prints {"result": "accept"|"reject"|"accounting-response"|"timeout", "attributes": {...}}.
"timeout" means the server stayed silent (what FreeRADIUS does for an unknown NAS or a
request without a required Message-Authenticator).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import socket
import sys
from pathlib import Path

from pyrad import packet
from pyrad.dictionary import Dictionary

DICTIONARY = Path(__file__).with_name("dictionary.radius")
RESULTS = {
    packet.AccessAccept: "accept",
    packet.AccessReject: "reject",
    packet.AccountingResponse: "accounting-response",
}


def load_dictionary() -> Dictionary:
    return Dictionary(str(DICTIONARY))


def auth_packet(dictionary: Dictionary, secret: bytes, user: str, password: str, *, chap: bool = False,
                service_type: str = "Framed-User", message_authenticator: bool = True,
                nas_identifier: str = "probe") -> packet.AuthPacket:
    req = packet.AuthPacket(code=packet.AccessRequest, secret=secret, dict=dictionary,
                            message_authenticator=message_authenticator)
    req["User-Name"] = user
    if chap:
        # CHAP-Password = ident + MD5(ident + password + challenge), as a Hotspot login sends it
        challenge = os.urandom(16)
        ident = b"\x01"
        req["CHAP-Challenge"] = challenge
        req["CHAP-Password"] = ident + hashlib.md5(ident + password.encode() + challenge).digest()
    else:
        req["User-Password"] = req.PwCrypt(password)
    req["Service-Type"] = service_type
    if service_type == "Framed-User":
        req["Framed-Protocol"] = "PPP"
    req["NAS-Identifier"] = nas_identifier
    req["NAS-Port-Type"] = "Ethernet"
    req["Calling-Station-Id"] = "02:00:00:00:00:01"
    return req


def acct_packet(dictionary: Dictionary, secret: bytes, user: str, status: str, session_id: str,
                *, framed_ip: str | None = None) -> packet.AcctPacket:
    req = packet.AcctPacket(code=packet.AccountingRequest, secret=secret, dict=dictionary)
    req["User-Name"] = user
    req["Acct-Status-Type"] = {"start": "Start", "interim": "Interim-Update", "stop": "Stop"}[status]
    req["Acct-Session-Id"] = session_id
    req["Acct-Authentic"] = "RADIUS"
    req["Service-Type"] = "Framed-User"
    req["Framed-Protocol"] = "PPP"
    req["NAS-Identifier"] = "probe"
    req["NAS-Port-Type"] = "Ethernet"
    req["Calling-Station-Id"] = "02:00:00:00:00:01"
    if framed_ip:
        req["Framed-IP-Address"] = framed_ip
    if status != "start":
        req["Acct-Session-Time"] = 120
        req["Acct-Input-Octets"] = 1000
        req["Acct-Output-Octets"] = 5000
    if status == "stop":
        req["Acct-Terminate-Cause"] = "User-Request"
    return req


def decode(reply: packet.Packet) -> dict[str, list]:
    attributes: dict[str, list] = {}
    for key in reply.keys():
        if not isinstance(key, str):
            continue  # attribute missing from our small dictionary
        values = reply[key]
        attributes[key] = [v.decode(errors="replace") if isinstance(v, bytes) else v for v in values]
    return attributes


def exchange(req: packet.Packet, server: str, port: int, source: str, timeout: float, retries: int) -> dict:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((source, 0))
        sock.settimeout(timeout)
        raw = req.RequestPacket()
        for _attempt in range(retries):
            sock.sendto(raw, (server, port))
            try:
                data, _addr = sock.recvfrom(4096)
            except socket.timeout:
                continue
            reply = req.CreateReply(packet=data) if hasattr(req, "CreateReply") else None
            if not req.VerifyReply(reply, data):
                return {"result": "bad-authenticator", "attributes": {}}
            # VerifyReply checked the reply's Message-Authenticator when there is one; RouterOS 7.15+
            # drops Access-Accept/Reject without it, so the answer says whether it was signed.
            return {"result": RESULTS.get(reply.code, str(reply.code)), "attributes": decode(reply),
                    "signed": reply.message_authenticator is not None}
    return {"result": "timeout", "attributes": {}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="127.0.0.1")
    parser.add_argument("--auth-port", type=int, default=1812)
    parser.add_argument("--acct-port", type=int, default=1813)
    parser.add_argument("--source", default="127.0.0.1", help="address to send from (the NAS address)")
    parser.add_argument("--secret", required=True)
    parser.add_argument("--timeout", type=float, default=1.0)
    parser.add_argument("--retries", type=int, default=2)
    sub = parser.add_subparsers(dest="kind", required=True)
    auth = sub.add_parser("auth")
    auth.add_argument("--user", required=True)
    auth.add_argument("--password", required=True)
    auth.add_argument("--chap", action="store_true")
    auth.add_argument("--service-type", default="Framed-User", choices=["Framed-User", "Login-User"])
    auth.add_argument("--no-message-authenticator", action="store_true")
    acct = sub.add_parser("acct")
    acct.add_argument("--user", required=True)
    acct.add_argument("--status", required=True, choices=["start", "interim", "stop"])
    acct.add_argument("--session-id", required=True)
    acct.add_argument("--framed-ip")
    args = parser.parse_args()

    dictionary = load_dictionary()
    secret = args.secret.encode()
    if args.kind == "auth":
        req = auth_packet(dictionary, secret, args.user, args.password, chap=args.chap,
                          service_type=args.service_type,
                          message_authenticator=not args.no_message_authenticator)
        port = args.auth_port
    else:
        req = acct_packet(dictionary, secret, args.user, args.status, args.session_id, framed_ip=args.framed_ip)
        port = args.acct_port
    print(json.dumps(exchange(req, args.server, port, args.source, args.timeout, args.retries), sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
