from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    """Framework assessments answered by members and read together, and the roadmap."""

    name = "commonground.assessments"
    label = "assessments"
    verbose_name = _("Assessments")
