"""Roadmap steps measurement can tell: health status understood, shared measurement created."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scope

from commonground.coalitions.models import Coalition
from commonground.coalitions.roadmap import Step, register
from commonground.measurement.models import (
    Indicator,
    Observation,
    PerformanceMeasure,
    Result,
    Target,
)


@register(reads=("measurement",))
def measurement_steps(coalition: Coalition) -> Iterator[Step]:
    with scope(coalition=coalition):
        indicators = Indicator.objects.filter(coalition=coalition).count()
        with_groups = (
            Observation.objects.filter(coalition=coalition)
            .exclude(group="total")
            .values("indicator")
            .distinct()
            .count()
        )
        results = Result.objects.filter(coalition=coalition).count()
        measures = PerformanceMeasure.objects.filter(coalition=coalition).count()
        targets = Target.objects.filter(coalition=coalition).count()
    slug = coalition.slug
    yield Step(
        chapter=1,
        label=_("Understand health status: bring in your places' data"),
        key="measurement.health_status",
        is_done=indicators > 0,
        url=reverse("measurement:dashboard", args=[slug]),
        detail=ngettext("%(n)d indicator", "%(n)d indicators", indicators) % {"n": indicators},
    )
    yield Step(
        chapter=1,
        label=_("See the gaps between groups"),
        key="measurement.group_gaps",
        is_done=with_groups > 0,
        url=reverse("measurement:dashboard", args=[slug]),
        detail=ngettext("%(n)d indicator by group", "%(n)d indicators by group", with_groups)
        % {"n": with_groups},
    )
    yield Step(
        chapter=4,
        label=_("Create shared measurement: results and performance measures"),
        key="measurement.shared_measurement",
        is_done=results > 0 and measures > 0,
        url=reverse("measurement:framework", args=[slug]),
        detail=ngettext("%(n)d result", "%(n)d results", results) % {"n": results},
    )
    yield Step(
        chapter=4,
        label=_("Set a target for closing a gap"),
        key="measurement.target",
        is_done=targets > 0,
        url=reverse("measurement:framework", args=[slug]),
        detail=ngettext("%(n)d target", "%(n)d targets", targets) % {"n": targets},
    )
