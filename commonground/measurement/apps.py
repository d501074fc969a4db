from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasurementConfig(AppConfig):
    """Shared measurement: indicators, observations, equity gaps, goals, the metrics framework."""

    name = "commonground.measurement"
    label = "measurement"
    verbose_name = _("Measurement")

    def ready(self) -> None:
        from commonground.coalitions import nav
        from commonground.coalitions.access import ADMINS
        from commonground.measurement import roadmap_steps  # noqa: F401  (registers steps)

        nav.register(_("Health status"), "measurement:dashboard", order=50)
        nav.register(_("Metrics framework"), "measurement:framework", order=55)
        nav.register(_("Data imports"), "measurement:imports", order=58, roles=ADMINS)
