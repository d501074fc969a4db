"""Password reset by e-mail: the owner's way back in when sign-in is closed to passwords.

Every step is a real request with Django's test client; the e-mail is read from the
test outbox (pytest-django's ``mailoutbox``).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.db.models import F
from django.test import Client

from commonground.accounts.models import PasswordResetRequest
from commonground.accounts.protection import RESET_REQUESTS_PER_ADDRESS
from commonground.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

OWNER = "ana@example.org"
NEW_PASSWORD = "a-brand-new-passphrase-2026"
LINK = re.compile(r"https?://testserver(/accounts/reset/[^/\s]+/[^/\s]+/)")


def sign_in(address: str, password: str) -> Any:
    return Client().post(
        "/accounts/sign-in/", {"username": OWNER, "password": password}, REMOTE_ADDR=address
    )


def ask_for_reset(client: Client, email: str, address: str = "198.51.100.5") -> Any:
    return client.post("/accounts/password-reset/", {"email": email}, REMOTE_ADDR=address)


def the_link(message: Any) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


def set_new_password(client: Client, link: str) -> Any:
    opened = client.get(link)  # Django moves the token into the session, then redirects
    assert opened.status_code == 302
    form_page = client.get(opened["Location"])
    assert form_page.status_code == 200 and "Choose a new password" in form_page.content.decode()
    return client.post(
        opened["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )


def test_a_reset_by_e_mail_lets_the_owner_in_at_the_hourly_ceiling(mailoutbox: Any) -> None:
    make_user(OWNER)
    # 5 failures from one address lock that pair (axes); 95 more reach the ceiling.
    for _ in range(5):
        sign_in("203.0.113.7", "wrong-password-guess")
    AccessFailureLog.objects.bulk_create(
        AccessFailureLog(username=OWNER, ip_address=f"10.1.0.{i}", user_agent="x")
        for i in range(95)
    )
    refused = sign_in("198.51.100.20", PASSWORD)
    assert refused.status_code == 429
    assert 'href="/accounts/password-reset/"' in refused.content.decode()

    client = Client()
    request_page = client.get("/accounts/password-reset/")
    assert request_page.status_code == 200
    assert '<label for="id_email">E-mail address:</label>' in request_page.content.decode()
    sent = ask_for_reset(client, "Ana@Example.org")
    assert sent.status_code == 302 and sent["Location"] == "/accounts/password-reset/sent/"
    assert "Check your e-mail" in client.get(sent["Location"]).content.decode()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [OWNER]
    assert message.subject == "Your CommonGround password-reset link"
    assert "within 60 minutes" in message.body

    done = set_new_password(client, the_link(message))
    assert done.status_code == 302 and done["Location"] == "/accounts/reset/done/"
    assert "Your new password is saved" in client.get(done["Location"]).content.decode()
    # The failures of the hour and the lockouts are gone: the owner signs in anywhere,
    # even from the address that was locked.
    assert not AccessFailureLog.objects.filter(username=OWNER).exists()
    assert not AccessAttempt.objects.filter(username=OWNER).exists()
    for address in ("203.0.113.7", "198.51.100.20"):
        response = sign_in(address, NEW_PASSWORD)
        assert response.status_code == 302 and response["Location"] == "/coalitions/"
    assert sign_in("198.51.100.21", PASSWORD).status_code == 200  # the old one is gone


def test_an_unknown_address_gets_the_same_page_and_no_e_mail(mailoutbox: Any) -> None:
    make_user(OWNER)
    known = ask_for_reset(Client(), OWNER)
    unknown_client = Client()
    unknown = ask_for_reset(unknown_client, "nobody@example.org")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [OWNER]
    page = unknown_client.get(unknown["Location"]).content.decode()
    assert "If the address you typed belongs to an account" in page


def test_an_address_may_ask_for_5_reset_e_mails_an_hour(mailoutbox: Any) -> None:
    make_user(OWNER)
    for _ in range(RESET_REQUESTS_PER_ADDRESS):
        assert ask_for_reset(Client(), OWNER, "203.0.113.9").status_code == 302
    refused = ask_for_reset(Client(), OWNER, "203.0.113.9")
    assert refused.status_code == 429
    assert 3500 <= int(refused["Retry-After"]) <= 3600
    text = refused.content.decode()
    assert "Too many password-reset requests from your network address" in text
    assert "Try again in 60 minutes" in text
    assert len(mailoutbox) == RESET_REQUESTS_PER_ADDRESS
    # Unknown addresses count the same, so the limit does not tell them apart.
    assert ask_for_reset(Client(), "nobody@example.org", "203.0.113.9").status_code == 429
    # Another address is not refused; an hour later the first one is not either.
    assert ask_for_reset(Client(), OWNER, "203.0.113.10").status_code == 302
    PasswordResetRequest.objects.update(requested_at=F("requested_at") - timedelta(hours=1))
    assert ask_for_reset(Client(), OWNER, "203.0.113.9").status_code == 302
    assert len(mailoutbox) == RESET_REQUESTS_PER_ADDRESS + 2
    # Requests older than the hour are forgotten as new ones come in.
    assert PasswordResetRequest.objects.count() == 1


def test_a_used_or_made_up_link_shows_the_link_does_not_work(mailoutbox: Any) -> None:
    make_user(OWNER)
    client = Client()
    ask_for_reset(client, OWNER)
    link = the_link(mailoutbox[0])
    assert set_new_password(client, link).status_code == 302
    for url in (link, "/accounts/reset/MQ/made-up-token/"):
        page = Client().get(url, follow=True)
        assert page.status_code == 200
        text = page.content.decode()
        assert "This link does not work" in text and "new_password1" not in text
        assert 'href="/accounts/password-reset/"' in text


def test_the_sign_in_and_locked_out_pages_link_to_the_reset() -> None:
    make_user(OWNER)
    assert 'href="/accounts/password-reset/"' in Client().get("/accounts/sign-in/").content.decode()
    for _ in range(5):
        sign_in("203.0.113.7", "wrong-password-guess")
    locked = sign_in("203.0.113.7", PASSWORD)
    assert locked.status_code == 429 and "15 minutes" in locked.content.decode()
    assert 'href="/accounts/password-reset/"' in locked.content.decode()


def test_the_reset_e_mail_is_in_spanish_for_a_spanish_reader(mailoutbox: Any) -> None:
    make_user(OWNER)
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    assert "Restablecer la contraseña" in client.get("/accounts/password-reset/").content.decode()
    ask_for_reset(client, OWNER)
    assert mailoutbox[0].subject == "Su enlace para restablecer la contraseña de CommonGround"
    assert "60 minutos" in mailoutbox[0].body
