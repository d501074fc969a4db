from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    """Shared power: bodies, seats, meetings, votes, the decision log, agreements and the policy agenda."""

    name = "commonground.governance"
    label = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        from commonground.coalitions import nav
        from commonground.governance import (
            activity,  # noqa: F401  (registers log renderers)
            evidence,  # noqa: F401  (registers framework evidence)
            notices,  # noqa: F401  (registers the renewal notices of the coalition home)
            report_sections,  # noqa: F401  (registers the report section and measure)
            roadmap_steps,  # noqa: F401  (registers roadmap steps)
        )

        nav.register(_("Governance"), "governance:index", order=60, section="governance")
