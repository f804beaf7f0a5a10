#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: ospf
short_description: Manage OSPF instances, areas and networks on RouterOS 6.x and 7.x alike (/routing ospf)
version_added: 0.2.0
description:
  - "One set of options for both RouterOS generations, translated to the router's dialect:"
  - "O(config.instances) are C(/routing ospf instance) entries (6.x has a built-in C(default); 7.x none, and
    a new one is OSPFv2). O(config.instances[].redistribute) is written C(redistribute-connected=as-type-1)
    and so on per protocol on 6.x, and C(redistribute=connected,...) on 7.x."
  - "O(config.areas) are C(/routing ospf area) entries (6.x has a built-in C(backbone), area 0.0.0.0 of
    instance C(default); 7.x none)."
  - "O(config.networks) are C(/routing ospf network) entries on 6.x (one network each) and
    C(/routing ospf interface-template) entries with those networks on 7.x (one or more)."
  - "Instances are written before areas, areas before networks; removals go the other way round. A key
    O(config) does not give leaves its menu alone. Entries are identified by their name (networks by
    the network); built-in entries can be changed, never removed."
  - "The router id is automatic unless O(config.instances[].router_id) is given."
  - "Works with RouterOS 6.49 and 7.x through the API; check mode and diff are supported."
author:
  - ispkit contributors (@ispkit)
extends_documentation_fragment:
  - ispkit.routeros.api
  - ispkit.routeros.api.config_file
options:
  config:
    description:
      - "The menus to manage, one key each; a key not given leaves its menu alone."
    type: dict
    suboptions:
      instances:
        description:
          - "OSPF instances."
        type: list
        elements: dict
        suboptions:
          name:
            description:
              - "Name of the instance. Identifies it. On 6.x, C(default) is built in."
            required: true
            type: str
          router_id:
            description:
              - "Router id, an IPv4 address. Automatic unless given (RouterOS default C(0.0.0.0) on 6.x, C(main),
                the router's own id, on 7.x)."
            type: str
          redistribute:
            description:
              - "Routes to redistribute into OSPF; an empty list redistributes none (RouterOS default)."
            type: list
            elements: str
            choices: [bgp, connected, rip, static]
          originate_default:
            description:
              - "Whether to originate a default route: C(distribute-default) on 6.x (C(never),
                C(if-installed-as-type-1), C(if-installed-as-type-2), C(always-as-type-1), C(always-as-type-2)),
                C(originate-default) on 7.x (C(never), C(if-installed), C(always)). RouterOS default C(never)."
            type: str
            choices: [always, always-as-type-1, always-as-type-2, if-installed, if-installed-as-type-1,
                      if-installed-as-type-2, never]
          version:
            description:
              - "OSPF version, 2 or 3 (RouterOS default C(2)). RouterOS 7.x only."
            type: int
          comment:
            description:
              - "Comment of the entry."
            type: str
          disabled:
            description:
              - "Whether the entry is disabled (RouterOS default C(false))."
            type: bool
      areas:
        description:
          - "OSPF areas."
        type: list
        elements: dict
        suboptions:
          name:
            description:
              - "Name of the area. Identifies it. On 6.x, C(backbone) is built in."
            required: true
            type: str
          area_id:
            description:
              - "Area id, e.g. C(0.0.0.0) for the backbone. Needed to create an area."
            type: str
          instance:
            description:
              - "Instance the area belongs to."
            type: str
            default: default
          type:
            description:
              - "Area type (RouterOS default C(default))."
            type: str
            choices: [default, nssa, stub]
          comment:
            description:
              - "Comment of the entry."
            type: str
          disabled:
            description:
              - "Whether the entry is disabled (RouterOS default C(false))."
            type: bool
      networks:
        description:
          - "Networks on which OSPF runs, each in an area."
        type: list
        elements: dict
        suboptions:
          network:
            description:
              - "Networks, A.B.C.D/N, in any order: one on 6.x, one or more (an interface template's C(networks))
                on 7.x. Identifies the entry. Interfaces with an address in them take part in OSPF."
              - "A single network may be given as a string. Output shows a list."
            required: true
            type: list
            elements: str
          area:
            description:
              - "Name of the area."
            type: str
          comment:
            description:
              - "Comment of the entry."
            type: str
          disabled:
            description:
              - "Whether the entry is disabled (RouterOS default C(false))."
            type: bool
  state:
    description:
      - "V(merged) creates missing entries and sets the given options; V(replaced) also resets options not given
        to RouterOS's defaults; V(overridden) also removes the entries in a menu's O(scope) that O(config) does
        not list; V(deleted) removes the listed entries or, for a menu not in O(config), every entry in its
        O(scope); V(gathered) returns the menus in the shape O(config) takes; V(rendered) returns RouterOS
        script lines without connecting."
    type: str
    choices: [merged, replaced, overridden, deleted, gathered, rendered]
    default: merged
  scope:
    description:
      - "Per menu, the entries this task owns, as option values they all share (e.g. C({networks: {comment:
        ospf}})); C({}) means every static, non built-in entry of that menu. V(overridden) needs the scope of
        every list O(config) gives; V(deleted) without a menu in O(config) empties that menu's scope."
    type: dict
    suboptions:
      instances:
        description:
          - "Scope of O(config.instances)."
        type: dict
      areas:
        description:
          - "Scope of O(config.areas)."
        type: dict
      networks:
        description:
          - "Scope of O(config.networks)."
        type: dict
  ros_version:
    description:
      - "RouterOS major version to render for with O(state=rendered). Other states read it from the router."
    type: str
    choices: ['6', '7']
    default: '7'
