# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How a resource is declared: its menu per dialect, identity, fields and relations.

A declaration is data. The sync engine (_sync) and the module runner (_runner) read it; they
know nothing about any one resource beyond what is written here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Dict, FrozenSet, List, Mapping, Optional, Tuple, Union

from ._values import KINDS, canonical

DIALECTS = ("6", "7")
BOTH = frozenset(DIALECTS)
V6_ONLY = frozenset(("6",))
V7_ONLY = frozenset(("7",))

PerDialect = Union[Any, Mapping[str, Any]]


def per_dialect(value: PerDialect, dialect: str) -> Any:
    """A declaration value that may differ by dialect: a plain value or {'6': ..., '7': ...}."""
    if isinstance(value, dict):  # declarations write dicts; a typing.Mapping check costs 10x
        return value.get(dialect)
    return value


@dataclass(frozen=True)
class Field:
    """One option of a resource entry and the RouterOS field it maps to."""

    option: str  # module option name, e.g. routing_table
    kind: str = "str"  # a key of _values.KINDS: validation, comparison, API text
    api: PerDialect = None  # RouterOS name (per dialect); default: option with - for _
    default: PerDialect = None  # what RouterOS prints when unset; None: not printed
    choices: PerDialect = None  # allowed words (per dialect)
    dialects: FrozenSet[str] = BOTH  # RouterOS versions that have the field
    minimum: Optional[int] = None
    maximum: Optional[int] = None
    max_items: PerDialect = None  # a list option's most items (per dialect), e.g. {'6': 1}
    required: bool = False  # needed to create an entry
    secret: bool = False  # no_log, masked in before/after/commands
    interface: bool = False  # names an interface, checked against the router's interfaces
    flag: bool = False  # a RouterOS flag argument (`fib`): written without a value
    reset: bool = True  # replaced resets it to its default when not given (False: default depends on others)
    module_default: Any = None  # the module's default when it differs from RouterOS's (a server that runs)
    # a default that depends on another option: (option, {its value: this field's default}),
    # e.g. mangle's passthrough, printed `yes` after marking actions and not at all after others
    default_by: Optional[Tuple[str, Mapping[str, Any]]] = None
    # a list option RouterOS spells as one field per word on some dialect (6.x OSPF
    # `redistribute-connected=as-type-1`): {'6': ('redistribute-%s', 'as-type-1', 'no')}
    spread: PerDialect = None

    def api_name(self, dialect: str) -> str:
        return per_dialect(self.api, dialect) or self.option.replace("_", "-")

    def spread_for(self, dialect: str) -> Optional[Tuple[str, str, str]]:
        return per_dialect(self.spread, dialect)

    def api_names(self, dialect: str) -> Tuple[str, ...]:
        """The RouterOS fields the option is read from: one, or one per word when spread."""
        spread = self.spread_for(dialect)
        if spread:
            return tuple(spread[0] % word for word in self.choices_for(dialect) or ())
        return (self.api_name(dialect),)

    def default_for(self, dialect: str) -> Any:
        return per_dialect(self.default, dialect)

    def choices_for(self, dialect: Optional[str]) -> Optional[Tuple[str, ...]]:
        if isinstance(self.choices, dict):
            if dialect is None:  # every word any dialect accepts
                return tuple(sorted({word for words in self.choices.values() for word in words}))
            return tuple(self.choices.get(dialect) or ())
        return tuple(self.choices) if self.choices else None


@dataclass(frozen=True)
class Child:
    """Entries of another menu written inside their parent's entry (a bridge's ports)."""

    option: str  # the parent option holding the list, e.g. ports
    resource: "Resource"
    parent_field: str  # the child's option naming its parent, e.g. bridge
    parent_option: str = "name"  # the parent's option it names


@dataclass(frozen=True)
class Ensure:
    """Entries another menu must hold for the values of an option (7.x routing tables)."""

    option: str  # e.g. routing_table
    resource: "Resource"
    target: str  # the ensured entry's option that takes the value, e.g. name
    values: Mapping[str, Any] = field(default_factory=dict)  # more values for a new entry
    skip: Tuple[str, ...] = ()  # values that need nothing (built-in `main`)
    dialects: FrozenSet[str] = BOTH


Check = Callable[[List[Dict[str, Any]]], List[str]]


