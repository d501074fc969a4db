from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SystemsConfig(AppConfig):
    """Systems change: the system map and its loops, the asset map, anchor-institution commitments."""

    name = "commonground.systems"
    label = "systems"
    verbose_name = _("Systems change")
