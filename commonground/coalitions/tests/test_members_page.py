"""The members page: the invite form comes first, and after inviting the admin sees the
link once, with a copy button and whether it was e-mailed.

The issue found the form at the bottom of the page and an admin who never saw the link.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings
from django_scopes import scope

from commonground.coalitions.models import AuditEvent, Invitation

pytestmark = pytest.mark.django_db
#: The e-mail goes when the invitation's transaction commits, as it does in production; the
#: usual test transaction never commits, so the tests about the e-mail commit for real.
commits = pytest.mark.django_db(transaction=True)

MEMBERS = "/c/valley-a/members/"
INVITE = "/c/valley-a/members/invite/"
LINK = re.compile(r'<input id="invite-link" type="text" readonly value="([^"]+)">')


def invite(client: Any, email: str = "nu@a.example", **extra: Any) -> Any:
    return client.post(
        INVITE, {"email": email, "role": "partner", "organization": "Clinic"}, **extra
    )


def test_the_invite_form_comes_before_the_list_of_members(world: Any) -> None:
    html = world.client_for("admin").get(MEMBERS).content.decode()
    assert html.index('id="invite-heading"') < html.index("<table")
    assert html.index('id="pending-heading"') < html.index("<table")


def test_people_who_are_not_admins_see_no_invite_form(world: Any) -> None:
    html = world.client_for("partner").get(MEMBERS).content.decode()
    assert "invite-heading" not in html and "invite-link" not in html


@commits
def test_after_inviting_the_admin_sees_the_link_once_with_a_copy_button(world: Any) -> None:
    client = world.client_for("admin")
    response = invite(client)
    assert response.status_code == 302
    assert response["Location"] == f"{MEMBERS}#new-link"
    html = client.get(MEMBERS).content.decode()
    found = LINK.search(html)
    assert found, "the link is not on the page after the invite"
    link = unescape(found.group(1))
    assert link.startswith("http://testserver/invite/")
    # A copy button for it, and the note that it was e-mailed, at the top of the page.
    assert '<button type="button" data-copy="#invite-link">Copy</button>' in html
    assert "We e-mailed this link to nu@a.example, who will join as Partner." in html
    assert html.index('id="new-link"') < html.index('id="invite-heading"')
    # It is the link that was e-mailed, and it works.
    assert len(mail.outbox) == 1 and link in mail.outbox[0].body
    opened = Client().get(link.removeprefix("http://testserver"))  # the invitee, signed out
    assert opened.status_code == 200 and "nu@a.example" in opened.content.decode()
    # Only once: the next view of the page no longer has it.
    assert not LINK.search(client.get(MEMBERS).content.decode())
    # Nothing but the hash is stored.
    token = link.rstrip("/").rsplit("/", 1)[-1]
    with scope(coalition=world.a):
        stored = Invitation.objects.get(email="nu@a.example")
        rows = AuditEvent.objects.filter(object_type="Invitation", object_id=str(stored.pk))
        assert token not in stored.token_hash
        assert all(token not in str(row.params) + row.summary for row in rows)


@commits
def test_the_link_page_is_translated(world: Any) -> None:
    client = world.client_for("admin")
    invite(client, HTTP_ACCEPT_LANGUAGE="es")
    html = client.get(MEMBERS, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert (
        "Enviamos este enlace por correo electrónico a nu@a.example, que se unirá como Socio."
        in html
    )
    assert "El enlace funciona una sola vez" in html


def test_a_link_from_long_ago_is_not_shown(world: Any) -> None:
    client = world.client_for("admin")
    invite(client)
    session = client.session
    session["cg_new_invitation"]["at"] -= 11 * 60
    session.save()
    assert not LINK.search(client.get(MEMBERS).content.decode())


@commits
@override_settings(
    MAILERS={
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            # Nothing listens on port 9 here: the mail server refuses the connection.
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2, "use_tls": False},
        }
    }
)
def test_when_the_mail_server_refuses_the_invitation_stands_and_the_page_says_so(
    world: Any,
) -> None:
    client = world.client_for("admin")
    response = invite(client)
    assert response.status_code == 302  # no server error
    html = client.get(MEMBERS).content.decode()
    assert "The e-mail to nu@a.example could not be sent." in html
    assert "We e-mailed" not in html
    assert LINK.search(html)
    with scope(coalition=world.a):
        assert Invitation.objects.filter(email="nu@a.example").exists()


def test_an_invalid_invitation_shows_the_form_with_its_error_at_the_top(world: Any) -> None:
    client = world.client_for("admin")
    response = invite(client, email="admin@a.example")
    assert response.status_code == 400
    html = response.content.decode()
    assert "admin@a.example is already a member." in html
    assert html.index("already a member") < html.index("<table")
    assert not LINK.search(html)
