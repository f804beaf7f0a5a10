#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: facts
short_description: Read a RouterOS router's version, identity, interfaces and resources
version_added: 0.1.0
description:
  - Returns the router's RouterOS version, identity and interfaces as the fact C(routeros).
  - On request, returns the entries of the collection's resources in the shape the resource
    modules take as O(ispkit.routeros.address#module:config), so they can be fed back to them.
  - Works with RouterOS 6.49 and 7.x through the API; changes nothing.
author:
  - ispkit contributors (@ispkit)
extends_documentation_fragment:
  - ispkit.routeros.api
options:
  gather:
    description:
      - Resources to return under C(routeros.resources), by module name.
      - V(routes) returns static routes only; V(bridge) returns bridges with their ports.
    type: list
    elements: str
    choices: [address, bridge, dhcp_client, dhcp_server, hotspot, hotspot_user, identity, mangle, nat, netwatch, ospf, pool,
      ppp_profile, ppp_secret, pppoe_server, radius, routes, service]
    default: []
attributes:
  check_mode:
    description: The module changes nothing; it runs the same in check mode.
    support: full
  diff_mode:
    description: The module changes nothing, so there is no diff.
    support: none
  facts:
    description: The module returns its results as the fact C(routeros).
    support: full
'''

EXAMPLES = r'''
- name: Version, identity, interfaces and addresses
  ispkit.routeros.facts:
    hostname: 192.0.2.1
    password: "{{ routeros_password }}"
    gather: [address, routes]

- name: Fail early on a RouterOS version the playbook does not support
  ansible.builtin.assert:
    that: ansible_facts.routeros.major in ['6', '7']
'''

RETURN = r'''
ansible_facts:
  description: Facts about the router.
  returned: always
  type: dict
  contains:
    routeros:
      description: The router.
      returned: always
      type: dict
      contains:
        version:
          description: RouterOS version.
          type: str
          returned: always
          sample: 7.16.2
        major:
          description: RouterOS major version, the dialect the modules speak to it.
          type: str
          returned: always
          sample: '7'
        board_name:
          description: Board name.
          type: str
          returned: always
          sample: CHR
        architecture:
          description: CPU architecture.
          type: str
          returned: always
          sample: x86_64
        identity:
          description: The router's name.
          type: str
          returned: always
          sample: RTR-1
        interfaces:
          description: Every interface with its type and state.
          type: list
          elements: dict
          returned: always
          sample: [{name: ether1, type: ether, running: true, disabled: false, mac_address: '02:00:00:00:00:01'}]
        resources:
          description: The resources asked for with O(gather), by module name, in module-input shape.
          type: dict
          returned: always
          sample: {address: [{address: 10.1.1.1/30, interface: ether2, disabled: false}]}
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ispkit.routeros.plugins.module_utils._runner import FACTS_ARGUMENT_SPEC, run_facts


def main():
    run_facts(AnsibleModule(argument_spec=FACTS_ARGUMENT_SPEC, supports_check_mode=True))


if __name__ == '__main__':
    main()
