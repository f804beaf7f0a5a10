"""`ispkit-monitor --config FILE [--check]`."""
from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys

import aiohttp

from . import __version__, logs
from .bot import Bot
from .config import Config, ConfigError, load
from .discord import probe
from .watcher import check_router


async def check(config: Config) -> bool:
    """Try each router and webhook once; print one JSON line per target."""
    results = await asyncio.gather(*(check_router(r) for r in config.routers))
    ok = True
    for router, (good, detail) in zip(config.routers, results):
        ok &= good
        print(json.dumps({"router": router.name, "ok": good, "detail": detail}))
    async with aiohttp.ClientSession() as session:
        for webhook in config.webhooks:
            good, detail = await probe(session, webhook.url)
            ok &= good
            print(json.dumps({"webhook": webhook.name, "ok": good, "detail": detail}))
    return ok


async def serve(config: Config) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await Bot(config).run(stop)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ispkit-monitor", description=__doc__)
    parser.add_argument("--config", default="/etc/ispkit-monitor/config.yml", help="YAML configuration file")
    parser.add_argument("--check", action="store_true", help="validate the configuration, try each router and webhook once")
    parser.add_argument("--log-level", default="info", choices=("debug", "info", "warning", "error"))
    parser.add_argument("--version", action="version", version=__version__)
    args = parser.parse_args(argv)
    logs.setup(args.log_level)
    try:
        config = load(args.config)
    except ConfigError as exc:
        print(f"ispkit-monitor: {args.config}: {exc}", file=sys.stderr)
        return 2
    if args.check:
        return 0 if asyncio.run(check(config)) else 1
    asyncio.run(serve(config))
    return 0
