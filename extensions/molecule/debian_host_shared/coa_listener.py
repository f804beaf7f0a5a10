"""Play a router's RADIUS incoming (CoA/Disconnect) port for a bounded time.

  coa_listener.py --bind 127.0.0.2 --port 23799 --secret S --out FILE [--timeout 120] [--count N]

Answers every Disconnect-Request with Disconnect-ACK and every CoA-Request with CoA-ACK, and appends
each request as a JSON line to FILE. Exits after --timeout seconds or --count requests.
"""
from __future__ import annotations

import argparse
import json
import socket
import sys
import time

from pyrad import packet

from radius_probe import decode, load_dictionary

ACK = {packet.DisconnectRequest: packet.DisconnectACK, packet.CoARequest: packet.CoAACK}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bind", required=True)
    parser.add_argument("--port", type=int, default=3799)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--count", type=int, default=0, help="stop after this many requests (0: no limit)")
    args = parser.parse_args()

    dictionary = load_dictionary()
    secret = args.secret.encode()
    deadline = time.monotonic() + args.timeout
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((args.bind, args.port))
        with open(args.out, "a", encoding="utf-8") as out:
            serve(sock, out, dictionary, secret, deadline, args.count)
    return 0


def serve(sock: socket.socket, out, dictionary, secret: bytes, deadline: float, count: int) -> None:
    seen = 0
    while time.monotonic() < deadline and (not count or seen < count):
        sock.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            data, peer = sock.recvfrom(4096)
        except socket.timeout:
            break
        req = packet.CoAPacket(packet=data, secret=secret, dict=dictionary)
        if req.code not in ACK:
            continue
        reply = req.CreateReply()
        reply.code = ACK[req.code]
        sock.sendto(reply.ReplyPacket(), peer)
        seen += 1
        out.write(json.dumps({"code": req.code, "from": peer[0], "authentic": req.VerifyCoARequest(),
                              "attributes": decode(req)}, sort_keys=True) + "\n")
        out.flush()


if __name__ == "__main__":
    sys.exit(main())
