from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from django_scopes.exceptions import ScopeError

from commonground.coalitions import services
from commonground.coalitions.models import AuditEvent, Coalition, Invitation, Membership, Place
from commonground.conftest import make_user

pytestmark = pytest.mark.django_db


def audit_count(coalition: Coalition) -> int:
    with scope(coalition=coalition):
        return AuditEvent.objects.filter(coalition=coalition).count()


def test_create_coalition_makes_creator_backbone_admin_and_audits() -> None:
    creator = make_user("lead@example.org")
    coalition = services.create_coalition(
        creator=creator, name="Eastside Health", places=services.parse_places(counties="1101")
    )
    assert coalition.slug == "eastside-health"
    with scope(coalition=coalition):
        seat = Membership.objects.get(user=creator)
        assert seat.role == Membership.Role.BACKBONE_ADMIN
        assert [p.code for p in Place.objects.all()] == ["01101"]
        assert AuditEvent.objects.count() == 2


def test_duplicate_slug_is_refused_and_nothing_is_saved() -> None:
    creator = make_user("lead@example.org")
    services.create_coalition(creator=creator, name="Eastside Health", slug="eastside")
    before = Coalition.objects.count()
    with pytest.raises(ValidationError, match="already taken"):
        services.create_coalition(creator=creator, name="Other", slug="eastside")
    assert Coalition.objects.count() == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("counties", "1101x", "'1101x' is not a county FIPS code"),
        ("counties", "123", "'123' is not a county FIPS code"),
        ("counties", "06999", "06999 is not a known US county"),
        ("states", "ZZ", "'ZZ' is not a known US state"),
    ],
)
def test_parse_places_names_each_bad_code(field: str, value: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        services.parse_places(
            **{field: f"01101, {value}"} if field == "counties" else {field: value}
        )
    assert any(message in text for text in caught.value.messages)


def test_parse_places_reads_states_counties_and_neighborhoods() -> None:
    places = services.parse_places(
        states="al, 27", counties="1101\n01001", neighborhoods="Near North\n\n  Folwell "
    )
    assert [(p.kind, p.code, p.name) for p in places] == [
        ("state", "01", "Alabama"),
        ("state", "27", "Minnesota"),
        ("county", "01101", "Montgomery, Alabama"),
        ("county", "01001", "Autauga, Alabama"),
        ("neighborhood", "Near North", "Near North"),
        ("neighborhood", "Folwell", "Folwell"),
    ]


def test_profile_update_with_bad_fips_via_form_saves_nothing(world: Any) -> None:
    client = world.client_for("admin")
    response = client.post(
        f"/c/{world.a.slug}/profile/edit/",
        {
            "name": "Renamed",
            "geographic_scale": "county",
            "population_type": "rural",
            "counties": "01101, 9x9",
        },
    )
    assert response.status_code == 200
    assert "is not a county FIPS code" in response.content.decode()
    world.a.refresh_from_db()
    assert world.a.name == "Valley Health Alliance"
    with scope(coalition=world.a):
        assert [p.code for p in Place.objects.all()] == ["01101"]


def test_second_of_two_stale_profile_edits_gets_409_and_the_first_persists(world: Any) -> None:
    url = f"/c/{world.a.slug}/profile/edit/"
    first, second = world.client_for("admin"), world.client_for("admin")
    version = first.get(url).context["form"].initial["version"]
    assert second.get(url).context["form"].initial["version"] == version
    base = {
        "geographic_scale": "county",
        "population_type": "rural",
        "counties": "01101",
        "version": version,
    }
    assert first.post(url, {**base, "name": "First writer"}).status_code == 302
    response = second.post(url, {**base, "name": "Second writer"})
    assert response.status_code == 409
    assert "Someone else saved this profile" in response.content.decode()
    world.a.refresh_from_db()
    assert world.a.name == "First writer"


def test_invitation_is_single_use(world: Any) -> None:
    newcomer = make_user("new@a.example")
    membership = services.accept_invitation(token=world.a_invitation_token, user=newcomer)
    assert membership.role == Membership.Role.PARTNER
    other = make_user("other@a.example")
    with pytest.raises(services.InvitationError, match="already been used"):
        services.accept_invitation(token=world.a_invitation_token, user=other)
    with scope(coalition=world.a):
        assert not Membership.objects.filter(user=other).exists()


def test_expired_invitation_is_refused_with_its_date(world: Any) -> None:
    with scopes_disabled():
        Invitation.objects.filter(coalition=world.a).update(
            expires_at=timezone.now() - timedelta(days=1)
        )
    with pytest.raises(services.InvitationError, match="expired on"):
        services.accept_invitation(token=world.a_invitation_token, user=make_user("late@a.example"))


def test_revoked_and_unknown_invitations_are_refused(world: Any) -> None:
    with scopes_disabled():
        invitation = Invitation.objects.get(coalition=world.a)
    services.revoke_invitation(invitation=invitation, actor=world.people["admin"])
    with pytest.raises(services.InvitationError, match="withdrawn"):
        services.find_invitation(token=world.a_invitation_token)
    with pytest.raises(services.InvitationError, match="not valid"):
        services.find_invitation(token="forged")


def test_invitation_mail_carries_a_working_link(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    admin = make_user("lead@example.org")
    coalition = services.create_coalition(creator=admin, name="Mail Test")
    with django_capture_on_commit_callbacks(execute=True):
        _, token = services.invite_member(
            coalition=coalition,
            actor=admin,
            email="Friend@Example.org",
            role="viewer",
            accept_url_for=lambda token: f"http://testserver/invite/{token}/",
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["friend@example.org"]
    assert f"http://testserver/invite/{token}/" in message.body
    assert services.find_invitation(token=token).email == "friend@example.org"


def test_invite_existing_member_is_refused(world: Any) -> None:
    with pytest.raises(ValidationError, match="already a member"):
        services.invite_member(
            coalition=world.a, actor=world.people["admin"], email="partner@a.example", role="viewer"
        )


def test_last_backbone_admin_cannot_be_demoted_or_removed(world: Any) -> None:
    with scope(coalition=world.a):
        seat = Membership.objects.get(user=world.people["admin"])
    with pytest.raises(ValidationError, match="at least one backbone admin"):
        services.change_role(membership=seat, actor=world.people["admin"], role="viewer")
    with pytest.raises(ValidationError, match="at least one backbone admin"):
        services.remove_member(membership=seat, actor=world.people["admin"])
    seat.refresh_from_db()
    assert seat.role == Membership.Role.BACKBONE_ADMIN


def test_every_change_writes_exactly_one_audit_row(world: Any) -> None:
    before = audit_count(world.a)
    with scope(coalition=world.a):
        seat = Membership.objects.get(user=world.people["viewer"])
    services.change_role(membership=seat, actor=world.people["admin"], role="partner")
    assert audit_count(world.a) == before + 1
    with scope(coalition=world.a):
        event = AuditEvent.objects.first()
    assert event.before == {"role": "viewer"} and event.after == {"role": "partner"}
    assert event.actor == world.people["admin"]


def test_a_rolled_back_change_leaves_no_audit_row(world: Any) -> None:
    before = audit_count(world.a)
    with scope(coalition=world.a):
        seat = Membership.objects.get(user=world.people["viewer"])
    with pytest.raises(RuntimeError), transaction.atomic():
        services.change_role(membership=seat, actor=world.people["admin"], role="partner")
        raise RuntimeError("the request failed after the service ran")
    seat.refresh_from_db()
    assert seat.role == "viewer"
    assert audit_count(world.a) == before


def test_audit_rows_cannot_be_changed_or_deleted(world: Any) -> None:
    with scope(coalition=world.a):
        event = AuditEvent.objects.first()
        with pytest.raises(PermissionError):
            event.save()
        with pytest.raises(PermissionError):
            event.delete()
        with pytest.raises(PermissionError):
            AuditEvent.objects.filter(pk=event.pk).update(summary="rewritten")
        with pytest.raises(PermissionError):
            AuditEvent.objects.filter(pk=event.pk).delete()


def test_tenant_query_outside_a_scope_raises(world: Any) -> None:
    with pytest.raises(ScopeError):
        list(Membership.objects.all())
    with pytest.raises(ScopeError):
        Invitation.objects.filter(email="new@a.example").exists()
    with scope(coalition=world.b):
        assert {m.coalition_id for m in Membership.objects.all()} == {world.b.pk}
