from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    """Community voice: the collaboration survey, listening sessions, priorities, capacity building and stories."""

    name = "commonground.voice"
    label = "voice"
    verbose_name = _("Community voice")

    def ready(self) -> None:
        from commonground.coalitions import nav
        from commonground.voice import (
            activity,  # noqa: F401  (registers log renderers)
            evidence,  # noqa: F401  (registers framework evidence)
            notices,  # noqa: F401  (registers home notices)
            report_sections,  # noqa: F401  (registers report sections and measures)
            roadmap_steps,  # noqa: F401  (registers roadmap steps)
        )

        nav.register(_("Community voice"), "voice:index", order=62, section="voice")
