from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    """Framework assessments answered by members and read together, and the roadmap."""

    name = "commonground.assessments"
    label = "assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        from commonground.assessments import (
            activity,  # noqa: F401  (registers log renderers)
            notices,  # noqa: F401  (registers the overdue notices of the coalition home)
            plan_activity,  # noqa: F401  (registers log renderers of the action plan)
            roadmap_steps,  # noqa: F401  (registers steps)
        )
        from commonground.coalitions import nav

        nav.register(_("Assessments"), "assessments:index", order=30)
        nav.register(_("Action plan"), "assessments:roadmap", order=38)
        nav.register(_("My tasks"), "assessments:my_tasks", order=39)