@dataclass(frozen=True)
class Resource:
    """A RouterOS menu as the modules see it."""

    name: str  # short name used in messages, e.g. address
    path: PerDialect  # API path, e.g. /ip/address (per dialect)
    fields: Tuple[Field, ...]
    identity: Tuple[str, ...] = ()  # options that identify an entry; () for single-value menus
    single: bool = False  # one entry without id (/system/identity)
    fixed: bool = False  # entries are the builtins, set only: never added or removed (/ip/service)
    ordered: bool = False  # position matters (firewall rules)
    builtins: PerDialect = ()  # identity values of entries RouterOS owns (per dialect)
    children: Tuple[Child, ...] = ()
    ensures: Tuple[Ensure, ...] = ()
    checks: Tuple[Check, ...] = ()  # task-wide checks: entries -> error texts
    dialects: FrozenSet[str] = BOTH
    makes_interfaces: bool = False  # entries are interfaces other entries may name

    def path_for(self, dialect: str) -> str:
        return per_dialect(self.path, dialect)

    # Lookups below are cached on the (immutable) declaration: the engine asks them per entry,
    # tens of thousands of times in a large task.
    @cached_property
    def _fields_by_option(self) -> Dict[str, Field]:
        return {item.option: item for item in self.fields}

    @cached_property
    def _per_dialect(self) -> Dict[Any, Any]:
        return {}

    def cached(self, what: str, dialect: Any, make: Callable[[], Any]) -> Any:
        """make(), computed once per declaration, name and dialect (or any hashable variant)."""
        cache = self._per_dialect
        if (what, dialect) not in cache:
            cache[what, dialect] = make()
        return cache[what, dialect]

    def field(self, option: str) -> Field:
        return self._fields_by_option[option]

    def fields_for(self, dialect: str) -> Tuple[Field, ...]:
        return self.cached("fields", dialect, lambda: tuple(item for item in self.fields if dialect in item.dialects))

    def _identity_for(self, dialect: Optional[str]) -> Tuple[Tuple[str, str, Any], ...]:
        """(option, kind, value when not given) of each identity option."""
        return self.cached("identity", dialect, lambda: tuple(
            (option, self.field(option).kind, self.field(option).default_for(dialect) if dialect else None)
            for option in self.identity))

    def key(self, entry: Mapping[str, Any], dialect: Optional[str] = None) -> Tuple[Any, ...]:
        """The canonical identity of an entry; an identity option not given is its default."""
        keys = []
        for option, kind, default in self._identity_for(dialect):
            given = entry.get(option)
            value = canonical(kind, default if given is None else given)
            keys.append("" if value is None else value)
        return tuple(keys)


@dataclass(frozen=True)
class Section:
    """One menu of a bundle, under its own key of the module's config."""

    option: str  # e.g. servers
    resource: Resource


@dataclass(frozen=True)
class Bundle:
    """Several menus one module manages (a hotspot's profiles and servers), each under its own
    config key; applied in section order (what others name comes first), removed in reverse."""

    name: str
    sections: Tuple[Section, ...]
    dialects: FrozenSet[str] = BOTH

    def section(self, option: str) -> Section:
        for item in self.sections:
            if item.option == option:
                return item
        raise KeyError(option)


COMMENT = Field("comment")
DISABLED = Field("disabled", "bool", default=False)
STATES = ("merged", "replaced", "overridden", "deleted", "gathered", "rendered")
SINGLE_STATES = ("merged", "replaced", "gathered", "rendered")


def _option_spec(item: Field, required: bool) -> Dict[str, Any]:
    kind = KINDS[item.kind]
    spec: Dict[str, Any] = {"type": kind.ansible_type}
    if kind.ansible_type == "list":
        spec["elements"] = "str"
    choices = item.choices_for(None)
    if choices:
        spec["choices"] = list(choices)
    if item.secret:
        spec["no_log"] = True
    if item.module_default is not None:
        spec["default"] = item.module_default
    if required:
        spec["required"] = True
    return spec


def entry_options_spec(resource: Resource, omit: Tuple[str, ...] = ()) -> Dict[str, Any]:
    """Suboptions of one config entry: every field, identity required, children nested."""
    options = {
        item.option: _option_spec(item, item.option in resource.identity and item.default is None)
        for item in resource.fields if item.option not in omit
    }
    for child in resource.children:
        options[child.option] = {
            "type": "list",
            "elements": "dict",
            "options": entry_options_spec(child.resource, omit=(child.parent_field,)),
        }
    return options


def resource_argument_spec(resource: Resource) -> Dict[str, Any]:
    """`config`, `state`, `scope` and `ros_version`; connection options come from _api."""
    config: Dict[str, Any] = {"options": entry_options_spec(resource)}
    if resource.single:
        config["type"] = "dict"
    else:
        config.update(type="list", elements="dict")
    spec: Dict[str, Any] = {
        "config": config,
        "state": {"type": "str", "default": "merged",
                  "choices": list(SINGLE_STATES if resource.single else STATES)},
        "ros_version": {"type": "str", "default": "7", "choices": list(DIALECTS)},
    }
    if resource.fixed:
        spec["state"]["choices"] = list(SINGLE_STATES)
    if not resource.single and not resource.fixed:
        spec["scope"] = {"type": "dict"}
    return spec


def bundle_argument_spec(bundle: Bundle) -> Dict[str, Any]:
    """`config` with one key per section, `scope` per section, `state`, `ros_version`."""
    options: Dict[str, Any] = {}
    for section in bundle.sections:
        entry = {"options": entry_options_spec(section.resource)}
        entry.update({"type": "dict"} if section.resource.single else {"type": "list", "elements": "dict"})
        options[section.option] = entry
    lists = [section.option for section in bundle.sections if not section.resource.single]
    return {
        "config": {"type": "dict", "options": options},
        "state": {"type": "str", "default": "merged", "choices": list(STATES)},
        "ros_version": {"type": "str", "default": "7", "choices": list(DIALECTS)},
        "scope": {"type": "dict", "options": {option: {"type": "dict"} for option in lists}},
    }
