# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The sync algorithm, without I/O: validate, match, plan add/set/unset/move/remove, render.

Input: a resource declaration, the router's dialect, the task's config and state, and the
entries read from the router. Output: a Plan (operations in an order the router accepts, the
predicted entries after it) that the runner applies, or only reports in check mode.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from ._resource import BOTH, Bundle, Field, Resource, per_dialect
from ._values import KINDS, as_text, canonical, display, parse_bool, script_quote

SECRET_MASK = "********"

Owned = Callable[[Mapping[str, Any]], bool]


class PlanError(Exception):
    """Input the router would refuse or that cannot be done safely; nothing was written."""


@dataclass
class Current:
    """One entry as read from the router, in option names."""

    id: Optional[str]
    values: Dict[str, Any]
    dynamic: bool = False
    builtin: bool = False


@dataclass
class Op:
    """One RouterOS command. Targets are ids, or `+N` for the entry the Nth add creates."""

    action: str  # add, set, unset, move, remove
    path: str
    target: Optional[str] = None
    find: Dict[str, str] = field(default_factory=dict)  # identity in API names, for scripts
    values: Dict[str, str] = field(default_factory=dict)  # API name -> text; unset: name -> ''
    destination: Optional[str] = None  # place-before / move destination id or placeholder
    destination_find: Dict[str, str] = field(default_factory=dict)
    secrets: Tuple[str, ...] = ()  # API names whose values are masked when shown
    flags: Tuple[str, ...] = ()  # API names written without a value (`fib`)


@dataclass
class Plan:
    ops: List[Op]
    before: Dict[str, List[Current]]  # by resource name
    after: Dict[str, List[Current]]
    # by resource name: identity keys of the entries an operation adds, sets, unsets, moves or removes
    touched: Dict[str, Set[Tuple[Any, ...]]] = field(default_factory=dict)


# ---- values ---------------------------------------------------------------------------------

def same(item: Field, left: Any, right: Any) -> bool:
    """Equal the way RouterOS normalises values; unset text equals empty text."""
    if type(left) is type(right) and left == right:  # pylint: disable=unidiomatic-typecheck
        return True  # the common case, without parsing (1 == True, but `yes` is no number)
    left_value, right_value = canonical(item.kind, left), canonical(item.kind, right)
    if item.kind == "str" or left_value is None or right_value is None:
        return (left_value or "") == (right_value or "")
    return left_value == right_value


def present(item: Field, value: Any) -> Any:
    """A value in module-input shape as output shows it (bools as bools, lists as lists, durations
    and networks as RouterOS prints them), the same for a given value and the router's."""
    if value is None or item.secret:  # secrets are compared, never shown
        return None
    return display(item.kind, value)


def api_text(item: Field, value: Any) -> str:
    return KINDS[item.kind].to_api(value)


def api_values(item: Field, value: Any, dialect: str) -> Dict[str, str]:
    """API name -> text of one option; a spread option writes every word's field."""
    spread = item.spread_for(dialect)
    if spread is None:
        return {item.api_name(dialect): api_text(item, value)}
    chosen = set(canonical(item.kind, value) or ())
    return {spread[0] % word: spread[1] if word in chosen else spread[2] for word in item.choices_for(dialect) or ()}


# ---- reading ----------------------------------------------------------------------------------

def proplist(resource: Resource, dialect: str) -> List[str]:
    """The fields to ask for: only what the declaration knows, plus id and dynamic."""
    names = [name for item in resource.fields_for(dialect) for name in item.api_names(dialect)]
    return names if resource.single else [".id", "dynamic", *names]


def from_row(resource: Resource, dialect: str, row: Mapping[str, Any]) -> Current:
    values: Dict[str, Any] = {}
    for item, name, spread in row_fields(resource, dialect):
        if spread:
            values[item.option] = [word for word in item.choices_for(dialect) or ()
                                   if as_text(row.get(spread[0] % word, spread[2])) != spread[2]]
        elif name in row:
            values[item.option] = True if item.flag else row[name]
    entry = Current(row.get(".id"), values, dynamic=parse_bool(row.get("dynamic", False)) is True)
    builtins = builtin_keys(resource, dialect)
    entry.builtin = bool(builtins) and resource.key(values, dialect) in builtins
    return entry


