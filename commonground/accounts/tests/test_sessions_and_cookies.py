"""Sessions end on the server, and production cookies are the hardened ones (RELIABILITY 19)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from commonground.accounts.models import User
from commonground.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def signed_in_client(email: str) -> Client:
    client = Client()
    response = client.post(
        "/accounts/sign-in/", {"username": email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 302
    return client


def test_signing_out_ends_the_session_on_the_server() -> None:
    make_user("ana@example.org")
    client = signed_in_client("ana@example.org")
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()
    assert client.get("/coalitions/").status_code == 200
    assert client.post("/accounts/sign-out/").status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    # A copy of the old cookie no longer signs anyone in.
    stolen = Client()
    stolen.cookies["sessionid"] = key
    response = stolen.get("/coalitions/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_deactivating_an_account_ends_its_open_sessions() -> None:
    user = make_user("ana@example.org")
    client = signed_in_client("ana@example.org")
    assert client.get("/coalitions/").status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.get("/coalitions/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def production_settings() -> dict[str, Any]:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "commonground.settings",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "-production-like-secret-key-with-enough-entropy-9f8e7d6c5b4a",
    }
    names = [
        "SESSION_COOKIE_NAME",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_NAME",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_SAMESITE",
        "SESSION_COOKIE_AGE",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    ]
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_production_cookies_are_host_prefixed_secure_httponly_and_lax() -> None:
    settings = production_settings()
    assert settings["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert settings["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    assert settings["SESSION_COOKIE_SECURE"] is True and settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["SESSION_COOKIE_SAMESITE"] == "Lax" == settings["CSRF_COOKIE_SAMESITE"]
    assert settings["SESSION_COOKIE_AGE"] == 30 * 60  # 30 idle minutes
    assert settings["SECURE_HSTS_SECONDS"] == 31_536_000
    assert settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
