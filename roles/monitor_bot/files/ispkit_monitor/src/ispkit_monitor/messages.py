"""Events as Discord embeds, in English or Indonesian, within Discord's size limits."""
from __future__ import annotations

from .events import format_duration

COLOURS = {"critical": 0xE74C3C, "warning": 0xE67E22, "info": 0x3498DB}
UP_COLOUR = 0x2ECC71
DOWN_COLOUR = 0x95A5A6

TEXT = {
    "en": {
        ("pppoe", "up"): "PPPoE login: {user}",
        ("pppoe", "down"): "PPPoE logout: {user}",
        ("ppp", "up"): "PPP ({service}) login: {user}",
        ("ppp", "down"): "PPP ({service}) logout: {user}",
        ("hotspot", "up"): "Hotspot login: {user}",
        ("hotspot", "down"): "Hotspot logout: {user}",
        ("failover", "down"): "Uplink down: {what}",
        ("failover", "up"): "Uplink restored: {what}",
        ("ospf", "up"): "OSPF neighbour up: {neighbor}",
        ("ospf", "down"): "OSPF neighbour down: {neighbor}",
        ("router", "down"): "Router unreachable: {router}",
        ("router", "up"): "Router reachable again: {router}",
        ("summary", "up"): "Monitoring {router}",
        "route": "default route via {gateway}",
        "netwatch": "netwatch {host}",
        "flaps": "Changed {flaps} times in {window}; now {state}",
        "away": "Changed while the bot was disconnected",
        "states": {"up": "up", "down": "down"},
        "fields": {"user": "User", "router": "Router", "address": "Address", "caller_id": "Caller ID",
                   "mac_address": "MAC address", "server": "Server", "uptime": "Uptime", "duration": "Duration",
                   "gateway": "Gateway", "routing_table": "Routing table", "distance": "Distance",
                   "host": "Host", "interface": "Interface", "down_for": "Down for", "comment": "Comment",
                   "counts": "Now"},
        "counts": {"ppp": "PPP sessions", "hotspot": "Hotspot users", "routes": "default routes",
                   "routes_active": "active default routes", "netwatch": "netwatch hosts", "ospf": "OSPF neighbours"},
    },
    "id": {
        ("pppoe", "up"): "PPPoE masuk: {user}",
        ("pppoe", "down"): "PPPoE keluar: {user}",
        ("ppp", "up"): "PPP ({service}) masuk: {user}",
        ("ppp", "down"): "PPP ({service}) keluar: {user}",
        ("hotspot", "up"): "Hotspot masuk: {user}",
        ("hotspot", "down"): "Hotspot keluar: {user}",
        ("failover", "down"): "Jalur ISP putus: {what}",
        ("failover", "up"): "Jalur ISP pulih: {what}",
        ("ospf", "up"): "Tetangga OSPF naik: {neighbor}",
        ("ospf", "down"): "Tetangga OSPF turun: {neighbor}",
        ("router", "down"): "Router tidak terjangkau: {router}",
        ("router", "up"): "Router terjangkau kembali: {router}",
        ("summary", "up"): "Memantau {router}",
        "route": "rute default lewat {gateway}",
        "netwatch": "netwatch {host}",
        "flaps": "Berubah {flaps} kali dalam {window}; sekarang {state}",
        "away": "Berubah saat bot terputus",
        "states": {"up": "naik", "down": "turun"},
        "fields": {"user": "Pengguna", "router": "Router", "address": "Alamat", "caller_id": "Caller ID",
                   "mac_address": "Alamat MAC", "server": "Server", "uptime": "Uptime", "duration": "Durasi",
                   "gateway": "Gateway", "routing_table": "Tabel routing", "distance": "Distance",
                   "host": "Host", "interface": "Interface", "down_for": "Terputus selama", "comment": "Komentar",
                   "counts": "Saat ini"},
        "counts": {"ppp": "sesi PPP", "hotspot": "pengguna Hotspot", "routes": "rute default",
                   "routes_active": "rute default aktif", "netwatch": "host netwatch", "ospf": "tetangga OSPF"},
    },
}
LANGUAGES = tuple(TEXT)
FIELD_ORDER = ("user", "router", "address", "caller_id", "mac_address", "server", "uptime", "duration", "down_for",
               "gateway", "routing_table", "distance", "host", "interface", "comment")
DURATION_FIELDS = ("duration", "down_for")


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def colour(event: dict) -> int:
    if event["type"] in ("pppoe", "ppp", "hotspot"):
        return UP_COLOUR if event["state"] == "up" else DOWN_COLOUR
    if event["state"] == "up" and event["type"] != "summary":
        return UP_COLOUR
    return COLOURS.get(event.get("severity", "info"), COLOURS["info"])


def title(event: dict, language: str = "en") -> str:
    text = TEXT[language]
    values = _Blank(event)
    if event["type"] == "failover":
        values["what"] = text[event.get("source", "route")].format_map(values)
    template = text.get((event["type"], event["state"]), "{type} {state}")
    return template.format_map(values)


def embed(event: dict, language: str = "en") -> dict:
    """One embed; every string within Discord's limits (title 256, field name 256, value 1024)."""
    text = TEXT[language]
    fields = []
    for name in FIELD_ORDER:
        value = event.get(name)
        if value is None or value == "" or (name == "user" and event["type"] not in ("pppoe", "ppp", "hotspot")):
            continue
        if name in DURATION_FIELDS:
            value = format_duration(float(value))
        fields.append({"name": text["fields"][name], "value": _cut(str(value), 1024), "inline": True})
    if "counts" in event:
        counts = ", ".join(f"{n} {text['counts'].get(k, k)}" for k, n in event["counts"].items())
        fields.append({"name": text["fields"]["counts"], "value": _cut(counts, 1024), "inline": False})
    lines = []
    if event.get("flaps"):
        lines.append(text["flaps"].format(flaps=event["flaps"], window=format_duration(event.get("window")),
                                          state=text["states"].get(event["state"], event["state"])))
    if event.get("while_away"):
        lines.append(text["away"])
    out = {"title": _cut(title(event, language), 256), "color": colour(event), "fields": fields[:25],
           "timestamp": event["time"], "footer": {"text": _cut(event["id"], 2048)}}
    if lines:
        out["description"] = _cut("\n".join(lines), 4096)
    return out


def embed_size(item: dict) -> int:
    """Characters Discord counts toward the 6000 of a message."""
    return (len(item.get("title", "")) + len(item.get("description", "")) + len(item.get("footer", {}).get("text", ""))
            + sum(len(f["name"]) + len(f["value"]) for f in item.get("fields", ())))


def batch(events: list[dict], language: str = "en", max_embeds: int = 10, max_chars: int = 6000) -> tuple[list[dict], list[dict]]:
    """The longest head of `events` that fits one message: (events taken, their embeds)."""
    taken, embeds, size = [], [], 0
    for event in events[:max_embeds]:
        item = embed(event, language)
        if embeds and size + embed_size(item) > max_chars:
            break
        taken.append(event)
        embeds.append(item)
        size += embed_size(item)
    return taken, embeds
