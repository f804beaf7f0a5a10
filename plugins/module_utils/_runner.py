# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every resource module does: validate, connect, read once, plan, apply, report."""
from __future__ import annotations

import traceback
from typing import Any, Dict, List, Mapping, Optional, Sequence, Set, Tuple, Union

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ._api import CONNECTION_ARGUMENT_SPEC, HAS_LIBROUTEROS, LIBROUTEROS_IMPORT_ERROR, Client, RouterError
from ._config_file import ROOT as FILE_ROOT, ConfigFileError, load_config_file
from ._declarations import GATHERABLE
from ._resource import Bundle, Resource, bundle_argument_spec, resource_argument_spec
from ._sync import (
    SCOPE_PREFIX, SECRET_MASK, Current, Op, Plan, PlanError, fresh_router, from_row, owned_by, plan, plan_bundle, proplist,
    render, shape, shape_bundle, unknown_interfaces, validate_config,
)
from ._values import canonical, script_quote

# what a module manages: one menu (with its children), or a bundle of menus under config keys
Declared = Union[Resource, Bundle]

INTERFACE_LIST = "/interface"

RENDERED_NEEDS_NO_ROUTER = " (only state=rendered works without it)"

# more entries than this in before or after: they list only the entries the task changes
MANY_ENTRIES = 500


def argument_spec(resource: Declared) -> Dict[str, Any]:
    spec = bundle_argument_spec(resource) if isinstance(resource, Bundle) else resource_argument_spec(resource)
    if takes_file(resource):
        spec["config_file"] = {"type": "path"}
    return dict(CONNECTION_ARGUMENT_SPEC, **spec)


def takes_file(resource: Declared) -> bool:
    """List-valued modules (and bundles) take their entries from config_file as well."""
    return isinstance(resource, Bundle) or not resource.single


class ResourceModule(AnsibleModule):
    """Logs its invocation with config secrets masked from the declaration, instead of Ansible's
    scrub, which costs secrets x characters (half a minute for 10,000 PPP secrets)."""

    resource: Declared

    def _log_invocation(self) -> None:
        saved_values, saved_config = self.no_log_values, self.params.get("config")
        self.params["config"] = masked_config(self.resource, saved_config)
        self.no_log_values = {value for value in saved_values if value == self.params.get("password")}
        try:
            super()._log_invocation()
        finally:
            self.no_log_values, self.params["config"] = saved_values, saved_config


def new_module(resource: Declared) -> AnsibleModule:
    module_class = type("ResourceModule", (ResourceModule,), {"resource": resource})
    exclusive = [("config", "config_file")] if takes_file(resource) else []
    return module_class(argument_spec=argument_spec(resource), supports_check_mode=True, mutually_exclusive=exclusive)


def resources_of(resource: Declared, dialect: str) -> List[Resource]:
    """The menus one task reads: ensured ones, the resource, its children (of every section)."""
    if isinstance(resource, Bundle):
        return [menu for section in resource.sections for menu in resources_of(section.resource, dialect)]
    ensured = [ensure.resource for ensure in resource.ensures if dialect in ensure.dialects]
    return ensured + [resource] + [child.resource for child in resource.children]


def parts(resource: Declared, config: Any, root: str = "config") -> List[Tuple[str, Resource, List[Any]]]:
    """(where, menu, entries) of each menu in the task's config, for validation; `root` names
    where the entries came from (config, or config_file)."""
    if isinstance(resource, Bundle):
        return [(root + "." + section.option, section.resource, entries)
                for section in resource.sections
                for _where, _menu, entries in parts(section.resource, (config or {}).get(section.option))]
    entries = ([] if config is None else [config]) if resource.single else (config or [])
    return [(root, resource, entries)]


def plan_task(resource: Declared, dialect: str, config: Any, state: str, scope: Any,
              current: Mapping[str, List[Current]]) -> Plan:
    planner = plan_bundle if isinstance(resource, Bundle) else plan
    return planner(resource, dialect, config, state, scope, current)


def shape_task(resource: Declared, dialect: str, entries: Mapping[str, List[Current]], scope: Any = None) -> Any:
    if isinstance(resource, Bundle):
        return shape_bundle(resource, dialect, entries, scope)
    return shape(resource, dialect, entries, owned_by(resource, scope) if scope else None)


