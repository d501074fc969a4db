"""The demo's worker and server come back when they die (issue 14: a killed worker left
imports "running" forever, and a crashed server left the worker orphaned)."""

from __future__ import annotations

import io
import os
import re
import signal
import sys
import time
import urllib.request
from pathlib import Path

from commonground.demo.management.commands.demo import Child, Supervisor
from commonground.demo.tests.test_demo_command import free_port, start_demo, wait_for_lines

SLEEPER = [sys.executable, "-c", "import time; time.sleep(600)"]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_killed_child_is_started_again_and_stop_ends_it() -> None:
    exits: list[str] = []
    out = io.StringIO()
    child = Child("The sleeper", SLEEPER, on_exit=lambda: exits.append("exit"))
    supervisor = Supervisor([child], out=out)
    try:
        supervisor.check()
        assert child.process is not None
        first = child.process.pid
        os.kill(first, signal.SIGKILL)
        deadline = time.monotonic() + 20
        while child.restarts == 0 and time.monotonic() < deadline:
            supervisor.check()
            time.sleep(0.05)
        assert child.restarts == 1 and exits == ["exit"]
        second = child.process.pid
        assert second != first and _alive(second)
        assert f"The sleeper stopped (exit code -{signal.SIGKILL.value}); starting it again" in (
            out.getvalue()
        )
    finally:
        supervisor.stop()
    assert child.process.poll() is not None  # stopped, not orphaned


def test_a_child_that_keeps_dying_is_restarted_more_and_more_slowly() -> None:
    child = Child("The crasher", [sys.executable, "-c", "raise SystemExit(3)"])
    supervisor = Supervisor([child], out=io.StringIO())
    try:
        delays = []
        deadline = time.monotonic() + 30
        while child.restarts < 2 and time.monotonic() < deadline:
            supervisor.check()
            if child.restart_at is not None and (not delays or delays[-1][0] != child.restarts):
                delays.append((child.restarts, child.restart_at - time.monotonic()))
            time.sleep(0.05)
        assert child.restarts == 2
        assert [round(d) for _n, d in delays[:2]] == [1, 2]
    finally:
        supervisor.stop()


def test_the_demo_brings_back_its_worker_and_its_server(tmp_path: Path) -> None:
    port = free_port()
    demo = start_demo(tmp_path, port)
    try:
        output = "".join(wait_for_lines(demo, r"^The background worker started \(pid \d+\)"))
        worker = int(re.findall(r"The background worker started \(pid (\d+)\)", output)[-1])
        server = int(re.findall(r"The web server started \(pid (\d+)\)", output)[-1])
        os.kill(worker, signal.SIGKILL)
        output = "".join(wait_for_lines(demo, r"^The background worker started \(pid \d+\)"))
        assert "The background worker stopped (exit code -9); starting it again" in output
        again = int(re.findall(r"The background worker started \(pid (\d+)\)", output)[-1])
        assert again != worker and _alive(again)
        # The web server too: SIGABRT is how the igraph crash ended it.
        os.kill(server, signal.SIGABRT)
        output = "".join(wait_for_lines(demo, r"^The web server started \(pid \d+\)"))
        assert f"The web server stopped (exit code -{signal.SIGABRT.value})" in output
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as response:
                    assert response.status == 200
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("the restarted server does not answer")
    finally:
        demo.send_signal(signal.SIGINT)
        demo.wait(timeout=60)
    time.sleep(0.5)
    assert not _alive(again), "the worker outlived the demo"
