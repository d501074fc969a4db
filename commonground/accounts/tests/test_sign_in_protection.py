"""Sign-in under attack, as found: a lockout from elsewhere, a spoofed address.

Every attempt below is a real POST to the sign-in page; time passing is simulated by
moving axes' logged attempts back (axes' own tables, not ours).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db.models import F
from django.test import Client, override_settings
from django.test.client import RequestFactory
from django.utils import timezone

from commonground.accounts import protection
from commonground.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

OWNER = "ana@example.org"
WRONG = "not-the-password-guess"


def attempt(
    address: str,
    password: str,
    username: str = OWNER,
    forwarded_for: str | None = None,
) -> Any:
    extra = {"REMOTE_ADDR": address}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return Client().post(
        "/accounts/sign-in/", {"username": username, "password": password}, **extra
    )


def time_passes(seconds: int) -> None:
    """Everything axes logged happened ``seconds`` earlier."""
    delta = timedelta(seconds=seconds)
    AccessFailureLog.objects.update(attempt_time=F("attempt_time") - delta)
    AccessLog.objects.update(attempt_time=F("attempt_time") - delta)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - delta)


def signed_in(response: Any) -> bool:
    return response.status_code == 302 and response["Location"] == "/coalitions/"


# --- The lockout from another address ------------------------------------------------------


def failures_in_the_hour(username: str = OWNER) -> int:
    since = timezone.now() - timedelta(hours=1)
    return AccessFailureLog.objects.filter(username=username, attempt_time__gt=since).count()


def test_120_attempts_from_one_address_stop_at_100_failures_an_hour() -> None:
    """Found: axes records a failure for every attempt, even while it locks the address,
    so one address alone could carry an account past 100 failures an hour."""
    make_user(OWNER)
    for _burst in range(6):
        for _ in range(20):
            assert not signed_in(attempt("203.0.113.66", WRONG))
        time_passes(61)
    assert failures_in_the_hour() == 100
    # At the ceiling the owner, from elsewhere, is refused too, and offered the reset.
    refused = attempt("198.51.100.20", PASSWORD)
    assert refused.status_code == 429 and "_auth_user_id" not in refused.client.session
    assert "Reset your password by e-mail" in refused.content.decode()
    assert failures_in_the_hour() == 100


def test_a_distributed_attack_stops_at_100_failures_an_hour_for_every_address() -> None:
    make_user(OWNER)
    make_user("ben@example.org")
    for host in range(100):
        assert attempt(f"203.0.{host // 50}.{host % 50 + 1}", WRONG).status_code == 200
    assert failures_in_the_hour() == 100
    oldest = AccessFailureLog.objects.filter(username=OWNER).earliest("attempt_time")
    # A new address, with the right password: refused before the password is checked.
    refused = attempt("198.51.100.20", PASSWORD)
    assert refused.status_code == 429
    assert "_auth_user_id" not in refused.client.session
    opens_at = timezone.localtime(oldest.attempt_time + timedelta(hours=1))
    assert 3590 <= int(refused["Retry-After"]) <= 3600
    text = refused.content.decode()
    assert "too many failed sign-ins in the last hour" in text
    assert f"until {opens_at:%H:%M} UTC (in 60 minutes)" in text
    assert "resetting your" in text and "Reset your password by e-mail" in text
    # Nothing was recorded: wrong passwords from more addresses leave the count at 100.
    for host in range(3):
        assert attempt(f"198.51.100.{30 + host}", WRONG).status_code == 429
    assert failures_in_the_hour() == 100
    assert not AccessLog.objects.filter(username=OWNER).exists()
    # Another account is not affected.
    assert signed_in(attempt("198.51.100.20", PASSWORD, username="ben@example.org"))
    # Once the oldest failure is an hour old, 99 are left: password sign-in opens again.
    AccessFailureLog.objects.filter(pk=oldest.pk).update(
        attempt_time=F("attempt_time") - timedelta(hours=1)
    )
    assert signed_in(attempt("198.51.100.20", PASSWORD))


def test_the_ceiling_message_is_in_spanish_for_a_spanish_reader() -> None:
    make_user(OWNER)
    AccessFailureLog.objects.bulk_create(
        AccessFailureLog(username=OWNER, ip_address=f"10.1.0.{i}", user_agent="x")
        for i in range(100)
    )
    refused = Client(HTTP_ACCEPT_LANGUAGE="es").post(
        "/accounts/sign-in/", {"username": OWNER, "password": PASSWORD}, REMOTE_ADDR="10.2.0.1"
    )
    assert refused.status_code == 429
    text = refused.content.decode()
    assert "demasiados intentos fallidos" in text
    assert "Restablecer la contraseña por correo electrónico" in text
    assert AccessFailureLog.objects.filter(username=OWNER).count() == 100


def test_below_the_ceiling_a_failed_address_is_not_refused() -> None:
    make_user(OWNER)
    AccessFailureLog.objects.bulk_create(
        AccessFailureLog(username=OWNER, ip_address=f"10.1.0.{i}", user_agent="x")
        for i in range(98)
    )
    assert attempt("198.51.100.30", WRONG).status_code == 200
    # 99 failures in the hour: one under the ceiling, so the right password still works.
    assert signed_in(attempt("198.51.100.30", PASSWORD))


def test_five_failures_lock_that_account_and_address_only() -> None:
    make_user(OWNER)
    make_user("ben@example.org")
    for _ in range(5):
        attempt("203.0.113.7", WRONG)
    locked = attempt("203.0.113.7", PASSWORD)
    assert locked.status_code == 429 and "15 minutes" in locked.content.decode()
    assert signed_in(attempt("203.0.113.7", PASSWORD, username="ben@example.org"))
    assert signed_in(attempt("203.0.113.8", PASSWORD))


def test_changing_the_case_of_the_address_does_not_dodge_the_lockout() -> None:
    make_user(OWNER)
    for typed in ("ANA@example.org", "Ana@Example.org", "ana@EXAMPLE.org", "aNa@example.org"):
        attempt("203.0.113.7", WRONG, username=typed)
    attempt("203.0.113.7", WRONG, username=" ana@example.org ")
    assert attempt("203.0.113.7", PASSWORD).status_code == 429


# --- Throttle per address ------------------------------------------------------------------


def test_an_address_gets_20_attempts_a_minute_whatever_the_accounts() -> None:
    make_user(OWNER)
    for number in range(20):
        response = attempt("203.0.113.9", WRONG, username=f"guess{number}@example.org")
        assert response.status_code == 200
    throttled = attempt("203.0.113.9", PASSWORD)
    assert throttled.status_code == 429
    assert "Too many sign-in attempts from your network address" in throttled.content.decode()
    assert 1 <= int(throttled["Retry-After"]) <= 60
    # Refused attempts are not failures: nothing more was logged against the owner.
    assert not AccessFailureLog.objects.filter(username=OWNER).exists()
    assert signed_in(attempt("203.0.113.10", PASSWORD))
    time_passes(61)
    assert signed_in(attempt("203.0.113.9", PASSWORD))


# --- The client's address and the proxy spoof ------------------------------------------------


def test_without_trusted_proxies_x_forwarded_for_cannot_change_the_address() -> None:
    """Found: behind a reverse proxy every user would share one address; the fix must
    not let a client pick its address with a header instead."""
    make_user(OWNER)
    for _ in range(5):
        attempt("203.0.113.7", WRONG)
    spoofed = attempt("203.0.113.7", PASSWORD, forwarded_for="198.51.100.20")
    assert spoofed.status_code == 429
    assert set(AccessFailureLog.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


@override_settings(TRUSTED_PROXIES=["10.0.0.1", "10.0.1.0/24"])
def test_behind_trusted_proxies_each_user_has_their_own_address() -> None:
    make_user(OWNER)
    for _ in range(5):
        # The attacker's own header comes first; our proxies append what they saw.
        attempt("10.0.0.1", WRONG, forwarded_for="198.51.100.20, 203.0.113.7, 10.0.1.5")
    assert set(AccessFailureLog.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    # Another header value from the attacker changes nothing: still locked.
    assert attempt("10.0.0.1", PASSWORD, forwarded_for="192.0.2.1, 203.0.113.7").status_code == 429
    # The owner, through the same proxy, is not locked out with the attacker.
    assert signed_in(attempt("10.0.0.1", PASSWORD, forwarded_for="198.51.100.20"))
    # A client that is not our proxy cannot use the header at all.
    assert attempt("203.0.113.7", PASSWORD, forwarded_for="198.51.100.20").status_code == 429


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "client"),
    [
        ("203.0.113.7", "", [], "203.0.113.7"),
        ("203.0.113.7", "198.51.100.1", [], "203.0.113.7"),
        ("203.0.113.7", "198.51.100.1", ["10.0.0.1"], "203.0.113.7"),
        ("10.0.0.1", "", ["10.0.0.1"], "10.0.0.1"),
        ("10.0.0.1", "198.51.100.1", ["10.0.0.1"], "198.51.100.1"),
        ("10.0.0.1", "1.1.1.1, 198.51.100.1", ["10.0.0.1"], "198.51.100.1"),
        ("10.0.0.1", "1.1.1.1, 198.51.100.1, 10.0.0.2", ["10.0.0.0/8"], "198.51.100.1"),
        ("10.0.0.1", "10.0.0.3, 10.0.0.2", ["10.0.0.0/8"], "10.0.0.3"),
        ("10.0.0.1", "1.1.1.1, not-an-ip, 10.0.0.2", ["10.0.0.0/8"], "10.0.0.2"),
        ("10.0.0.1", "198.51.100.1:5123", ["10.0.0.1"], "198.51.100.1"),
        ("::1", "2001:db8::7", ["::1"], "2001:db8::7"),
        ("::ffff:10.0.0.1", "198.51.100.1", ["10.0.0.1"], "198.51.100.1"),
    ],
)
def test_client_ip_reads_the_header_from_the_right_past_trusted_proxies(
    remote: str, forwarded: str, trusted: list[str], client: str
) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXIES=trusted):
        assert protection.client_ip(request) == client


def test_a_mistyped_trusted_proxy_stops_the_server_naming_it() -> None:
    from commonground.accounts.domain.addresses import TrustedProxyError, parse_trusted_proxies

    with pytest.raises(TrustedProxyError, match=r"'proxy\.internal' is not an IP address"):
        parse_trusted_proxies(["10.0.0.1", "proxy.internal"])
