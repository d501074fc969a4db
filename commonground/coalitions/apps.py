from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoalitionsConfig(AppConfig):
    name = "commonground.coalitions"
    label = "coalitions"
    verbose_name = _("Coalitions")

    def ready(self) -> None:
        from commonground.coalitions import (
            nav,
            roadmap_steps,  # noqa: F401  (registers steps)
        )

        nav.register(_("Roadmap"), "coalitions:home", order=0)
        nav.register(_("Profile"), "coalitions:profile", order=80)
        nav.register(_("Members"), "coalitions:members", order=90)
        nav.register(_("Activity log"), "coalitions:audit", order=100, roles=["backbone_admin"])
