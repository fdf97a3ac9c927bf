#!/usr/bin/env python
"""Django's habitual entry point; the same as the ``seabridge`` command."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from seabridge.__main__ import main

if __name__ == "__main__":
    main()
