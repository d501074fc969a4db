"""``commonground demo [--port N]``: create the demo database, load the demo, serve it.

The command itself only supervises: it runs the web server (``runserver``) and the
background worker (``db_worker``) as child processes and starts either again when it
exits, so one crash (a worker killed mid-import, a server process aborted by a native
library) never leaves the demo half-dead. Imports the dead worker was running are marked
failed at once, and can be retried from their page.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import FrameType
from typing import Any, TextIO

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections

from commonground.demo.seed import DEMO_PASSWORD, seed_demo

FIRST_DELAY = 1.0
MAX_DELAY = 30.0
HEALTHY_AFTER = 60.0  # a child that ran this long before exiting restarts after FIRST_DELAY


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, between fork and exec
    """Linux: the child gets SIGTERM if the supervisor itself is killed (no orphans)."""
    if sys.platform == "linux":
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


@dataclass
class Child:
    """One supervised process: its command, and what to do after it died."""

    label: str
    argv: Sequence[str]
    on_exit: Callable[[], None] | None = None
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    delay: float = FIRST_DELAY
    restart_at: float | None = None
    restarts: int = field(default=0)


class Supervisor:
    """Keep child processes running until ``stop()``: a child that exits is started again
    after a pause that doubles (up to 30 s) while it keeps dying young."""

    def __init__(self, children: Sequence[Child], out: TextIO, poll: float = 0.2) -> None:
        self.children = list(children)
        self.out = out
        self.poll = poll
        self.stopping = False

    def _start(self, child: Child) -> None:
        child.process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            list(child.argv), preexec_fn=_die_with_parent
        )
        child.started_at = time.monotonic()
        child.restart_at = None
        self.out.write(f"{child.label} started (pid {child.process.pid}).\n")
        self.out.flush()

    def check(self) -> None:
        """Start each child that is not running and is due; note each that exited."""
        now = time.monotonic()
        for child in self.children:
            if child.process is None:
                self._start(child)
                continue
            code = child.process.poll()
            if code is None:
                continue
            if child.restart_at is None:
                lived = now - child.started_at
                child.delay = FIRST_DELAY if lived >= HEALTHY_AFTER else child.delay
                child.restart_at = now + child.delay
                self.out.write(
                    f"{child.label} stopped (exit code {code}); starting it again in "
                    f"{child.delay:.0f} s.\n"
                )
                self.out.flush()
                if child.on_exit is not None:
                    child.on_exit()
                child.delay = min(child.delay * 2, MAX_DELAY)
            elif now >= child.restart_at:
                child.restarts += 1
                self._start(child)

    def run(self) -> None:
        """Supervise until ``stop()`` (or SIGINT/SIGTERM, which stop and return)."""

        def _stop(signum: int, frame: FrameType | None) -> None:
            self.stopping = True

        previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            while not self.stopping:
                self.check()
                time.sleep(self.poll)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self.stop()

    def stop(self) -> None:
        self.stopping = True
        for child in self.children:
            if child.process is not None and child.process.poll() is None:
                child.process.terminate()
        for child in self.children:
            if child.process is None:
                continue
            try:
                child.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait(timeout=10)


def _fail_the_dead_workers_jobs() -> None:
    """The demo runs one worker: when it died, every import still "running" died with it."""
    from commonground.measurement import services

    try:
        services.fail_stale_jobs(worker_died=True)
    finally:
        connections.close_all()


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
        if no_serve:
            self.stdout.write("The demo data is ready; serve it with 'commonground demo'.")
        else:
            self.stdout.write(self.style.SUCCESS(f"CommonGround demo on http://127.0.0.1:{port}/"))
        self.stdout.write(f"Sign in with any of these (password: {DEMO_PASSWORD}):")
        for person in summary.sign_ins:
            self.stdout.write(f"  {person.email:32} {person.role:18} {person.organization}")
        self.stdout.write("")
        if no_serve:
            return
        connections.close_all()  # the children open their own
        manage = [sys.executable, "-m", "commonground.manage"]
        supervisor = Supervisor(
            [
                Child("The web server", [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"]),
                # Background work (imports) is run by a database-backed worker.
                Child(
                    "The background worker",
                    [*manage, "db_worker", "--interval", "0.5", "--no-reload"],
                    on_exit=_fail_the_dead_workers_jobs,
                ),
            ],
            out=sys.stdout,
        )
        supervisor.run()
