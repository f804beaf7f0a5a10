#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: pppoe_server
short_description: Manage PPPoE servers (/interface pppoe-server server)
version_added: 0.2.0
description:
  - "Adds, changes and removes PPPoE servers. A server is identified by O(config[].interface) and
    O(config[].service_name) together (several services may share an interface)."
  - "RouterOS adds a new server disabled; this module enables the servers it manages unless
    O(config[].disabled=true): the default of O(config[].disabled) is V(false), a server that runs, so a server
    disabled behind Ansible's back is reported and enabled again."
  - "O(config[].comment) and O(config[].accept_empty_service) exist on RouterOS 7.x only; giving them for a 6.x
    router fails before anything is written."
  - "Works with RouterOS 6.49 and 7.x through the API; check mode and diff are supported."
author:
  - ispkit contributors (@ispkit)
extends_documentation_fragment:
  - ispkit.routeros.api
  - ispkit.routeros.api.config_file
  - ispkit.routeros.api.resource
options:
  config:
    description:
      - The entries to manage.
    type: list
    elements: dict
    suboptions:
      interface:
        description:
          - "Interface the server listens on (usually the subscriber bridge); it must exist on the router. With
            O(config[].service_name), identifies the server."
        required: true
        type: str
      service_name:
        description:
          - "PPPoE service name. With O(config[].interface), identifies the server."
        required: true
        type: str
      default_profile:
        description:
          - "PPP profile of sessions whose secret or RADIUS reply names none (RouterOS default C(default))."
        type: str
      authentication:
        description:
          - "Authentication protocols offered to clients (RouterOS default C(pap,chap,mschap1,mschap2))."
        type: list
        elements: str
        choices: [pap, chap, mschap1, mschap2]
      one_session_per_host:
        description:
          - "Whether a client MAC address may have one session only (RouterOS default C(false))."
        type: bool
      max_sessions:
        description:
          - "Most sessions at once, a number or C(unlimited) (RouterOS default C(unlimited))."
        type: str
      keepalive_timeout:
        description:
          - "Seconds without answer after which a session is dropped, a number or C(disabled) (RouterOS default
            C(10))."
        type: str
      max_mtu:
        description:
          - "Largest MTU, a number or C(auto) (RouterOS default C(auto))."
        type: str
      max_mru:
        description:
          - "Largest MRU, a number or C(auto) (RouterOS default C(auto))."
        type: str
      mrru:
        description:
          - "Largest reconstructed unit (multilink), a number or C(disabled) (RouterOS default C(disabled))."
        type: str
      pado_delay:
        description:
          - "Milliseconds to wait before answering a discovery, 0 to 60000 (RouterOS default C(0))."
        type: int
      accept_empty_service:
        description:
          - "Whether clients asking for no service name are served (RouterOS default C(true)). RouterOS 7.x only."
        type: bool
      comment:
        description:
          - "Comment of the entry. RouterOS 7.x only."
        type: str
      disabled:
        description:
          - "Whether the server is disabled. RouterOS adds a server disabled when not told otherwise; this
            module's default is a server that runs, so a server this module touches is enabled unless
            O(config[].disabled=true) is given."
        type: bool
        default: false
attributes:
  check_mode:
    description: Check mode reads the router and reports the commands a real run would send, and writes nothing.
    support: full
  diff_mode:
    description: Diff mode shows the entries before and after, one line per entry.
    support: full
'''

EXAMPLES = r'''
- name: PPPoE on the subscriber bridge
  ispkit.routeros.pppoe_server:
    hostname: 192.0.2.1
    password: "{{ routeros_password }}"
    config:
      - interface: bridge-subscribers
        service_name: internet
        default_profile: pppoe-10M
        authentication: [pap, chap, mschap2]
        one_session_per_host: true
'''

RETURN = r'''
before:
  description: The entries before the task, in the shape O(config) takes.
    With more than 500 entries, only those the task changes (see RV(entry_counts)).
  returned: when state is merged, replaced, overridden or deleted
  type: list
  elements: dict
  sample: [{interface: bridge-subscribers, service_name: internet, default_profile: pppoe-10M, disabled: false}]
after:
  description: The entries after the task (predicted in check mode).
    With more than 500 entries, only those the task changes, as predicted (see RV(entry_counts)).
  returned: when state is merged, replaced, overridden or deleted
  type: list
  elements: dict
  sample: [{interface: bridge-subscribers, service_name: internet, default_profile: pppoe-10M, disabled: false}]
entry_counts:
  description:
    - How many entries RV(before) and RV(after) would list, how many the task changes, and how many
      of those they list.
    - Returned only when RV(before) or RV(after) would list more than 500 entries; they then list only
      the C(changed) entries (those the task adds, sets, unsets, moves or removes), at most 500 of them
      (C(listed)), and the diff shows only those. RV(commands) is complete.
  returned: when before or after holds more than 500 entries
  type: dict
  contains:
    before:
      description: Entries before the task.
      type: int
    after:
      description: Entries after the task.
      type: int
    changed:
      description: Entries the task changes, the only ones RV(before) and RV(after) list.
      type: int
    listed:
      description: How many of the changed entries RV(before) and RV(after) list (at most 500).
      type: int
  sample: {before: 10000, after: 10000, changed: 100, listed: 100}
commands:
  description: RouterOS script lines the task ran, or would run in check mode.
  returned: when state is merged, replaced, overridden or deleted
  type: list
  elements: str
  sample: ['/interface pppoe-server server add interface=bridge-subscribers service-name=internet disabled=no']
gathered:
  description: The entries on the router, in the shape O(config) takes.
  returned: when state is gathered
  type: list
  elements: dict
  sample: [{interface: bridge-subscribers, service_name: internet, default_profile: pppoe-10M, disabled: false}]
rendered:
  description: RouterOS script lines that create O(config) on an empty router.
  returned: when state is rendered
  type: list
  elements: str
  sample: ['/interface pppoe-server server add interface=bridge-subscribers service-name=internet disabled=no']
'''

from ansible_collections.ispkit.routeros.plugins.module_utils._declarations_access import PPPOE_SERVER
from ansible_collections.ispkit.routeros.plugins.module_utils._runner import new_module, run


def main():
    run(new_module(PPPOE_SERVER), PPPOE_SERVER)


if __name__ == '__main__':
    main()
