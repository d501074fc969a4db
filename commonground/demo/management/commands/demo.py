"""``commonground demo [--port N]``: create the demo database, load the demo, serve it."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from commonground.demo.seed import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Migrate the database, load the demo coalitions (once) and serve on 127.0.0.1."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="port to serve on (8000)")
        parser.add_argument(
            "--no-serve", action="store_true", help="prepare the data and stop, without serving"
        )

    def handle(self, *args: Any, port: int, no_serve: bool, **options: Any) -> None:
        if not 1 <= port <= 65535:
            self.stderr.write(f"--port must be between 1 and 65535; got {port}")
            raise SystemExit(2)
        database = settings.DATABASES["default"]["NAME"]
        self.stdout.write(f"Database: {database}")
        call_command("migrate", interactive=False, verbosity=0)
        summary = seed_demo()
        self.stdout.write(
            "Loaded the demo coalitions."
            if summary.created
            else "Demo data already present; reusing it."
        )
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"CommonGround demo on http://127.0.0.1:{port}/"))
        self.stdout.write(f"Sign in with any of these (password: {DEMO_PASSWORD}):")
        for person in summary.sign_ins:
            self.stdout.write(f"  {person.email:32} {person.role:18} {person.organization}")
        self.stdout.write("")
        if not no_serve:
            # Background work (imports) is run by a database-backed worker beside the server.
            worker = subprocess.Popen(
                [sys.executable, "-m", "commonground.manage", "db_worker", "--interval", "0.5"]
            )
            try:
                call_command(
                    "runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True
                )
            finally:
                worker.terminate()
                worker.wait(timeout=10)
