"""Deliver a webhook's queue to Discord: batched, in order, each event once.

A batch leaves the queue only when Discord confirms it (`?wait=true` answers 200 with the
stored message). 429: wait `retry_after`; 5xx and network errors: back off and retry; the
rate-limit headers are honoured before the next request; 404 (unknown webhook), 401 and 403
stop this webhook (logged once; its events stay queued for a fixed configuration); any other
4xx drops the one event Discord refuses, after splitting the batch to find it.
"""
from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import aiohttp

from . import messages
from .metrics import Metrics
from .store import EventQueue

log = logging.getLogger("ispkit_monitor.discord")


class WebhookSender:
    def __init__(self, name: str, url: str, queue: EventQueue, session: aiohttp.ClientSession, *,
                 language: str = "en", username: str | None = None, metrics: Metrics | None = None,
                 backoff_min: float = 0.5, backoff_max: float = 60.0, timeout: float = 15.0):
        self.name, self.url, self.queue, self.session = name, url, queue, session
        self.language, self.username = language, username
        self.metrics = metrics or Metrics()
        self.backoff_min, self.backoff_max = backoff_min, backoff_max
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.stopped = False
        self.next_allowed = 0.0  # loop time before which we must not post (rate-limit headers)

    def payload(self, embeds: list[dict]) -> dict[str, Any]:
        body: dict[str, Any] = {"embeds": embeds, "allowed_mentions": {"parse": []}}
        if self.username:
            body["username"] = self.username
        return body

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        backoff = self.backoff_min
        limit = 10
        while not self.stopped:
            if not len(self.queue):
                self.queue.changed.clear()
                await self.queue.changed.wait()
                continue
            delay = self.next_allowed - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            taken, embeds = messages.batch(self.queue.peek(limit), self.language)
            outcome = await self.post(embeds)
            if outcome == "sent":
                self.queue.done([e["id"] for e in taken])
                self.metrics.inc("events_sent_total", len(taken), webhook=self.name)
                self.metrics.inc("messages_sent_total", 1, webhook=self.name)
                backoff, limit = self.backoff_min, 10
            elif outcome == "retry":
                self.metrics.inc("webhook_retries_total", 1, webhook=self.name)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self.backoff_max)
            elif outcome == "rate_limited":
                self.metrics.inc("webhook_rate_limited_total", 1, webhook=self.name)
            elif outcome == "refused":
                if len(taken) > 1:
                    limit = max(1, len(taken) // 2)
                else:
                    log.error("discord refused an event; dropped",
                              extra={"fields": {"webhook": self.name, "event": taken[0]}})
                    self.queue.done([taken[0]["id"]])
                    self.metrics.inc("events_dropped_total", 1, webhook=self.name)
                    limit = 10
            elif outcome == "stop":
                self.stopped = True
        self.metrics.set("webhook_stopped", 1, webhook=self.name)

    async def post(self, embeds: list[dict]) -> str:
        """One POST: sent, retry (after backoff), rate_limited (already waited), refused, stop."""
        loop = asyncio.get_running_loop()
        try:
            async with self.session.post(self.url, params={"wait": "true"}, json=self.payload(embeds),
                                         timeout=self.timeout) as response:
                self._note_rate_limit(response, loop.time())
                status = response.status
                if status in (200, 204):
                    return "sent"
                text = await response.text()
                if status == 429:
                    wait = _retry_after(response, text)
                    log.warning("discord rate limit", extra={"fields": {"webhook": self.name, "retry_after": wait}})
                    await asyncio.sleep(wait)
                    return "rate_limited"
                if status >= 500:
                    log.warning("discord server error", extra={"fields": {"webhook": self.name, "status": status}})
                    return "retry"
                if status in (401, 403, 404):
                    log.error("webhook unusable, stopped; its events stay queued",
                              extra={"fields": {"webhook": self.name, "status": status, "body": text[:300]}})
                    return "stop"
                log.error("discord refused the message",
                          extra={"fields": {"webhook": self.name, "status": status, "body": text[:300]}})
                return "refused"
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
            log.warning("discord unreachable", extra={"fields": {"webhook": self.name, "error": str(exc) or type(exc).__name__}})
            return "retry"

    def _note_rate_limit(self, response: aiohttp.ClientResponse, now: float) -> None:
        remaining = response.headers.get("X-RateLimit-Remaining")
        reset_after = response.headers.get("X-RateLimit-Reset-After")
        try:
            if remaining is not None and int(float(remaining)) <= 0 and reset_after is not None:
                self.next_allowed = now + float(reset_after)
        except ValueError:
            pass


def _retry_after(response: aiohttp.ClientResponse, text: str) -> float:
    try:
        return max(0.0, float(json.loads(text)["retry_after"]))
    except (ValueError, KeyError, TypeError):
        pass
    try:
        return max(0.0, float(response.headers.get("Retry-After", "1")))
    except ValueError:
        return 1.0


async def probe(session: aiohttp.ClientSession, url: str) -> tuple[bool, str]:
    """`--check`: GET the webhook (Discord answers 200 with its name without posting)."""
    try:
        async with session.get(url, timeout=aiohttp.ClientTimeout(total=10)) as response:
            if response.status == 200:
                data = await response.json(content_type=None)
                return True, f"webhook {data.get('name', '?')!r}"
            return False, f"HTTP {response.status}"
    except (aiohttp.ClientError, asyncio.TimeoutError, OSError, ValueError) as exc:
        return False, str(exc) or type(exc).__name__
