"""Framework evidence from reports: a published impact report is the scaling stage's
"communication of metrics (e.g., impact report)"."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import ngettext

from commonground.coalitions.evidence import Evidence
from commonground.coalitions.models import Coalition
from commonground.reports.models import ReportVersion


def published_reports(coalition: Coalition) -> Iterator[Evidence]:
    count = ReportVersion.objects.filter(coalition=coalition).count()
    if not count:
        return
    yield Evidence(
        item_id="scaling_infra_impact_reports",
        summary=ngettext(
            "%(n)d published impact report version",
            "%(n)d published impact report versions",
            count,
        )
        % {"n": count},
        url=reverse("reports:list", args=[coalition.slug]),
    )
