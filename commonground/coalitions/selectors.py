"""Reads. Coalition-scoped reads assume the caller runs inside ``scope(coalition=...)``."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from commonground.coalitions.models import AuditEvent, Coalition, Invitation, Membership, Place
from commonground.lib.request_memo import memoized


def list_memberships_for_user(*, user: Any) -> list[Membership]:
    """Return every coalition seat of ``user``, for the coalition switcher.

    Reads across coalitions on purpose, filtered by the person: the only such read
    besides ``access.find_membership``.
    """
    if not user.is_authenticated:
        return []

    def read() -> list[Membership]:
        with scopes_disabled():
            return list(
                Membership.objects.filter(user=user)
                .select_related("coalition")
                .order_by("coalition__name")
            )

    return list(memoized(("my_memberships", user.pk), read))


def membership_of(*, coalition: Coalition, user: Any) -> Membership | None:
    """The person's membership of this coalition, or None; read once per request (each
    app's home notices ask for it)."""
    if user is None or not user.is_authenticated:
        return None

    def read() -> Membership | None:
        with scope(coalition=coalition):
            return Membership.objects.filter(coalition=coalition, user=user).first()

    return memoized(("membership_of", coalition.pk, user.pk), read)


def list_members(*, coalition: Coalition) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(coalition=coalition)
        .select_related("user")
        .order_by("role", "user__display_name", "user__email")
    )


def count_members_by_role(*, coalition: Coalition) -> dict[str, int]:
    rows = (
        Membership.objects.filter(coalition=coalition)
        .values("role")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {role: 0 for role in Membership.Role.values}
    counts.update({row["role"]: row["n"] for row in rows})
    return counts


def list_pending_invitations(*, coalition: Coalition) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        coalition=coalition,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("invited_by")


def list_places(*, coalition: Coalition) -> QuerySet[Place]:
    return Place.objects.filter(coalition=coalition)


def list_audit_events(*, coalition: Coalition) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(coalition=coalition)


def get_membership(*, coalition: Coalition, membership_id: int) -> Membership:
    """Return one membership of ``coalition`` or raise ``Membership.DoesNotExist``."""
    return Membership.objects.select_related("user").get(coalition=coalition, pk=membership_id)


def get_invitation(*, coalition: Coalition, invitation_id: int) -> Invitation:
    return Invitation.objects.get(coalition=coalition, pk=invitation_id)
