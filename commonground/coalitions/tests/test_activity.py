"""The activity log says what happened in the reader's language, with names, never codes.

Rows are written by the real services (``record_audit`` with an event code and params),
or, for rows written before event codes existed, by ``record_audit`` exactly as the old
code called it; the log page is read in English and Spanish.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest
from django.utils import translation
from django_scopes import scope

from commonground.coalitions import activity, services
from commonground.coalitions.models import AuditEvent, Coalition, Invitation, Membership

pytestmark = pytest.mark.django_db

#: A snake_case code in visible text (the same test the whole-site Spanish check makes).
RAW_CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
Role = Membership.Role


def log_texts(client: Any, slug: str = "valley-a", language: str = "en") -> list[str]:
    """The "What" column of the activity log page, as the reader sees it."""
    html = client.get(f"/c/{slug}/activity/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    rows = re.findall(r"<tr><td>.*?</td><td>(.*?)</td></tr>", html, re.S)
    return [unescape(row) for row in rows]


def events(coalition: Coalition) -> list[AuditEvent]:
    with scope(coalition=coalition):
        return list(AuditEvent.objects.filter(coalition=coalition).order_by("id"))


def legacy(coalition: Coalition, obj: Any, action: str, summary: str, **values: Any) -> AuditEvent:
    """A row as the code before event codes wrote it: no event, no params."""
    return services.record_audit(
        coalition=coalition, actor=None, action=action, obj=obj, summary=summary, **values
    )


def seat(world: Any, persona: str) -> Membership:
    with scope(coalition=world.a):
        return Membership.objects.select_related("user").get(user=world.people[persona])


# Writing --------------------------------------------------------------------------------


def test_record_audit_keeps_the_event_code_and_params(world: Any) -> None:
    row = services.record_audit(
        coalition=world.a,
        actor=world.people["admin"],
        action=AuditEvent.Action.UPDATE,
        obj=world.a,
        summary="Updated the partnership profile",
        event="coalitions.profile_updated",
        params={"name": "Valley Health Alliance"},
    )
    row.refresh_from_db()
    assert row.event == "coalitions.profile_updated"
    assert row.params == {"name": "Valley Health Alliance"}


@pytest.mark.parametrize("code", ["role_changed", "Coalitions.Role", "coalitions.", "a b.c"])
def test_a_malformed_event_code_is_refused_and_nothing_is_written(world: Any, code: str) -> None:
    before = len(events(world.a))
    with pytest.raises(ValueError, match=r"app\.what_happened"):
        services.record_audit(
            coalition=world.a,
            actor=world.people["admin"],
            action=AuditEvent.Action.UPDATE,
            obj=world.a,
            summary="x",
            event=code,
        )
    assert len(events(world.a)) == before


def test_params_must_be_a_dict(world: Any) -> None:
    with pytest.raises(ValueError, match="params must be a dict"):
        services.record_audit(
            coalition=world.a,
            actor=world.people["admin"],
            action=AuditEvent.Action.UPDATE,
            obj=world.a,
            summary="x",
            event="coalitions.profile_updated",
            params=["name"],  # type: ignore[arg-type]
        )


def test_the_coalition_services_write_event_codes_with_names(world: Any) -> None:
    partner = seat(world, "partner")
    services.change_role(membership=partner, actor=world.people["admin"], role=Role.VIEWER)
    invitation, _token = services.invite_member(
        coalition=world.a, actor=world.people["admin"], email="Nu@A.example", role=Role.PARTNER
    )
    services.revoke_invitation(invitation=invitation, actor=world.people["admin"])
    services.remove_member(membership=seat(world, "viewer"), actor=world.people["admin"])
    coded = {row.event: row.params for row in events(world.a) if row.event}
    assert coded["coalitions.coalition_created"] == {"name": "Valley Health Alliance"}
    assert coded["coalitions.member_joined"]["role"] == "backbone_admin"
    assert coded["coalitions.role_changed"] == {
        "name": "partner",
        "user": world.people["partner"].pk,
        "old_role": "partner",
        "new_role": "viewer",
    }
    assert coded["coalitions.member_invited"] == {"email": "nu@a.example", "role": "partner"}
    assert coded["coalitions.invitation_withdrawn"]["email"] == "nu@a.example"
    assert coded["coalitions.member_removed"]["role"] == "viewer"


# Reading --------------------------------------------------------------------------------


def test_the_log_reads_in_spanish_with_names_and_no_codes(world: Any) -> None:
    admin = world.people["admin"]
    services.change_role(membership=seat(world, "partner"), actor=admin, role=Role.VIEWER)
    services.invite_member(coalition=world.a, actor=admin, email="nu@a.example", role=Role.PARTNER)
    services.remove_member(membership=seat(world, "viewer"), actor=admin)
    services.update_profile(
        coalition=world.a,
        actor=admin,
        places=services.parse_places(counties="01101 01001"),
        mission="Healthier valleys",
    )
    spanish = log_texts(world.client_for("admin"), language="es")
    assert "Cambió el rol de partner de Socio a Observador" in spanish
    assert "Invitó a nu@a.example como Socio" in spanish
    assert "Quitó a viewer (Observador) de la coalición" in spanish
    assert "Creó la coalición “Valley Health Alliance”" in spanish
    assert "Ada Admin se unió como Administrador de coordinación" in spanish
    assert "Actualizó el perfil de la alianza: misión, lugares atendidos" in spanish
    assert not [text for text in spanish if RAW_CODE.search(text)]
    english = log_texts(world.client_for("admin"), language="en")
    assert "Changed the role of partner from Partner to Viewer" in english
    assert "Updated the partnership profile: mission, places served" in english


def test_rows_written_before_event_codes_read_the_same(world: Any) -> None:
    """The summaries the old code stored, including a role code and a Spanish role label
    (the invite summary once took the inviter's language)."""
    partner = seat(world, "partner")
    with scope(coalition=world.a):
        invitation = Invitation.objects.get(email="new@a.example")
    Update, Create, Delete = (
        AuditEvent.Action.UPDATE,
        AuditEvent.Action.CREATE,
        AuditEvent.Action.DELETE,
    )
    legacy(
        world.a,
        partner,
        Update,
        "Changed partner from partner to community_member",
        before={"role": "partner"},
        after={"role": "community_member"},
    )
    legacy(world.a, partner, Create, "Lee Partner accepted an invitation as Partner")
    legacy(world.a, invitation, Create, "Invited new@a.example as Socio")
    legacy(world.a, invitation, Update, "Withdrew the invitation of new@a.example")
    legacy(world.a, partner, Delete, "Removed partner", before={"role": "partner", "user": "p@a"})
    legacy(world.a, world.a, Create, "Created coalition Old Name")
    spanish = log_texts(world.client_for("admin"), language="es")[:6]
    assert spanish == [
        "Creó la coalición “Old Name”",
        "Quitó a partner (Socio) de la coalición",
        "Retiró la invitación de new@a.example",
        "Invitó a new@a.example como Socio",
        "Lee Partner aceptó una invitación como Socio",
        "Cambió el rol de partner de Socio a Miembro de la comunidad",
    ]
    english = log_texts(world.client_for("admin"), language="en")[:6]
    assert english[3] == "Invited new@a.example as Partner"
    assert english[5] == "Changed the role of partner from Partner to Community member"


def test_a_row_nothing_recognizes_still_reads_as_a_sentence(world: Any) -> None:
    partner = seat(world, "partner")
    legacy(world.a, partner, AuditEvent.Action.UPDATE, "something_odd happened")
    legacy(world.a, world.people["admin"], AuditEvent.Action.CREATE, "x", after={"title": "Plan B"})
    with translation.override("es"):
        texts = activity.describe(events(world.a)[-2:])
    assert texts == ["Cambio: membresía", "Creación: registro “Plan B”"]


def test_an_unknown_event_code_reads_generically(world: Any) -> None:
    row = services.record_audit(
        coalition=world.a,
        actor=None,
        action=AuditEvent.Action.DELETE,
        obj=world.a,
        summary="Gone",
        event="retired_app.thing_removed",
        params={"name": "Old thing"},
    )
    with translation.override("es"):
        assert activity.describe_one(row) == "Eliminación: coalición “Old thing”"


@pytest.fixture
def broken_renderer() -> Iterator[None]:
    def broken(entry: activity.Entry) -> str:
        return "never " + entry.params["missing"]

    activity.renders("coalitions.test_broken")(broken)
    yield
    activity._by_event.pop("coalitions.test_broken")


def test_a_renderer_that_cannot_read_its_row_falls_back_to_the_generic_sentence(
    world: Any, broken_renderer: None
) -> None:
    row = services.record_audit(
        coalition=world.a,
        actor=None,
        action=AuditEvent.Action.UPDATE,
        obj=world.a,
        summary="x",
        event="coalitions.test_broken",
        params={"name": "Valley"},
    )
    assert activity.describe_one(row) == "Changed: coalition “Valley”"
    # The page still answers.
    assert "Changed: coalition “Valley”" in log_texts(world.client_for("admin"))


def test_one_event_code_has_one_renderer() -> None:
    with pytest.raises(ValueError, match="already has a renderer"):
        activity.renders("coalitions.role_changed")(lambda entry: "again")


def test_an_unknown_choice_is_shown_as_words_not_as_a_code() -> None:
    assert activity.role_label("regional_convener") == "regional convener"
    assert activity.humanize("support_community_led") == "support community led"


def test_the_log_shows_only_this_coalitions_rows(world: Any) -> None:
    texts = log_texts(world.client_for("admin"))
    assert "Invited new@b.example as Partner" not in texts
    assert "Invited new@a.example as Partner" in texts
