"""Play Discord's webhook API and a router on the host's loopback, make a PPPoE session, and
wait until the deployed bot has posted its login and logout.

  session_probe.py --router-port 28728 --password PW --identity RTR-1 --webhook-port 28780
                   --record FILE [--timeout 60] [--tls-router-port 28729 --cert-dir DIR]

With --tls-router-port it also starts an api-ssl router (certificates from --cert-dir, password
from TLS_ROUTER_PASSWORD) and first waits for the bot's summary of it: the bot verified its
certificate with the CA file the role copied.

The webhook receiver answers POST like Discord with ?wait=true (200 with the message) and GET like
a webhook lookup, and appends every POST body as a JSON line to FILE. Prints one JSON object:
{"ok": ..., "step": "<what was awaited last>", "titles": [...], "since_connected": [...], "messages": [...]}; exit 0 when every step was seen.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

from ros_emulator import start_router

# The fake Discord is shared with the lab twin (tests/support/webhook_receiver.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "tests", "support"))
from webhook_receiver import WebhookReceiver  # noqa: E402  pylint: disable=wrong-import-position


def wait_for(receiver: WebhookReceiver, title: str, deadline: float) -> bool:
    """Wait for a message titled `title`, or for any of the titles separated by " | "."""
    while time.monotonic() < deadline:
        if set(title.split(" | ")) & set(receiver.titles()):
            return True
        time.sleep(0.1)
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--router-port", type=int, required=True)
    parser.add_argument("--password", default=os.environ.get("ROUTER_PASSWORD", ""))
    parser.add_argument("--identity", required=True)
    parser.add_argument("--ros-version", default="7.16.2")
    parser.add_argument("--webhook-port", type=int, required=True)
    parser.add_argument("--record", required=True)
    parser.add_argument("--user", default="molecule-alice")
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--tls-router-port", type=int, help="also an api-ssl router on this port")
    parser.add_argument("--tls-identity", default="RTR-MOLECULE-TLS")
    parser.add_argument("--tls-password", default=os.environ.get("TLS_ROUTER_PASSWORD", ""))
    parser.add_argument("--cert-dir", help="its CA and certificate (ros_emulator.tls)")
    args = parser.parse_args()

    receiver = WebhookReceiver(args.webhook_port, args.record).start()
    router = start_router(identity=args.identity, version=args.ros_version, password=args.password,
                          port=args.router_port)
    tls_router = start_router(identity=args.tls_identity, version=args.ros_version, password=args.tls_password,
                              tls=True, tls_port=args.tls_router_port, cert_dir=args.cert_dir) \
        if args.tls_router_port else None
    deadline = time.monotonic() + args.timeout
    # The bot posts a summary after its first snapshot ("reachable again" when it had been connected
    # before, e.g. in an earlier verify): only a session made after it is a login.
    connected = (f"Monitoring {args.identity}", f"Router reachable again: {args.identity}")
    step = " | ".join(connected)
    try:
        if tls_router is not None:  # the bot reached it over api-ssl, verifying the CA the role copied
            step = f"Monitoring {args.tls_identity} | Router reachable again: {args.tls_identity}"
            ok = wait_for(receiver, step, deadline)
            step = " | ".join(connected) if ok else step
        ok = (tls_router is None or ok) and wait_for(receiver, step, deadline)
        if ok:
            session = router.add_runtime("/ppp/active", name=args.user, service="pppoe",
                                         caller_id="02:00:00:00:00:01", address="10.99.0.5", uptime="0s")
            step = f"PPPoE login: {args.user}"
            ok = wait_for(receiver, step, deadline)
            if ok:
                router.remove_runtime("/ppp/active", session)
                step = f"PPPoE logout: {args.user}"
                ok = wait_for(receiver, step, deadline)
        time.sleep(0.5)  # anything invented afterwards shows up in the titles
    finally:
        router.stop()
        if tls_router is not None:
            tls_router.stop()
        receiver.stop()
    titles = receiver.titles()
    # A message queued by an earlier run (the queue survives restarts) may come before the connection.
    marks = [index for index, title in enumerate(titles) if title in connected]
    since_connected = titles[marks[-1]:] if marks else []
    print(json.dumps({"ok": ok, "step": step, "titles": titles, "since_connected": since_connected,
                      "messages": receiver.messages}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
