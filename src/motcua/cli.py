"""The `motcua` command: Django's management commands under short, spoken names.

`motcua catalogue import PATH` runs the `catalogue_import` command; any other Django command
(`motcua migrate`, `motcua createsuperuser`) passes straight through.
"""

from __future__ import annotations

import os
import sys


def _command_name(argv: list[str], known: set[str]) -> list[str]:
    if len(argv) >= 2 and f"{argv[0]}_{argv[1]}" in known:
        return [f"{argv[0]}_{argv[1]}", *argv[2:]]
    return argv


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django
    from django.core.management import execute_from_command_line, get_commands

    django.setup()
    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["motcua", *_command_name(args, set(get_commands()))])


if __name__ == "__main__":
    main()
