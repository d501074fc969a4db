from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    """Shared power: bodies, seats, meetings, votes, the decision log, agreements and the policy agenda."""

    name = "commonground.governance"
    label = "governance"
    verbose_name = _("Governance")
