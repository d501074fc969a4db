from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasurementConfig(AppConfig):
    """Shared measurement: indicators, observations, equity gaps, goals, the metrics framework."""

    name = "commonground.measurement"
    label = "measurement"
    verbose_name = _("Measurement")

    def ready(self) -> None:
        from commonground.coalitions import nav
        from commonground.measurement import (
            activity,  # noqa: F401  (registers log renderers)
            roadmap_steps,  # noqa: F401  (registers steps)
        )

        # One tab for the capability; its own sub-navigation leads to the explorer, the
        # map, the metrics framework and the imports.
        nav.register(_("Health data"), "measurement:dashboard", order=50, section="measurement")