def validation_errors(resource: Declared, config: Any, dialect: Optional[str], root: str = "config",
                      dialect_only: bool = False) -> List[str]:
    """Problems of the task's entries; `dialect_only` after they passed without a dialect."""
    if isinstance(resource, Bundle) and dialect is not None and dialect not in resource.dialects:
        return ["RouterOS %s has none of its menus" % dialect]
    return [error for where, menu, entries in parts(resource, config, root)
            for error in validate_config(menu, entries, dialect, where, dialect_only)]


def read_current(client: Client, resources: List[Resource], dialect: str) -> Dict[str, List[Current]]:
    """The menus' entries, every menu asked at once."""
    replies = client.read_many([(item.path_for(dialect), proplist(item, dialect)) for item in resources])
    return {item.name: [from_row(item, dialect, row) for row in rows] for item, rows in zip(resources, replies)}


def known_interfaces(client: Client, tasks: Sequence[Tuple[Declared, Any]]) -> Set[str]:
    """The router's interfaces plus those the tasks create (a bridge and its ports in one task)."""
    names = {str(row.get("name")) for row in client.read(INTERFACE_LIST, ["name"])}
    for resource, config in tasks:
        for _where, menu, entries in parts(resource, config):
            if menu.makes_interfaces:
                names.update(str(entry.get("name")) for entry in entries if entry.get("name"))
    return names


def needs_interfaces(resource: Declared) -> bool:
    return any(item.interface for res in resources_of(resource, "7") + resources_of(resource, "6")
               for item in res.fields)


def interface_errors(known: Set[str], resource: Declared, config: Any, root: str = "config") -> List[str]:
    return [error for where, menu, entries in parts(resource, config, root)
            for error in unknown_interfaces(menu, entries, known, where)]


def require_connection(module: AnsibleModule, why: str = "") -> None:
    """Fail unless librouteros is there and the task names a router."""
    if not HAS_LIBROUTEROS:
        module.fail_json(msg=missing_required_lib("librouteros"), exception=LIBROUTEROS_IMPORT_ERROR)
    if not module.params["hostname"]:
        module.fail_json(msg="hostname is required to reach the router" + why)


class ApplyError(Exception):
    """A command the router refused after earlier ones were applied."""


# actions whose runs (same menu, no placement) can go to the router as one batch
BATCHED_ACTIONS = ("add", "set", "remove")


def batches(ops: List[Op]) -> List[List[Op]]:
    """Ops in runs that may be sent ahead of their answers: the same action on the same menu,
    none placed relative to another entry. Anything else is a run of its own."""
    runs: List[List[Op]] = []
    for op in ops:
        last = runs[-1][-1] if runs else None
        if last is not None and batchable(last) and batchable(op) and (last.action, last.path) == (op.action, op.path):
            runs[-1].append(op)
        else:
            runs.append([op])
    return runs


def batchable(op: Op) -> bool:
    return op.action in BATCHED_ACTIONS and op.destination is None


def apply(client: Client, ops: List[Op]) -> None:
    """Send the plan's operations in order (runs of like ones as batches); on a refusal, raise
    ApplyError saying what was applied."""
    created: Dict[str, str] = {}
    applied: List[int] = []  # positions in ops
    position = 0
    for run_ in batches(ops):
        try:
            if len(run_) == 1:
                apply_one(client, run_[0], created)
                applied.append(position)
            else:
                answers, refusal = client.batch(run_[0].path, run_[0].action, [op_words(op, created) for op in run_])
                for offset, (op, answer) in enumerate(zip(run_, answers)):
                    if answer is not None:
                        applied.append(position + offset)
                        if op.action == "add":
                            created[op.target or ""] = answer
                if refusal is not None:
                    position += refusal[0]
                    raise RouterError("`%s` on %s: RouterOS said: %s" % (render(ops[position]), client.where, refusal[1]))
        except RouterError as error:
            raise ApplyError("%s%s" % (error, applied_text(ops, applied, position))) from None
        position += len(run_)