attributes:
  check_mode:
    description: Check mode reads the router and reports the commands a real run would send, and writes nothing.
    support: full
  diff_mode:
    description: Diff mode shows the entries before and after, one line per entry.
    support: full
'''

EXAMPLES = r'''
- name: OSPF between two routers, on 6.x and 7.x alike
  ispkit.routeros.ospf:
    hostname: 192.0.2.1
    password: "{{ routeros_password }}"
    config:
      instances:
        - name: default
          redistribute: [connected, static]
      areas:
        - name: backbone
          area_id: 0.0.0.0
      networks:
        - network: 10.255.255.0/30
          area: backbone
        - network: 10.10.10.0/24
          area: backbone

- name: Networks are exactly these (other networks in scope go)
  ispkit.routeros.ospf:
    hostname: 192.0.2.1
    password: "{{ routeros_password }}"
    state: overridden
    scope:
      networks: {}
    config:
      networks:
        - network: 10.255.255.0/30
          area: backbone
'''

RETURN = r'''
before:
  description: The menus before the task, in the shape O(config) takes.
    With more than 500 entries, only those the task changes (see RV(entry_counts)).
  returned: when state is merged, replaced, overridden or deleted
  type: dict
  sample: {instances: [{name: default, router_id: 0.0.0.0, redistribute: []}], areas: [], networks: []}
after:
  description: The menus after the task (predicted in check mode).
    With more than 500 entries, only those the task changes, as predicted (see RV(entry_counts)).
  returned: when state is merged, replaced, overridden or deleted
  type: dict
  sample: {instances: [{name: default, router_id: 0.0.0.0, redistribute: [connected]}], areas: [],
           networks: [{network: [10.255.255.0/30], area: backbone}]}
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
  sample: ['/routing ospf interface-template add networks=10.255.255.0/30 area=backbone']
gathered:
  description: The menus on the router, in the shape O(config) takes.
  returned: when state is gathered
  type: dict
  sample: {instances: [{name: default}], areas: [{name: backbone, area_id: 0.0.0.0, instance: default}], networks: []}
rendered:
  description: RouterOS script lines that make O(config) on a router nobody configured.
  returned: when state is rendered
  type: list
  elements: str
  sample: ['/routing ospf network add network=10.255.255.0/30 area=backbone']
'''

from ansible_collections.ispkit.routeros.plugins.module_utils._declarations_routing import OSPF
from ansible_collections.ispkit.routeros.plugins.module_utils._runner import new_module, run


def main():
    run(new_module(OSPF), OSPF)


if __name__ == '__main__':
    main()
