#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: bridge
short_description: Manage bridges and their ports (/interface bridge, /interface bridge port)
version_added: 0.1.0
description:
  - Adds, changes and removes bridges and, in the same task, their ports.
  - A bridge is identified by O(config[].name), a port by its interface (an interface is a port of one bridge at
    most).
  - Bridges are created before their ports; ports are removed before their bridges.
  - When O(config[].ports) is given with V(replaced) or V(overridden), ports of that bridge it does not list are
    removed; when it is not given, the bridge's ports are left alone.
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
      name:
        description:
          - Name of the entry. Identifies it.
        required: true
        type: str
      mtu:
        description:
          - MTU, a number or C(auto) (RouterOS default C(auto)).
        type: str
      arp:
        description:
          - ARP mode (RouterOS default C(enabled)).
        type: str
        choices: [disabled, enabled, local-proxy-arp, proxy-arp, reply-only]
      protocol_mode:
        description:
          - Spanning tree protocol (RouterOS default C(rstp)).
        type: str
        choices: [none, rstp, stp, mstp]
      vlan_filtering:
        description:
          - Whether the bridge filters VLANs (RouterOS default C(false)).
        type: bool
      igmp_snooping:
        description:
          - Whether IGMP snooping is on (RouterOS default C(false)).
        type: bool
      fast_forward:
        description:
          - Whether fast forwarding is on (RouterOS default C(true)).
        type: bool
      ageing_time:
        description:
          - How long a learned host is kept, a RouterOS duration such as C(5m) or C(00:05:00) (RouterOS default
            C(5m)).
        type: str
      auto_mac:
        description:
          - Whether the bridge takes the MAC address of a port (RouterOS default C(true)).
        type: bool
      admin_mac:
        description:
          - MAC address the bridge uses when O(config[].auto_mac=false).
        type: str
      comment:
        description:
          - Comment of the entry.
        type: str
      disabled:
        description:
          - Whether the entry is disabled (RouterOS default C(false)).
        type: bool
      ports:
        description:
          - Ports of the bridge. With V(replaced) or V(overridden), ports of this bridge not listed are removed;
            when not given, ports are left alone.
        type: list
        elements: dict
        suboptions:
          interface:
            description:
              - Interface name; it must exist on the router (or be created by the same task).
            required: true
            type: str
          pvid:
            description:
              - Port VLAN id, 1 to 4094 (RouterOS default C(1)).
            type: int
          horizon:
            description:
              - Split horizon group, a number or C(none) (RouterOS default C(none)).
            type: str
          edge:
            description:
              - Edge port setting (RouterOS default C(auto)).
            type: str
            choices: [auto, 'no', no-discover, 'yes', yes-discover]
          point_to_point:
            description:
              - Point-to-point link setting (RouterOS default C(auto)).
            type: str
            choices: [auto, 'no', 'yes']
          hw:
            description:
              - Whether hardware offloading is allowed (RouterOS default C(true)).
            type: bool
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
- name: Subscriber bridge on ether3-ether5
  ispkit.routeros.bridge:
    hostname: 192.0.2.1
    password: "{{ routeros_password }}"
    config:
      - name: bridge-lan
        protocol_mode: none
        ports:
          - interface: ether3
          - interface: ether4
          - interface: ether5
'''

RETURN = r'''
before:
  description: The entries before the task, in the shape O(config) takes.
    With more than 500 entries, only those the task changes (see RV(entry_counts)).
  returned: when state is merged, replaced, overridden or deleted
  type: list
  elements: dict
  sample: [{name: bridge-lan, protocol_mode: none, ports: [{interface: ether3, pvid: 1}]}]
after:
  description: The entries after the task (predicted in check mode).
    With more than 500 entries, only those the task changes, as predicted (see RV(entry_counts)).
  returned: when state is merged, replaced, overridden or deleted
  type: list
  elements: dict
  sample: [{name: bridge-lan, protocol_mode: none, ports: [{interface: ether3, pvid: 1}]}]
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
  sample: ['/interface bridge add name=bridge-lan protocol-mode=none']
gathered:
  description: The entries on the router, in the shape O(config) takes.
  returned: when state is gathered
  type: list
  elements: dict
  sample: [{name: bridge-lan, protocol_mode: none, ports: [{interface: ether3, pvid: 1}]}]
rendered:
  description: RouterOS script lines that create O(config) on an empty router.
  returned: when state is rendered
  type: list
  elements: str
  sample: ['/interface bridge add name=bridge-lan protocol-mode=none']
'''

from ansible_collections.ispkit.routeros.plugins.module_utils._declarations import BRIDGE
from ansible_collections.ispkit.routeros.plugins.module_utils._runner import new_module, run


def main():
    run(new_module(BRIDGE), BRIDGE)


if __name__ == '__main__':
    main()
