"""Change a router behind Ansible's back, through the RouterOS API (librouteros), as a person at
the console would: remove an entry, or set some of its properties.

  change_router.py --host 127.0.0.1 --port 8728 --user admin  < changes.json

The password comes from $ROUTER_PASSWORD (kept off the command line). stdin holds a JSON list of
changes, each {"menu": "/ip/route", "query": ["?gateway=10.1.1.2", "?distance=2"], and either
"remove": true or "set": {"distance": "5"}}; "query" is RouterOS API query words, which must
select exactly one entry. Prints one JSON object: {"ok": ..., "changed": [{"menu", "id", "before",
"action"}], "error": "..."}; exit 0 when every change was made.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

import librouteros
from librouteros.exceptions import LibRouterosError


def as_text(value: Any) -> str:
    """A value as RouterOS prints it (librouteros turns yes/true/no/false and digits into Python)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def only_entry(api: Any, menu: str, query: list[str]) -> dict[str, str]:
    """The one entry of `menu` that `query` selects; ValueError when there are none or several."""
    found = list(api.rawCmd(menu.rstrip("/") + "/print", *query))
    if len(found) != 1:
        raise ValueError(f"{menu} {' '.join(query)} selects {len(found)} entries, not one")
    return {key: as_text(value) for key, value in found[0].items()}


def apply(api: Any, change: dict[str, Any]) -> dict[str, Any]:
    """Make one change and say what it was."""
    menu = change["menu"]
    entry = only_entry(api, menu, change.get("query", []))
    path = api.path(*menu.strip("/").split("/"))
    if change.get("remove"):
        path.remove(entry[".id"])
        action: Any = "remove"
    else:
        path.update(**{".id": entry[".id"], **change["set"]})
        action = {"set": change["set"]}
    return {"menu": menu, "id": entry[".id"], "before": entry, "action": action}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--user", default="admin")
    args = parser.parse_args()
    changes = json.load(sys.stdin)
    done: list[dict[str, Any]] = []
    try:
        api = librouteros.connect(args.host, args.user, os.environ["ROUTER_PASSWORD"], port=args.port)
        try:
            for change in changes:
                done.append(apply(api, change))
        finally:
            api.close()
    except (KeyError, ValueError, OSError, LibRouterosError) as exc:
        print(json.dumps({"ok": False, "changed": done, "error": f"{type(exc).__name__}: {exc}"}))
        return 1
    print(json.dumps({"ok": True, "changed": done}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
