"""Who sees partners' contact details on the ecosystem map: one rule, applied everywhere.

The policy, in one sentence: an actor's contact details (contact person's name, e-mail and
phone) are shown to the coalition's backbone admins and partners, and never to community
members, viewers, other coalitions, or anyone on a public or anonymous page (such as a
partner's survey link).

Every place that shows an actor asks :func:`can_see_contacts`: the actor page and lists
(``views``), the JSON API (``api``), and every export (``exchange``: CSV, Excel/Kumu,
HSDS, GraphML, GEXF). :func:`contact_fields` is the one way to read the fields under it.
"""

from __future__ import annotations

from typing import Any

from commonground.coalitions.models import Membership

CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")
CONTACT_ROLES = frozenset({Membership.Role.BACKBONE_ADMIN, Membership.Role.PARTNER})


def can_see_contacts(membership: Membership | None) -> bool:
    """True when this member may see partners' contact details (``None``: nobody signed in)."""
    return membership is not None and membership.role in CONTACT_ROLES


def contact_fields(actor: Any, membership: Membership | None) -> dict[str, str]:
    """The actor's contact fields, or an empty dict when ``membership`` may not see them."""
    if not can_see_contacts(membership):
        return {}
    return {name: getattr(actor, name) or "" for name in CONTACT_FIELDS}
