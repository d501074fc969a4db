"""How the activity log says what happened in reports, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.coalitions import activity
from commonground.coalitions.activity import Entry, quote

activity.noun("Report", gettext_lazy("report"))
activity.noun("ReportVersion", gettext_lazy("published report"))
activity.noun("PdfJob", gettext_lazy("report PDF"))
activity.noun("SharingConsent", gettext_lazy("sharing with a funder"))


@activity.renders("reports.report_created")
def report_created(entry: Entry) -> str | None:
    title = entry.params.get("title")
    return _("Created the report %(title)s") % {"title": quote(title)} if title else None


@activity.renders("reports.report_edited")
def report_edited(entry: Entry) -> str | None:
    title = entry.params.get("title")
    return _("Edited the report %(title)s") % {"title": quote(title)} if title else None


@activity.renders("reports.pdf_requested")
def pdf_requested(entry: Entry) -> str | None:
    title = entry.params.get("title")
    return _("Asked for the PDF of %(title)s") % {"title": quote(title)} if title else None


@activity.renders("reports.published")
def published(entry: Entry) -> str | None:
    title, number = entry.params.get("title"), entry.params.get("number")
    if not title or number is None:
        return None
    return _("Published version %(number)s of %(title)s") % {
        "number": number,
        "title": quote(title),
    }


@activity.renders("reports.made_public")
def made_public(entry: Entry) -> str | None:
    title, number = entry.params.get("title"), entry.params.get("number")
    if not title or number is None:
        return None
    return _("Showed version %(number)s of %(title)s on the public page") % {
        "number": number,
        "title": quote(title),
    }


@activity.renders("reports.unpublished")
def unpublished(entry: Entry) -> str | None:
    return _("Took the public page down")


@activity.renders("reports.consent_saved")
def consent_saved(entry: Entry) -> str | None:
    name = entry.params.get("intermediary")
    return _("Chose what to share with %(name)s") % {"name": quote(name)} if name else None


@activity.renders("reports.consent_withdrawn")
def consent_withdrawn(entry: Entry) -> str | None:
    name = entry.params.get("intermediary")
    return _("Stopped sharing with %(name)s") % {"name": quote(name)} if name else None
