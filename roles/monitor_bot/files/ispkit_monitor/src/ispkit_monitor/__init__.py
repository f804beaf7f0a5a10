"""ispkit-monitor: RouterOS events pushed by `listen`, delivered to Discord webhooks exactly once."""
from __future__ import annotations

__version__ = "0.1.0"
