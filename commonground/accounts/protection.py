"""Sign-in protection wired to Django: the client's address and the waits of ``domain.sign_in``.

``client_ip`` is the one place the client's address is read: django-axes uses it
(``AXES_CLIENT_IP_CALLABLE``), and so do our own throttles below.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import Any

from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commonground.accounts.domain import addresses, sign_in


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


def _seconds(count: int) -> str:
    return ngettext("%(n)d second", "%(n)d seconds", count) % {"n": count}


def check_sign_in(request: HttpRequest, username: str) -> None:
    """Raise ``SignInWait`` when this attempt must wait; called before the password is checked.

    Refused attempts are not failures: nothing is recorded and no lockout grows.
    """
    now = timezone.now()
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
    if not username:
        return
    hour_ago = now - timedelta(hours=1)
    failures = AccessFailureLog.objects.filter(username=username, attempt_time__gt=hour_ago)
    account_failures = failures.count()
    if account_failures < settings.ACCOUNT_FAILURES_PER_HOUR:
        return
    wait = sign_in.account_wait(
        account_failures,
        list(failures.filter(ip_address=address).values_list("attempt_time", flat=True)),
        now,
        ceiling=settings.ACCOUNT_FAILURES_PER_HOUR,
        base=settings.ACCOUNT_SLOWDOWN_SECONDS,
        cap=int(settings.AXES_COOLOFF_TIME.total_seconds()),
    )
    if wait:
        raise SignInWait(
            _(
                "This account has had many failed sign-ins in the last hour, so after a "
                "failed attempt each new try from your network address must wait. "
                "Try again in %(wait)s."
            )
            % {"wait": _seconds(wait)},
            wait,
        )
