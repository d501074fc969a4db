from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    """Resources: funding sources, concentration, runway and the cliff, and support shared out."""

    name = "commonground.funding"
    label = "funding"
    verbose_name = _("Funding")
