"""Snapshots of the network and their comparison. Each view declares its access policy
(``coalitions.access``), parses its input, makes one call to selectors or services, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from commonground.coalitions.access import (
    ADMINS,
    ALL_ROLES,
    CoalitionRequest,
    coalition_view,
)
from commonground.coalitions.models import Membership
from commonground.ecosystem import selectors, services
from commonground.ecosystem.forms import (
    SnapshotForm,
    parse_int,
)


@coalition_view(*ALL_ROLES)
@require_GET
def snapshots(request: CoalitionRequest) -> HttpResponse:
    """Snapshots, and the comparison of two (ties gained and lost, metrics that moved)."""
    coalition = request.coalition
    items = list(selectors.list_snapshots(coalition=coalition))
    by_id = {s.pk: s for s in items}
    before_id = parse_int(request.GET.get("before"), low=1, high=2**31)
    after_id = parse_int(request.GET.get("after"), low=1, high=2**31)
    if before_id is None and after_id is None and len(items) >= 2:
        after_id, before_id = items[0].pk, items[1].pk
    before, after = by_id.get(before_id or 0), by_id.get(after_id or 0)
    comparison = None
    gained: list[tuple[str, str]] = []
    lost: list[tuple[str, str]] = []
    if before is not None and after is not None:
        comparison = selectors.compare(before=before, after=after)
        names = {
            a["id"]: a["name"]
            for snapshot in (before, after)
            for a in snapshot.data.get("actors", [])
        }
        gained = [(names.get(a, a), names.get(b, b)) for a, b in comparison.ties_gained]
        lost = [(names.get(a, a), names.get(b, b)) for a, b in comparison.ties_lost]
    changes = []
    if comparison is not None:
        for label, change, as_share in (
            (_("Density"), comparison.density, True),
            (_("Centralization"), comparison.degree_centralization, False),
            (_("Reciprocity"), comparison.reciprocity, True),
            (_("Cross-sector share"), comparison.cross_sector_share, True),
            (_("Trust (1-4)"), comparison.trust, False),
            (_("Value (1-4)"), comparison.value, False),
            (_("Separate parts (components)"), comparison.component_count, False),
            (_("Response rate"), comparison.response_share, True),
        ):
            changes.append({"label": label, "change": change, "as_share": as_share})
    context = {
        "snapshots": items,
        "before": before,
        "after": after,
        "comparison": comparison,
        "changes": changes,
        "gained": gained,
        "lost": lost,
        "form": SnapshotForm(),
        "is_admin": request.membership.role == Membership.Role.BACKBONE_ADMIN,
    }
    return render(request, "ecosystem/snapshot_list.html", context)


@coalition_view(*ADMINS)
@require_POST
def snapshot_new(request: CoalitionRequest) -> HttpResponse:
    form = SnapshotForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the snapshot a name."))
        return redirect("ecosystem:snapshots", request.coalition.slug)
    snapshot = services.take_snapshot(
        coalition=request.coalition, user=request.user, name=form.cleaned_data["name"]
    )
    messages.success(request, _("Snapshot “%(name)s” taken.") % {"name": snapshot.name})
    return redirect("ecosystem:snapshots", request.coalition.slug)
