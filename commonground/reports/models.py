"""Impact reports, their PDFs and frozen versions, the public page and funders' consent.

A report is the backbone's choice of sections (from ``registry``), their order and an
introduction, for one period. Its HTML page is built from live data; publishing freezes
it into a ``ReportVersion`` (every section's data in each language, and the PDFs), whose
numbers never move again. A coalition may show one version on its public page
(``/p/<slug>/``) with the sections it picks.

An ``Intermediary`` (a funder or intermediary organization) is not a tenant: it only sees
what each coalition's ``SharingConsent`` gives it, and a coalition withdraws by deleting
that row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonground.coalitions.models import TenantModel
from commonground.lib.versioning import Versioned


class Report(TenantModel, Versioned):
    """A coalition's impact report for a period: chosen sections, order, introduction."""

    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    introduction = models.TextField(_("introduction"), blank=True)
    section_keys = models.JSONField(_("sections"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_end", "-id"]

    def __str__(self) -> str:
        return self.title


class ReportVersion(TenantModel):
    """A published report, frozen: its sections' data in each language and its PDFs."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # {"title", "introduction", "period": [start, end], "coalition",
    #  "sections": [{"key", "public", "title": {lang: str}, "data": {lang: {...}}}]}
    content = models.JSONField(default=dict)
    public_section_keys = models.JSONField(default=list, blank=True)
    is_public = models.BooleanField(default=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="unique_report_version")
        ]

    def __str__(self) -> str:
        return f"{self.content.get('title', '')} v{self.number}"


class PdfJob(TenantModel):
    """One PDF being made (or made) in the background; the row carries its progress.

    ``version`` set: the PDF of a published version (``public_only`` keeps only the
    sections on the public page). Otherwise the live report, frozen when the job runs.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Ready")
        FAILED = "failed", _("Failed")

    class Paper(models.TextChoices):
        LETTER = "letter", _("US Letter")
        A4 = "a4", _("A4")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="pdf_jobs")
    version = models.ForeignKey(
        ReportVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="pdf_jobs"
    )
    public_only = models.BooleanField(default=False)
    language = models.CharField(max_length=8, default="en")
    paper = models.CharField(max_length=8, choices=Paper.choices, default=Paper.LETTER)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0)  # share done, 0-1
    error = models.TextField(blank=True)
    pdf = models.BinaryField(default=b"", editable=False)
    page_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Written by the worker whenever it reports progress; a running job whose heartbeat
    # is older than ``settings.PDF_STALE_AFTER`` lost its worker (``fail_stale_pdf_jobs``).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}

    @property
    def percent(self) -> int:
        return round(self.progress * 100)


class Intermediary(models.Model):
    """A funder or intermediary that coalitions may choose to share headline measures with.

    Not a tenant: it owns no coalition data, only the consents coalitions give it.
    """

    class Kind(models.TextChoices):
        FUNDER = "funder", _("Funder")
        INTERMEDIARY = "intermediary", _("Intermediary")

    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("short name for links"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.FUNDER)
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        ordering = ["name"]
        verbose_name = _("funder or intermediary")
        verbose_name_plural = _("funders and intermediaries")

    def __str__(self) -> str:
        return self.name


class SharingConsent(TenantModel):
    """What a coalition shares with one intermediary; deleting the row withdraws it."""

    intermediary = models.ForeignKey(Intermediary, on_delete=models.CASCADE, related_name="+")
    share_profile = models.BooleanField(_("share the profile"), default=True)
    measure_keys = models.JSONField(_("shared measures"), default=list)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["intermediary__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "intermediary"], name="unique_sharing_consent"
            )
        ]
