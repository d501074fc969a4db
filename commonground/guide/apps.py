from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuideConfig(AppConfig):
    """The framework guide: a readable page for every pillar, stage and role."""

    name = "commonground.guide"
    label = "guide"
    verbose_name = _("Framework guide")
