"""The configuration file (YAML) and the secrets it names.

Secrets are never in the file nor on the command line: `password_file` and `url_file` name
files; a relative name is looked up in `$CREDENTIALS_DIRECTORY` (systemd's LoadCredential=).

    language: en                 # en or id
    state_dir: /var/lib/ispkit-monitor
    flap_window: 60              # seconds; 0 turns folding off
    queue_max_events: 10000
    unreachable_after: 10        # seconds of failed reconnects before "router unreachable"
    summary_on_start: true
    metrics: 127.0.0.1:9108      # optional
    routers:
      - name: RTR-1
        host: 10.1.1.1
        port: 8728               # default 8728, or 8729 with tls
        username: monitor
        password_file: rtr1-password
        tls: false
        ca_file: /etc/ssl/rtr-ca.pem   # with tls; verification is on unless verify: false
        watch: [ppp, hotspot, routes, netwatch, ospf]
    webhooks:
      - name: noc
        url_file: discord-noc
        username: ISP monitor
    rules:                       # first match with stop: true ends the search; no rules: every webhook
      - when: "type == 'failover' && router == 'RTR-1'"
        webhook: noc
"""
from __future__ import annotations

import os
import ssl
from dataclasses import dataclass, field

import jmespath
import jmespath.exceptions
import yaml

from .events import WATCHES
from .messages import LANGUAGES


class ConfigError(Exception):
    pass


@dataclass
class RouterConfig:
    name: str
    host: str
    port: int
    username: str
    password: str = field(repr=False)
    tls: bool = False
    ca_file: str | None = None
    verify: bool = True
    watch: list[str] = field(default_factory=lambda: list(WATCHES))
    timeout: float = 10.0

    def ssl_context(self) -> ssl.SSLContext | None:
        if not self.tls:
            return None
        context = ssl.create_default_context(cafile=self.ca_file)
        if not self.verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context


@dataclass
class WebhookConfig:
    name: str
    url: str = field(repr=False)
    username: str | None = None


@dataclass
class Rule:
    when: str
    webhooks: list[str]
    stop: bool = False
    expression: object = field(default=None, repr=False, compare=False)

    def matches(self, event: dict) -> bool:
        return bool(self.expression.search(event))


@dataclass
class Config:
    routers: list[RouterConfig]
    webhooks: list[WebhookConfig]
    rules: list[Rule]
    language: str = "en"
    state_dir: str = "/var/lib/ispkit-monitor"
    flap_window: float = 60.0
    queue_max_events: int = 10000
    unreachable_after: float = 10.0
    reconnect_min: float = 1.0
    reconnect_max: float = 60.0
    summary_on_start: bool = True
    metrics: tuple[str, int] | None = None
    fsync: bool = True
    webhook_backoff_max: float = 60.0

    def route(self, event: dict) -> list[str]:
        """The webhooks an event goes to."""
        if not self.rules:
            return [w.name for w in self.webhooks]
        out: list[str] = []
        for rule in self.rules:
            if rule.matches(event):
                out += [w for w in rule.webhooks if w not in out]
                if rule.stop:
                    break
        return out


def read_secret(name: str, what: str) -> str:
    path = name
    if not os.path.isabs(name):
        directory = os.environ.get("CREDENTIALS_DIRECTORY")
        if not directory:
            raise ConfigError(f"{what}: {name!r} is a relative name but $CREDENTIALS_DIRECTORY is not set")
        path = os.path.join(directory, name)
    try:
        with open(path, encoding="utf-8") as secret:
            value = secret.read().strip()
    except OSError as exc:
        raise ConfigError(f"{what}: cannot read {path}: {exc.strerror}") from None
    if not value:
        raise ConfigError(f"{what}: {path} is empty")
    return value


def _number(data: dict, key: str, default: float, where: str, minimum: float = 0) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
        raise ConfigError(f"{where}{key}: must be a number >= {minimum:g}, got {value!r}")
    return float(value)


