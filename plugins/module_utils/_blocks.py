# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Several resources in one task (the `resources` module): one payload, one connection, one task.

A role that manages ten menus as ten module tasks pays Ansible's price ten times (a module payload
built per distinct module, a process, a login, ~0.3 s of task handling). Here each block is what a
resource module's task would be (`resource`, `config`, `state`, `scope`), checked against that
module's own argument spec, and the blocks run in order through the same engine: every block is
checked (options, dialect, interfaces) before the first write, menus are read once per task, and
each block sees what the blocks before it did (or, in check mode, would do).
"""
from __future__ import annotations

import traceback
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from ansible.module_utils.basic import AnsibleModule

from ._api import CONNECTION_ARGUMENT_SPEC, Client, RouterError
from ._config_file import ConfigFileError, conform, kind_name, load_config_file
from ._declarations import GATHERABLE as RESOURCES
from ._resource import STATES, Bundle, Resource, bundle_argument_spec, resource_argument_spec
from ._runner import (
    RENDERED_NEEDS_NO_ROUTER, ApplyError, Declared, apply, check_task, interface_errors, is_large, known_interfaces,
    needs_interfaces, plan_task, read_current, require_connection, resources_of, shape_task, task_output,
    validation_errors,
)
from ._sync import SECRET_MASK, Current, PlanError, fresh_router, render

BLOCK_OPTIONS = ("name", "resource", "config", "config_file", "state", "scope")

ARGUMENT_SPEC: Dict[str, Any] = dict(
    CONNECTION_ARGUMENT_SPEC,
    resources={"type": "list", "elements": "dict", "required": True, "options": {
        "name": {"type": "str"},
        "resource": {"type": "str", "required": True, "choices": sorted(RESOURCES)},
        "config": {"type": "raw"},
        "config_file": {"type": "path"},
        "state": {"type": "str", "default": "merged", "choices": list(STATES)},
        "scope": {"type": "dict"},
    }},
    ros_version={"type": "str", "default": "7", "choices": ["6", "7"]},
)

# option names of secret fields in any resource: masked wherever they appear in the echoed blocks
SECRET_OPTIONS = frozenset(
    item.option
    for declared in RESOURCES.values()
    for top in ([section.resource for section in declared.sections] if isinstance(declared, Bundle) else [declared])
    for menu in [top] + [child.resource for child in top.children]
    for item in menu.fields if item.secret)


@dataclass
class Block:
    """One resource module task inside the `resources` task."""

    index: int
    name: str
    declared: Declared
    config: Any
    state: str
    scope: Any

    @property
    def where(self) -> str:
        return "resources[%d] (%s)" % (self.index, self.name)


def masked(value: Any) -> Any:
    """The blocks as given, with every secret option's value masked (also in malformed input)."""
    if isinstance(value, list):
        return [masked(item) for item in value]
    if isinstance(value, dict):
        return {key: SECRET_MASK if key in SECRET_OPTIONS and item is not None else masked(item)
                for key, item in value.items()}
    return value


class BlocksModule(AnsibleModule):
    """Logs its invocation with the blocks' secrets masked (they are not no_log options)."""

    def _log_invocation(self) -> None:
        saved = self.params.get("resources")
        self.params["resources"] = masked(saved)
        try:
            super()._log_invocation()
        finally:
            self.params["resources"] = saved


def new_blocks_module() -> AnsibleModule:
    return BlocksModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)


def resource_spec(declared: Declared) -> Dict[str, Any]:
    return bundle_argument_spec(declared) if isinstance(declared, Bundle) else resource_argument_spec(declared)


def read_block(index: int, given: Any, errors: List[str]) -> Optional[Block]:
    """One block checked as its resource module checks its task, or None (errors say why)."""
    where = "resources[%d]" % index
    if not isinstance(given, dict):
        errors.append("%s: must be a mapping (resource, config, state, scope, name), got %s" % (where, kind_name(given)))
        return None
    unknown = sorted(str(key) for key in given if key not in BLOCK_OPTIONS)
    if unknown:
        errors.append("%s: unknown option%s %s (options: %s)"
                      % (where, "s" if len(unknown) > 1 else "", ", ".join(unknown), ", ".join(BLOCK_OPTIONS)))
    resource = given.get("resource")
    if resource not in RESOURCES:
        errors.append("%s.resource: %s; one of %s" % (
            where, "missing, it is required" if resource is None else "%r is not a resource" % (resource,),
            ", ".join(sorted(RESOURCES))))
        return None
    declared = RESOURCES[resource]
    name = given.get("name") or resource
    where = "resources[%d] (%s)" % (index, name)
    spec = resource_spec(declared)
    found: Dict[str, Any] = {}
    for option in ("config", "state", "scope"):
        value = given.get(option)
        if option not in spec:
            if value is not None:
                errors.append("%s.%s: %s takes no %s" % (where, option, resource, option))
            found[option] = None
        elif value is None:
            found[option] = spec[option].get("default")
        else:
            found[option] = conform(spec[option], value, "%s.%s" % (where, option), errors)
    path = given.get("config_file")
    if path:
        found["config"] = block_file(where, path, given.get("config") is not None, spec, errors)
    return Block(index, str(name), declared, found["config"], found["state"], found["scope"])


