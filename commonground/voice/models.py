"""Community voice: the collaboration survey, listening sessions, priorities, capacity, stories.

Anonymity (RELIABILITY.md checks 6 and 7): the two tables that hold anonymous answers,
``AnswerSheet`` and ``PriorityBallot``, have no link to a person, membership,
invitation or user, no address, no browser, no time at all (the wave or round says
when), and a random primary key, so neither a row nor its place among the others says
who answered or when. ``tests/test_anonymity.py`` reads their fields.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonground.coalitions.models import TenantModel
from commonground.lib.versioning import Versioned


def _public_token() -> str:
    return secrets.token_urlsafe(16)


class MemberType(models.TextChoices):
    COMMUNITY = "community", _("Community member or resident")
    PARTNER = "partner", _("Institutional partner")
    BACKBONE = "backbone", _("Backbone staff")


class Theme(TenantModel, Versioned):
    """A code of the coalition's codebook: something residents raised, in a few words."""

    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("what it covers"), blank=True)
    pillar_ids = models.JSONField(_("pillars"), default=list, blank=True)
    priority_areas = models.ManyToManyField(
        "measurement.PriorityArea", blank=True, related_name="+", verbose_name=_("priority areas")
    )
    indicators = models.ManyToManyField(
        "measurement.Indicator", blank=True, related_name="+", verbose_name=_("indicators")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["coalition", "name"], name="voice_unique_theme_name")
        ]

    def __str__(self) -> str:
        return self.name