def applied_text(ops: List[Op], applied: List[int], refused: int) -> str:
    """What was applied around the refused operation (batched ones after it may have been)."""
    before = [render(ops[p]) for p in applied if p < refused]
    after = [render(ops[p]) for p in applied if p > refused]
    text = "; applied before it: %s" % "; ".join(before) if before else ""
    text += "; applied after it (sent with it): %s" % "; ".join(after) if after else ""
    return text or "; nothing was changed"


def op_words(op: Op, created: Dict[str, str]) -> Dict[str, str]:
    """The API words of an add, set or remove; `created` maps placeholders of earlier adds to ids."""
    words = dict(op.values)
    if op.action == "add":
        if op.destination is not None:
            words["place-before"] = created.get(op.destination, op.destination)
    elif op.target is not None:
        words[".id"] = created.get(op.target, op.target)
    return words


def apply_one(client: Client, op: Op, created: Dict[str, str]) -> None:
    """Send one operation; `created` maps placeholders of earlier adds to the router's ids."""
    def real(target: Optional[str]) -> Optional[str]:
        return created.get(target, target) if target else target

    doing = "`%s` on %s" % (render(op), client.where)
    if op.action == "add":
        created[op.target or ""] = client.add(op.path, doing, **op_words(op, created))
    elif op.action in ("set", "remove"):
        client.command(op.path, op.action, doing, **op_words(op, created))
    elif op.action == "unset":
        id_word = {".id": real(op.target)} if op.target is not None else {}
        for name in op.values:
            client.command(op.path, "unset", doing, **dict(id_word, **{"value-name": name}))
    else:
        words = {"numbers": real(op.target)}
        if op.destination is not None:
            words["destination"] = real(op.destination)
        client.command(op.path, "move", doing, **words)


def diff_text(resource: Declared, dialect: str, entries: Mapping[str, List[Current]]) -> str:
    """One line per entry, per menu: readable in `--diff`."""
    lines = []
    for item in [menu for top in top_menus(resource) for menu in [top] + [child.resource for child in top.children]]:
        for entry in shape(item, dialect, entries) if not item.single else [shape(item, dialect, entries)]:
            words = " ".join("%s=%s" % (k, diff_value(v)) for k, v in sorted(entry.items()))
            lines.append("%s %s" % (item.path_for(dialect), words))
    return "\n".join(sorted(lines)) + "\n"


