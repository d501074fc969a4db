from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The coalition's story: impact reports in HTML and PDF, the public page, the funders' side-by-side view."""

    name = "commonground.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from commonground.coalitions import evidence, nav
        from commonground.reports import (
            activity,  # noqa: F401  (registers log renderers)
            sections,
        )
        from commonground.reports.evidence import published_reports

        sections.register()
        evidence.register(published_reports, reads=("reports",))
        nav.register(_("Reports"), "reports:list", order=68)
