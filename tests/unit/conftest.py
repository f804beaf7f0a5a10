"""Plain pytest: make the repository importable as ansible_collections.ispkit.routeros.

ansible-test units does this itself; outside it, a temporary tree links the collection in.
"""
from __future__ import annotations

import importlib.util
import os
import sys
import tempfile


def collection_importable() -> bool:
    try:
        return importlib.util.find_spec("ansible_collections.ispkit.routeros") is not None
    except ModuleNotFoundError:
        return False


if not collection_importable():  # under ansible-test it is
    root = tempfile.mkdtemp(prefix="ispkit-units-")
    namespace = os.path.join(root, "ansible_collections", "ispkit")
    os.makedirs(namespace)
    os.symlink(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
               os.path.join(namespace, "routeros"))
    sys.path.insert(0, root)
