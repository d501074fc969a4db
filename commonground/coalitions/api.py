"""Coalition endpoints of the JSON API; they call the same services and selectors as pages."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from commonground.api.access import api_coalition, api_signed_in
from commonground.coalitions import selectors, services
from commonground.coalitions.access import ADMINS, ALL_ROLES
from commonground.coalitions.models import Coalition, Membership

router = Router(tags=["coalitions"])


class PlaceOut(Schema):
    kind: str
    code: str
    name: str


class CoalitionSummary(Schema):
    slug: str
    name: str
    role: str


class CoalitionOut(Schema):
    slug: str
    version: int
    name: str
    mission: str
    geographic_scale: str
    population_type: str
    policy_context: str
    focus_areas: list[str]
    year_founded: int | None
    initiatives: str
    places: list[PlaceOut]


class ProfileIn(Schema):
    """Fields to change; omitted fields keep their value. Places replace the whole list.

    ``version`` is the profile's version as last read: when someone changed the profile
    since, nothing is saved and the answer is 409 (read it again, then redo the change).
    """

    model_config = {"extra": "forbid"}

    version: int = Field(..., ge=1, le=2**31 - 1)
    name: str | None = Field(None, max_length=160)
    mission: str | None = None
    geographic_scale: Coalition.Scale | None = None
    population_type: Coalition.PopulationType | None = None
    policy_context: str | None = None
    focus_areas: list[str] | None = None
    year_founded: int | None = Field(None, ge=1900, le=2100)
    initiatives: str | None = None
    states: list[str] | None = None
    counties: list[str] | None = None
    neighborhoods: list[str] | None = None


class ErrorOut(Schema):
    detail: str


class MemberOut(Schema):
    id: int
    email: str
    name: str
    role: str
    organization: str
    joined_at: datetime


class InvitationIn(Schema):
    model_config = {"extra": "forbid"}

    email: str = Field(..., max_length=254)
    role: Membership.Role
    organization: str = Field("", max_length=160)


class InvitationOut(Schema):
    id: int
    email: str
    role: str
    expires_at: datetime
    accept_url: str


class RoleIn(Schema):
    model_config = {"extra": "forbid"}

    role: Membership.Role


def _coalition_out(coalition: Coalition) -> dict[str, Any]:
    places = selectors.list_places(coalition=coalition)
    return {
        **{field: getattr(coalition, field) for field in services.PROFILE_FIELDS},
        "slug": coalition.slug,
        "version": coalition.version,
        "places": [{"kind": p.kind, "code": p.code, "name": p.name} for p in places],
    }


def _member_out(membership: Membership) -> dict[str, Any]:
    return {
        "id": membership.pk,
        "email": membership.user.email,
        "name": membership.user.display_name,
        "role": membership.role,
        "organization": membership.organization,
        "joined_at": membership.joined_at,
    }


def _validation_error(error: ValidationError) -> HttpError:
    return HttpError(422, "; ".join(error.messages))


@router.get("/", response=list[CoalitionSummary], summary="Coalitions I belong to")
@api_signed_in
def list_my_coalitions(request: HttpRequest) -> list[dict[str, str]]:
    return [
        {"slug": m.coalition.slug, "name": m.coalition.name, "role": m.role}
        for m in selectors.list_memberships_for_user(user=request.user)
    ]


@router.get("/{coalition_slug}", response=CoalitionOut, summary="A coalition's partnership profile")
@api_coalition(*ALL_ROLES)
def get_coalition(request: HttpRequest, coalition_slug: str) -> dict[str, Any]:
    return _coalition_out(request.coalition)  # type: ignore[attr-defined]


@router.patch(
    "/{coalition_slug}",
    response={200: CoalitionOut, 409: ErrorOut},
    summary="Change the partnership profile (send the version you read; 409 when someone "
    "changed it since)",
)
@api_coalition(*ADMINS)
def update_coalition(
    request: HttpRequest, coalition_slug: str, payload: ProfileIn
) -> dict[str, Any]:
    coalition: Coalition = request.coalition  # type: ignore[attr-defined]
    # null means "leave as is", except for the year founded, which may be cleared.
    changes = {
        key: value
        for key, value in payload.model_dump(exclude_unset=True).items()
        if value is not None or key == "year_founded"
    }
    version = changes.pop("version")
    if not changes:  # nothing to change: a no-op, never a save
        return _coalition_out(coalition)
    place_fields = {
        key: changes.pop(key) for key in ("states", "counties", "neighborhoods") if key in changes
    }
    current = list(selectors.list_places(coalition=coalition))
    try:
        if place_fields:
            places = services.parse_places(
                states=" ".join(place_fields.get("states") or []),
                counties=" ".join(place_fields.get("counties") or []),
                neighborhoods="\n".join(place_fields.get("neighborhoods") or []),
            )
        else:
            places = [services.PlaceInput(p.kind, p.code, p.name) for p in current]
        coalition = services.update_profile(
            coalition=coalition,
            actor=request.user,
            places=places,
            expected_version=version,
            **changes,
        )
    except services.StaleEditError as error:
        raise HttpError(409, str(error)) from None
    except ValidationError as error:
        raise _validation_error(error) from None
    return _coalition_out(coalition)


@router.get("/{coalition_slug}/memberships", response=list[MemberOut], summary="Members")
@api_coalition(*ALL_ROLES)
def list_memberships(
    request: HttpRequest, coalition_slug: str, role: Membership.Role | None = None
) -> list[dict[str, Any]]:
    queryset = selectors.list_members(coalition=request.coalition)  # type: ignore[attr-defined]
    if role is not None:
        queryset = queryset.filter(role=role)
    return [_member_out(m) for m in queryset]


@router.patch(
    "/{coalition_slug}/memberships/{membership_id}", response=MemberOut, summary="Change a role"
)
@api_coalition(*ADMINS)
def change_membership_role(
    request: HttpRequest, coalition_slug: str, membership_id: int, payload: RoleIn
) -> dict[str, Any]:
    try:
        membership = selectors.get_membership(
            coalition=request.coalition,  # type: ignore[attr-defined]
            membership_id=membership_id,
        )
    except Membership.DoesNotExist:
        raise HttpError(404, "Not Found") from None
    try:
        membership = services.change_role(
            membership=membership, actor=request.user, role=payload.role
        )
    except ValidationError as error:
        raise _validation_error(error) from None
    return _member_out(membership)


@router.post(
    "/{coalition_slug}/invitations", response={201: InvitationOut}, summary="Invite a person"
)
@api_coalition(*ADMINS)
def create_invitation(
    request: HttpRequest, coalition_slug: str, payload: InvitationIn
) -> Status[dict[str, Any]]:
    def link(token: str) -> str:
        return request.build_absolute_uri(reverse("coalitions:accept", args=[token]))

    try:
        invitation, token = services.invite_member(
            coalition=request.coalition,  # type: ignore[attr-defined]
            actor=request.user,
            email=payload.email,
            role=payload.role,
            organization=payload.organization,
            accept_url_for=link,
        )
    except ValidationError as error:
        raise _validation_error(error) from None
    return Status(
        201,
        {
            "id": invitation.pk,
            "email": invitation.email,
            "role": invitation.role,
            "expires_at": invitation.expires_at,
            "accept_url": link(token),
        },
    )
