#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ispkit.routeros contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: identity
short_description: Set a RouterOS router's name (/system identity)
version_added: 0.1.0
description:
  - Sets the router's identity, the name RouterOS shows in prompts, Winbox and neighbour lists.
  - Works with RouterOS 6.49 and 7.x through the API.
author:
  - ispkit contributors (@ispkit)
extends_documentation_fragment:
  - ispkit.routeros.api
options:
  config:
    description:
      - The identity to set. Required unless O(state=gathered).
    type: dict
    suboptions:
      name:
        description:
          - The router's name (RouterOS default C(MikroTik)).
        type: str
  state:
    description:
      - V(merged) and V(replaced) set the name; V(replaced) resets it to C(MikroTik) when O(config.name) is not given.
      - V(gathered) returns the current identity; V(rendered) returns the script line without connecting.
    type: str
    choices: [merged, replaced, gathered, rendered]
    default: merged
  ros_version:
    description:
      - RouterOS major version to render for with O(state=rendered).
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
- name: Name the router
  ispkit.routeros.identity:
    hostname: 192.0.2.1
    password: "{{ routeros_password }}"
    config:
      name: RTR-1

- name: Read the name
  ispkit.routeros.identity:
    hostname: 192.0.2.1
    password: "{{ routeros_password }}"
    state: gathered
  register: identity
'''

RETURN = r'''
before:
  description: The identity before the task.
  returned: when state is merged or replaced
  type: dict
  sample: {name: MikroTik}
after:
  description: The identity after the task (predicted in check mode).
  returned: when state is merged or replaced
  type: dict
  sample: {name: RTR-1}
commands:
  description: RouterOS script lines the task ran, or would run in check mode.
  returned: when state is merged or replaced
  type: list
  elements: str
  sample: ['/system identity set name=RTR-1']
gathered:
  description: The identity, in the shape O(config) takes.
  returned: when state is gathered
  type: dict
  sample: {name: RTR-1}
rendered:
  description: RouterOS script lines that set O(config).
  returned: when state is rendered
  type: list
  elements: str
  sample: ['/system identity set name=RTR-1']
'''

from ansible_collections.ispkit.routeros.plugins.module_utils._declarations import IDENTITY
from ansible_collections.ispkit.routeros.plugins.module_utils._runner import new_module, run


def main():
    run(new_module(IDENTITY), IDENTITY)


if __name__ == '__main__':
    main()