def row_fields(resource: Resource, dialect: str) -> Tuple[Tuple[Field, str, Optional[Tuple[str, str, str]]], ...]:
    """(field, API name, spread) of each field the dialect has, as from_row reads them."""
    return resource.cached("row_fields", dialect, lambda: tuple(
        (item, item.api_name(dialect), item.spread_for(dialect)) for item in resource.fields_for(dialect)))


def builtin_keys(resource: Resource, dialect: str) -> Set[Tuple[Any, ...]]:
    return resource.cached("builtin_keys", dialect, lambda: {
        resource.key(dict(zip(resource.identity, values))) for values in builtin_entries(resource, dialect)})


def builtin_entries(resource: Resource, dialect: str) -> Tuple[Tuple[str, ...], ...]:
    return tuple(per_dialect(resource.builtins, dialect) or ())


def fresh_router(resource: Resource, dialect: str) -> List[Current]:
    """The menu on a router nobody configured (what `rendered` plans against): the single entry
    of a single-value menu, the built-in entries of the others."""
    if resource.single:
        return [Current(None, {})]
    return [Current(None, dict(zip(resource.identity, values)), builtin=True)
            for values in builtin_entries(resource, dialect)]


def value_of(item: Field, entry: Current, dialect: str) -> Any:
    """The entry's value, or RouterOS's default when the router does not print it."""
    value = entry.values.get(item.option)
    if value is not None:
        return value
    if item.default_by is not None:
        option, defaults = item.default_by
        return defaults.get(as_text(entry.values.get(option)))
    return item.default_for(dialect)


# ---- validation (before any read or write) ----------------------------------------------------

def field_problem(item: Field, value: Any, dialect: Optional[str], dialect_only: bool = False) -> Optional[str]:
    """What is wrong with one given value (without the option's name), or None; `dialect_only`
    skips what does not depend on the dialect (checked already)."""
    if dialect is not None and dialect not in item.dialects:
        return "is not available on RouterOS %s (only on RouterOS %s)" % (dialect, " and ".join(sorted(item.dialects)))
    problem = None if dialect_only else KINDS[item.kind].check(value)
    if problem:
        return problem
    choices = item.choices_for(dialect)
    if choices is not None and dialect is not None:
        words = value if isinstance(value, (list, tuple)) else [value]
        bad = [word for word in words if as_text(word) not in choices]
        if bad:
            return "%s is not one of %s on RouterOS %s" % (", ".join(map(as_text, bad)), ", ".join(choices), dialect)
    most = per_dialect(item.max_items, dialect) if dialect is not None else None
    if most is not None and len(canonical("list", value) or ()) > most:
        return "takes at most %d on RouterOS %s, got %s" % (most, dialect, as_text(value))
    if not dialect_only and item.kind == "int" and (item.minimum is not None or item.maximum is not None):
        number = canonical("int", value)
        low = item.minimum if item.minimum is not None else number
        high = item.maximum if item.maximum is not None else number
        if not low <= number <= high:
            return "%s is out of range %s..%s" % (number, item.minimum, item.maximum)
    return None


def checked_fields(resource: Resource, dialect: Optional[str], dialect_only: bool) -> Tuple[Field, ...]:
    """The fields field_problem can find something wrong with (a large task checks 100,000 values)."""
    def may_fail(item: Field) -> bool:
        by_dialect = dialect is not None and (item.dialects != BOTH or isinstance(item.choices, dict)
                                              or item.max_items is not None)
        if dialect_only:
            return by_dialect  # plain choices were checked with the argument spec
        ranged = item.kind == "int" and (item.minimum is not None or item.maximum is not None)
        return by_dialect or KINDS[item.kind].checked or ranged or (dialect is not None and bool(item.choices))
    return resource.cached("checked_fields", (dialect, dialect_only), lambda: tuple(
        item for item in resource.fields if may_fail(item)))


