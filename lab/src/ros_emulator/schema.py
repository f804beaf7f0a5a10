"""How a menu is declared: its fields, its kind, its built-in entries and its rules.

Menu tables (ros_emulator.menus.*) are written from RouterOS's documentation with these
classes. They never import the collection's declarations: each side must catch the other's
mistakes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from .values import Text, ValueType

if TYPE_CHECKING:  # pragma: no cover
    from .router import Entry, Router

V6 = "v6"
V7 = "v7"
BOTH = frozenset({V6, V7})

LIST = "list"  # entries with ids; add/set/remove
SINGLE = "single"  # one item without id: print and set (/system/identity, /ppp/aaa ...)
FIXED = "fixed"  # entries the router owns: print and set only (/ip/service, /interface/ethernet)
RUNTIME = "runtime"  # made by the network, not by configuration: print and remove (/ppp/active)
VIEW = "view"  # lists the entries of other menus (/interface lists every interface kind)


@dataclass(frozen=True)
class Field:
    name: str
    type: ValueType = Text()
    default: str | None = None  # printed value when not set; None: not printed until set
    required: bool = False
    readonly: bool = False  # computed or runtime state; refused by add/set
    dialects: frozenset[str] = BOTH
    detail: bool = False  # printed only with `detail` (or when asked in .proplist)
    secret: bool = False  # never printed (e.g. /user password)
    create_only: bool = False  # settable by add, refused by set
    unsettable: bool = True  # `unset` may clear it


@dataclass
class Menu:
    path: str
    fields: list[Field]
    kind: str = LIST
    dialects: frozenset[str] = BOTH
    ordered: bool = False  # firewall-like: position matters, add takes place-before, move works
    name_field: str | None = None  # lets set/remove address an entry by this field
    auto_name: str | None = None  # add without a name picks `<auto_name><n>` (bridge1, pool1 ...)
    # (fields, message): no two entries may share these values
    unique: list[tuple[tuple[str, ...], str]] = field(default_factory=list)
    builtins: list[dict[str, str]] = field(default_factory=list)  # {'.id': '*0', field: value}
    interface_type: str | None = None  # listed in /interface with this type
    can_disable: bool = True
    removable: bool = True  # False: `remove` is not a command here (/log, /ip/pool/used)
    # cross-field checks: fn(router, values, old_values_or_None) raises Trap
    validate: Callable[["Router", dict[str, str], "dict[str, str] | None"], None] | None = None
    # derived state after a change: fn(router, entry, op) with op in add/set/remove
    on_change: Callable[["Router", "Entry", str], None] | None = None
    # computed read-only fields at print time: fn(router, entry) -> dict
    compute: Callable[["Router", "Entry"], dict[str, str]] | None = None

    def fields_for(self, dialect: str) -> dict[str, Field]:
        return {f.name: f for f in self.fields if dialect in f.dialects}
