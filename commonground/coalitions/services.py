"""Writes. Each function is one intention, validates its input, and writes inside one
transaction together with its audit row."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from commonground import geo
from commonground.coalitions.models import AuditEvent, Coalition, Invitation, Membership, Place
from commonground.lib.versioning import StaleEditError as StaleEditError  # re-exported
from commonground.lib.versioning import save_versioned

log = logging.getLogger(__name__)
Role = Membership.Role
PROFILE_FIELDS = (
    "name",
    "mission",
    "geographic_scale",
    "population_type",
    "policy_context",
    "focus_areas",
    "year_founded",
    "initiatives",
)


#: "app.what_happened": the app label, a dot, a lower-case code.
EVENT_CODE = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")


class InvitationError(Exception):
    """An invitation link that can no longer be used; the message says why."""


@dataclass(frozen=True, slots=True)
class PlaceInput:
    kind: str
    code: str
    name: str


def record_audit(
    *,
    coalition: Coalition,
    actor: Any,
    action: str,
    obj: Any,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    anonymous: bool = False,
    event: str = "",
    params: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write the audit row for a change; call inside the change's transaction.

    The row keeps the actor's display name (``actor_name``), so it still says who acted
    after the account is deleted. ``anonymous=True`` (an anonymous survey submission)
    records no actor and no name, and a time no finer than the day (midnight UTC), so
    the log cannot be lined up with who was online when.

    ``event`` names what happened ("<app>.<what>", e.g. "coalitions.role_changed") and
    ``params`` holds the names, ids and values its renderer needs to say it in the
    reader's language (see ``commonground.coalitions.activity``); ``summary`` stays the
    English line for whoever reads the table directly.
    """
    if event and not EVENT_CODE.fullmatch(event):
        raise ValueError(f"An audit event code looks like 'app.what_happened', not {event!r}.")
    if params is not None and not isinstance(params, dict):
        raise ValueError("Audit event params must be a dict of JSON values.")
    if anonymous:
        who = None
        now = timezone.now().astimezone(UTC)
        at = now.replace(hour=0, minute=0, second=0, microsecond=0)
    else:
        who = actor if actor is not None and actor.is_authenticated else None
        at = timezone.now()
    with scope(coalition=coalition):
        return AuditEvent.objects.create(
            coalition=coalition,
            actor=who,
            actor_name=str(who)[:150] if who is not None else "",
            action=action,
            object_type=type(obj).__name__,
            object_id=str(obj.pk),
            summary=summary[:200],
            before=before,
            after=after,
            at=at,
            anonymous=anonymous,
            event=event,
            params=params or {},
        )


def _english(text: Any) -> str:
    """A lazy label in English: summaries are the raw table's English line."""
    with translation.override("en"):
        return str(text)


def parse_places(
    *, states: str = "", counties: str = "", neighborhoods: str = ""
) -> list[PlaceInput]:
    """Turn the profile form's three place fields into validated places.

    States and counties are separated by commas, spaces or new lines; neighborhoods are one
    per line. Raise ``ValidationError`` listing every code that is malformed or unknown.
    """
    places: list[PlaceInput] = []
    errors: list[str] = []
    for token in states.replace(",", " ").split():
        try:
            found = geo.state(token)
        except geo.PlaceError as error:
            errors.append(str(error))
        else:
            places.append(PlaceInput("state", found.fips, found.name))
    for token in counties.replace(",", " ").split():
        try:
            found = geo.county(token)
        except geo.PlaceError as error:
            errors.append(str(error))
        else:
            places.append(PlaceInput("county", found.fips, found.name))
    for line in neighborhoods.splitlines():
        name = " ".join(line.split())
        if name:
            places.append(PlaceInput("neighborhood", name[:80], name[:160]))
    if errors:
        raise ValidationError(errors)
    unique = {(place.kind, place.code): place for place in places}
    return list(unique.values())


