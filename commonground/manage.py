"""The ``commonground`` console command: Django's management commands plus ours."""

from __future__ import annotations

import os
import sys

#: Commands that touch no database or data folder, so they create none.
NO_DATA_COMMANDS = frozenset({"analyze", "help", "--help", "-h", "version", "--version"})


def main(argv: list[str] | None = None) -> None:
    """Run a management command, defaulting to local development settings.

    Without ``DATABASE_URL`` the command works on the embedded SQLite file in the data
    folder, which it creates; without ``SECRET_KEY`` it runs in development mode.
    """
    argv = argv if argv is not None else sys.argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
    if "SECRET_KEY" not in os.environ:
        # No secret: a developer's checkout (the demo, analysts' commands), so development
        # mode. A deployment sets SECRET_KEY, and its WSGI server never passes through here.
        os.environ.setdefault("DEBUG", "1")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    command = argv[1] if len(argv) > 1 else "help"
    if command not in NO_DATA_COMMANDS:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
