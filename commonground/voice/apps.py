from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    """Community voice: the collaboration survey, listening sessions, priorities, capacity building and stories."""

    name = "commonground.voice"
    label = "voice"
    verbose_name = _("Community voice")
