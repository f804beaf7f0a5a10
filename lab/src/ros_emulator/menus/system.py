"""/system, /user, /log."""
from __future__ import annotations

import time

from ..schema import LIST, RUNTIME, SINGLE, Field, Menu
from ..values import Bool, Enum, Int, Name, Text, format_duration_ms


def _resource(router, entry):
    v6 = router.dialect == "v6"
    suffix = " (long-term)" if v6 else " (stable)"
    return {
        "uptime": format_duration_ms(int(time.time() - router.started) * 1000),
        "version": router.version if " " in router.version else router.version + suffix,
        "build-time": "Jan/02/2024 12:00:00" if v6 else "2024-01-02 12:00:00",
        "free-memory": str(200 * 1024 * 1024),
        "total-memory": str(256 * 1024 * 1024),
        "cpu": "QEMU Virtual CPU",
        "cpu-count": "1",
        "cpu-frequency": "2400",
        "cpu-load": "0",
        "free-hdd-space": str(80 * 1024 * 1024),
        "total-hdd-space": str(128 * 1024 * 1024),
        "architecture-name": "x86_64" if not v6 else "x86",
        "board-name": "CHR",
        "platform": "MikroTik",
    }


MENUS = [
    Menu("/system/identity", [Field("name", Name(), default="MikroTik")], kind=SINGLE, builtins=[{}]),
    Menu(
        "/system/resource",
        [Field(n, readonly=True) for n in (
            "uptime", "version", "build-time", "free-memory", "total-memory", "cpu", "cpu-count",
            "cpu-frequency", "cpu-load", "free-hdd-space", "total-hdd-space", "architecture-name",
            "board-name", "platform")],
        kind=SINGLE,
        builtins=[{}],
        compute=_resource,
    ),
    Menu(
        "/user",
        [
            Field("name", Name(), required=True),
            Field("group", Enum(("full", "write", "read")), required=True),
            Field("password", Text(), secret=True, default=""),
            Field("address", Text(), default=""),
            Field("last-logged-in", readonly=True),
            Field("disabled", Bool(), default="false"),
            Field("comment", Text()),
        ],
        name_field="name",
        unique=[(("name",), "user with the same name already exists")],
    ),
    Menu(
        "/log",
        [Field("time", readonly=True), Field("topics", readonly=True), Field("message", readonly=True)],
        kind=RUNTIME,
        removable=False,
    ),
]
