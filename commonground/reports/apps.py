from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The coalition's story: impact reports in HTML and PDF, the public page, the funders' side-by-side view."""

    name = "commonground.reports"
    label = "reports"
    verbose_name = _("Reports")
