"""A local stand-in for Discord's webhook API, for tests that run the monitor bot for real.

    receiver = WebhookReceiver(port=28780, record="posts.jsonl")   # port 0: any free port
    receiver.start()
    ... the bot posts to http://127.0.0.1:<receiver.port>/api/webhooks/1/token
    receiver.titles()      # embed titles in arrival order
    receiver.stop()

POST is answered as Discord answers `?wait=true` (200 with the message), GET as a webhook
lookup. Every post is kept with its arrival time (for latencies) and, with `record`, appended
as a JSON line to that file.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Post:
    """One message the bot delivered: its body and when it arrived (time.monotonic())."""

    body: dict
    arrived: float
    path: str = ""
    embeds: list[dict] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    server: "WebhookReceiver"

    def _answer(self, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # pylint: disable=invalid-name
        self._answer({"id": "1", "name": "test-webhook", "type": 1})

    def do_POST(self) -> None:  # pylint: disable=invalid-name
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        number = self.server.keep(Post(body, time.monotonic(), self.path, list(body.get("embeds", []))))
        self._answer({"id": str(number), "embeds": body.get("embeds", [])})

    def log_message(self, format, *args) -> None:  # pylint: disable=redefined-builtin
        pass


class WebhookReceiver(ThreadingHTTPServer):
    """Discord's webhook endpoint on 127.0.0.1, serving from a daemon thread."""

    daemon_threads = True

    def __init__(self, port: int = 0, record: str | None = None):
        super().__init__(("127.0.0.1", port), _Handler)
        self.port = self.server_address[1]
        self.record = record
        self.posts: list[Post] = []
        self.lock = threading.Lock()

    def keep(self, post: Post) -> int:
        """Store a post (and append it to the record file); its number, from 1."""
        with self.lock:
            self.posts.append(post)
            if self.record:
                with open(self.record, "a", encoding="utf-8") as record:
                    record.write(json.dumps({"path": post.path, "body": post.body}) + "\n")
            return len(self.posts)

    def start(self) -> "WebhookReceiver":
        threading.Thread(target=self.serve_forever, name="webhook-receiver", daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def url(self, token: str = "token") -> str:
        return f"http://127.0.0.1:{self.port}/api/webhooks/1/{token}"

    @property
    def messages(self) -> list[dict]:
        with self.lock:
            return [post.body for post in self.posts]

    def embeds(self, since: int = 0) -> list[tuple[dict, float]]:
        """(embed, arrival time) of every post from number `since` on, in arrival order."""
        with self.lock:
            return [(embed, post.arrived) for post in self.posts[since:] for embed in post.embeds]

    def titles(self, since: int = 0) -> list[str]:
        return [embed.get("title", "") for embed, _arrived in self.embeds(since)]

    def mark(self) -> int:
        """A position in the posts: `embeds(since=mark)` lists what came after it."""
        with self.lock:
            return len(self.posts)
