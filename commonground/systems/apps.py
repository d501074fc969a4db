from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SystemsConfig(AppConfig):
    """Systems change: the system map and its loops, the asset map, anchor-institution commitments."""

    name = "commonground.systems"
    label = "systems"
    verbose_name = _("Systems change")

    def ready(self) -> None:
        from commonground.coalitions import nav
        from commonground.systems import (
            activity,  # noqa: F401  (registers log renderers)
            evidence,  # noqa: F401  (registers framework evidence)
            report_sections,  # noqa: F401  (registers report sections)
        )

        nav.register(_("Systems"), "systems:map", order=66, section="systems")
