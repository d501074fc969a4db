"""API tokens expire (API_TOKEN_DAYS, 90 by default) and can be revoked.

Found: a token, once made, worked forever.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client, override_settings
from django.utils import timezone

from commonground.accounts.models import ApiToken
from commonground.conftest import make_user

pytestmark = pytest.mark.django_db


def make_token(client: Client, name: str = "script") -> str:
    response = client.post("/accounts/tokens/", {"name": name})
    assert response.status_code == 200
    key: str = response.context["new_key"]
    return key


def api_status(key: str) -> int:
    return Client().get("/api/coalitions/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code


def test_a_new_token_expires_after_90_days_and_the_page_says_when(world: Any) -> None:
    client = world.client_for("partner")
    before = timezone.now()
    key = make_token(client)
    token = ApiToken.objects.get()
    assert before + timedelta(days=90) <= token.expires_at <= timezone.now() + timedelta(days=90)
    page = client.get("/accounts/tokens/").content.decode()
    assert timezone.localtime(token.expires_at).strftime("%Y-%m-%d %H:%M") in page
    assert "Active" in page and "works for 90 days" in page
    assert api_status(key) == 200


@override_settings(API_TOKEN_DAYS=7)
def test_api_token_days_sets_the_lifetime(world: Any) -> None:
    make_token(world.client_for("partner"))
    lifetime = ApiToken.objects.get().expires_at - timezone.now()
    assert timedelta(days=6, hours=23) < lifetime <= timedelta(days=7)


def test_an_expired_token_gets_401(world: Any) -> None:
    client = world.client_for("partner")
    key = make_token(client)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api_status(key) == 401
    assert "Expired" in client.get("/accounts/tokens/").content.decode()


def test_a_revoked_token_gets_401_and_stays_listed(world: Any) -> None:
    client = world.client_for("partner")
    key = make_token(client)
    other_key = make_token(client, "another")
    assert api_status(key) == 200
    token = ApiToken.objects.get(name="script")
    response = client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert api_status(key) == 401
    assert api_status(other_key) == 200
    token.refresh_from_db()
    assert token.revoked_at is not None
    page = client.get("/accounts/tokens/").content.decode()
    assert f"Revoked on {timezone.localtime(token.revoked_at):%Y-%m-%d}" in page
    # Revoking again changes nothing; the first revocation time stays.
    first = token.revoked_at
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at == first


def test_nobody_revokes_another_persons_token(world: Any) -> None:
    key = make_token(world.client_for("partner"))
    token = ApiToken.objects.get()
    response = world.client_for("admin").post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    assert api_status(key) == 200


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_tokens_an_expiry_90_days_out() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0001_initial")])
    user = make_user("old@example.org")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO accounts_apitoken (user_id, name, prefix, key_hash, created_at) "
            "VALUES (%s, 'old', 'abcdef', %s, %s)",
            [user.pk, ApiToken.hash_key("cg_old"), timezone.now() - timedelta(days=400)],
        )
    before = timezone.now()
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    token = ApiToken.objects.get(name="old")
    assert before + timedelta(days=90) <= token.expires_at
    assert token.expires_at <= timezone.now() + timedelta(days=90)
    assert token.revoked_at is None
    assert api_status("cg_old") == 200
