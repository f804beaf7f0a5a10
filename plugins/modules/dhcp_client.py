#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: dhcp_client
short_description: Manage DHCP clients, e.g. ISP uplinks (/ip dhcp-client)
version_added: 0.1.0
description:
  - Adds, changes and removes DHCP clients. A client is identified by O(config[].interface) (RouterOS
    allows one client per interface).
  - The address, gateway and status a client obtains are RouterOS's own (read-only) and not managed.
  - A client added on RouterOS 6.x is disabled unless O(config[].disabled=false) is given (6.x's
    own default); on 7.x it runs. Give O(config[].disabled=false) to get a running client on both.
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
      interface:
        description:
          - Interface the client runs on. Identifies the entry; must exist on the router.
        required: true
        type: str
      add_default_route:
        description:
          - Whether to install the default route the DHCP server offers (RouterOS default C(yes));
            C(special-classless) adds the classless routes and the default route.
        type: str
        choices: ['no', special-classless, 'yes']
      default_route_distance:
        description:
          - Distance of that default route, 0 to 255 (RouterOS default C(1)). With two uplinks, give
            the backup one a higher distance.
        type: int
      use_peer_dns:
        description:
          - Use the DNS servers the DHCP server offers (RouterOS default C(true)).
        type: bool
      use_peer_ntp:
        description:
          - Use the NTP servers the DHCP server offers (RouterOS default C(true)).
        type: bool
      script:
        description:
          - Script RouterOS runs when the lease changes (RouterOS default empty).
        type: str
      comment:
        description:
          - Comment of the entry.
        type: str
      disabled:
        description:
          - Whether the client is disabled (RouterOS default C(true) on 6.x, C(false) on 7.x).
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
- name: Two DHCP uplinks, the second one as backup
  ispkit.routeros.dhcp_client:
    hostname: 192.0.2.1
    password: "{{ routeros_password }}"
    config:
      - interface: ether1
        default_route_distance: 1
        use_peer_dns: true
        disabled: false
        comment: ISP1
      - interface: ether2
        default_route_distance: 2
        use_peer_dns: false
        disabled: false
        comment: ISP2

- name: Remove every DHCP client this play made
  ispkit.routeros.dhcp_client:
    hostname: 192.0.2.1
    password: "{{ routeros_password }}"
    state: deleted
    scope:
      comment: ISP1
'''

RETURN = r'''
before:
  description: The entries before the task, in the shape O(config) takes.
    With more than 500 entries, only those the task changes (see RV(entry_counts)).
  returned: when state is merged, replaced, overridden or deleted
  type: list
  elements: dict
  sample: [{interface: ether1, add_default_route: 'yes', default_route_distance: 1, use_peer_dns: true, disabled: false}]
after:
  description: The entries after the task (predicted in check mode).
    With more than 500 entries, only those the task changes, as predicted (see RV(entry_counts)).
  returned: when state is merged, replaced, overridden or deleted
  type: list
  elements: dict
  sample: [{interface: ether1, add_default_route: 'yes', default_route_distance: 1, use_peer_dns: true, disabled: false}]
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
  sample: ['/ip dhcp-client add interface=ether1 default-route-distance=1 disabled=no']
gathered:
  description: The entries on the router, in the shape O(config) takes.
  returned: when state is gathered
  type: list
  elements: dict
  sample: [{interface: ether1, add_default_route: 'yes', default_route_distance: 1, use_peer_dns: true, disabled: false}]
rendered:
  description: RouterOS script lines that create O(config) on an empty router.
  returned: when state is rendered
  type: list
  elements: str
  sample: ['/ip dhcp-client add interface=ether1 default-route-distance=1 disabled=no']
'''

from ansible_collections.ispkit.routeros.plugins.module_utils._declarations_routing import DHCP_CLIENT
from ansible_collections.ispkit.routeros.plugins.module_utils._runner import new_module, run


def main():
    run(new_module(DHCP_CLIENT), DHCP_CLIENT)


if __name__ == '__main__':
    main()
