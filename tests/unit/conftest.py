"""Plain pytest: make the repository importable as ansible_collections.ispkit.routeros.

ansible-test units does this itself; outside it, a temporary tree links the collection in.
"""
from __future__ import annotations

import os
import sys
import tempfile

try:
    import ansible_collections.ispkit.routeros  # noqa: F401  (under ansible-test: already there)
except ImportError:
    root = tempfile.mkdtemp(prefix="ispkit-units-")
    namespace = os.path.join(root, "ansible_collections", "ispkit")
    os.makedirs(namespace)
    os.symlink(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
               os.path.join(namespace, "routeros"))
    sys.path.insert(0, root)