def diff_value(value: Any) -> str:
    """A value as a RouterOS script would write it (yes/no, comma-separated lists, quoted text)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return script_quote(",".join(str(item) for item in value))
    return script_quote(str(value))


def task_config(module: AnsibleModule, resource: Declared) -> Tuple[Any, str]:
    """The task's entries and where they came from: `config`, or the file `config_file` names
    (checked against config's argument spec; nothing is read from the router on a problem)."""
    path = module.params.get("config_file")
    if not path:
        return module.params["config"], "config"
    try:
        config, errors = load_config_file(path, argument_spec(resource)["config"])
    except ConfigFileError as error:
        module.fail_json(msg="%s: config_file: %s; nothing was changed" % (resource.name, error))
    if errors:
        module.fail_json(msg=failure_text(resource, errors, path))
    return config, FILE_ROOT


def run(module: AnsibleModule, resource: Declared) -> None:
    """The whole module: one engine call."""
    params = module.params
    state = params["state"]
    config, root = task_config(module, resource)
    source = params.get("config_file")

    def fail(errors: List[str]) -> None:
        module.fail_json(msg=failure_text(resource, errors, source))
    params["config"] = masked_config(resource, params["config"])
    # config's secrets never reach the output (the engine omits or masks them), so Ansible's
    # output scrub, which costs secrets x output strings, only needs the connection's own
    module.no_log_values = {value for value in module.no_log_values if value == params["password"]}
    scope = params.get("scope")
    errors = check_task(resource, state, config, scope)
    errors += validation_errors(resource, config, None, root)
    if errors:
        fail(errors)
    if state == "rendered":
        dialect = params["ros_version"]
        errors = validation_errors(resource, config, dialect, root, dialect_only=True)
        if errors:
            fail(errors)
        try:
            empty: Dict[str, List[Current]] = {r.name: fresh_router(r, dialect) for r in resources_of(resource, dialect)}
            result = plan_task(resource, dialect, config, "merged", scope, empty)
        except PlanError as error:
            fail([str(error)])
        module.exit_json(changed=False, rendered=[render(op) for op in result.ops])
    require_connection(module, RENDERED_NEEDS_NO_ROUTER)
    client = None
    try:
        client = Client(params)
        dialect = client.dialect()
        errors = validation_errors(resource, config, dialect, root, dialect_only=True)
        if not errors and needs_interfaces(resource) and state not in ("deleted", "gathered"):
            errors = interface_errors(known_interfaces(client, [(resource, config)]), resource, config, root)
        if errors:
            fail(errors)
        current = read_current(client, resources_of(resource, dialect), dialect)
        if state == "gathered":
            module.exit_json(changed=False, gathered=shape_task(resource, dialect, current, scope))
        result = plan_task(resource, dialect, config, state, scope, current)
        if result.ops and not module.check_mode:
            apply(client, result.ops)
            if not is_large(resource, result):
                # report what the router made of it; a large task reports the prediction, which
                # shows values as RouterOS prints them (check mode's `after` equals a real one's)
                result.after = read_current(client, resources_of(resource, dialect), dialect)
    except (RouterError, PlanError) as error:
        fail([str(error)])
    except ApplyError as error:
        module.fail_json(msg="%s: %s" % (resource.name, error))
    except Exception as error:  # a bug: say so in one line, the traceback only at -vvv
        module.fail_json(msg="%s: internal error %s: %s" % (resource.name, type(error).__name__, error),
                         exception=traceback.format_exc())
    finally:
        if client is not None:
            client.close()
    exit_with(module, resource, dialect, result)


def masked_config(resource: Declared, config: Any) -> Any:
    """A copy of config with secret options (and those of children) masked, for the echoed arguments."""
    if config is None:
        return None
    if isinstance(resource, Bundle):
        return {key: masked_config(resource.section(key).resource, value) if value is not None else None
                for key, value in config.items()}
    if isinstance(config, list):
        return [masked_config(resource, entry) for entry in config]
    masked = dict(config)
    for item in resource.fields:
        if item.secret and masked.get(item.option) is not None:
            masked[item.option] = SECRET_MASK
    for child in resource.children:
        if masked.get(child.option) is not None:
            masked[child.option] = masked_config(child.resource, masked[child.option])
    return masked


def entry_counts(resource: Declared, result: Plan) -> Dict[str, int]:
    """How many entries before and after list (at their top level)."""
    return {"before": listed_count(resource, result.before),
            "after": listed_count(resource, dict(result.before, **result.after))}


def is_large(resource: Declared, result: Plan) -> bool:
    """More entries than output lists in full."""
    return max(entry_counts(resource, result).values()) > MANY_ENTRIES


def exit_with(module: AnsibleModule, resource: Declared, dialect: str, result: Plan) -> None:
    output = task_output(resource, dialect, result, module._diff)
    if "entry_counts" in output:
        # the echoed arguments: config's entries without the options not given (all None)
        output["invocation"] = {"module_args": dict(module.params, config=without_unset(module.params["config"]))}
    module.exit_json(**output)


def task_output(resource: Declared, dialect: str, result: Plan, with_diff: bool) -> Dict[str, Any]:
    """changed, commands, before, after (entry_counts for a large task) and the diff of one plan."""
    before_entries = result.before
    after_entries = dict(result.before, **result.after)
    output: Dict[str, Any] = {
        "changed": bool(result.ops),
        "commands": [render(op) for op in result.ops],
    }
    counts = entry_counts(resource, result)
    if is_large(resource, result):
        # a large task: before/after (and the diff) list only the entries it changes, at most
        # MANY_ENTRIES; 10,000 entries in the result cost Ansible seconds (JSON, scrub, handling)
        before_entries, after_entries, counts["changed"], counts["listed"] = only_changed(
            resource, dialect, result.touched, before_entries, after_entries)
        output["entry_counts"] = counts
    output["before"] = shape_task(resource, dialect, before_entries)
    output["after"] = shape_task(resource, dialect, after_entries)
    if with_diff:
        output["diff"] = {"before": diff_text(resource, dialect, before_entries),
                          "after": diff_text(resource, dialect, after_entries)}
    return output


def without_unset(value: Any) -> Any:
    """A copy without the None values Ansible fills in for suboptions not given."""
    if isinstance(value, dict):
        return {key: without_unset(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [without_unset(item) for item in value]
    return value


def top_menus(resource: Declared) -> List[Resource]:
    """The menus before/after show at their top level (a bundle's sections, or the resource)."""
    return [section.resource for section in resource.sections] if isinstance(resource, Bundle) else [resource]


def listed_count(resource: Declared, entries: Mapping[str, List[Current]]) -> int:
    """How many entries before/after list at their top level (dynamic ones are never listed)."""
    return sum(len([e for e in entries.get(menu.name, []) if not e.dynamic])
               for menu in top_menus(resource) if not menu.single)


def only_changed(resource: Declared, dialect: str, touched: Mapping[str, Set[Tuple[Any, ...]]],
                 before: Mapping[str, List[Current]], after: Mapping[str, List[Current]]
                 ) -> Tuple[Dict[str, List[Current]], Dict[str, List[Current]], int, int]:
    """before and after reduced to the top-level entries an operation touched (or one of whose
    children it touched), at most MANY_ENTRIES of them per menu (after's order, then removed
    ones), each with all its children; and how many such entries there are, and are listed."""
    kept_before: Dict[str, List[Current]] = dict(before)
    kept_after: Dict[str, List[Current]] = dict(after)
    changed = listed = 0
    for menu in top_menus(resource):
        if menu.single:
            continue
        keys = set(touched.get(menu.name, ()))
        parents: Dict[str, Set[Any]] = {}  # child menu -> canonical parent values of touched children
        for child in menu.children:
            kind = menu.field(child.parent_option).kind
            child_keys = touched.get(child.resource.name, set())
            parents[child.resource.name] = {
                canonical(kind, sub.values.get(child.parent_field))
                for entries in (before, after) for sub in entries.get(child.resource.name, [])
                if child_keys and child.resource.key(sub.values, dialect) in child_keys}

        def wanted(entry: Current) -> bool:
            if keys and menu.key(entry.values, dialect) in keys:
                return True
            return any(parents[child.resource.name] and canonical(
                menu.field(child.parent_option).kind, entry.values.get(child.parent_option))
                in parents[child.resource.name] for child in menu.children)

        ordered: Dict[Tuple[Any, ...], None] = {}  # changed entries' keys, in order
        for entries in (after, before):
            ordered.update((menu.key(e.values, dialect), None) for e in entries.get(menu.name, [])
                           if not e.dynamic and wanted(e))
        shown = set(list(ordered)[:MANY_ENTRIES])
        for entries, kept in ((before, kept_before), (after, kept_after)):
            top = [e for e in entries.get(menu.name, []) if not e.dynamic and menu.key(e.values, dialect) in shown]
            kept[menu.name] = top
            for child in menu.children:
                kind = menu.field(child.parent_option).kind
                names = {canonical(kind, e.values.get(child.parent_option)) for e in top}
                kept[child.resource.name] = [sub for sub in entries.get(child.resource.name, [])
                                             if canonical(kind, sub.values.get(child.parent_field)) in names]
        changed += len(ordered)
        listed += len(shown)
    return kept_before, kept_after, changed, listed


def check_bundle_task(bundle: Bundle, state: str, config: Any, scope: Optional[Mapping[str, Any]]) -> List[str]:
    """Per section: overridden needs its scope; deleted of a whole section needs its scope."""
    given = {key for key, value in (config or {}).items() if value is not None}
    scopes = {key for key, value in (scope or {}).items() if value is not None}
    errors = []
    if state in ("merged", "replaced", "overridden", "rendered") and not given:
        errors.append("config is required with state=%s (give %s)"
                      % (state, ", ".join(section.option for section in bundle.sections)))
    for section in bundle.sections:
        option = section.option
        where = "config.%s" % option
        if state == "overridden" and option in given and option not in scopes and not section.resource.single:
            errors.append("state=overridden removes every entry of %s in scope that it does not list; give "
                          "scope.%s (e.g. {} for the whole menu)" % (where, option))
        if section.resource.single:
            continue
        errors.extend(error.replace("scope.", "scope.%s." % option, 1)
                      for error in check_task(section.resource, "merged", [], (scope or {}).get(option)))
    if state == "deleted" and not given and not scopes:
        errors.append("state=deleted without config removes every entry in scope; give scope per section "
                      "(e.g. scope: {%s: {}})" % bundle.sections[0].option)
    return errors


def check_task(resource: Declared, state: str, config: Any, scope: Optional[Mapping[str, Any]]) -> List[str]:
    """State/config/scope combinations that make no sense, before anything else."""
    if isinstance(resource, Bundle):
        return check_bundle_task(resource, state, config, scope)
    errors = []
    if state in ("merged", "replaced", "overridden", "rendered") and config is None and not resource.single:
        errors.append("config is required with state=%s" % state)
    if state in ("merged", "replaced", "rendered") and resource.single and not config:
        errors.append("config is required with state=%s" % state)
    if state == "overridden" and scope is None:
        errors.append("state=overridden removes every entry in scope that config does not list; "
                      "give scope (e.g. scope: {comment: managed-by-ansible}, or scope: {} for the whole menu)")
    if state == "deleted" and not config and scope is None:
        errors.append("state=deleted without config removes every entry in scope; "
                      "give scope (e.g. scope: {comment: managed-by-ansible}, or scope: {} for the whole menu)")
    for option, value in (scope or {}).items():
        if option not in {item.option for item in resource.fields}:
            errors.append("scope.%s: not an option of %s (options: %s)"
                          % (option, resource.name, ", ".join(item.option for item in resource.fields)))
        elif isinstance(value, dict) and (set(value) != {SCOPE_PREFIX} or not isinstance(value[SCOPE_PREFIX], str)
                                          or not value[SCOPE_PREFIX] or resource.field(option).kind != "str"):
            errors.append("scope.%s: give a value, or {%s: TEXT} (a non-empty text) for a text option"
                          % (option, SCOPE_PREFIX))
    return errors


def failure_text(resource: Declared, errors: List[str], source: Optional[str] = None) -> str:
    """One message for every problem; `source` is the config_file the entries came from."""
    head = resource.name if source is None else "%s: in config_file %s" % (resource.name, source)
    return "%s: %s; nothing was changed" % (head, "; ".join(errors)) if len(errors) == 1 else \
        "%s: %d problems, nothing was changed: %s" % (head, len(errors), "; ".join(errors))


FACTS_ARGUMENT_SPEC: Dict[str, Any] = dict(
    CONNECTION_ARGUMENT_SPEC,
    gather={"type": "list", "elements": "str", "default": [], "choices": sorted(GATHERABLE)},
)


def router_facts(client: Client, dialect: str, gather: List[str]) -> Dict[str, Any]:
    """Version, identity, interfaces, and the asked resources in module-input shape."""
    resource = client.read("/system/resource", ["version", "board-name", "architecture-name"])[0]
    identity = client.read("/system/identity", ["name"])[0]
    interfaces = client.read(INTERFACE_LIST, ["name", "type", "running", "disabled", "mac-address"])
    facts: Dict[str, Any] = {
        "version": str(resource.get("version", "")).split(" ", 1)[0],
        "major": dialect,
        "board_name": str(resource.get("board-name", "")),
        "architecture": str(resource.get("architecture-name", "")),
        "identity": str(identity.get("name", "")),
        "interfaces": [{"name": str(row.get("name")), "type": str(row.get("type", "")),
                        "running": row.get("running") in (True, "true"),
                        "disabled": row.get("disabled") in (True, "true"),
                        "mac_address": str(row.get("mac-address", ""))} for row in interfaces],
        "resources": {},
    }
    for name in gather:
        declared = GATHERABLE[name]
        if dialect in declared.dialects:
            current = read_current(client, resources_of(declared, dialect), dialect)
            facts["resources"][name] = shape_task(declared, dialect, current)
    return facts


def run_facts(module: AnsibleModule) -> None:
    require_connection(module)
    client = None
    try:
        client = Client(module.params)
        facts = router_facts(client, client.dialect(), module.params["gather"])
    except RouterError as error:
        module.fail_json(msg="facts: %s" % error)
    finally:
        if client is not None:
            client.close()
    module.exit_json(changed=False, ansible_facts={"routeros": facts})
