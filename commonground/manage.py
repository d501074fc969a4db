"""The ``commonground`` console command: Django's management commands plus ours."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command, defaulting to local development settings.

    Without ``DJANGO_SETTINGS_MODULE`` and ``DATABASE_URL`` the command works on the
    embedded SQLite file in the data folder, which it creates.
    """
    argv = argv if argv is not None else sys.argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
    if len(argv) > 1 and argv[1] == "demo":
        # The demo is a local, single-person server: debug mode serves the static files.
        os.environ.setdefault("DEBUG", "1")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    data_dir = settings.DATA_DIR
    data_dir.mkdir(parents=True, exist_ok=True)
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