def block_file(where: str, path: str, with_config: bool, spec: Dict[str, Any], errors: List[str]) -> Any:
    """A block's entries from its config_file, checked as `config` is (problems go to errors)."""
    if with_config:
        errors.append("%s: give config or config_file, not both" % where)
        return None
    if "config" not in spec:
        errors.append("%s.config_file: this resource takes no config" % where)
        return None
    try:
        config, problems = load_config_file(path, spec["config"])
    except ConfigFileError as error:
        errors.append("%s.config_file: %s" % (where, error))
        return None
    errors.extend("%s: in config_file %s: %s" % (where, path, problem) for problem in problems)
    return config


def read_blocks(given: List[Any]) -> Tuple[List[Block], List[str]]:
    """The task's blocks and every problem in them (options, states, entries), before any connection."""
    errors: List[str] = []
    blocks = []
    for index, raw in enumerate(given):
        before = len(errors)
        block = read_block(index, raw, errors)
        if block is None or len(errors) > before:
            continue
        problems = check_task(block.declared, block.state, block.config, block.scope)
        problems += validation_errors(block.declared, block.config, None, "config")
        errors.extend("%s: %s" % (block.where, problem) for problem in problems)
        blocks.append(block)
    seen: Dict[str, int] = {}
    for block in blocks:
        if block.name in seen:
            errors.append("%s: the name is taken by resources[%d]; give each block its own name"
                          % (block.where, seen[block.name]))
        seen.setdefault(block.name, block.index)
    if not given:
        errors.append("resources: give at least one block (resource, config, state)")
    rendered = {block.state == "rendered" for block in blocks}
    if len(rendered) > 1:
        errors.append("resources: state=rendered needs no router, the other states do; "
                      "give rendered blocks a task of their own")
    return blocks, errors


class Menus:
    """What the task knows of the router's menus: read once, then as the blocks left them."""

    def __init__(self, read: Callable[[List[Resource]], Dict[str, List[Current]]]) -> None:
        self.read = read  # several menus at once
        self.known: Dict[str, List[Current]] = {}

    def get(self, menus: List[Resource]) -> Dict[str, List[Current]]:
        missing = list({menu.name: menu for menu in menus if menu.name not in self.known}.values())
        if missing:
            self.known.update(self.read(missing))
        return {menu.name: self.known[menu.name] for menu in menus}

    def update(self, entries: Mapping[str, List[Current]]) -> None:
        self.known.update(entries)

    def forget(self, menus: List[Resource]) -> None:
        for menu in menus:
            self.known.pop(menu.name, None)


def interface_problems(client: Client, blocks: List[Block]) -> List[str]:
    """Interfaces the blocks name that neither the router nor a block (a bridge) has."""
    writing = [block for block in blocks if block.state not in ("deleted", "gathered")]
    wanted = [block for block in writing if needs_interfaces(block.declared)]
    if not wanted:
        return []
    known = known_interfaces(client, [(block.declared, block.config) for block in writing])
    return ["%s: %s" % (block.where, problem) for block in wanted
            for problem in interface_errors(known, block.declared, block.config)]


def failure(errors: List[str], done: List[Dict[str, Any]]) -> str:
    """One message for every problem, and what earlier blocks already changed."""
    text = "resources: %s" % errors[0] if len(errors) == 1 else \
        "resources: %d problems: %s" % (len(errors), "; ".join(errors))
    changed = [result["name"] for result in done if result.get("changed")]
    if changed:
        return "%s; the blocks before it changed %s (a re-run continues from there)" % (text, ", ".join(changed))
    return text + "; nothing was changed"