def _text(data: dict, key: str, where: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{where}{key}: required text" if value is None else f"{where}{key}: must be text, got {value!r}")
    return value


def _known_keys(data: dict, allowed: set[str], where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ConfigError(f"{where}unknown option(s) {', '.join(unknown)}; known: {', '.join(sorted(allowed))}")


def _router(data: object, index: int) -> RouterConfig:
    where = f"routers[{index}]."
    if not isinstance(data, dict):
        raise ConfigError(f"routers[{index}]: must be a mapping")
    _known_keys(data, {"name", "host", "port", "username", "password_file", "tls", "ca_file", "verify", "watch",
                       "timeout"}, where)
    name = _text(data, "name", where)
    where = f"routers[{name}]."
    tls = bool(data.get("tls", False))
    watch = data.get("watch", list(WATCHES))
    if not isinstance(watch, list) or not all(w in WATCHES for w in watch):
        raise ConfigError(f"{where}watch: a list of {', '.join(WATCHES)}, got {watch!r}")
    port = int(_number(data, "port", 8729 if tls else 8728, where, 1))
    return RouterConfig(
        name=name, host=_text(data, "host", where), port=port, username=_text(data, "username", where, "admin"),
        password=read_secret(_text(data, "password_file", where), f"{where}password_file"),
        tls=tls, ca_file=data.get("ca_file"), verify=bool(data.get("verify", True)), watch=list(watch),
        timeout=_number(data, "timeout", 10, where, 0.1))


def _webhook(data: object, index: int) -> WebhookConfig:
    where = f"webhooks[{index}]."
    if not isinstance(data, dict):
        raise ConfigError(f"webhooks[{index}]: must be a mapping")
    _known_keys(data, {"name", "url_file", "username"}, where)
    name = _text(data, "name", where)
    url = read_secret(_text(data, "url_file", f"webhooks[{name}]."), f"webhooks[{name}].url_file")
    if not url.startswith(("https://", "http://")):
        raise ConfigError(f"webhooks[{name}].url_file: the file does not hold an http(s) URL")
    return WebhookConfig(name=name, url=url, username=data.get("username"))


def _rule(data: object, index: int, webhooks: set[str]) -> Rule:
    where = f"rules[{index}]."
    if not isinstance(data, dict):
        raise ConfigError(f"rules[{index}]: must be a mapping")
    _known_keys(data, {"when", "webhook", "stop"}, where)
    when = _text(data, "when", where)
    try:
        expression = jmespath.compile(when)
    except jmespath.exceptions.JMESPathError as exc:
        raise ConfigError(f"{where}when: not a JMESPath expression: {exc}") from None
    targets = data.get("webhook")
    targets = [targets] if isinstance(targets, str) else targets
    if not isinstance(targets, list) or not targets or any(t not in webhooks for t in targets):
        raise ConfigError(f"{where}webhook: one or a list of {', '.join(sorted(webhooks))}, got {data.get('webhook')!r}")
    return Rule(when=when, webhooks=targets, stop=bool(data.get("stop", False)), expression=expression)


def parse(data: object) -> Config:
    if not isinstance(data, dict):
        raise ConfigError("the configuration must be a mapping")
    _known_keys(data, {"routers", "webhooks", "rules", "language", "state_dir", "flap_window", "queue_max_events",
                       "unreachable_after", "reconnect_min", "reconnect_max", "summary_on_start", "metrics", "fsync",
                       "webhook_backoff_max"}, "")
    routers = [_router(r, i) for i, r in enumerate(data.get("routers") or [])]
    webhooks = [_webhook(w, i) for i, w in enumerate(data.get("webhooks") or [])]
    if not routers:
        raise ConfigError("routers: at least one router is needed")
    if not webhooks:
        raise ConfigError("webhooks: at least one webhook is needed")
    for kind, names in (("routers", [r.name for r in routers]), ("webhooks", [w.name for w in webhooks])):
        if len(set(names)) != len(names):
            raise ConfigError(f"{kind}: names must be unique")
    rules = [_rule(r, i, {w.name for w in webhooks}) for i, r in enumerate(data.get("rules") or [])]
    language = data.get("language", "en")
    if language not in LANGUAGES:
        raise ConfigError(f"language: one of {', '.join(LANGUAGES)}, got {language!r}")
    metrics = None
    if data.get("metrics"):
        host, port = str(data["metrics"]).rpartition(":")[::2]
        if not host or not port.isdigit():
            raise ConfigError(f"metrics: HOST:PORT, got {data['metrics']!r}")
        metrics = (host, int(port))
    return Config(
        routers=routers, webhooks=webhooks, rules=rules, language=language,
        state_dir=_text(data, "state_dir", "", "/var/lib/ispkit-monitor"),
        flap_window=_number(data, "flap_window", 60, ""),
        queue_max_events=int(_number(data, "queue_max_events", 10000, "", 1)),
        unreachable_after=_number(data, "unreachable_after", 10, ""),
        reconnect_min=_number(data, "reconnect_min", 1, "", 0.01),
        reconnect_max=_number(data, "reconnect_max", 60, "", 0.01),
        summary_on_start=bool(data.get("summary_on_start", True)), metrics=metrics,
        fsync=bool(data.get("fsync", True)),
        webhook_backoff_max=_number(data, "webhook_backoff_max", 60, "", 0.01))


def load(path: str) -> Config:
    try:
        with open(path, encoding="utf-8") as source:
            data = yaml.safe_load(source)
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    return parse(data)
