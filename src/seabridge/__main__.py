"""The ``seabridge`` command: Django's manage.py with Seabridge's settings preset."""

import os
import sys


def main() -> None:
    """Run a management command (``seabridge migrate``, ``seabridge runserver``, …)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seabridge.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
