"""`python -m ispkit_monitor` runs the bot."""
from __future__ import annotations

import sys

from .cli import main

sys.exit(main())
