from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EcosystemConfig(AppConfig):
    """The ecosystem map: actors, ties, the partner network survey, network analysis."""

    name = "commonground.ecosystem"
    label = "ecosystem"
    verbose_name = _("Ecosystem")

    def ready(self) -> None:
        from commonground.coalitions import nav, notices
        from commonground.ecosystem import (
            activity,  # noqa: F401  (registers log renderers)
            roadmap_steps,  # noqa: F401  (registers its steps)
        )
        from commonground.ecosystem.notices import pending_surveys, unanswered_surveys

        nav.register(_("Ecosystem"), "ecosystem:map", order=10)
        notices.register(pending_surveys, reads=("ecosystem",))
        notices.register(unanswered_surveys, reads=("ecosystem",))