def run_blocks(module: AnsibleModule) -> None:
    """The whole module: every block checked, then each planned and applied in order."""
    params = module.params
    blocks, errors = read_blocks(params["resources"])
    params["resources"] = masked(params["resources"])  # the echoed arguments
    # the blocks' secrets never reach the output (the engine masks them), so Ansible's output
    # scrub only needs the connection's password
    module.no_log_values = {value for value in module.no_log_values if value == params["password"]}
    done: List[Dict[str, Any]] = []
    if errors:
        module.fail_json(msg=failure(errors, done))
    if blocks[0].state == "rendered":
        run_rendered(module, blocks, params["ros_version"])
    require_connection(module, RENDERED_NEEDS_NO_ROUTER)
    client = None
    try:
        client = Client(params)
        dialect = client.dialect()
        errors = ["%s: %s" % (block.where, problem) for block in blocks
                  for problem in validation_errors(block.declared, block.config, dialect, "config", dialect_only=True)]
        errors = errors or interface_problems(client, blocks)
        if errors:
            module.fail_json(msg=failure(errors, done))
        live = client
        menus = Menus(lambda wanted: read_current(live, wanted, dialect))
        # every block's menus in one round trip; a block's own are read again after it writes
        menus.get([menu for block in blocks for menu in resources_of(block.declared, dialect)])
        for block in blocks:
            done.append(run_block(module, client, block, dialect, menus))
    except (RouterError, PlanError, ApplyError) as error:
        where = blocks[len(done)].where if len(done) < len(blocks) else "resources"
        module.fail_json(msg=failure(["%s: %s" % (where, error)], done), results=done)
    except Exception as error:  # a bug: say so in one line, the traceback only at -vvv
        module.fail_json(msg="resources: internal error %s: %s" % (type(error).__name__, error),
                         exception=traceback.format_exc(), results=done)
    finally:
        if client is not None:
            client.close()
    module.exit_json(**combined(done, module._diff))


def run_block(module: AnsibleModule, client: Client, block: Block, dialect: str, menus: Menus) -> Dict[str, Any]:
    """Plan one block against what the task knows of the router, apply it, report it."""
    read_menus = resources_of(block.declared, dialect)
    current = menus.get(read_menus)
    head = {"name": block.name, "resource": block.declared.name, "state": block.state}
    if block.state == "gathered":
        return dict(head, changed=False, gathered=shape_task(block.declared, dialect, current, block.scope))
    result = plan_task(block.declared, dialect, block.config, block.state, block.scope, current)
    if result.ops and module.check_mode:
        menus.update(result.after)  # later blocks plan against what this one would leave
    elif result.ops:
        apply(client, result.ops)
        menus.forget(read_menus)  # later blocks read what the router made of it
        if not is_large(block.declared, result):
            result.after = menus.get(read_menus)
    return dict(head, **task_output(block.declared, dialect, result, module._diff))


def combined(done: List[Dict[str, Any]], with_diff: bool) -> Dict[str, Any]:
    """The task's result: per block, and every command in the order they ran."""
    output: Dict[str, Any] = {
        "changed": any(result["changed"] for result in done),
        "commands": [line for result in done for line in result.get("commands", [])],
        "results": [{key: value for key, value in result.items() if key != "diff"} for result in done],
    }
    if with_diff:
        output["diff"] = [dict(result["diff"], before_header=result["name"], after_header=result["name"])
                          for result in done if result.get("changed") and "diff" in result]
    return output


def run_rendered(module: AnsibleModule, blocks: List[Block], dialect: str) -> None:
    """Script lines that create every block on an empty router, in order; no connection."""
    errors = ["%s: %s" % (block.where, problem) for block in blocks
              for problem in validation_errors(block.declared, block.config, dialect, "config", dialect_only=True)]
    if errors:
        module.fail_json(msg=failure(errors, []))
    menus = Menus(lambda wanted: {menu.name: fresh_router(menu, dialect) for menu in wanted})
    done = []
    for block in blocks:
        current = menus.get(resources_of(block.declared, dialect))
        try:
            result = plan_task(block.declared, dialect, block.config, "merged", block.scope, current)
        except PlanError as error:
            module.fail_json(msg=failure(["%s: %s" % (block.where, error)], []))
        menus.update(result.after)
        done.append({"name": block.name, "resource": block.declared.name, "changed": False,
                     "rendered": [render(op) for op in result.ops]})
    module.exit_json(changed=False, rendered=[line for result in done for line in result["rendered"]], results=done)
