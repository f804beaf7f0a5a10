"""One emulated router: its menus and entries, and every API command that reads or changes them.

A command either completes or raises a Trap before changing anything: every write computes
its new values first, checks them, and only then stores them. All access is serialised by one
lock, so tests may read and change a router from another thread while clients are connected.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable

from . import errors
from .errors import Trap
from .menus import all_menus
from .query import compile_query
from .schema import FIXED, LIST, RUNTIME, SINGLE, V6, V7, VIEW, Field, Menu
from .values import Invalid, NoMatch, OutOfRange, Ref


def format_id(number: int) -> str:
    return f"*{number:X}"


def parse_id(text: str) -> int | None:
    if text.startswith("*"):
        try:
            return int(text[1:], 16)
        except ValueError:
            return None
    return None


def dialect_of(version: str) -> str:
    return V6 if version.split(".", 1)[0] == "6" else V7


def version_tuple(version: str) -> tuple[int, ...]:
    numbers = version.split(" ", 1)[0].split(".")
    return tuple(int(n) for n in numbers if n.isdigit())


@dataclass
class Entry:
    id: int
    values: dict[str, str]
    dynamic: bool = False
    builtin: bool = False


@dataclass
class User:
    name: str
    group: str = "full"

    @property
    def can_write(self) -> bool:
        return self.group in ("full", "write")


@dataclass
class JournalRecord:
    seq: int
    time: float
    source: str  # "api" (a client's command) or "runtime" (the Python API, e.g. a PPPoE session)
    user: str
    command: str
    attrs: dict[str, str]
    result: str  # "ok" or the trap message


Listener = Callable[[dict[str, str]], None]


class MenuState:
    def __init__(self, menu: Menu, dialect: str):
        self.menu = menu
        self.fields: dict[str, Field] = menu.fields_for(dialect)
        self.entries: dict[int, Entry] = {}
        self.listeners: list[Listener] = []
        # (fields) -> {values tuple: ids of the entries holding them}, kept in step with entries
        self.indexes: dict[tuple[str, ...], dict[tuple[str, ...], list[int]]] = {
            fields: {} for fields, _ in menu.unique
        }
        if menu.name_field:
            self.indexes.setdefault((menu.name_field,), {})

    def index_add(self, entry: Entry) -> None:
        for fields, index in self.indexes.items():
            key = tuple(entry.values.get(f, "") for f in fields)
            if all(key):
                index.setdefault(key, []).append(entry.id)

    def index_remove(self, entry: Entry) -> None:
        for fields, index in self.indexes.items():
            key = tuple(entry.values.get(f, "") for f in fields)
            ids = index.get(key)
            if ids and entry.id in ids:
                ids.remove(entry.id)
                if not ids:
                    del index[key]

    def find_all_by(self, fields: tuple[str, ...], key: tuple[str, ...]) -> list[Entry]:
        if fields in self.indexes:
            return [self.entries[i] for i in self.indexes[fields].get(key, ()) if i in self.entries]
        return [e for e in self.entries.values() if tuple(e.values.get(f, "") for f in fields) == key]

    def find_by(self, fields: tuple[str, ...], key: tuple[str, ...]) -> Entry | None:
        found = self.find_all_by(fields, key)
        return found[0] if found else None


class Router:
    def __init__(
        self,
        identity: str = "MikroTik",
        version: str = "7.16.2",
        users: Iterable[tuple[str, str, str]] = (("admin", "", "full"),),
        ether_count: int = 8,
        login_method: str = "auto",
        state_file: str | None = None,
    ):
        self.version = version
        self.dialect = dialect_of(version)
        self.version_numbers = version_tuple(version)
        if login_method == "auto":
            login_method = "challenge" if self.version_numbers < (6, 43) else "plain"
        self.login_method = login_method
        self.lock = threading.RLock()
        self.started = time.time()
        self.next_id = 1
        self.journal: list[JournalRecord] = []
        self.state_file = state_file
        self.dirty = False
        self.unreachable_gateways: set[str] = set()
        # set by a lab (network.py): ports without carrier (default names), whether an address
        # answers pings from this router, and what follows a write on a menu (its path)
        self.no_carrier: set[str] = set()
        self.pinger: Callable[[str], bool] | None = None
        self.after_write: Callable[[str], None] | None = None
        # dynamic entries that exist because of another entry (an address's connected route)
        self.derived: dict[tuple[str, int], list[tuple[str, Entry]]] = {}
        self.menus: dict[str, MenuState] = {
            menu.path: MenuState(menu, self.dialect)
            for menu in all_menus()
            if self.dialect in menu.dialects
        }
        self.directories = {
            "/".join(path.split("/")[:i]) for path in self.menus for i in range(2, path.count("/") + 1)
        }
        self.ether_count = ether_count
        if state_file and os.path.exists(state_file):
            self.load(state_file)
        else:
            self._install_defaults(identity, users)

    # ---- set-up and persistence --------------------------------------------------------

    def _install_defaults(self, identity: str, users: Iterable[tuple[str, str, str]]) -> None:
        for state in self.menus.values():
            self._install_builtins(state)
        self._single("/system/identity").values["name"] = identity
        ethernet = self.menus["/interface/ethernet"]
        for n in range(1, self.ether_count + 1):
            mac = hashlib.sha256(f"{identity}/ether{n}".encode()).hexdigest()[:10]
            mac = "02:" + ":".join(mac[i : i + 2] for i in range(0, 10, 2)).upper()
            values = {"name": f"ether{n}", "default-name": f"ether{n}", "mac-address": mac, "orig-mac-address": mac}
            self._store_new(ethernet, self._with_defaults(ethernet, values), builtin=True)
        user_menu = self.menus["/user"]
        for name, password, group in users:
            self._store_new(user_menu, self._with_defaults(user_menu, {"name": name, "password": password, "group": group}))
        self.dirty = False

    def snapshot(self) -> dict:
        with self.lock:
            return {
                "version": self.version,
                "next_id": self.next_id,
                "menus": {
                    path: [
                        {"id": e.id, "values": e.values, "builtin": e.builtin}
                        for e in state.entries.values()
                        if not e.dynamic
                    ]
                    for path, state in self.menus.items()
                },
            }

    def _install_builtins(self, state: MenuState) -> None:
        for builtin in state.menu.builtins:
            values = dict(builtin)
            entry_id = parse_id(values.pop(".id", "")) if ".id" in builtin else None
            self._store_new(state, self._with_defaults(state, values), entry_id=entry_id, builtin=True)

    def save(self, path: str | None = None) -> None:
        path = path or self.state_file
        if not path:
            return
        with self.lock:
            data = self.snapshot()
            self.dirty = False
        tmp = f"{path}.tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        os.replace(tmp, path)

    def load(self, path: str) -> None:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        with self.lock:
            self.next_id = data["next_id"]
            for menu_path, entries in data["menus"].items():
                state = self.menus.get(menu_path)
                if state is None:
                    continue
                for item in entries:
                    entry = Entry(item["id"], item["values"], builtin=item.get("builtin", False))
                    state.entries[entry.id] = entry
                    state.index_add(entry)
            for menu_path, state in self.menus.items():
                if menu_path not in data["menus"]:  # a menu this state was saved without (older emulator)
                    self._install_builtins(state)
            for state in self.menus.values():
                if state.menu.on_change:
                    for entry in list(state.entries.values()):
                        if not entry.dynamic:
                            state.menu.on_change(self, entry, "add")
            self.dirty = False

    # ---- small helpers used by menus --------------------------------------------------

    def _single(self, path: str) -> Entry:
        return next(iter(self.menus[path].entries.values()))

    def single_values(self, path: str) -> dict[str, str]:
        with self.lock:
            return dict(self._single(path).values)

    @property
    def identity(self) -> str:
        return self._single("/system/identity").values["name"]

    def has_entry(self, paths: Iterable[str], key: str, value: str) -> bool:
        for path in paths:
            state = self.menus.get(path)
            if state and state.find_by((key,), (value,)) is not None:
                return True
        return False

    def entries(self, path: str) -> list[Entry]:
        return list(self.menus[path].entries.values())

    def allocate_id(self) -> int:
        number = self.next_id
        self.next_id += 1
        return number

    def _with_defaults(self, state: MenuState, values: dict[str, str]) -> dict[str, str]:
        merged = {name: f.default for name, f in state.fields.items() if f.default is not None}
        merged.update(values)
        return merged

    def _store_new(self, state: MenuState, values: dict[str, str], *, entry_id: int | None = None,
                   dynamic: bool = False, builtin: bool = False, before: int | None = None) -> Entry:
        entry = Entry(entry_id if entry_id is not None else self.allocate_id(), values, dynamic, builtin)
        if before is not None and before in state.entries:
            items = list(state.entries.items())
            position = [k for k, _ in items].index(before)
            items.insert(position, (entry.id, entry))
            state.entries = dict(items)
        else:
            state.entries[entry.id] = entry
        state.index_add(entry)
        self.dirty = True
        return entry

    # ---- derived (dynamic) entries: used by menus' on_change and by the runtime API ------

    def add_dynamic(self, path: str, values: dict[str, str]) -> Entry:
        state = self.menus[path]
        entry = self._store_new(state, self._with_defaults(state, values), dynamic=True)
        if state.menu.kind == RUNTIME and state.menu.on_change:  # a PPP session's dynamic interface...
            state.menu.on_change(self, entry, "add")
        self._notify(state, entry)
        return entry

    def update_dynamic(self, path: str, entry: Entry, values: dict[str, str]) -> None:
        state = self.menus[path]
        state.index_remove(entry)
        entry.values.update(values)
        state.index_add(entry)
        if state.menu.kind == RUNTIME and state.menu.on_change:
            state.menu.on_change(self, entry, "set")
        self._notify(state, entry)

    def replace_derived(self, owner_path: str, owner: Entry, wanted: list[tuple[str, dict[str, str]]]) -> None:
        """Make `wanted` the dynamic entries derived from `owner`, changing only what differs."""
        key = (owner_path, owner.id)
        current = self.derived.pop(key, [])
        kept: list[tuple[str, Entry]] = []
        for path, entry in current:
            state = self.menus[path]
            values = next((v for p, v in wanted if p == path and all(entry.values.get(k) == x for k, x in v.items())), None)
            if values is not None:
                wanted = [w for w in wanted if w[1] is not values]
                kept.append((path, entry))
            else:
                self.remove_entry(path, entry)
        kept.extend((path, self.add_dynamic(path, values)) for path, values in wanted)
        if kept:
            self.derived[key] = kept

    def remove_entry(self, path: str, entry: Entry) -> None:
        state = self.menus[path]
        if state.entries.pop(entry.id, None) is None:
            return
        state.index_remove(entry)
        self.dirty = True
        if state.menu.on_change:
            state.menu.on_change(self, entry, "remove")
        for derived_path, derived in self.derived.pop((path, entry.id), []):
            self.remove_entry(derived_path, derived)
        self._notify(state, entry, dead=True)

    # ---- printing -------------------------------------------------------------------------

    def printable(self, state: MenuState, entry: Entry, detail: bool = False) -> dict[str, str]:
        out: dict[str, str] = {} if state.menu.kind == SINGLE else {".id": format_id(entry.id)}
        values = entry.values
        computed = state.menu.compute(self, entry) if state.menu.compute else {}
        for name, f in state.fields.items():
            if f.secret or (f.detail and not detail):
                continue
            value = computed.get(name, values.get(name))
            if value is not None:
                out[name] = value
        for name, value in computed.items():
            if name not in out and (name not in state.fields or not state.fields[name].secret):
                out[name] = value
        if state.menu.kind in (LIST, FIXED):
            if "dynamic" not in out:
                out["dynamic"] = "true" if entry.dynamic else "false"
            if entry.builtin and state.menu.kind == LIST:
                out.setdefault("default", "true")
        return out

    def print(self, path: str, attrs: dict[str, str], queries: list[str]) -> tuple[list[dict[str, str]], dict[str, str]]:
        state = self.menus[path]
        allowed = {".proplist", "count-only", "detail", "without-paging", "terse", "brief", "stats", "from", "follow", "follow-only", "interval"}
        for key in attrs:
            if key not in allowed and key != ".tag":
                raise errors.unknown_parameter(key)
        detail = "detail" in attrs
        proplist = [p for p in attrs.get(".proplist", "").split(",") if p] if ".proplist" in attrs else None
        match = compile_query(queries)
        wanted_ids = None
        if attrs.get("from"):
            wanted_ids = {self._resolve_one(state, ref).id for ref in attrs["from"].split(",")}
        with self.lock:
            rows = []
            for owner, entry in self._rows(state):
                if wanted_ids is not None and entry.id not in wanted_ids:
                    continue
                item = self.printable(owner, entry, detail=detail or proplist is not None)
                if owner is not state:
                    item = self._view_item(state, owner, item)
                if queries and not match(item):
                    continue
                rows.append(item)
        if "count-only" in attrs:
            return [], {"ret": str(len(rows))}
        if proplist is not None:
            rows = [{k: row[k] for k in proplist if k in row} for row in rows]
        return rows, {}

    # ---- /interface: a view over every interface kind -----------------------------------

    def _rows(self, state: MenuState):
        if state.menu.kind != VIEW:
            return ((state, e) for e in state.entries.values())
        return ((owner, e) for owner in self.menus.values() if owner.menu.interface_type
                for e in owner.entries.values())

    @staticmethod
    def _view_item(view: MenuState, owner: MenuState, item: dict[str, str]) -> dict[str, str]:
        out = {".id": item[".id"], "name": item.get("name", "")}
        out["type"] = owner.menu.interface_type or ""
        for name in view.fields:
            if name in item and name not in out:
                out[name] = item[name]
        out["dynamic"] = item.get("dynamic", "false")
        return out

    def _view_targets(self, view: MenuState, attrs: dict[str, str]) -> list[tuple[MenuState, Entry]]:
        refs = attrs.get(".id", attrs.get("numbers"))
        if refs is None:
            raise Trap("missing =.id=", errors.API)
        found = []
        for ref in (r for r in refs.split(",") if r):
            number = parse_id(ref)
            for owner, entry in self._rows(view):
                if entry.id == number or (number is None and entry.values.get("name") == ref):
                    found.append((owner, entry))
                    break
            else:
                raise Trap("no such item", errors.MISSING)
        return found

    def _update_view(self, view: MenuState, attrs: dict[str, str], given: dict[str, str]) -> dict[str, str]:
        targets = self._view_targets(view, attrs)
        for owner, entry in targets:
            self._update(owner, [entry], given)
        return {}

    # ---- writing ------------------------------------------------------------------------

    def _parse_values(self, state: MenuState, attrs: dict[str, str], skip: set[str]) -> dict[str, str]:
        parsed: dict[str, str] = {}
        for key, text in attrs.items():
            if key in skip:
                continue
            f = state.fields.get(key)
            if f is None or f.readonly:
                raise errors.unknown_parameter(key)
            parsed[key] = self.parse_value(f, text)
        return parsed

    def parse_value(self, f: Field, text: str) -> str:
        try:
            return f.type.parse(text, self)
        except NoMatch:
            raise errors.no_match(f.name) from None
        except OutOfRange as exc:
            raise Trap(f"value of {f.name} out of range ({exc.low}..{exc.high})", errors.ARGUMENT) from None
        except (Invalid, ValueError):
            raise errors.invalid_value(f.name) from None

    def _free_name(self, state: MenuState, prefix: str) -> str:
        field_name = state.menu.name_field or "name"
        number = 1
        while state.find_by((field_name,), (f"{prefix}{number}",)) is not None:
            number += 1
        return f"{prefix}{number}"

    def _check_unique(self, state: MenuState, values: dict[str, str], self_id: int | None) -> None:
        for fields, message in state.menu.unique:
            key = tuple(values.get(f, "") for f in fields)
            if not all(key):
                continue
            if any(o.id != self_id and not o.dynamic for o in state.find_all_by(fields, key)):
                raise errors.failure(message)

    def _resolve_one(self, state: MenuState, ref: str) -> Entry:
        number = parse_id(ref)
        if number is not None:
            entry = state.entries.get(number)
        elif state.menu.name_field:
            entry = state.find_by((state.menu.name_field,), (ref,))
        else:
            entry = None
        if entry is None:
            raise Trap("no such item", errors.MISSING)
        return entry

    def _targets(self, state: MenuState, attrs: dict[str, str]) -> list[Entry]:
        refs = attrs.get(".id", attrs.get("numbers"))
        if refs is None:
            raise Trap("missing =.id=", errors.API)
        return [self._resolve_one(state, r) for r in refs.split(",") if r]

    def _require_write(self, user: User) -> None:
        if not user.can_write:
            raise Trap("not enough permissions (9)", errors.GENERAL)

    def _validate(self, state: MenuState, values: dict[str, str], old: dict[str, str] | None) -> None:
        if state.menu.validate:
            state.menu.validate(self, values, old)

    def add(self, path: str, attrs: dict[str, str]) -> dict[str, str]:
        state = self.menus[path]
        if state.menu.kind != LIST:
            raise errors.no_such_command("add")
        skip = {"place-before"} if state.menu.ordered else set()
        given = self._parse_values(state, attrs, skip)
        if state.menu.auto_name and state.menu.name_field not in given:
            given[state.menu.name_field or "name"] = self._free_name(state, state.menu.auto_name)
        missing = [name for name, f in state.fields.items() if f.required and name not in given]
        if missing:
            raise Trap(f"missing value(s) of argument(s) {' '.join(missing)}", errors.ARGUMENT)
        values = self._with_defaults(state, given)
        self._check_unique(state, values, None)
        self._validate(state, values, None)
        before = None
        if "place-before" in attrs:
            before = self._resolve_one(state, attrs["place-before"]).id
        entry = self._store_new(state, values, before=before)
        if state.menu.on_change:
            state.menu.on_change(self, entry, "add")
        self._notify(state, entry)
        return {"ret": format_id(entry.id)}

    def set(self, path: str, attrs: dict[str, str]) -> dict[str, str]:
        state = self.menus[path]
        if state.menu.kind == RUNTIME:
            raise errors.no_such_command("set")
        if state.menu.kind == SINGLE:
            targets = [self._single(path)]
            given = self._parse_values(state, attrs, set())
        elif state.menu.kind == VIEW:
            return self._update_view(state, attrs, self._parse_values(state, attrs, {".id", "numbers"}))
        else:
            targets = self._targets(state, attrs)
            given = self._parse_values(state, attrs, {".id", "numbers"})
        for f in (state.fields[k] for k in given):
            if f.create_only:
                raise errors.unknown_parameter(f.name)
        return self._update(state, targets, given)

    def _update(self, state: MenuState, targets: list[Entry], given: dict[str, str], unset: Iterable[str] = ()) -> dict[str, str]:
        planned = []
        for entry in targets:
            if entry.dynamic:
                raise errors.failure("cannot change dynamic")
            values = {**entry.values, **given}
            for name in unset:
                default = state.fields[name].default
                if default is None:
                    values.pop(name, None)
                else:
                    values[name] = default
            self._check_unique(state, values, entry.id)
            self._validate(state, values, entry.values)
            planned.append((entry, values))
        for entry, values in planned:
            if values == entry.values:
                continue
            old = dict(entry.values)
            state.index_remove(entry)
            entry.values = values
            state.index_add(entry)
            self.dirty = True
            self._rename_references(state, entry, old)
            if state.menu.on_change:
                state.menu.on_change(self, entry, "set")
            self._notify(state, entry)
        return {}

    def unset(self, path: str, attrs: dict[str, str]) -> dict[str, str]:
        state = self.menus[path]
        name = attrs.get("value-name")
        if not name:
            raise Trap("missing value(s) of argument(s) value-name", errors.ARGUMENT)
        f = state.fields.get(name)
        if f is None or f.readonly or not f.unsettable:
            raise errors.unknown_parameter(name)
        targets = [self._single(path)] if state.menu.kind == SINGLE else self._targets(state, attrs)
        return self._update(state, targets, {}, unset=[name])

    def enable_disable(self, path: str, attrs: dict[str, str], disabled: bool) -> dict[str, str]:
        state = self.menus[path]
        if state.menu.kind in (SINGLE, RUNTIME) or "disabled" not in state.fields:
            raise errors.no_such_command("disable" if disabled else "enable")
        if state.menu.kind == VIEW:
            return self._update_view(state, attrs, {"disabled": "true" if disabled else "false"})
        targets = self._targets(state, attrs)
        return self._update(state, targets, {"disabled": "true" if disabled else "false"})

    def comment(self, path: str, attrs: dict[str, str]) -> dict[str, str]:
        state = self.menus[path]
        if "comment" not in state.fields or state.menu.kind == SINGLE:
            raise errors.no_such_command("comment")
        if state.menu.kind == VIEW:
            return self._update_view(state, attrs, {"comment": attrs.get("comment", "")})
        return self._update(state, self._targets(state, attrs), {"comment": attrs.get("comment", "")})

    def remove(self, path: str, attrs: dict[str, str]) -> dict[str, str]:
        state = self.menus[path]
        if state.menu.kind in (SINGLE, FIXED, VIEW) or not state.menu.removable:
            raise errors.no_such_command("remove")
        targets = self._targets(state, attrs)
        for entry in targets:
            if entry.builtin:
                raise errors.failure("cannot remove builtin")
            if entry.dynamic and state.menu.kind != RUNTIME:
                raise errors.failure("cannot remove dynamic")
            user = self._find_reference(state, entry, exclude={t.id for t in targets})
            if user:
                raise errors.failure(f"{user} is using this item")
        for entry in targets:
            self.remove_entry(path, entry)
        return {}

    def move(self, path: str, attrs: dict[str, str]) -> dict[str, str]:
        state = self.menus[path]
        if not state.menu.ordered:
            raise errors.no_such_command("move")
        moving = self._targets(state, attrs)
        destination = attrs.get("destination")
        dest_id = self._resolve_one(state, destination).id if destination else None
        moving_ids = [e.id for e in moving]
        order = [k for k in state.entries if k not in moving_ids]
        position = order.index(dest_id) if dest_id is not None and dest_id in order else len(order)
        order[position:position] = moving_ids
        if order != list(state.entries):
            state.entries = {k: state.entries[k] for k in order}
            self.dirty = True
            for entry in moving:
                self._notify(state, entry)
        return {}

    # ---- references between menus --------------------------------------------------------

    def _referencing(self, state: MenuState):
        """Yield (menu state, field) pairs whose Ref points at `state`'s menu."""
        for other in self.menus.values():
            for f in other.fields.values():
                if isinstance(f.type, Ref) and state.menu.path in f.type.paths:
                    yield other, f
                inner = getattr(f.type, "inner", None)
                if isinstance(inner, Ref) and state.menu.path in inner.paths:
                    yield other, f

    def _find_reference(self, state: MenuState, entry: Entry, exclude: set[int]) -> str | None:
        key = self._ref_key(state)
        if key is None:
            return None
        name = entry.values.get(key)
        for other, f in self._referencing(state):
            for candidate in other.entries.values():
                if candidate.id in exclude or candidate.dynamic:
                    continue
                value = candidate.values.get(f.name, "")
                if value == name or name in value.lstrip("!").split(","):
                    return f"{other.menu.path.rsplit('/', 1)[-1]} {format_id(candidate.id)}"
        return None

    def _ref_key(self, state: MenuState) -> str | None:
        return state.menu.name_field or ("name" if "name" in state.fields else None)

    def _rename_references(self, state: MenuState, entry: Entry, old: dict[str, str]) -> None:
        key = self._ref_key(state)
        if key is None or old.get(key) == entry.values.get(key):
            return
        before, after = old.get(key), entry.values.get(key)
        for other, f in self._referencing(state):
            for candidate in other.entries.values():
                value = candidate.values.get(f.name)
                if value is None:
                    continue
                parts = value.split(",")
                renamed = [after if p == before else ("!" + after if p == "!" + before else p) for p in parts]
                if renamed != parts:
                    other.index_remove(candidate)
                    candidate.values[f.name] = ",".join(renamed)
                    other.index_add(candidate)
                    self._notify(other, candidate)

    # ---- listen ---------------------------------------------------------------------------

    def subscribe(self, path: str, listener: Listener) -> Callable[[], None]:
        state = self.menus[path]
        with self.lock:
            state.listeners.append(listener)

        def unsubscribe() -> None:
            with self.lock:
                if listener in state.listeners:
                    state.listeners.remove(listener)

        return unsubscribe

    def _notify(self, state: MenuState, entry: Entry, dead: bool = False) -> None:
        view = self.menus.get("/interface") if state.menu.interface_type else None
        if not state.listeners and not (view and view.listeners):
            return
        if dead:
            item = {".id": format_id(entry.id), ".dead": "true"}
        else:
            item = self.printable(state, entry)
        for listener in list(state.listeners):
            listener(item)
        if view is not None:
            view_item = item if dead else self._view_item(view, state, item)
            for listener in list(view.listeners):
                listener(view_item)

    # ---- journal and dispatch ---------------------------------------------------------------

    def record(self, source: str, user: str, command: str, attrs: dict[str, str], result: str) -> None:
        secretless = {k: ("<hidden>" if k in ("password", "secret") else v) for k, v in attrs.items()}
        self.journal.append(JournalRecord(len(self.journal) + 1, time.time(), source, user, command, secretless, result))

    def resolve(self, command: str) -> tuple[str, str]:
        """Split `/ip/address/print` into a menu path and a verb, refusing unknown paths as RouterOS does."""
        parts = [p for p in command.split("/") if p]
        if not parts:
            raise errors.no_such_command("")
        path, verb = "/" + "/".join(parts[:-1]), parts[-1]
        if path in self.menus:
            return path, verb
        prefix = ""
        for part in parts:
            prefix += "/" + part
            if prefix not in self.directories and prefix not in self.menus:
                raise errors.no_such_command(part)
        raise errors.no_such_command(verb)

    WRITES = {"add", "set", "unset", "remove", "enable", "disable", "move", "comment"}

    def execute(self, command: str, attrs: dict[str, str], queries: list[str], user: User,
                source: str = "api") -> tuple[list[dict[str, str]], dict[str, str]]:
        """Run one command; returns the `!re` items and the `!done` attributes, or raises Trap."""
        path, verb = self.resolve(command)
        attrs = {k: v for k, v in attrs.items() if k != ".tag"}
        if verb in ("print", "getall"):
            return self.print(path, attrs, queries)
        if verb not in self.WRITES:
            raise errors.no_such_command(verb)
        with self.lock:
            try:
                self._require_write(user)
                if verb == "add":
                    done = self.add(path, attrs)
                elif verb == "set":
                    done = self.set(path, attrs)
                elif verb == "unset":
                    done = self.unset(path, attrs)
                elif verb == "remove":
                    done = self.remove(path, attrs)
                elif verb in ("enable", "disable"):
                    done = self.enable_disable(path, attrs, verb == "disable")
                elif verb == "move":
                    done = self.move(path, attrs)
                else:
                    done = self.comment(path, attrs)
            except Trap as trap:
                self.record(source, user.name, command, attrs, trap.message)
                raise
            self.record(source, user.name, command, attrs, "ok")
            if verb != "remove" or path not in ("/ppp/active", "/ip/hotspot/active"):
                self.log_event("system,info", f"{path.strip('/').replace('/', ' ')} {verb} by {user.name}")
        if self.after_write is not None:  # outside the lock: the lab takes every router's lock in turn
            self.after_write(path)
        return [], done

    # ---- login and log ------------------------------------------------------------------------

    def authenticate(self, name: str, password: str | None = None, response: str | None = None,
                     challenge: bytes | None = None) -> User | None:
        import hashlib as _h

        with self.lock:
            for entry in self.menus["/user"].entries.values():
                values = entry.values
                if values.get("name") != name or values.get("disabled") == "true":
                    continue
                secret = values.get("password", "")
                if password is not None and password == secret:
                    return User(name, values.get("group", "full"))
                if response is not None and challenge is not None:
                    digest = _h.md5(b"\x00" + secret.encode("latin-1") + challenge).hexdigest()
                    if response == "00" + digest:
                        return User(name, values.get("group", "full"))
        return None

    def log_event(self, topics: str, message: str) -> None:
        state = self.menus.get("/log")
        if state is None:
            return
        stamp = time.strftime("%H:%M:%S") if self.dialect == V6 else time.strftime("%Y-%m-%d %H:%M:%S")
        self.add_dynamic("/log", {"time": stamp, "topics": topics, "message": message})
        if len(state.entries) > 1000:  # RouterOS keeps a bounded memory log
            first = next(iter(state.entries.values()))
            self.remove_entry("/log", first)
