"""Fixtures for the monitor bot: emulated routers, a local server that plays Discord's webhook
API, and the bot itself, each on 127.0.0.1. The bot and the fake Discord run in one event loop
in a background thread, so tests are plain functions that wait for what they expect."""
from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any, Callable

import pytest
import yaml
from aiohttp import web
from ispkit_monitor.bot import Bot
from ispkit_monitor.config import load
from ros_emulator import start_router


class Loop:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="monitor-bot-tests", daemon=True)
        self.thread.start()

    def run(self, coro, timeout: float = 30) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


class FakeDiscord:
    """Discord's webhook endpoint: stores messages; can answer a script of statuses (429 with
    retry_after, 500, 404), enforce a small rate-limit bucket, or go down (refuse connections)."""

    def __init__(self, loop: Loop, bucket: int = 5, reset_after: float = 0.2):
        self.loop = loop
        self.messages: list[dict] = []
        self.requests: list[tuple[str, int]] = []  # (method, status answered)
        self.script: list[int] = []
        self.bucket, self.reset_after = bucket, reset_after
        self.send_headers = True  # False: the bot learns the limit only from 429s
        self.is_down = False
        self.window_start, self.used = 0.0, 0
        self.port = 0
        self.runner: web.AppRunner | None = None
        self.site: web.TCPSite | None = None
        loop.run(self._start())

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/webhooks/123/token"

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/webhooks/{id}/{token}", self._post)
        app.router.add_get("/api/webhooks/{id}/{token}", self._get)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        await self._listen()

    async def _listen(self) -> None:
        self.site = web.TCPSite(self.runner, "127.0.0.1", self.port, reuse_address=True)
        await self.site.start()
        self.port = self.site._server.sockets[0].getsockname()[1]  # pylint: disable=protected-access

    async def _get(self, request: web.Request) -> web.Response:
        self.requests.append(("GET", 200))
        return web.json_response({"id": request.match_info["id"], "name": "fake", "type": 1})

    async def _post(self, request: web.Request) -> web.Response:
        loop = asyncio.get_running_loop()
        if self.is_down:  # a kept-alive connection from before the outage: cut it
            request.transport.abort()
            self.requests.append(("POST", 0))
            return web.Response(status=503)
        if self.script:
            status = self.script.pop(0)
            self.requests.append(("POST", status))
            if status == 429:
                return web.json_response({"message": "You are being rate limited.", "retry_after": 0.3, "global": False},
                                         status=429, headers={"Retry-After": "1"})
            if status == 404:
                return web.json_response({"message": "Unknown Webhook", "code": 10015}, status=404)
            return web.Response(status=status, text="boom")
        now = loop.time()
        if now - self.window_start >= self.reset_after:
            self.window_start, self.used = now, 0
        if self.used >= self.bucket:
            retry = self.reset_after - (now - self.window_start)
            self.requests.append(("POST", 429))
            return web.json_response({"message": "You are being rate limited.", "retry_after": retry, "global": False},
                                     status=429)
        self.used += 1
        body = await request.json()
        assert request.query.get("wait") == "true"
        self.messages.append(body)
        self.requests.append(("POST", 200))
        headers = {"X-RateLimit-Limit": str(self.bucket), "X-RateLimit-Remaining": str(self.bucket - self.used),
                   "X-RateLimit-Reset-After": f"{self.reset_after - (now - self.window_start):.3f}"}
        return web.json_response({"id": str(len(self.messages)), "embeds": body.get("embeds", [])},
                                 headers=headers if self.send_headers else None)

    def down(self) -> None:
        """Stop listening: the bot's posts get `connection refused`."""
        async def stop() -> None:
            self.is_down = True
            await self.site.stop()
        self.loop.run(stop())

    def up(self) -> None:
        self.loop.run(self._listen())
        self.is_down = False

    def close(self) -> None:
        self.loop.run(self.runner.cleanup())

    def embeds(self) -> list[dict]:
        return [e for m in list(self.messages) for e in m.get("embeds", [])]

    def titles(self, router: str | None = None, include_summary: bool = False) -> list[str]:
        out = []
        for item in self.embeds():
            fields = {f["name"]: f["value"] for f in item.get("fields", [])}
            if router is not None and fields.get("Router") != router:
                continue
            if not include_summary and item["title"].startswith("Monitoring"):
                continue
            out.append(item["title"])
        return out

    def wait_titles(self, count: int, router: str | None = None, timeout: float = 10) -> list[str]:
        wait_until(lambda: len(self.titles(router)) >= count, timeout, lambda: self.titles(router))
        return self.titles(router)


def wait_until(condition: Callable[[], Any], timeout: float = 10, show: Callable[[], Any] | None = None) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout}s" + (f"; have {show()!r}" if show else ""))


class BotHarness:
    """Writes a config (secrets in a credentials directory), starts and stops Bots."""

    def __init__(self, loop: Loop, tmp_path, monkeypatch):
        self.loop = loop
        self.dir = tmp_path
        self.credentials = tmp_path / "credentials"
        self.credentials.mkdir()
        monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(self.credentials))
        self.bot: Bot | None = None
        self.stop_event: asyncio.Event | None = None
        self.task = None

    def write_config(self, routers: list[tuple[str, Any]], webhooks: list[tuple[str, str]], **options) -> str:
        data: dict[str, Any] = {"state_dir": str(self.dir / "state"), "flap_window": 0, "unreachable_after": 0.3,
                                "reconnect_min": 0.1, "reconnect_max": 0.3, "webhook_backoff_max": 0.3,
                                "fsync": False, "routers": [], "webhooks": []}
        for name, handle in routers:
            (self.credentials / f"{name}-password").write_text("pw\n")
            data["routers"].append({"name": name, "host": "127.0.0.1", "port": handle.port, "username": "admin",
                                    "password_file": f"{name}-password", "timeout": 3})
        for name, url in webhooks:
            (self.credentials / f"{name}-url").write_text(url + "\n")
            data["webhooks"].append({"name": name, "url_file": f"{name}-url"})
        data.update(options)
        path = self.dir / "config.yml"
        path.write_text(yaml.safe_dump(data))
        return str(path)

    def start(self, config_path: str) -> Bot:
        config = load(config_path)

        async def begin() -> None:
            self.bot = Bot(config)
            await self.bot.start()
        self.loop.run(begin())
        return self.bot

    def wait_connected(self, timeout: float = 10) -> None:
        wait_until(lambda: all(w.connected.is_set() for w in self.bot.watchers), timeout)

    def stop(self) -> None:
        if self.bot is not None:
            self.loop.run(self.bot.stop())
            self.bot = None


@pytest.fixture(scope="session")
def loop():
    running = Loop()
    yield running
    running.close()


@pytest.fixture
def discord(loop):
    fake = FakeDiscord(loop)
    yield fake
    fake.close()


@pytest.fixture
def harness(loop, tmp_path, monkeypatch):
    bots = BotHarness(loop, tmp_path, monkeypatch)
    yield bots
    bots.stop()


@pytest.fixture
def routers():
    """start(identity, version, **kw) -> handle; every router is stopped at the end."""
    started = []

    def start(identity: str = "RTR-1", version: str = "7.16.2", **kwargs):
        handle = start_router(identity=identity, version=version, password="pw", **kwargs)
        started.append(handle)
        return handle
    yield start
    for handle in started:
        try:
            handle.stop()
        except Exception:  # pylint: disable=broad-exception-caught
            pass


def queue_file_events(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as journal:
        return [json.loads(line) for line in journal]
