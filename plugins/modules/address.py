#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: address
short_description: Manage IPv4 addresses (/ip address)
version_added: 0.1.0
description:
  - Adds, changes and removes IPv4 addresses on the router's interfaces.
  - An address is identified by O(config[].address) with its prefix length; addresses in one task must not
    overlap.
  - Works with RouterOS 6.49 and 7.x through the API; check mode and diff are supported.
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
      address:
        description:
          - Address with prefix length, for example C(10.1.1.1/30). Identifies the entry.
        required: true
        type: str
      interface:
        description:
          - Interface name; it must exist on the router (or be created by the same task).
        type: str
      comment:
        description:
          - Comment of the entry.
        type: str
      disabled:
        description:
          - Whether the entry is disabled (RouterOS default C(false)).
        type: bool
attributes:
  check_mode:
    description: Check mode reads the router and reports the commands a real run would send, and writes nothing.
    support: full
  diff_mode:
    description: Diff mode shows the entries before and after, one line per entry.
    support: full
'''

EXAMPLES = r'''
- name: Point-to-point and LAN addresses
  ispkit.routeros.address:
    hostname: 192.0.2.1
    password: "{{ routeros_password }}"
    config:
      - address: 10.1.1.1/30
        interface: ether2
        comment: link to RTR-2
      - address: 10.10.10.1/24
        interface: bridge-lan

- name: Only these addresses among those tagged by Ansible
  ispkit.routeros.address:
    hostname: 192.0.2.1
    password: "{{ routeros_password }}"
    state: overridden
    scope:
      comment: managed-by-ansible
    config:
      - address: 10.1.1.1/30
        interface: ether2
'''

RETURN = r'''
before:
  description: The entries before the task, in the shape O(config) takes.
    With more than 500 entries, only those the task changes (see RV(entry_counts)).
  returned: when state is merged, replaced, overridden or deleted
  type: list
  elements: dict
  sample: [{address: 10.1.1.1/30, interface: ether2, disabled: false}]
after:
  description: The entries after the task (predicted in check mode).
    With more than 500 entries, only those the task changes, as predicted (see RV(entry_counts)).
  returned: when state is merged, replaced, overridden or deleted
  type: list
  elements: dict
  sample: [{address: 10.1.1.1/30, interface: ether2, disabled: false}]
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
  sample: ['/ip address add address=10.1.1.1/30 interface=ether2']
gathered:
  description: The entries on the router, in the shape O(config) takes.
  returned: when state is gathered
  type: list
  elements: dict
  sample: [{address: 10.1.1.1/30, interface: ether2, disabled: false}]
rendered:
  description: RouterOS script lines that create O(config) on an empty router.
  returned: when state is rendered
  type: list
  elements: str
  sample: ['/ip address add address=10.1.1.1/30 interface=ether2']
'''

from ansible_collections.ispkit.routeros.plugins.module_utils._declarations import ADDRESS
from ansible_collections.ispkit.routeros.plugins.module_utils._runner import new_module, run


def main():
    run(new_module(ADDRESS), ADDRESS)


if __name__ == '__main__':
    main()