def _profile(coalition: Coalition, places: Sequence[Place | PlaceInput]) -> dict[str, Any]:
    data = {field: getattr(coalition, field) for field in PROFILE_FIELDS}
    data["places"] = sorted(f"{place.kind}:{place.code}" for place in places)
    return data


SLUG_SUFFIX_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
SLUG_SUFFIX_LENGTH = 4


def _slug_with_suffix(base: str) -> str:
    suffix = "".join(secrets.choice(SLUG_SUFFIX_ALPHABET) for _ in range(SLUG_SUFFIX_LENGTH))
    return f"{base[: 60 - SLUG_SUFFIX_LENGTH - 1].rstrip('-')}-{suffix}"


@transaction.atomic
def create_coalition(
    *,
    creator: Any,
    name: str,
    slug: str = "",
    places: Sequence[PlaceInput] = (),
    random_suffix: bool = False,
    **profile: Any,
) -> Coalition:
    """Create a coalition with ``creator`` as its first backbone admin.

    ``random_suffix=True`` (the "start a coalition" page, open to anyone signed in) always
    adds a few random characters to the short name asked for (``eastside`` becomes
    ``eastside-k3v9``), drawing again until the result is free. The outcome looks the same
    whether or not the short name was taken, so the page never tells a visitor that
    another coalition exists. Without it (the demo, commands, tests: trusted callers) the
    exact slug is used and one already taken is refused with ``ValidationError``.
    """
    base = slugify(slug or name)[:60]
    if not base:
        raise ValidationError(
            {"slug": _("Choose a short name made of letters, numbers or dashes.")}
        )
    taken = ValidationError(
        {"slug": _("The short name “%(slug)s” is already taken.") % {"slug": base}}
    )
    coalition: Coalition | None = None
    for _attempt in range(20 if random_suffix else 1):
        candidate = _slug_with_suffix(base) if random_suffix else base
        if Coalition.objects.filter(slug=candidate).exists():
            continue
        try:
            with transaction.atomic():
                coalition = Coalition.objects.create(name=name, slug=candidate, **profile)
        except IntegrityError:
            continue
        break
    if coalition is None:
        # Exact slugs only: twenty random suffixes in a row cannot all be taken in practice.
        raise taken
    with scope(coalition=coalition):
        Place.objects.bulk_create(
            Place(coalition=coalition, kind=p.kind, code=p.code, name=p.name) for p in places
        )
        membership = Membership.objects.create(
            coalition=coalition, user=creator, role=Role.BACKBONE_ADMIN
        )
        record_audit(
            coalition=coalition,
            actor=creator,
            action=AuditEvent.Action.CREATE,
            obj=coalition,
            summary=f"Created coalition {coalition.name}",
            after=_profile(coalition, places),
            event="coalitions.coalition_created",
            params={"name": coalition.name},
        )
        record_audit(
            coalition=coalition,
            actor=creator,
            action=AuditEvent.Action.CREATE,
            obj=membership,
            summary=f"{creator} joined as backbone admin",
            event="coalitions.member_joined",
            params={"name": str(creator), "user": creator.pk, "role": Role.BACKBONE_ADMIN.value},
        )
    return coalition