def validate_config(resource: Resource, entries: Sequence[Mapping[str, Any]], dialect: Optional[str],
                    where: str = "config", dialect_only: bool = False) -> List[str]:
    """Every error in the task's config, each naming the option; dialect None checks types only.
    `dialect_only`: the config passed without a dialect, check only what the dialect changes."""
    errors: List[str] = []
    if dialect is not None and dialect not in resource.dialects:
        return ["%s: RouterOS %s has no %s menu" % (resource.name, dialect, resource.path_for("7"))]
    seen: Dict[Tuple[Any, ...], int] = {}
    fields = checked_fields(resource, dialect, dialect_only)
    # no identity default on this dialect: duplicates are those found without a dialect
    same_keys = all(resource.field(option).default_for(dialect) is None for option in resource.identity)
    for index, entry in enumerate(entries):
        for item in fields:
            value = entry.get(item.option)
            problem = None if value is None else field_problem(item, value, dialect, dialect_only)
            if problem:
                errors.append("%s.%s: %s" % (entry_label(resource, where, index), item.option, problem))
        if resource.identity and not (dialect_only and same_keys):
            key = resource.key(entry, dialect)
            if key in seen:
                errors.append("%s: duplicate entry %s, already given as %s[%d]"
                              % (entry_label(resource, where, index), describe(resource, entry), where, seen[key]))
            seen.setdefault(key, index)
        for child in resource.children:
            items = entry.get(child.option)
            if items is not None:
                parent = entry.get(child.parent_option)
                errors.extend(validate_config(
                    child.resource, [dict(sub, **{child.parent_field: parent}) for sub in items],
                    dialect, "%s.%s" % (entry_label(resource, where, index), child.option), dialect_only))
    for check in () if dialect_only else resource.checks:
        errors.extend("%s: %s" % (where, text) for text in check(list(entries)))
    return errors


def entry_label(resource: Resource, where: str, index: int) -> str:
    """How messages name an entry: config[3] (a single-value menu's entry is config itself)."""
    return where if resource.single else "%s[%d]" % (where, index)


def describe(resource: Resource, entry: Mapping[str, Any]) -> str:
    """An entry named by its identity, e.g. address=10.1.1.1/30 interface=ether2."""
    return " ".join("%s=%s" % (option, as_text(entry.get(option))) for option in resource.identity)


def unknown_interfaces(resource: Resource, entries: Sequence[Mapping[str, Any]], known: Set[str],
                       where: str = "config") -> List[str]:
    """Options naming interfaces the router does not have (and the task does not create)."""
    errors = []
    for index, entry in enumerate(entries):
        for item in resource.fields:
            name = str(entry.get(item.option) or "").lstrip("!")  # firewall matchers may negate
            if item.interface and name and name not in known:
                errors.append("%s[%d].%s: unknown interface %r (the router has %s)"
                              % (where, index, item.option, entry[item.option], ", ".join(sorted(known))))
        for child in resource.children:
            items = entry.get(child.option) or []
            errors.extend(unknown_interfaces(child.resource, items, known, "%s[%d].%s" % (where, index, child.option)))
    return errors


def no_overlapping_networks(option: str) -> Callable[[List[Dict[str, Any]]], List[str]]:
    """A check: no two entries' networks overlap (addresses on two interfaces in one subnet)."""
    def check(entries: List[Dict[str, Any]]) -> List[str]:
        errors = []
        networks: List[Tuple[int, ipaddress.IPv4Network]] = []
        for index, entry in enumerate(entries):
            try:
                network = ipaddress.IPv4Interface(as_text(entry.get(option))).network
            except ValueError:
                continue  # reported by the field check
            for other_index, other in networks:
                if network.overlaps(other):
                    errors.append("%s of entry %d (%s) overlaps entry %d (%s)"
                                  % (option, index, network, other_index, other))
            networks.append((index, network))
        return errors
    return check


