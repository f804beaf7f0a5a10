"""RouterOS menus, one module per area, written from RouterOS's documentation.

Each module exposes MENUS: a list of schema.Menu. `all_menus()` gathers them; the router
keeps those whose dialects include its own.
"""
from __future__ import annotations

import importlib

from ..schema import Menu

AREAS = ("system", "interface", "ip", "ppp", "hotspot", "radius", "routing", "firewall", "tools")


def all_menus() -> list[Menu]:
    menus: list[Menu] = []
    for area in AREAS:
        try:
            module = importlib.import_module(f"{__name__}.{area}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{area}":
                raise
            continue
        menus.extend(module.MENUS)
    return menus
