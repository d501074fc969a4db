"""Writes of the accounts app: API tokens and password resets.

Tokens and passwords belong to a person, not to a coalition, so they have no coalition
audit row; the security log records them, and a token's row keeps when it was made, last
used, revoked, and when it expires.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from axes.utils import reset as reset_axes
from django.db import transaction
from django.utils import timezone

from commonground.accounts.models import ApiToken, PasswordResetRequest, default_token_expiry
from commonground.accounts.protection import account_failures, normalize_username

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


@transaction.atomic
def note_password_reset_request(*, ip_address: str, window_seconds: int) -> None:
    """Count one reset e-mail asked for from ``ip_address``; forget requests older than
    ``window_seconds``, from every address (they no longer count)."""
    now = timezone.now()
    PasswordResetRequest.objects.filter(
        requested_at__lte=now - timedelta(seconds=window_seconds)
    ).delete()
    PasswordResetRequest.objects.create(ip_address=ip_address[:100], requested_at=now)


@transaction.atomic
def clear_sign_in_failures(*, user: Any) -> int:
    """After ``user`` has proved they own the address by resetting the password: lift
    the lockouts on the account and forget its failed sign-ins of the last hour, so the
    hourly ceiling no longer closes it. Return how many failures were forgotten."""
    username = normalize_username(user.get_username())
    reset_axes(username=username)
    forgotten, _ = account_failures(username, timezone.now()).delete()
    log.info(
        "Password reset by e-mail for user %s; %d sign-in failures of the last hour cleared",
        user.pk,
        forgotten,
    )
    return forgotten
