"""Reads of the network survey that concern people: which actors a member answers for,
the surveys waiting for them, and where an invitation's e-mails go.

Kept apart from :mod:`commonground.ecosystem.selectors` (the map's reads). Each function
opens the scope of the coalition it reads, so the coalition home's notices and the reminder
command can call it outside a coalition page.

**Who answers for an actor.** A member answers the survey for the actor whose name is the
organization on their membership (set by the backbone when it invites them), or whose
contact e-mail is their own address. Both are set by the coalition's backbone admins, never
by the member.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q
from django_scopes import scope

from commonground.coalitions import selectors as coalition_selectors
from commonground.coalitions.models import Coalition, Membership
from commonground.ecosystem.models import Actor, NetworkSurvey, SurveyInvitation

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


@dataclass(frozen=True, slots=True)
class Recipient:
    """One address an invitation's e-mail goes to, in that person's language."""

    email: str
    name: str
    language: str
    is_member: bool  # a member can also answer after signing in


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _language(code: str, fallback: str) -> str:
    code = (code or "").split("-")[0].lower()
    return code if code in LANGUAGE_CODES else fallback


def actors_of_member(*, coalition: Coalition, user: Any) -> list[Actor]:
    """The actors on the map this signed-in person answers the survey for (often one)."""
    if user is None or not user.is_authenticated:
        return []
    with scope(coalition=coalition):
        membership = coalition_selectors.membership_of(coalition=coalition, user=user)
        if membership is None:
            return []
        match = Q(pk__in=[])
        if user.email:
            match |= Q(contact_email__iexact=user.email)
        organization = " ".join(membership.organization.split())
        if organization:
            match |= Q(name__iexact=organization)
        return list(Actor.objects.filter(coalition=coalition).filter(match))


def member_invitations(*, coalition: Coalition, user: Any) -> list[SurveyInvitation]:
    """Every survey invitation of this person's actors, newest round first."""
    actors = actors_of_member(coalition=coalition, user=user)
    if not actors:
        return []
    with scope(coalition=coalition):
        return list(
            SurveyInvitation.objects.filter(coalition=coalition, actor__in=actors)
            .select_related("survey", "actor")
            .order_by("-survey__created_at", "-survey_id", "actor__name")
        )


def is_pending(invitation: SurveyInvitation) -> bool:
    """Not answered yet, its round open, its actor still on the map."""
    return (
        invitation.responded_at is None
        and invitation.survey.status == NetworkSurvey.Status.OPEN
        and invitation.actor.archived_at is None
    )


def pending_invitations(*, coalition: Coalition, user: Any) -> list[SurveyInvitation]:
    """The survey invitations waiting for this person's answer."""
    return [i for i in member_invitations(coalition=coalition, user=user) if is_pending(i)]


def may_answer(*, invitation: SurveyInvitation, user: Any) -> bool:
    """True when this signed-in person answers for the invitation's actor."""
    actors = actors_of_member(coalition=invitation.coalition, user=user)
    return any(actor.pk == invitation.actor_id for actor in actors)


def recipients_by_invitation(
    *, coalition: Coalition, invitations: Iterable[SurveyInvitation]
) -> dict[int, list[Recipient]]:
    """Where each invitation's e-mails go: the actor's contact e-mail, and every active
    member who answers for the actor (each in their preferred language; people without an
    account get the language the invitation was sent in). One address appears once."""
    invitations = list(invitations)
    with scope(coalition=coalition):
        seats = list(
            Membership.objects.filter(coalition=coalition, user__is_active=True).select_related(
                "user"
            )
        )
        actor_ids = {invitation.actor_id for invitation in invitations}
        actors = Actor.all_objects.filter(coalition=coalition).in_bulk(list(actor_ids))
    contact_emails = {a.contact_email.lower() for a in actors.values() if a.contact_email}
    from commonground.accounts.models import User

    known = {
        user.email: user
        for user in User.objects.filter(email__in=contact_emails, is_active=True).only(
            "email", "preferred_language", "display_name"
        )
    }
    result: dict[int, list[Recipient]] = {}
    for invitation in invitations:
        actor = actors[invitation.actor_id]
        fallback = _language(invitation.language, settings.LANGUAGE_CODE)
        found: dict[str, Recipient] = {}
        contact = actor.contact_email.strip().lower()
        if contact:
            user = known.get(contact)
            found[contact] = Recipient(
                email=contact,
                name=actor.contact_name or (str(user) if user else ""),
                language=_language(user.preferred_language, fallback) if user else fallback,
                is_member=False,
            )
        for seat in seats:
            email = seat.user.email.lower()
            organization = _normal(seat.organization)
            if (organization and organization == _normal(actor.name)) or email == contact:
                found[email] = Recipient(
                    email=email,
                    name=str(seat.user),
                    language=_language(seat.user.preferred_language, fallback),
                    is_member=True,
                )
        result[invitation.pk] = list(found.values())
    return result


def recipients(*, invitation: SurveyInvitation) -> list[Recipient]:
    """Where this invitation's e-mails go (see :func:`recipients_by_invitation`)."""
    return recipients_by_invitation(coalition=invitation.coalition, invitations=[invitation])[
        invitation.pk
    ]
