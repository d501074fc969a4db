from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EcosystemConfig(AppConfig):
    """The ecosystem map: actors, ties, the partner network survey, network analysis."""

    name = "commonground.ecosystem"
    label = "ecosystem"
    verbose_name = _("Ecosystem")
