"""Counters and gauges, served in Prometheus's text format when a metrics address is configured."""
from __future__ import annotations

import asyncio
import logging

log = logging.getLogger("ispkit_monitor.metrics")

HELP = {
    "events_seen_total": ("counter", "Events detected on routers (after flap folding)."),
    "events_queued": ("gauge", "Events waiting for delivery, per webhook."),
    "events_sent_total": ("counter", "Events Discord confirmed, per webhook."),
    "events_dropped_total": ("counter", "Events dropped (queue full, or refused by Discord), per webhook."),
    "messages_sent_total": ("counter", "Webhook messages Discord confirmed."),
    "webhook_retries_total": ("counter", "Webhook posts retried after a 5xx or a network error."),
    "webhook_rate_limited_total": ("counter", "Webhook posts answered 429."),
    "webhook_stopped": ("gauge", "1 when a webhook was stopped (404, 401, 403)."),
    "router_connected": ("gauge", "1 while the API session to a router is up."),
    "router_reconnects_total": ("counter", "API sessions re-established after a loss."),
}


def _labels(labels: dict[str, str]) -> str:
    if not labels:
        return ""
    inner = ",".join('%s="%s"' % (k, str(v).replace("\\", "\\\\").replace('"', '\\"')) for k, v in sorted(labels.items()))
    return "{" + inner + "}"


class Metrics:
    def __init__(self) -> None:
        self.values: dict[tuple[str, str], float] = {}
        self.gauges: dict[tuple[str, str], object] = {}  # callables read at scrape time

    def inc(self, name: str, amount: float = 1, **labels: str) -> None:
        key = (name, _labels(labels))
        self.values[key] = self.values.get(key, 0) + amount

    def set(self, name: str, value: float, **labels: str) -> None:
        self.values[(name, _labels(labels))] = value

    def gauge(self, name: str, read, **labels: str) -> None:
        self.gauges[(name, _labels(labels))] = read

    def get(self, name: str, **labels: str) -> float:
        return self.values.get((name, _labels(labels)), 0)

    def render(self) -> str:
        values = dict(self.values)
        values.update({key: float(read()) for key, read in self.gauges.items()})
        lines = []
        for name in sorted({key[0] for key in values}):
            kind, text = HELP.get(name, ("untyped", name))
            lines += [f"# HELP ispkit_monitor_{name} {text}", f"# TYPE ispkit_monitor_{name} {kind}"]
            lines += [f"ispkit_monitor_{name}{labels} {value:g}" for (n, labels), value in sorted(values.items()) if n == name]
        return "\n".join(lines) + "\n"


async def serve(metrics: Metrics, host: str, port: int) -> asyncio.base_events.Server:
    """A minimal HTTP/1.0 endpoint: any GET answers the metrics."""
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
            body = metrics.render().encode()
            writer.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n"
                         + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
            await writer.drain()
        except (asyncio.TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, OSError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, host, port)
    log.info("metrics endpoint", extra={"fields": {"address": f"{host}:{server.sockets[0].getsockname()[1]}"}})
    return server
