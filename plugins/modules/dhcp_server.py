#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: dhcp_server
short_description: Manage DHCP servers and their networks (/ip dhcp-server, /ip dhcp-server network)
version_added: 0.2.0
description:
  - "Adds, changes and removes DHCP servers (C(/ip dhcp-server)) and the networks they hand out (C(/ip dhcp-
    server network): gateway, DNS servers, domain), each menu under its own key of O(config)."
  - "A server is identified by its name, a network by its address. A menu whose key O(config) does not give is
    left alone."
  - "RouterOS 6.x adds a new server disabled; this module enables the servers it manages unless
    O(config.servers[].disabled=true) (its default is V(false), a server that runs, on both dialects)."
  - "The address pool a server names must exist (see the C(pool) module); the router refuses an unknown one and
    the task reports RouterOS's words."
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
      - "The menus to manage, one key each; a key not given leaves its menu alone."
    type: dict
    suboptions:
      servers:
        description:
          - "DHCP servers (C(/ip dhcp-server))."
        type: list
        elements: dict
        suboptions:
          name:
            description:
              - "Name of the DHCP server. Identifies it."
            required: true
            type: str
          interface:
            description:
              - "Interface the server answers on; it must exist on the router."
            type: str
          address_pool:
            description:
              - "Address pool leases come from, or C(static-only) (RouterOS default C(static-only))."
            type: str
          lease_time:
            description:
              - "Lease time, a RouterOS duration such as C(10m) (RouterOS default C(10m) on 6.x, C(30m) on 7.x)."
            type: str
          authoritative:
            description:
              - "How the server answers clients with leases from other servers (RouterOS default C(yes))."
            type: str
            choices: [after-10sec-delay, after-2sec-delay, 'no', 'yes']
          bootp_support:
            description:
              - "BOOTP support (RouterOS default C(static))."
            type: str
            choices: [none, static, dynamic]
          add_arp:
            description:
              - "Whether leases add ARP entries (RouterOS default C(false))."
            type: bool
          always_broadcast:
            description:
              - "Whether answers are always broadcast (RouterOS default C(false))."
            type: bool
          relay:
            description:
              - "Address of the DHCP relay the server answers through, C(0.0.0.0) for none (RouterOS default
                C(0.0.0.0))."
            type: str
          src_address:
            description:
              - "Source address of the server's answers (RouterOS default C(0.0.0.0))."
            type: str
          lease_script:
            description:
              - "Script run when a lease is added or removed."
            type: str
          use_radius:
            description:
              - "Whether leases are authorized by RADIUS (RouterOS default C(no)). V(accounting) (RADIUS accounting
                only, no authorization) exists on RouterOS 7.x only; on 6.x it fails before anything is written."
              - "Output shows C(yes) or C(no) on 6.x as well, where RouterOS prints a boolean."
            type: str
            choices: [accounting, 'no', 'yes']
          comment:
            description:
              - "Comment of the entry."
            type: str
          disabled:
            description:
              - "Whether the server is disabled. RouterOS 6.x adds a server disabled unless told otherwise, 7.x
                enabled; this module's default is a server that runs on both."
            type: bool
            default: false
      networks:
        description:
          - "Networks (C(/ip dhcp-server network)): what clients in each network are told."
        type: list
        elements: dict
        suboptions:
          address:
            description:
              - "Network the entry describes, a network address with prefix length (C(10.5.50.0/24), not
                C(10.5.50.1/24)). Identifies it."
            required: true
            type: str
          gateway:
            description:
              - "Gateways given to clients, IPv4 addresses."
            type: list
            elements: str
          netmask:
            description:
              - "Prefix length given to clients, when it differs from the network's."
            type: int
          dns_server:
            description:
              - "DNS servers given to clients, IPv4 addresses."
            type: list
            elements: str
          ntp_server:
            description:
              - "NTP servers given to clients, IPv4 addresses."
            type: list
            elements: str
          domain:
            description:
              - "Domain given to clients."
            type: str
          next_server:
            description:
              - "Next server (TFTP) for network boot."
            type: str
          boot_file_name:
            description:
              - "Boot file name for network boot."
            type: str
          dhcp_option:
            description:
              - "DHCP options (from C(/ip dhcp-server option)) given to clients."
            type: str
          comment:
            description:
              - "Comment of the entry."
            type: str
  scope:
    description:
      - "Per menu, the entries this task owns, as option values they all share (e.g. C({networks: {}}) for every
        static, non built-in entry of that menu). Only entries in a menu's scope are removed by V(overridden)
        and by V(deleted); V(overridden) needs the scope of every menu O(config) gives, V(deleted) without a
        menu in O(config) empties that menu's scope."
    type: dict
    suboptions:
      servers:
        description:
          - "Scope of O(config.servers)."
        type: dict
      networks:
        description:
          - "Scope of O(config.networks)."
        type: dict
attributes:
  check_mode:
    description: Check mode reads the router and reports the commands a real run would send, and writes nothing.
    support: full
  diff_mode:
    description: Diff mode shows the entries before and after, one line per entry.
    support: full
'''

EXAMPLES = r'''
- name: DHCP for Hotspot clients
  ispkit.routeros.dhcp_server:
    hostname: 192.0.2.1
    password: "{{ routeros_password }}"
    config:
      servers:
        - name: hotspot-dhcp
          interface: bridge-subscribers
          address_pool: hotspot-pool
          lease_time: 10m
      networks:
        - address: 10.5.50.0/24
          gateway: [10.5.50.1]
          dns_server: [10.5.50.1]
'''

RETURN = r'''
before:
  description: The entries before the task, in the shape O(config) takes.
    With more than 500 entries, only those the task changes (see RV(entry_counts)).
  returned: when state is merged, replaced, overridden or deleted
  type: dict
  sample:
    servers: [{name: hotspot-dhcp, interface: bridge-subscribers, address_pool: hotspot-pool, lease_time: 10m}]
    networks: [{address: 10.5.50.0/24, gateway: [10.5.50.1]}]
after:
  description: The entries after the task (predicted in check mode).
    With more than 500 entries, only those the task changes, as predicted (see RV(entry_counts)).
  returned: when state is merged, replaced, overridden or deleted
  type: dict
  sample:
    servers: [{name: hotspot-dhcp, interface: bridge-subscribers, address_pool: hotspot-pool, lease_time: 10m}]
    networks: [{address: 10.5.50.0/24, gateway: [10.5.50.1]}]
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
  sample: ['/ip dhcp-server add name=hotspot-dhcp interface=bridge-subscribers address-pool=hotspot-pool disabled=no']
gathered:
  description: The entries on the router, in the shape O(config) takes.
  returned: when state is gathered
  type: dict
  sample:
    servers: [{name: hotspot-dhcp, interface: bridge-subscribers, address_pool: hotspot-pool, lease_time: 10m}]
    networks: [{address: 10.5.50.0/24, gateway: [10.5.50.1]}]
rendered:
  description: RouterOS script lines that create O(config) on an empty router.
  returned: when state is rendered
  type: list
  elements: str
  sample: ['/ip dhcp-server add name=hotspot-dhcp interface=bridge-subscribers address-pool=hotspot-pool disabled=no']
'''

from ansible_collections.ispkit.routeros.plugins.module_utils._declarations_access import DHCP_SERVER
from ansible_collections.ispkit.routeros.plugins.module_utils._runner import new_module, run


def main():
    run(new_module(DHCP_SERVER), DHCP_SERVER)


if __name__ == '__main__':
    main()