@transaction.atomic
def update_profile(
    *,
    coalition: Coalition,
    actor: Any,
    places: Sequence[PlaceInput],
    expected_version: int | None = None,
    **profile: Any,
) -> Coalition:
    """Save the partnership profile and replace the list of places served.

    ``expected_version`` is the coalition's ``version`` the editor saw (the page's hidden
    field, the API's ``version``); when the stored one differs, someone saved in between
    and ``StaleEditError`` is raised, so the first writer's values persist. ``None``
    (a command, an import) saves without comparing. Returns the saved coalition; the
    object passed in is refreshed too.
    """
    for field in profile:
        if field not in PROFILE_FIELDS:
            raise ValueError(f"not a profile field: {field}")
    current = Coalition.objects.select_for_update().get(pk=coalition.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEditError(
            _(
                "Someone else saved this profile after you opened it, so your changes were "
                "not saved. Reload the page to see theirs."
            )
        )
    with scope(coalition=coalition):
        before = _profile(current, list(Place.objects.filter(coalition=coalition)))
        for field, value in profile.items():
            setattr(current, field, value)
        current.full_clean()
        save_versioned(
            current, expected=current.version, update_fields=[*PROFILE_FIELDS, "updated_at"]
        )
        Place.objects.filter(coalition=coalition).delete()
        Place.objects.bulk_create(
            Place(coalition=coalition, kind=p.kind, code=p.code, name=p.name) for p in places
        )
        record_audit(
            coalition=coalition,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=current,
            summary="Updated the partnership profile",
            before=before,
            after=_profile(current, places),
            event="coalitions.profile_updated",
            params={"name": current.name},
        )
    coalition.refresh_from_db()
    return current


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invite_member(
    *,
    coalition: Coalition,
    actor: Any,
    email: str,
    role: str,
    organization: str = "",
    accept_url_for: Any = None,
) -> tuple[Invitation, str]:
    """Create a single-use invitation and e-mail its link; return it with the raw token.

    ``accept_url_for(token)`` builds the absolute link put in the e-mail. The e-mail goes
    once the transaction commits; ``invitation.email_sent`` then says whether the mail
    backend took it (a refusal is logged, not raised: the invitation stands and its link
    can be shared by hand).
    """
    email = email.strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the listed roles.")})
    with scope(coalition=coalition):
        if Membership.objects.filter(coalition=coalition, user__email=email).exists():
            raise ValidationError({"email": _("%(email)s is already a member.") % {"email": email}})
        token = secrets.token_urlsafe(32)
        invitation = Invitation.objects.create(
            coalition=coalition,
            email=email,
            role=role,
            organization=organization,
            token_hash=_token_hash(token),
            invited_by=actor,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
        )
        record_audit(
            coalition=coalition,
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=invitation,
            summary=f"Invited {email} as {_english(Role(role).label)}",
            event="coalitions.member_invited",
            params={"email": email, "role": role},
        )
    if accept_url_for is not None:
        link = accept_url_for(token)
        subject = _("You are invited to join %(name)s on CommonGround") % {"name": coalition.name}
        body = _(
            "%(inviter)s invited you to join %(name)s as %(role)s.\n\n"
            "Open this link within %(days)s days to accept (it works once):\n%(link)s\n"
        ) % {
            "inviter": actor,
            "name": coalition.name,
            "role": Role(role).label,
            "days": settings.INVITATION_DAYS,
            "link": link,
        }

        def send() -> None:
            # After the commit: a mail server that refuses must not lose the invitation
            # the admin just made; the page says so and shows the link to share instead.
            try:
                send_mail(subject, body, None, [email])
            except (smtplib.SMTPException, OSError):
                log.exception("could not e-mail the invitation %s", invitation.pk)
                invitation.email_sent = False
            else:
                invitation.email_sent = True

        transaction.on_commit(send)
    return invitation, token


def find_invitation(*, token: str) -> Invitation:
    """Return the usable invitation for a link's token, or raise ``InvitationError``."""
    with scopes_disabled():
        invitation = (
            Invitation.objects.select_related("coalition")
            .filter(token_hash=_token_hash(token))
            .first()
        )
    if invitation is None:
        raise InvitationError(_("This invitation link is not valid. Ask for a new one."))
    if invitation.accepted_at is not None:
        raise InvitationError(
            _(
                "This invitation has already been used. Each link works only once; ask for a new one."
            )
        )
    if invitation.revoked_at is not None:
        raise InvitationError(_("This invitation was withdrawn by the coalition."))
    if invitation.expires_at <= timezone.now():
        raise InvitationError(
            _("This invitation expired on %(date)s. Ask the coalition for a new one.")
            % {"date": invitation.expires_at.date().isoformat()}
        )
    return invitation


def mask_email(email: str) -> str:
    """``n…@example.org``: enough to recognize one's own address, not to harvest it."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}…@{domain}" if domain else "…"


def check_invited_address(*, invitation: Invitation, email: str) -> None:
    """Raise ``InvitationError`` unless ``email`` is the address the invitation was sent to
    (compared without regard to case or surrounding spaces)."""
    if email.strip().casefold() != invitation.email.strip().casefold():
        raise InvitationError(
            _(
                "This invitation was sent to %(invited)s, and you are signed in as "
                "%(email)s. Only the invited address can accept it: sign out and open the "
                "link again, or ask the coalition to invite %(email)s."
            )
            % {"invited": mask_email(invitation.email), "email": email}
        )


@transaction.atomic
def accept_invitation(*, token: str, user: Any) -> Membership:
    """Use an invitation: ``user`` joins its coalition with its role, once.

    Only the account whose address the invitation was sent to can use it. The row is
    locked so two tabs opening the same link cannot both use it.
    """
    invitation = find_invitation(token=token)
    check_invited_address(invitation=invitation, email=user.email)
    coalition = invitation.coalition
    with scope(coalition=coalition):
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise InvitationError(_("This invitation has already been used."))
        membership, created = Membership.objects.get_or_create(
            coalition=coalition,
            user=user,
            defaults={"role": invitation.role, "organization": invitation.organization},
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        record_audit(
            coalition=coalition,
            actor=user,
            action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            obj=membership,
            summary=f"{user} accepted an invitation as {_english(Role(membership.role).label)}",
            event="coalitions.invitation_accepted",
            params={"name": str(user), "user": user.pk, "role": membership.role},
        )
    return membership


def _admin_count(coalition: Coalition) -> int:
    return Membership.objects.filter(coalition=coalition, role=Role.BACKBONE_ADMIN).count()


@transaction.atomic
def change_role(*, membership: Membership, actor: Any, role: str) -> Membership:
    """Give a member another role; a coalition always keeps at least one backbone admin."""
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the listed roles.")})
    coalition = membership.coalition
    with scope(coalition=coalition):
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if (
            membership.role == Role.BACKBONE_ADMIN
            and role != Role.BACKBONE_ADMIN
            and _admin_count(coalition) <= 1
        ):
            raise ValidationError(_("A coalition needs at least one backbone admin."))
        before = membership.role
        if before == role:
            return membership  # nothing changes, so nothing is logged
        membership.role = role
        membership.save(update_fields=["role"])
        record_audit(
            coalition=coalition,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=membership,
            summary=f"Changed {membership.user} from {before} to {role}",
            before={"role": before},
            after={"role": role},
            event="coalitions.role_changed",
            params={
                "name": str(membership.user),
                "user": membership.user_id,
                "old_role": before,
                "new_role": role,
            },
        )
    return membership


@transaction.atomic
def remove_member(*, membership: Membership, actor: Any) -> None:
    coalition = membership.coalition
    with scope(coalition=coalition):
        if membership.role == Role.BACKBONE_ADMIN and _admin_count(coalition) <= 1:
            raise ValidationError(_("A coalition needs at least one backbone admin."))
        record_audit(
            coalition=coalition,
            actor=actor,
            action=AuditEvent.Action.DELETE,
            obj=membership,
            summary=f"Removed {membership.user}",
            before={"role": membership.role, "user": membership.user.email},
            event="coalitions.member_removed",
            params={
                "name": str(membership.user),
                "user": membership.user_id,
                "role": membership.role,
            },
        )
        membership.delete()


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, actor: Any) -> None:
    with scope(coalition=invitation.coalition):
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        record_audit(
            coalition=invitation.coalition,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=invitation,
            summary=f"Withdrew the invitation of {invitation.email}",
            event="coalitions.invitation_withdrawn",
            params={"email": invitation.email, "role": invitation.role},
        )
