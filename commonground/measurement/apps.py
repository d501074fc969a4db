from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasurementConfig(AppConfig):
    """Shared measurement: indicators, observations, equity gaps, goals, the metrics framework."""

    name = "commonground.measurement"
    label = "measurement"
    verbose_name = _("Measurement")
