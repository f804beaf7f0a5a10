#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: resources
short_description: Manage several RouterOS resources in one task (one connection, one module run)
version_added: 0.3.0
description:
  - "Each block of O(resources) is what a task of one of this collection's resource modules would be: the
    module's name in O(resources[].resource), and its O(resources[].config), O(resources[].state) and
    O(resources[].scope), with the same meaning, checks and results (see each module's documentation)."
  - "Every block is checked before the first write: options against its module's argument spec, entries,
    the router's dialect and the interfaces it names (a bridge another block creates counts). A bad block
    fails the task with a message naming the block and the option, and nothing is written."
  - "Blocks run in the order given, on one API session; each one sees what the blocks before it did, or
    in check mode what they would do. Menus are read once per task. If the router refuses a command, the
    task fails naming the block and what earlier blocks changed; a re-run continues from there."
  - "Why: a role that manages fifteen menus as fifteen module tasks pays Ansible's per-task and per-module
    cost fifteen times (a module payload built per distinct module and run, a process, a login). As blocks
    of one task it pays it once; C(ispkit.routeros.dual_isp) and C(ispkit.routeros.subscriber_access) work
    this way."
  - "Secrets (PPP and Hotspot passwords, RADIUS secrets) are never shown: masked in commands and in the
    echoed arguments, left out of C(before), C(after) and C(gathered)."
  - "Works with RouterOS 6.49 and 7.x through the API; check mode and diff are supported."
author:
  - ispkit contributors (@ispkit)
extends_documentation_fragment:
  - ispkit.routeros.api
options:
  resources:
    description:
      - "The blocks, applied in this order (put what others name first: a bridge before its addresses,
        pools before the profiles that use them)."
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description:
          - "The block's name in RV(results) and in the diff (default the resource's name). Unique in the task."
        type: str
      resource:
        description:
          - "The resource module whose task this block is."
        type: str
        required: true
        choices: [address, bridge, dhcp_client, dhcp_server, hotspot, hotspot_user, identity, mangle, nat,
                  netwatch, ospf, pool, ppp_profile, ppp_secret, pppoe_server, radius, routes, service]
      config:
        description:
          - "As that module's O(ispkit.routeros.address#module:config) (a list of entries, or a mapping for
            single-value menus and bundles such as O(ispkit.routeros.radius#module:config))."
        type: raw
      config_file:
        description:
          - "A JSON or YAML file with what O(resources[].config) takes, instead of it: found on the controller
            like O(ispkit.routeros.address#module:config_file) (a role's C(files/), the playbook's directory),
            decrypted when vault-encrypted, read and checked by the module (errors name the block, the file,
            the entry and the option)."
        type: path
      state:
        description:
          - "As that module's O(ispkit.routeros.address#module:state). V(rendered) needs no router and cannot be
            mixed with other states in one task."
        type: str
        choices: [merged, replaced, overridden, deleted, gathered, rendered]
        default: merged
      scope:
        description:
          - "As that module's O(ispkit.routeros.address#module:scope): which entries V(overridden) and
            V(deleted) own."
        type: dict
  ros_version:
    description:
      - RouterOS major version to render for when every block has O(resources[].state=rendered).
    type: str
    choices: ['6', '7']
    default: '7'
attributes:
  check_mode:
    description: Check mode reads the router and reports the commands a real run would send, and writes nothing.
    support: full
  diff_mode:
    description: Diff mode shows, per block that changes, the entries before and after, one line per entry.
    support: full
'''

EXAMPLES = r'''
- name: A subscriber bridge, its address and pool, and masquerade, in one task
  ispkit.routeros.resources:
    hostname: 192.0.2.1
    password: "{{ routeros_password }}"
    resources:
      - resource: bridge
        config:
          - name: bridge-subscribers
            ports:
              - interface: ether3
      - resource: address
        config:
          - address: 10.10.10.1/24
            interface: bridge-subscribers
      - resource: pool
        config:
          - name: pppoe-pool
            ranges: [10.10.10.2-10.10.10.254]
      - name: masquerade
        resource: nat
        state: overridden
        scope:
          comment: managed-by-ansible
        config:
          - chain: srcnat
            action: masquerade
            out_interface: ether1
            comment: managed-by-ansible

- name: Read several menus at once
  ispkit.routeros.resources:
    hostname: 192.0.2.1
    password: "{{ routeros_password }}"
    resources:
      - resource: address
        state: gathered
      - resource: routes
        state: gathered
  register: router
'''

RETURN = r'''
changed:
  description: Whether any block changed something (or would, in check mode).
  returned: always
  type: bool
commands:
  description: RouterOS script lines the task ran, or would run in check mode, every block's in order.
  returned: unless every block has state rendered
  type: list
  elements: str
  sample: ['/interface bridge add name=bridge-subscribers', '/ip address add address=10.10.10.1/24 interface=bridge-subscribers']
results:
  description:
    - "One entry per block, in order: its C(name), C(resource) and C(state), and what that resource's module
      returns for it (C(changed), C(commands), C(before), C(after), C(entry_counts), C(gathered) or
      C(rendered))."
    - "On a failure, the blocks that ran before the one that failed."
  returned: always
  type: list
  elements: dict
  sample: [{name: address, resource: address, state: merged, changed: true,
            commands: ['/ip address add address=10.10.10.1/24 interface=bridge-subscribers'],
            before: [], after: [{address: 10.10.10.1/24, interface: bridge-subscribers, disabled: false}]}]
rendered:
  description: RouterOS script lines that create every block on an empty router, in order.
  returned: when every block has state rendered
  type: list
  elements: str
  sample: ['/ip pool add name=pppoe-pool ranges=10.10.10.2-10.10.10.254']
'''

from ansible_collections.ispkit.routeros.plugins.module_utils._blocks import new_blocks_module, run_blocks


def main():
    run_blocks(new_blocks_module())


if __name__ == '__main__':
    main()
