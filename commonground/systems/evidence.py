"""Framework evidence from the systems app: a system map with loops is the transforming
stage's "system maps"; root causes linked to outcomes are its "root causes"."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import ngettext
from django_scopes import scope

from commonground.coalitions import evidence
from commonground.coalitions.models import Coalition
from commonground.systems import selectors
from commonground.systems.models import Factor


@evidence.register(reads=("systems", "governance", "measurement"))
def systems_evidence(coalition: Coalition) -> Iterator[evidence.Evidence]:
    with scope(coalition=coalition):
        factors = Factor.objects.filter(coalition=coalition).count()
        if not factors:
            return
        smap = selectors.system_map(coalition=coalition, with_gaps=False)
        roots = sum(1 for f in smap.factors if f.kind == Factor.Kind.ROOT_CAUSE)
    url = reverse("systems:map", args=[coalition.slug])
    loops = len(smap.loops)
    yield evidence.Evidence(
        item_id="transforming_infra_system_maps",
        summary=ngettext(
            "A system map of %(factors)d factors with %(loops)d feedback loop",
            "A system map of %(factors)d factors with %(loops)d feedback loops",
            loops,
        )
        % {"factors": factors, "loops": loops},
        url=url,
        in_place=loops > 0,
    )
    if roots:
        yield evidence.Evidence(
            item_id="transforming_infra_root_causes",
            summary=ngettext(
                "%(roots)d root cause mapped; %(lever)d factors link root causes to outcomes",
                "%(roots)d root causes mapped; %(lever)d factors link root causes to outcomes",
                roots,
            )
            % {"roots": roots, "lever": len(smap.leverage)},
            url=reverse("systems:loops", args=[coalition.slug]),
            in_place=bool(smap.leverage),
        )
