"""Play Discord's webhook API and a router on the host's loopback, make a PPPoE session, and
wait until the deployed bot has posted its login and logout.

  session_probe.py --router-port 28728 --password PW --identity RTR-1 --webhook-port 28780
                   --record FILE [--timeout 60]

The webhook receiver answers POST like Discord with ?wait=true (200 with the message) and GET like
a webhook lookup, and appends every POST body as a JSON line to FILE. Prints one JSON object:
{"ok": ..., "step": "<what was awaited last>", "titles": [...], "since_connected": [...], "messages": [...]}; exit 0 when every step was seen.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ros_emulator import start_router


class Receiver(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, record: str):
        super().__init__(("127.0.0.1", port), Handler)
        self.record = record
        self.messages: list[dict] = []
        self.lock = threading.Lock()

    def titles(self) -> list[str]:
        with self.lock:
            return [embed.get("title", "") for message in self.messages for embed in message.get("embeds", [])]


class Handler(BaseHTTPRequestHandler):
    server: Receiver

    def _answer(self, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # pylint: disable=invalid-name
        self._answer({"id": "1", "name": "molecule", "type": 1})

    def do_POST(self) -> None:  # pylint: disable=invalid-name
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        with self.server.lock:
            self.server.messages.append(body)
            with open(self.server.record, "a", encoding="utf-8") as record:
                record.write(json.dumps({"path": self.path, "body": body}) + "\n")
            number = len(self.server.messages)
        self._answer({"id": str(number), "embeds": body.get("embeds", [])})

    def log_message(self, format, *args) -> None:  # pylint: disable=redefined-builtin
        pass


def wait_for(receiver: Receiver, title: str, deadline: float) -> bool:
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
    args = parser.parse_args()

    receiver = Receiver(args.webhook_port, args.record)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    router = start_router(identity=args.identity, version=args.ros_version, password=args.password,
                          port=args.router_port)
    deadline = time.monotonic() + args.timeout
    # The bot posts a summary after its first snapshot ("reachable again" when it had been connected
    # before, e.g. in an earlier verify): only a session made after it is a login.
    connected = (f"Monitoring {args.identity}", f"Router reachable again: {args.identity}")
    step = " | ".join(connected)
    try:
        ok = wait_for(receiver, step, deadline)
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
        receiver.shutdown()
    titles = receiver.titles()
    # A message queued by an earlier run (the queue survives restarts) may come before the connection.
    marks = [index for index, title in enumerate(titles) if title in connected]
    since_connected = titles[marks[-1]:] if marks else []
    print(json.dumps({"ok": ok, "step": step, "titles": titles, "since_connected": since_connected,
                      "messages": receiver.messages}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
