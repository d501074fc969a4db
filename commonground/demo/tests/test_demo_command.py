"""`commonground demo` as a newcomer runs it: a fresh database, printed sign-ins that work,
and the same data reused on the second run."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from commonground.demo.seed import DEMO_PASSWORD


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_demo(data_dir: Path, port: int) -> subprocess.Popen[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DATABASE_URL", "DEBUG"}
    }
    env["COMMONGROUND_DATA_DIR"] = str(data_dir)
    return subprocess.Popen(
        [sys.executable, "-m", "commonground.manage", "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for_lines(process: subprocess.Popen[str], pattern: str, timeout: float = 180) -> list[str]:
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            raise AssertionError("demo exited early:\n" + "".join(lines))
        lines.append(line)
        if re.search(pattern, line):
            return lines
    raise AssertionError("demo did not get ready:\n" + "".join(lines))


def sign_in(base: str, email: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    for _ in range(100):
        try:
            page = opener.open(f"{base}/accounts/sign-in/").read().decode()
            break
        except OSError:
            time.sleep(0.2)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": email, "password": DEMO_PASSWORD}
    ).encode()
    opener.open(
        urllib.request.Request(f"{base}/accounts/sign-in/", data=form, headers={"Referer": base})
    )
    return opener.open(f"{base}/c/river-region/").read().decode()


def test_demo_serves_and_its_printed_sign_in_works_and_a_rerun_reuses_data(tmp_path: Path) -> None:
    port = free_port()
    demo = start_demo(tmp_path, port)
    try:
        output = "".join(wait_for_lines(demo, r"^\s+denise@"))
        assert "Loaded the demo coalitions." in output
        assert f"http://127.0.0.1:{port}/" in output
        email = re.search(r"^\s+(\S+@\S+)\s+backbone_admin", output, re.M).group(1)  # type: ignore[union-attr]
        html = sign_in(f"http://127.0.0.1:{port}", email)
        assert "River Region Health Collaborative" in html and "The roadmap" in html
    finally:
        demo.send_signal(signal.SIGINT)
        demo.wait(timeout=30)
    assert (tmp_path / "commonground.sqlite3").exists()

    again = start_demo(tmp_path, port)
    try:
        output = "".join(wait_for_lines(again, r"^\s+denise@"))
        assert "Demo data already present; reusing it." in output
    finally:
        again.send_signal(signal.SIGINT)
        again.wait(timeout=30)