# ---- planning ---------------------------------------------------------------------------------

class Planner:
    """Builds the operations of one task across the resources it touches."""

    def __init__(self, dialect: str, current: Mapping[str, List[Current]]) -> None:
        self.dialect = dialect
        self.current = current
        self.adds = 0
        self.forward: List[Op] = []  # adds, sets and moves, parents first
        self.removes: List[List[Op]] = []  # per resource; applied children first
        self.after: Dict[str, List[Current]] = {}
        self.touched: Dict[str, Set[Tuple[Any, ...]]] = {}

    def touch(self, resource: Resource, values: Mapping[str, Any]) -> None:
        """Note an entry an operation changes (for output that lists changed entries only)."""
        if resource.identity:
            self.touched.setdefault(resource.name, set()).add(resource.key(values, self.dialect))

    def find(self, resource: Resource, values: Mapping[str, Any]) -> Dict[str, str]:
        """The identity in API names, defaults filled in; an unset identity field is left out."""
        found = {}
        for option in resource.identity:
            item = resource.field(option)
            value = values.get(option)
            value = item.default_for(self.dialect) if value is None else value
            if value is not None:
                found[item.api_name(self.dialect)] = api_text(item, value)
        return found

    def secrets(self, resource: Resource) -> Tuple[str, ...]:
        return tuple(item.api_name(self.dialect) for item in resource.fields if item.secret)

    def flags(self, resource: Resource) -> Tuple[str, ...]:
        return tuple(item.api_name(self.dialect) for item in resource.fields if item.flag)

    def sync(self, resource: Resource, desired: Sequence[Mapping[str, Any]], replace: bool,
             remove_unlisted: bool, owned: Owned, remove_listed: bool = False) -> List[Current]:
        """Plan one menu; returns the entries that will be removed."""
        path = resource.path_for(self.dialect)
        entries = [Current(e.id, dict(e.values), e.dynamic, e.builtin) for e in self.current.get(resource.name, [])]
        index: Dict[Tuple[Any, ...], Current] = {}
        for entry in entries:
            if not entry.dynamic:
                index.setdefault(resource.key(entry.values, self.dialect), entry)
        listed: Dict[int, Current] = {}  # desired position -> entry
        removed: List[Current] = []
        for position, wanted in enumerate(desired):
            match = index.get(resource.key(wanted, self.dialect))
            if remove_listed:
                if match is None:
                    continue
                if match.builtin:
                    raise PlanError("%s %s is built into RouterOS and cannot be deleted"
                                    % (resource.name, describe(resource, wanted)))
                removed.append(match)
                continue
            if match is None:
                match = self._add(resource, path, wanted, entries)
            else:
                self._update(resource, path, wanted, match, replace)
            listed[position] = match
        if remove_unlisted:
            kept = {id(entry) for entry in listed.values()}
            removed.extend(e for e in entries
                           if id(e) not in kept and not e.dynamic and not e.builtin and owned(e.values))
        if resource.ordered and not remove_listed:
            self._order(resource, path, [listed[p] for p in sorted(listed)], entries)
        self.removes.append([Op("remove", path, e.id, self.find(resource, e.values)) for e in removed])
        for entry in removed:
            self.touch(resource, entry.values)
        gone = {id(e) for e in removed}
        self.after[resource.name] = [e for e in entries if id(e) not in gone]
        return removed

    def _add(self, resource: Resource, path: str, wanted: Mapping[str, Any], entries: List[Current]) -> Current:
        if resource.fixed:
            raise PlanError("%s %s does not exist, and RouterOS has only its own entries here (%s)" % (
                resource.name, describe(resource, wanted),
                ", ".join(" ".join(names) for names in builtin_entries(resource, self.dialect))))
        missing = [item.option for item in resource.fields
                   if item.required and wanted.get(item.option) is None]
        if missing:
            raise PlanError("%s %s does not exist; to create it, give %s"
                            % (resource.name, describe(resource, wanted), ", ".join(missing)))
        values: Dict[str, str] = {}
        for option, value in wanted.items():
            item = resource.field(option)
            if item.flag:
                if parse_bool(value):
                    values[item.api_name(self.dialect)] = ""
                continue
            values.update(api_values(item, value, self.dialect))
        self.adds += 1
        placeholder = "+%d" % self.adds
        self.forward.append(Op("add", path, placeholder, self.find(resource, wanted), values,
                               secrets=self.secrets(resource), flags=self.flags(resource)))
        entry = Current(placeholder, dict(wanted))
        entries.append(entry)
        self.touch(resource, entry.values)
        return entry

    def _update(self, resource: Resource, path: str, wanted: Mapping[str, Any], entry: Current,
                replace: bool) -> None:
        changes: Dict[str, str] = {}
        unsets: Dict[str, str] = {}
        for item in resource.fields_for(self.dialect):
            if item.option in wanted:
                value = wanted[item.option]
            elif replace and item.reset:
                value = item.default_for(self.dialect)
            else:
                continue
            if item.option in resource.identity or same(item, value_of(item, entry, self.dialect), value):
                continue
            name = item.api_name(self.dialect)
            if value is None or (item.flag and not parse_bool(value)):
                unsets[name] = ""
                entry.values.pop(item.option, None)
            elif item.spread_for(self.dialect):
                changes.update(api_values(item, value, self.dialect))
                entry.values[item.option] = value
            else:
                changes[name] = "" if item.flag else api_text(item, value)
                entry.values[item.option] = value
        if not changes and not unsets:
            return
        find = self.find(resource, entry.values)
        if changes:
            self.forward.append(Op("set", path, entry.id, find, changes, secrets=self.secrets(resource),
                                   flags=self.flags(resource)))
        if unsets:
            self.forward.append(Op("unset", path, entry.id, find, unsets))
        self.touch(resource, entry.values)

    def _order(self, resource: Resource, path: str, desired: List[Current], entries: List[Current]) -> None:
        """Put the task's rules in config order; foreign rules keep their places."""
        sequence = [e for e in entries if e.id is not None and not e.id.startswith("+")]
        new_ids = {e.id for e in entries if e.id is not None and e.id.startswith("+")}
        adds = {op.target: op for op in self.forward if op.action == "add" and op.path == path}
        for position, entry in enumerate(desired):
            is_new = entry.id in new_ids
            if position == 0:
                if not is_new:
                    continue
                later = [e for e in desired[1:] if e in sequence]
                anchor = min(later, key=sequence.index) if later else None
            else:
                previous = desired[position - 1]
                if not is_new and sequence.index(entry) > sequence.index(previous):
                    continue
                if not is_new:
                    sequence.remove(entry)
                after = sequence.index(previous) + 1
                anchor = sequence[after] if after < len(sequence) else None
            sequence.insert(sequence.index(anchor) if anchor is not None else len(sequence), entry)
            destination = anchor.id if anchor is not None else None
            destination_find = self.find(resource, anchor.values) if anchor is not None else {}
            if is_new:
                adds[entry.id].destination, adds[entry.id].destination_find = destination, destination_find
            else:
                self.forward.append(Op("move", path, entry.id, self.find(resource, entry.values),
                                       destination=destination, destination_find=destination_find))
                self.touch(resource, entry.values)
        entries[:] = sequence + [e for e in entries if e not in sequence]

    def ops(self) -> List[Op]:
        """Adds and sets parents first, then removes children first, then in declaration order."""
        ordered_adds = self._adds_in_place()
        return ordered_adds + [op for group in reversed(self.removes) for op in group]

    def _adds_in_place(self) -> List[Op]:
        # an add placed before a later-added entry must come after that add
        result: List[Op] = []
        waiting: Dict[str, List[Op]] = {}  # placeholder -> ops placed before it
        placed: Set[str] = set()
        for op in self.forward:
            if self._waits(op, placed):
                waiting.setdefault(op.destination or "", []).append(op)
                continue
            ready = [op]
            while ready:
                current = ready.pop(0)
                result.append(current)
                if current.action == "add" and current.target:
                    placed.add(current.target)
                    ready.extend(waiting.pop(current.target, []))
        return result + [op for ops in waiting.values() for op in ops]  # none with acyclic anchors

    @staticmethod
    def _waits(op: Op, placed: Set[str]) -> bool:
        return op.destination is not None and op.destination.startswith("+") and op.destination not in placed


