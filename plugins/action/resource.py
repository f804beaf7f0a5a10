# -*- coding: utf-8 -*-
# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action of the list resource modules and of `resources` (meta/runtime.yml routes them here).

It finds O(config_file) (of the task, or of each block of `resources`) on the controller the way
`copy` finds `src` (a role's files/, the playbook's directory...), decrypts a vault-encrypted file
to a private temporary file for the module's run, then runs the module as the `normal` action
would. The module reads and checks the file itself: its 10,000 entries never go through
templating, argument validation or the task result. Everything else is the module's business.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from ansible.errors import AnsibleError
from ansible.plugins.action import ActionBase
from ansible.utils.vars import merge_hash


class ActionModule(ActionBase):
    """Resolves config_file, then runs the module."""

    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp: Optional[str] = None, task_vars: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        result = super().run(tmp, task_vars)
        del tmp  # tmp no longer has any effect
        wrap_async = self._task.async_val and not self._connection.has_native_async
        args = dict(self._task.args)
        blocks = args.get("resources")
        if isinstance(blocks, list):
            args["resources"] = blocks = [dict(block) if isinstance(block, dict) else block for block in blocks]
        holders = [args] + [block for block in blocks or [] if isinstance(block, dict)]
        decrypted: List[Tuple[str, str]] = []  # (decrypted copy, the user's file)
        try:
            for holder in holders:
                given = holder.get("config_file")
                if not given:
                    continue
                try:
                    found = self._find_needle("files", given)
                    real = self._loader.get_real_file(found, decrypt=True)
                except AnsibleError as error:
                    return self.failed(result, given, "cannot use %s: %s" % (given, error.message))
                if real != found:
                    decrypted.append((real, found))
                    if wrap_async:
                        return self.failed(result, given, "a vault-encrypted file cannot be read by an async task "
                                                          "(its decrypted copy would outlive the task)")
                holder["config_file"] = real
            result = merge_hash(result, self._execute_module(module_args=args, task_vars=task_vars,
                                                             wrap_async=wrap_async))
        finally:
            for copy, _found in decrypted:
                self._loader.cleanup_tmp_file(copy)
        for copy, found in decrypted:
            self.name_the_vault_file(result, copy, found)
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)  # pylint: disable=protected-access
        return result

    def failed(self, result: Dict[str, Any], given: str, why: str) -> Dict[str, Any]:
        name = self._task.action.rsplit(".", 1)[-1]
        where = "" if given == self._task.args.get("config_file") else " of a block (%s)" % given
        result.update(failed=True, msg="%s: config_file%s: %s; nothing was changed" % (name, where, why))
        return result

    @staticmethod
    def name_the_vault_file(result: Dict[str, Any], decrypted: str, found: str) -> None:
        """Messages and the echoed arguments name the user's file, not its decrypted copy."""
        if isinstance(result.get("msg"), str):
            result["msg"] = result["msg"].replace(decrypted, found)
        module_args = result.get("invocation", {}).get("module_args", {})
        for holder in [module_args] + [block for block in module_args.get("resources") or [] if isinstance(block, dict)]:
            if holder.get("config_file") == decrypted:
                holder["config_file"] = found
