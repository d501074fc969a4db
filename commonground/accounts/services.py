"""Writes of the accounts app: API tokens.

Tokens belong to a person, not to a coalition, so they have no coalition audit row; the
row itself keeps when a token was made, last used, revoked, and when it expires.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from commonground.accounts.models import ApiToken, default_token_expiry

log = logging.getLogger("commonground.security")


@transaction.atomic
def create_api_token(*, user: Any, name: str) -> tuple[ApiToken, str]:
    """Make a token for ``user``; return it with its secret, which is shown once."""
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[3:9],
        key_hash=ApiToken.hash_key(key),
        expires_at=default_token_expiry(),
    )
    log.info("API token %s created for user %s", token.pk, user.pk)
    return token, key


@transaction.atomic
def revoke_api_token(*, token: ApiToken) -> ApiToken:
    """Stop ``token`` from authenticating, at once; revoking twice changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log.info("API token %s revoked by user %s", token.pk, token.user_id)
    return token