def desired_values(resource: Resource, entry: Mapping[str, Any], scope: Mapping[str, Any]) -> Dict[str, Any]:
    """Given options only (Ansible fills absent ones with None); scope values fill the gaps."""
    child_options = {child.option for child in resource.children}
    values = {k: v for k, v in entry.items() if v is not None and k not in child_options}
    for option, value in scope.items():
        if not isinstance(value, dict):  # {starts_with: ...} selects entries, it is no value to give
            values.setdefault(option, value)
    return values


# a scope value that selects by prefix instead of by the exact value: {starts_with: "dual_isp:"}
SCOPE_PREFIX = "starts_with"


def in_scope(item: Field, value: Any, wanted: Any) -> bool:
    if isinstance(wanted, dict):
        return as_text(value if value is not None else "").startswith(str(wanted[SCOPE_PREFIX]))
    return same(item, value, wanted)


def owned_by(resource: Resource, scope: Mapping[str, Any]) -> Owned:
    def owned(values: Mapping[str, Any]) -> bool:
        return all(in_scope(resource.field(option), values.get(option), value) for option, value in scope.items())
    return owned


def plan(resource: Resource, dialect: str, config: Any, state: str, scope: Optional[Mapping[str, Any]],
         current: Mapping[str, List[Current]]) -> Plan:
    """All operations of one task: ensured entries, the resource, its children."""
    planner = Planner(dialect, current)
    plan_into(planner, resource, config, state, scope)
    return Plan(planner.ops(), dict(current), planner.after, planner.touched)


