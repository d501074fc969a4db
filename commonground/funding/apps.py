from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    """Resources: funding sources, concentration, runway and the cliff, and support shared out."""

    name = "commonground.funding"
    label = "funding"
    verbose_name = _("Funding")

    def ready(self) -> None:
        from commonground.coalitions import nav
        from commonground.funding import (
            activity,  # noqa: F401  (registers log renderers)
            notices,  # noqa: F401  (registers the reporting reminders)
            report_sections,  # noqa: F401  (registers the report section and measures)
            roadmap_steps,  # noqa: F401  (registers evidence and roadmap steps)
        )
        from commonground.funding.access import DEFAULT_ROLES

        # The tab shows to the default roles; a coalition that opens funding to more
        # roles lets them reach the pages by link (the tab follows the default).
        nav.register(
            _("Funding"), "funding:overview", order=64, roles=DEFAULT_ROLES, section="funding"
        )
