from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EcosystemConfig(AppConfig):
    """The ecosystem map: actors, ties, the partner network survey, network analysis."""

    name = "commonground.ecosystem"
    label = "ecosystem"
    verbose_name = _("Ecosystem")

    def ready(self) -> None:
        from commonground.coalitions import nav
        from commonground.ecosystem import roadmap_steps  # noqa: F401  (registers its steps)

        nav.register(_("Ecosystem"), "ecosystem:map", order=10)
