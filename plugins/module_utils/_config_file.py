# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`config_file`: a task's entries read from a JSON or YAML file, checked as Ansible checks `config`.

Ten thousand entries written in a playbook cost Ansible 12-13 s before a module even starts (YAML
origin tags, deep copies, templating, pickling the arguments with the result). Read from a file by
the module, they cost a fraction of a second. The check below applies the same argument spec as
`config` (types converted by Ansible's own type checkers, choices, required options, defaults,
unknown options refused), without the per-dictionary machinery of Ansible's validator; messages
name the entry and option (`config_file[3].service`) and never show a value of a no_log option.
"""
from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping, Optional, Tuple

from ansible.module_utils.common.parameters import DEFAULT_TYPE_VALIDATORS
from ansible.module_utils.parsing.convert_bool import BOOLEANS_FALSE, BOOLEANS_TRUE

try:
    import yaml
except ImportError:  # JSON files still work
    yaml = None  # type: ignore[assignment]

ROOT = "config_file"

# spec keys of `config` and its suboptions this check implements (entry_options_spec writes no others)
HANDLED_SPEC_KEYS = frozenset(("type", "elements", "options", "choices", "required", "default", "no_log"))


# a value of exactly this Python type is returned unchanged by Ansible's checker of the option type
EXACT_TYPES = {"str": str, "int": int, "bool": bool}


class ConfigFileError(Exception):
    """The file cannot be read or parsed; worded for the user, never showing its content."""


def read_file(path: str) -> Any:
    """The file's data: JSON when it parses as JSON (fast), else YAML (safe loader)."""
    try:
        with open(path, "rb") as handle:
            text = handle.read()
    except OSError as error:
        raise ConfigFileError("cannot read %s: %s" % (path, error.strerror or error)) from None
    try:
        return json.loads(text)
    except ValueError:
        pass
    if yaml is None:
        raise ConfigFileError("%s is not JSON, and reading YAML needs PyYAML on the host that runs the module" % path)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)  # nosec B506: a safe loader
    except yaml.YAMLError as error:
        raise ConfigFileError("%s is neither JSON nor YAML: %s" % (path, yaml_problem(error))) from None


def yaml_problem(error: Exception) -> str:
    """Where and what, without the snippet of the file PyYAML would quote (it may hold a secret)."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or type(error).__name__
    if mark is None:
        return str(problem)
    return "line %d, column %d: %s" % (mark.line + 1, mark.column + 1, problem)


def kind_name(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean", int: "an integer",
            float: "a number"}.get(type(value), type(value).__name__)


def conform(spec: Mapping[str, Any], value: Any, where: str, errors: List[str]) -> Any:
    """`value` converted as Ansible converts an option of this spec; problems go to `errors`."""
    if "options" not in spec:
        return conform_value(spec, value, where, errors)
    entry = EntrySpec(spec["options"])
    if spec.get("type") != "list":
        return entry.conform(value, where, errors)
    if not isinstance(value, list):
        errors.append("%s: must be a list of entries, got %s" % (where, kind_name(value)))
        return None
    return [entry.conform(item, "%s[%d]" % (where, index), errors) for index, item in enumerate(value)]


def conform_value(spec: Mapping[str, Any], value: Any, where: str, errors: List[str]) -> Any:
    """One value of a plain option (str, int, bool, a list of them...)."""
    wanted = spec.get("type", "str")
    secret = bool(spec.get("no_log"))
    try:
        converted = DEFAULT_TYPE_VALIDATORS[wanted](value)
        if spec.get("elements"):
            converted = [DEFAULT_TYPE_VALIDATORS[spec["elements"]](item) for item in converted]
    except (TypeError, ValueError):
        shown = "" if secret else " %r" % (value,)
        errors.append("%s: must be %s, got %s%s" % (where, wanted_name(spec), kind_name(value), shown))
        return None
    choices = spec.get("choices")
    if choices is not None:
        words = converted if isinstance(converted, list) else [converted]
        words = [chosen(word, choices) for word in words]
        bad = [word for word in words if word not in choices]
        if bad:
            shown = "the value" if secret else ", ".join(str(word) for word in bad)
            errors.append("%s: %s is not one of %s" % (where, shown, ", ".join(map(str, choices))))
        converted = words if isinstance(converted, list) else words[0]
    return converted


def wanted_name(spec: Mapping[str, Any]) -> str:
    wanted = spec.get("type", "str")
    if "options" in spec:
        return "a list of entries" if wanted == "list" else "a mapping of options"
    if spec.get("elements"):
        return "a list of %s values" % spec["elements"]
    return {"str": "a string", "int": "an integer", "bool": "a boolean (yes/no, true/false)",
            "list": "a list", "dict": "a mapping", "path": "a path"}.get(wanted, "of type %s" % wanted)


def chosen(word: Any, choices: List[Any]) -> Any:
    """YAML turns `yes` into True and Ansible's str check into 'True': map it back to the one
    boolean word among the choices, as Ansible does for `config`."""
    for text, words in (("True", BOOLEANS_TRUE), ("False", BOOLEANS_FALSE)):
        if word == text and word not in choices:
            overlap = [choice for choice in choices if choice in words]
            if len(overlap) == 1:
                return overlap[0]
    return word


class EntrySpec:
    """The suboptions of one entry, prepared once for every entry of a file."""

    def __init__(self, options: Mapping[str, Mapping[str, Any]]) -> None:
        self.options = options
        self.absent = {name: spec.get("default") for name, spec in options.items()}  # default, or None
        self.required = [name for name, spec in options.items() if spec.get("required")]
        # options whose values of this exact Python type Ansible's type check returns unchanged
        self.plain = {name: EXACT_TYPES.get(spec.get("type", "str")) for name, spec in options.items()
                      if "choices" not in spec and "options" not in spec and "elements" not in spec}

    def conform(self, entry: Any, where: str, errors: List[str]) -> Optional[Dict[str, Any]]:
        """One entry: unknown options refused, required ones present, defaults filled and absent
        options None, as in `config`."""
        if not isinstance(entry, dict):
            errors.append("%s: must be a mapping of options, got %s" % (where, kind_name(entry)))
            return None
        result = dict(self.absent)
        unknown = []
        for name, value in entry.items():
            if name not in self.options:
                unknown.append(str(name))
            elif value is None:
                continue
            elif type(value) is self.plain.get(name):  # pylint: disable=unidiomatic-typecheck
                result[name] = value  # most values of a large file: no conversion to do
            else:
                result[name] = conform(self.options[name], value, "%s.%s" % (where, name), errors)
        if unknown:
            errors.append("%s: unknown option%s %s (options: %s)" % (
                where, "s" if len(unknown) > 1 else "", ", ".join(sorted(unknown)), ", ".join(sorted(self.options))))
        for name in self.required:
            if result[name] is None:
                errors.append("%s.%s: missing, it is required" % (where, name))
        return result


def load_config_file(path: str, config_spec: Mapping[str, Any]) -> Tuple[Any, List[str]]:
    """The file's entries in the shape `config` takes, and every problem found in them."""
    data = read_file(path)
    if data is None:
        return None, ["%s is empty; it must hold what config takes (%s)" % (path, wanted_name(config_spec))]
    errors: List[str] = []
    return conform(config_spec, data, ROOT, errors), errors
