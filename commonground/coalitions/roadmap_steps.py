"""Roadmap steps that the coalitions app itself can tell: profile, vision, partners, residents."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commonground.coalitions import selectors
from commonground.coalitions.models import Coalition, Membership
from commonground.coalitions.roadmap import Step, register


@register(reads=())
def coalition_steps(coalition: Coalition) -> Iterator[Step]:
    places = selectors.list_places(coalition=coalition).count()
    roles = selectors.count_members_by_role(coalition=coalition)
    profile_url = reverse("coalitions:profile", args=[coalition.slug])
    members_url = reverse("coalitions:members", args=[coalition.slug])
    yield Step(
        chapter=1,
        label=_("Describe the partnership and the places it serves"),
        is_done=places > 0 and bool(coalition.focus_areas),
        url=profile_url,
        detail=ngettext("%(n)d place served", "%(n)d places served", places) % {"n": places},
        key="coalitions.profile",
    )
    yield Step(
        chapter=1,
        label=_("Write the mission: the future the coalition works toward"),
        is_done=bool(coalition.mission.strip()),
        url=profile_url,
        detail=_("on the profile") if coalition.mission.strip() else _("not written yet"),
        key="coalitions.vision",
    )
    partners = roles[Membership.Role.PARTNER]
    yield Step(
        chapter=1,
        label=_("Bring partner organizations to the table"),
        is_done=partners >= 3,
        url=members_url,
        detail=ngettext("%(n)d partner", "%(n)d partners", partners) % {"n": partners},
        key="coalitions.partners",
    )
    residents = roles[Membership.Role.COMMUNITY_MEMBER]
    yield Step(
        chapter=4,
        label=_("Give community residents a seat as members"),
        is_done=residents >= 2,
        url=members_url,
        detail=ngettext("%(n)d community member", "%(n)d community members", residents)
        % {"n": residents},
        key="coalitions.residents",
    )
