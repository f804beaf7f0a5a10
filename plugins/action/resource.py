# -*- coding: utf-8 -*-
# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action of the list resource modules (meta/runtime.yml routes them here).

It finds O(config_file) on the controller the way `copy` finds `src` (a role's files/, the
playbook's directory...), decrypts a vault-encrypted file to a private temporary file for the
module's run, then runs the module as the `normal` action would. The module reads and checks the
file itself: its 10,000 entries never go through templating, argument validation or the task
result. Everything else is the module's business.
"""
from __future__ import annotations

from typing import Any, Dict, Optional

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
        given = args.get("config_file")
        found = decrypted = None
        if given:
            try:
                found = self._find_needle("files", given)
                real = self._loader.get_real_file(found, decrypt=True)
            except AnsibleError as error:
                return self.failed(result, "cannot use %s: %s" % (given, error.message))
            if real != found:
                decrypted = real
                if wrap_async:
                    self._loader.cleanup_tmp_file(decrypted)
                    return self.failed(result, "a vault-encrypted file cannot be read by an async task "
                                               "(its decrypted copy would outlive the task)")
            args["config_file"] = real
        try:
            result = merge_hash(result, self._execute_module(module_args=args, task_vars=task_vars,
                                                             wrap_async=wrap_async))
        finally:
            if decrypted:
                self._loader.cleanup_tmp_file(decrypted)
        if decrypted and found:
            self.name_the_vault_file(result, decrypted, found)
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)  # pylint: disable=protected-access
        return result

    def failed(self, result: Dict[str, Any], why: str) -> Dict[str, Any]:
        name = self._task.action.rsplit(".", 1)[-1]
        result.update(failed=True, msg="%s: config_file: %s; nothing was changed" % (name, why))
        return result

    @staticmethod
    def name_the_vault_file(result: Dict[str, Any], decrypted: str, found: str) -> None:
        """Messages and the echoed arguments name the user's file, not its decrypted copy."""
        if isinstance(result.get("msg"), str):
            result["msg"] = result["msg"].replace(decrypted, found)
        module_args = result.get("invocation", {}).get("module_args", {})
        if module_args.get("config_file") == decrypted:
            module_args["config_file"] = found
