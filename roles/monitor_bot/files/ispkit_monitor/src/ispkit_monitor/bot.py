"""The bot: a watcher per router, flap folding, routing rules, a queue and a sender per webhook."""
from __future__ import annotations

import asyncio
import logging
import os
import re

import aiohttp

from .config import Config
from .discord import WebhookSender
from .fold import Folder
from .metrics import Metrics, serve
from .store import EventQueue
from .watcher import RouterWatcher

log = logging.getLogger("ispkit_monitor.bot")


def queue_path(state_dir: str, webhook: str) -> str:
    return os.path.join(state_dir, "queue-" + re.sub(r"[^A-Za-z0-9_.-]", "_", webhook) + ".jsonl")


class Bot:
    def __init__(self, config: Config):
        self.config = config
        self.metrics = Metrics()
        self.folder = Folder(config.flap_window, self.deliver)
        self.queues = {w.name: EventQueue(queue_path(config.state_dir, w.name), config.queue_max_events, config.fsync)
                       for w in config.webhooks}
        for name, queue in self.queues.items():
            self.metrics.gauge("events_queued", queue.__len__, webhook=name)
        self.watchers = [RouterWatcher(r, config, self.submit, self.metrics) for r in config.routers]
        self.senders: list[WebhookSender] = []
        self.tasks: list[asyncio.Task] = []
        self.session: aiohttp.ClientSession | None = None
        self.metrics_server: asyncio.base_events.Server | None = None

    def submit(self, events: list[dict]) -> None:
        for event in events:
            self.metrics.inc("events_seen_total", 1, router=event["router"], type=event["type"])
            self.folder.submit(event)

    def deliver(self, event: dict) -> None:
        targets = self.config.route(event)
        log.info("event", extra={"fields": {"event": event, "webhooks": targets}})
        for name in targets:
            self.queues[name].put([event])

    async def start(self) -> None:
        self.session = aiohttp.ClientSession()
        for webhook in self.config.webhooks:
            sender = WebhookSender(webhook.name, webhook.url, self.queues[webhook.name], self.session,
                                   language=self.config.language, username=webhook.username, metrics=self.metrics,
                                   backoff_max=self.config.webhook_backoff_max)
            self.senders.append(sender)
            self.tasks.append(asyncio.ensure_future(sender.run()))
        self.tasks += [asyncio.ensure_future(w.run()) for w in self.watchers]
        if self.config.metrics:
            self.metrics_server = await serve(self.metrics, *self.config.metrics)
        log.info("started", extra={"fields": {"routers": [r.name for r in self.config.routers],
                                              "webhooks": [w.name for w in self.config.webhooks]}})

    async def stop(self) -> None:
        watchers, senders = self.tasks[len(self.senders):], self.tasks[:len(self.senders)]
        for task in watchers:
            task.cancel()
        if watchers:
            await asyncio.wait(watchers, timeout=5)
        for watcher in self.watchers:
            watcher.save()
        self.folder.flush()  # held (folded) events are queued, not lost
        for task in senders:
            task.cancel()
        if senders:
            await asyncio.wait(senders, timeout=5)
        if self.metrics_server is not None:
            self.metrics_server.close()
        if self.session is not None:
            await self.session.close()
        for queue in self.queues.values():
            queue.close()
        log.info("stopped", extra={"fields": {"queued": {n: len(q) for n, q in self.queues.items()}}})

    async def run(self, stop: asyncio.Event) -> None:
        await self.start()
        try:
            await stop.wait()
        finally:
            await self.stop()