def plan_bundle(bundle: Bundle, dialect: str, config: Any, state: str, scope: Optional[Mapping[str, Any]],
                current: Mapping[str, List[Current]]) -> Plan:
    """One task over a bundle's sections: sections config does not name are left alone, except
    that `deleted` empties a section named in scope (only what is in its scope)."""
    planner = Planner(dialect, current)
    for section in bundle.sections:
        wanted = (config or {}).get(section.option)
        section_scope = (scope or {}).get(section.option)
        if state == "deleted":
            if section.resource.single or (not wanted and section_scope is None):
                continue
        elif wanted is None:
            continue
        section_state = "replaced" if section.resource.single and state == "overridden" else state
        plan_into(planner, section.resource, wanted, section_state, section_scope)
    return Plan(planner.ops(), dict(current), planner.after, planner.touched)


def plan_into(planner: Planner, resource: Resource, config: Any, state: str,
              scope: Optional[Mapping[str, Any]]) -> None:
    """Plan one resource (with its ensured entries and children) into a task's planner."""
    dialect = planner.dialect
    if resource.single:
        wanted = desired_values(resource, config or {}, {})
        planner.sync(resource, [wanted], state == "replaced", False, lambda values: False)
        return
    scope = scope or {}
    entries = [desired_values(resource, entry, scope) for entry in (config or [])]
    for ensure in resource.ensures:
        if dialect in ensure.dialects:
            names = sorted({as_text(e[ensure.option]) for e in entries if e.get(ensure.option)} - set(ensure.skip))
            wanted_entries = [dict(ensure.values, **{ensure.target: name}) for name in names]
            if state != "deleted":
                planner.sync(ensure.resource, wanted_entries, False, False, lambda values: False)
    replace = state in ("replaced", "overridden")
    if state == "deleted":
        removed = planner.sync(resource, entries, False, not config, owned_by(resource, scope),
                               remove_listed=bool(config))
    else:
        removed = planner.sync(resource, entries, replace, state == "overridden", owned_by(resource, scope))
    for child in resource.children:
        parent_field = resource.field(child.parent_option)
        parents = [as_text(e.values.get(child.parent_option)) for e in removed]
        wanted_children: List[Dict[str, Any]] = []
        for raw, entry in zip(config or [], entries):
            items = raw.get(child.option)
            if items is None or state == "deleted":
                continue
            parents.append(as_text(entry[child.parent_option]))
            wanted_children.extend(dict(desired_values(child.resource, item, {}),
                                        **{child.parent_field: entry[child.parent_option]}) for item in items)
        owned_parents = [canonical(parent_field.kind, name) for name in parents]

        def owned_child(values: Mapping[str, Any], child: Any = child, owned_parents: Any = owned_parents) -> bool:
            return canonical(parent_field.kind, values.get(child.parent_field)) in owned_parents
        planner.sync(child.resource, wanted_children, replace, state != "merged", owned_child)


