from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from commonground.accounts.middleware import REFRESH_EVERY_SECONDS, REFRESHED_AT, SIGNED_IN_AT
from commonground.accounts.models import ApiToken
from commonground.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def sign_in(client: Client, email: str, password: str) -> Any:
    return client.post(
        "/accounts/sign-in/", {"username": email, "password": password}, REMOTE_ADDR="10.0.0.7"
    )


def test_sign_in_with_right_password_lands_on_coalitions() -> None:
    make_user("ana@example.org")
    response = sign_in(Client(), "ana@example.org", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/coalitions/"


def test_sixth_wrong_password_is_locked_out_even_with_the_right_one() -> None:
    make_user("ana@example.org")
    client = Client()
    for _ in range(5):
        response = sign_in(client, "ana@example.org", "wrong-password-guess")
        assert response.status_code in {200, 429}
    response = sign_in(client, "ana@example.org", PASSWORD)
    assert response.status_code == 429
    assert "15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not punished for the first one's failures.
    other = Client()
    ok = other.post(
        "/accounts/sign-in/",
        {"username": "ana@example.org", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.8",
    )
    assert ok.status_code == 302


def test_four_failures_do_not_lock() -> None:
    make_user("ana@example.org")
    client = Client()
    for _ in range(4):
        sign_in(client, "ana@example.org", "wrong-password-guess")
    assert sign_in(client, "ana@example.org", PASSWORD).status_code == 302


def test_session_expires_after_30_idle_minutes_and_12_hours_in_all() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    make_user("ana@example.org")
    client = Client()
    sign_in(client, "ana@example.org", PASSWORD)
    assert client.get("/coalitions/").status_code == 200
    key = client.session.session_key

    def expiry() -> datetime:
        return Session.objects.get(session_key=key).expire_date

    # Each request within a minute of the last refresh leaves the expiry alone...
    first = expiry()
    assert client.get("/coalitions/").status_code == 200
    assert expiry() == first
    assert first - timezone.now() <= timedelta(minutes=30)
    # ...a request a minute later starts the 30 idle minutes again.
    session = client.session
    session[REFRESHED_AT] = time.time() - REFRESH_EVERY_SECONDS
    session.save()
    saved = expiry()
    assert client.get("/coalitions/").status_code == 200
    assert expiry() > saved
    assert timedelta(minutes=29) < expiry() - timezone.now() <= timedelta(minutes=30)
    # 30 idle minutes: the stored session has expired, and the next request signs in anew.
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get("/coalitions/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]

    # 12 hours after sign-in, however active.
    sign_in(client, "ana@example.org", PASSWORD)
    assert client.get("/coalitions/").status_code == 200
    session = client.session
    session[SIGNED_IN_AT] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get("/coalitions/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short-pass1", "at least 12 characters"),
        ("password1234", "too common"),
        ("123456789012345", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(
    world: Any, password: str, problem: str
) -> None:
    response = Client().post(
        f"/invite/{world.a_invitation_token}/",
        {
            "display_name": "New",
            "password1": password,
            "password2": password,
        },
    )
    assert response.status_code == 200
    assert problem in response.content.decode()


def test_api_token_authenticates_and_is_stored_hashed(world: Any) -> None:
    client = world.client_for("partner")
    response = client.post("/accounts/tokens/", {"name": "script"})
    key = response.context["new_key"]
    assert key.startswith("cg_")
    stored = ApiToken.objects.get()
    assert stored.key_hash == ApiToken.hash_key(key) and key not in stored.key_hash
    api = Client()
    assert api.get("/api/coalitions/", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    listed = api.get("/api/coalitions/", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert listed == [{"slug": "valley-a", "name": "Valley Health Alliance", "role": "partner"}]


def test_production_settings_pass_the_deploy_check() -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "commonground.settings",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "-production-like-secret-key-with-enough-entropy-9f8e7d6c5b4a",
        "ALLOWED_HOSTS": "health.example.org",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "commonground.manage",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