class SurveyQuestion(TenantModel):
    """A Likert question the coalition added to the instrument (the built-in ones live in code)."""

    scale = models.CharField(_("scale"), max_length=40)
    text_en = models.CharField(_("question (English)"), max_length=300)
    text_es = models.CharField(_("question (Spanish)"), max_length=300, blank=True)
    reverse = models.BooleanField(_("reverse-scored"), default=False)
    is_active = models.BooleanField(_("asked"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scale", "id"]

    def __str__(self) -> str:
        return self.text_en

    @property
    def item_id(self) -> str:
        return f"c{self.pk}"


class SurveyWave(TenantModel, Versioned):
    """One wave of the collaboration survey (usually yearly), with its public link."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not yet open")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=160)
    number = models.PositiveSmallIntegerField(_("wave"), help_text=_("1 for the first wave."))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    token = models.CharField(max_length=40, unique=True, default=_public_token, editable=False)
    invited = models.PositiveIntegerField(
        _("people invited"),
        null=True,
        blank=True,
        help_text=_("Leave empty to count the coalition's members."),
    )
    items = models.JSONField(default=list, blank=True, help_text="Item ids asked in this wave.")
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    is_synthetic = models.BooleanField(
        _("synthetic answers (demonstration)"), default=False, editable=False
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["coalition", "number"], name="voice_one_wave_number")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class AnswerSheet(TenantModel):
    """One anonymous answer sheet of a wave, self-submitted or typed in from paper.

    Nothing here points to who gave it or when: no person, membership, invitation or
    user, no address or browser, no date or time (the wave is the only "when"), and a
    random primary key. The optional attributes are coarse by design.
    """

    MemberType = MemberType

    class Years(models.TextChoices):
        UNDER_2 = "0-1", _("Less than 2 years")
        TWO_TO_5 = "2-5", _("2 to 5 years")
        OVER_5 = "6+", _("More than 5 years")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="responses")
    member_type = models.CharField(max_length=12, choices=MemberType.choices, blank=True)
    sector = models.CharField(max_length=40, blank=True)
    years = models.CharField(max_length=4, choices=Years.choices, blank=True)
    is_paper = models.BooleanField(default=False)
    answers = models.JSONField(default=dict)
    comment = models.TextField(blank=True)

    class Meta:
        # Listing order says nothing about the order of answering.
        ordering = ["wave", "id"]

    def __str__(self) -> str:
        return f"{self.wave} · {self.get_member_type_display() or '-'}"


class ListeningSession(TenantModel, Versioned):
    """A listening session (often one stop of a tour): where, when, who came, what helped."""

    class Support(models.TextChoices):
        INTERPRETATION = "interpretation", _("Interpretation")
        CHILDCARE = "childcare", _("Childcare")
        FOOD = "food", _("Food")
        STIPENDS = "stipends", _("Stipends")
        TRANSPORT = "transport", _("Transport")
        EVENING = "evening", _("Evening time")
        REMOTE = "remote", _("Remote option")

    title = models.CharField(_("title"), max_length=160)
    tour = models.CharField(_("listening tour"), max_length=120, blank=True)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("neighborhood or place"), max_length=160)
    county = models.CharField(_("county"), max_length=120, blank=True)
    topic = models.CharField(_("topic"), max_length=160)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    host = models.ForeignKey(
        "ecosystem.Actor",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("host partner"),
    )
    residents_reached = models.PositiveIntegerField(_("residents reached"), default=0)
    supports = models.JSONField(_("supports offered"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Excerpt(TenantModel):
    """A passage of a session's notes, coded with the themes it speaks to."""

    session = models.ForeignKey(ListeningSession, on_delete=models.CASCADE, related_name="excerpts")
    text = models.TextField(_("excerpt"))
    themes = models.ManyToManyField(Theme, related_name="excerpts", verbose_name=_("themes"))
    coded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class PriorityRound(TenantModel, Versioned):
    """A round of setting priorities together: candidates ranked by residents and institutions."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=160)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    token = models.CharField(max_length=40, unique=True, default=_public_token, editable=False)
    opened_on = models.DateField(_("opened on"))

    class Meta:
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class PriorityCandidate(TenantModel):
    """A candidate focus area: from a theme, from a large equity gap, or proposed."""

    class Origin(models.TextChoices):
        THEME = "theme", _("Theme heard in listening sessions")
        GAP = "gap", _("Large gap on the equity dashboard")
        PROPOSED = "proposed", _("Proposed")

    round = models.ForeignKey(PriorityRound, on_delete=models.CASCADE, related_name="candidates")
    name = models.CharField(_("name"), max_length=160)
    origin = models.CharField(
        _("where it came from"), max_length=10, choices=Origin.choices, default=Origin.PROPOSED
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    indicator = models.ForeignKey(
        "measurement.Indicator", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        ordering = ["round", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name in the reader's language: a candidate taken from an indicator shows the
        indicator's name in that language unless someone renamed the candidate."""
        indicator = self.indicator if self.indicator_id is not None else None
        if indicator is not None and self.name == indicator.name:
            return indicator.label
        return self.name


class PriorityBallot(TenantModel):
    """One anonymous ranking: candidate ids, most important first. No person, no time."""

    class Group(models.TextChoices):
        RESIDENTS = "residents", _("Residents and community members")
        INSTITUTIONS = "institutions", _("Institutions and partners")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(PriorityRound, on_delete=models.CASCADE, related_name="ballots")
    group = models.CharField(max_length=12, choices=Group.choices)
    is_paper = models.BooleanField(default=False)
    ranking = models.JSONField(default=list)

    class Meta:
        ordering = ["round", "id"]

    def __str__(self) -> str:
        return f"{self.round} · {self.get_group_display()}"


class ChosenPriority(TenantModel, Versioned):
    """A priority the coalition chose; the chosen list becomes its focus areas."""

    name = models.CharField(_("name"), max_length=160)
    rank = models.PositiveSmallIntegerField(_("rank"))
    candidate = models.ForeignKey(
        PriorityCandidate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    priority_area = models.ForeignKey(
        "measurement.PriorityArea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("priority area"),
    )
    rationale = models.TextField(_("why"), blank=True)
    chosen_on = models.DateField(_("chosen on"))

    class Meta:
        ordering = ["rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["coalition", "name"], name="voice_unique_priority")
        ]

    def __str__(self) -> str:
        return self.name


class Training(TenantModel, Versioned):
    """A training, skill-share or leadership program offered by a partner or the backbone."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        SKILL_SHARE = "skill_share", _("Skill-share")
        LEADERSHIP = "leadership", _("Leadership program")

    title = models.CharField(_("title"), max_length=160)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TRAINING)
    topic = models.CharField(_("topic"), max_length=160)
    audience = models.CharField(_("audience"), max_length=160, blank=True)
    host = models.ForeignKey(
        "ecosystem.Actor",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("host"),
    )
    held_on = models.DateField(_("date"))
    community_participants = models.PositiveIntegerField(_("community members"), default=0)
    partner_participants = models.PositiveIntegerField(_("partner staff"), default=0)
    backbone_participants = models.PositiveIntegerField(_("backbone staff"), default=0)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def participants(self) -> int:
        return self.community_participants + self.partner_participants + self.backbone_participants


class Story(TenantModel, Versioned):
    """A story of a small win, for the report and the public page (with consent)."""

    title = models.CharField(_("title"), max_length=160)
    happened_on = models.DateField(_("date"))
    body = models.TextField(_("story"))
    partners = models.ManyToManyField(
        "ecosystem.Actor", blank=True, related_name="+", verbose_name=_("partners")
    )
    priority_area = models.ForeignKey(
        "measurement.PriorityArea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("priority area"),
    )
    figure = models.CharField(_("figure"), max_length=160, blank=True)
    photo = models.BinaryField(null=True, blank=True, editable=False)
    photo_type = models.CharField(max_length=20, blank=True, editable=False)
    photo_alt = models.CharField(_("photo description"), max_length=200, blank=True)
    is_public = models.BooleanField(_("share on the public page"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-id"]

    def __str__(self) -> str:
        return self.title


class StoryConsent(TenantModel):
    """Consent of one person named in or shown by a story."""

    class Appears(models.TextChoices):
        NAMED = "named", _("Named")
        SHOWN = "shown", _("Shown in the photo")
        BOTH = "both", _("Named and shown")

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="consents")
    person = models.CharField(_("person"), max_length=160)
    appears = models.CharField(
        _("appears"), max_length=6, choices=Appears.choices, default=Appears.NAMED
    )
    consented = models.BooleanField(_("consent given"), default=False)
    consented_on = models.DateField(_("consent date"), null=True, blank=True)
    how = models.CharField(_("how consent was recorded"), max_length=160, blank=True)

    class Meta:
        ordering = ["story", "id"]

    def __str__(self) -> str:
        return self.person