# ---- output -----------------------------------------------------------------------------------

def shape(resource: Resource, dialect: str, entries: Mapping[str, List[Current]],
          owned: Optional[Owned] = None) -> Any:
    """Entries in module-input shape (children nested), so gathered output can be fed back."""
    def one(res: Resource, entry: Current, omit: Iterable[str] = ()) -> Dict[str, Any]:
        result = {item.option: present(item, value_of(item, entry, dialect))
                  for item in res.fields_for(dialect) if item.option not in omit}
        return {k: v for k, v in result.items() if v is not None}

    listed = [e for e in entries.get(resource.name, []) if not e.dynamic and (owned is None or owned(e.values))]
    if resource.single:
        return one(resource, listed[0]) if listed else {}
    result = []
    for entry in listed:
        item = one(resource, entry)
        for child in resource.children:
            parent = canonical(resource.field(child.parent_option).kind, entry.values.get(child.parent_option))
            item[child.option] = [
                one(child.resource, sub, omit=(child.parent_field,))
                for sub in entries.get(child.resource.name, [])
                if not sub.dynamic and canonical(resource.field(child.parent_option).kind,
                                                 sub.values.get(child.parent_field)) == parent
            ]
        result.append(item)
    return result


def shape_bundle(bundle: Bundle, dialect: str, entries: Mapping[str, List[Current]],
                 scope: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """Each section's entries in module-input shape, under its config key."""
    result = {}
    for section in bundle.sections:
        section_scope = (scope or {}).get(section.option)
        owned = owned_by(section.resource, section_scope) if section_scope else None
        result[section.option] = shape(section.resource, dialect, entries, owned)
    return result


def _script_path(path: str) -> str:
    return "/" + " ".join(part for part in path.split("/") if part)


def _words(op: Op) -> List[str]:
    return [name if name in op.flags else "%s=%s" % (name, script_quote(SECRET_MASK if name in op.secrets else text))
            for name, text in op.values.items()]


def _find(find: Mapping[str, str]) -> str:
    return "[find %s]" % " and ".join("%s=%s" % (name, script_quote(text)) for name, text in find.items())


def render(op: Op) -> str:
    """One operation as a RouterOS script line."""
    head = _script_path(op.path)
    target = " " + _find(op.find) if op.find else ""  # single-value menus have no entries to find
    if op.action == "add":
        words = _words(op)
        if op.destination is not None:
            words.append("place-before=" + _find(op.destination_find))
        return " ".join([head, "add", *words])
    if op.action == "set":
        return " ".join([head + " set" + target, *_words(op)])
    if op.action == "unset":
        return head + " unset" + target + " value-name=" + ",".join(op.values)
    if op.action == "move":
        return head + " move" + target + ("" if op.destination is None else " destination=" + _find(op.destination_find))
    return head + " remove" + target
