"""Sign-in protection wired to Django: the client's address and the waits of ``domain.sign_in``.

``client_ip`` is the one place the client's address is read: django-axes uses it
(``AXES_CLIENT_IP_CALLABLE``), and so do our own throttles below.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commonground.accounts.domain import addresses, sign_in
from commonground.accounts.models import PasswordResetRequest

# Reset e-mails one address may ask for in an hour: enough for a mistyped address or a
# lost message, few enough that nobody can flood an inbox from one address.
RESET_REQUESTS_PER_ADDRESS = 5
RESET_WINDOW_SECONDS = 3600


@cache
def _trusted(entries: tuple[str, ...]) -> tuple[addresses.Network, ...]:
    return addresses.parse_trusted_proxies(entries)


def client_ip(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or, when that is one of ``TRUSTED_PROXIES``,
    the right-most address of ``X-Forwarded-For`` that is not one of them."""
    trusted = _trusted(tuple(settings.TRUSTED_PROXIES))
    return addresses.client_address(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        trusted,
    )


def normalize_username(value: object) -> str:
    return str(value or "").strip().lower()


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """``AXES_USERNAME_CALLABLE``: the address as typed, lower-cased, so ``Ana@…`` and
    ``ana@…`` share one lockout."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        return normalize_username(credentials.get(field))
    return normalize_username(getattr(request, "POST", {}).get(field))


class SignInWait(Exception):
    """The attempt must wait ``seconds``; the message says why and for how long."""

    def __init__(self, message: str, seconds: int) -> None:
        super().__init__(message)
        self.seconds = seconds


class AccountClosed(SignInWait):
    """The account is at its hourly ceiling of failures: no address may try a password,
    but the owner may reset it by e-mail."""


def _seconds(count: int) -> str:
    return ngettext("%(n)d second", "%(n)d seconds", count) % {"n": count}


def _minutes(count: int) -> str:
    return ngettext("%(n)d minute", "%(n)d minutes", count) % {"n": count}


def _address_check(request: HttpRequest, now: datetime) -> None:
    address = client_ip(request)
    window = 60
    since = now - timedelta(seconds=window)
    attempts = [
        *AccessFailureLog.objects.filter(ip_address=address, attempt_time__gt=since).values_list(
            "attempt_time", flat=True
        ),
        *AccessLog.objects.filter(ip_address=address, attempt_time__gt=since).values_list(
            "attempt_time", flat=True
        ),
    ]
    wait = sign_in.address_wait(
        attempts, now, limit=settings.SIGN_IN_ATTEMPTS_PER_ADDRESS_PER_MINUTE, window=window
    )
    if wait:
        raise SignInWait(
            _(
                "Too many sign-in attempts from your network address in the last minute. "
                "Try again in %(wait)s."
            )
            % {"wait": _seconds(wait)},
            wait,
        )


def account_failures(username: str, now: datetime) -> QuerySet[AccessFailureLog]:
    """The account's failed sign-ins of the last hour, from every address."""
    hour_ago = now - timedelta(seconds=sign_in.HOUR)
    return AccessFailureLog.objects.filter(username=username, attempt_time__gt=hour_ago)


def check_sign_in(request: HttpRequest, username: str) -> None:
    """Raise ``SignInWait`` when this attempt must wait; called before the password is checked.

    Refused attempts are not failures: nothing is recorded and no lockout grows, so an
    account at the ceiling stays at it and never passes it.
    """
    now = timezone.now()
    _address_check(request, now)
    if not username:
        return
    ceiling = settings.ACCOUNT_FAILURES_PER_HOUR
    latest = (
        account_failures(username, now)
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)[:ceiling]
    )
    wait = sign_in.account_wait(list(latest), now, ceiling=ceiling)
    if wait:
        opens_at = timezone.localtime(now + timedelta(seconds=wait))
        raise AccountClosed(
            _(
                "This account has had too many failed sign-ins in the last hour, so signing "
                "in with a password is closed, from every network, until %(time)s (in "
                "%(wait)s). If this is your account, you can get in now by resetting your "
                "password by e-mail."
            )
            % {
                "time": dateformat.format(opens_at, "H:i T"),
                "wait": _minutes(math.ceil(wait / 60)),
            },
            wait,
        )


@contextmanager
def one_attempt_at_a_time(username: str) -> Iterator[None]:
    """Run the checks and the password check of a sign-in for ``username`` one at a time,
    in a transaction, so that attempts made at the same moment cannot together carry the
    account past the ceiling.

    PostgreSQL: a lock per account, held until the transaction ends. SQLite: the
    transaction itself, which begins IMMEDIATE (settings), holds the database's one write
    lock.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"sign-in:{username}"]
                )
        yield


def check_password_reset(request: HttpRequest) -> None:
    """Raise ``SignInWait`` when this address has asked for enough reset e-mails lately."""
    now = timezone.now()
    since = now - timedelta(seconds=RESET_WINDOW_SECONDS)
    requests = PasswordResetRequest.objects.filter(
        ip_address=client_ip(request), requested_at__gt=since
    ).values_list("requested_at", flat=True)
    wait = sign_in.address_wait(
        list(requests), now, limit=RESET_REQUESTS_PER_ADDRESS, window=RESET_WINDOW_SECONDS
    )
    if wait:
        raise SignInWait(
            _(
                "Too many password-reset requests from your network address in the last "
                "hour. Try again in %(wait)s."
            )
            % {"wait": _minutes(math.ceil(wait / 60))},
            wait,
        )
