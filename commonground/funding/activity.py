"""How the activity log says what happened in funding, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.coalitions import activity
from commonground.coalitions.activity import Entry, quote
from commonground.funding.models import BudgetLine, Disbursement, FundingKind

activity.noun("FundingSource", gettext_lazy("funding source"))
activity.noun("FundingAmount", gettext_lazy("funding amount"))
activity.noun("FundingSettings", gettext_lazy("funding visibility"))
activity.noun("Budget", gettext_lazy("budget"))
activity.noun("BudgetLine", gettext_lazy("budget line"))
activity.noun("Disbursement", gettext_lazy("support shared out"))
activity.noun("FunderRequirement", gettext_lazy("funder's required measure"))
activity.noun("FunderReport", gettext_lazy("funder report"))


def _money(value: object) -> str:
    try:
        return f"${float(str(value)):,.0f}"
    except ValueError:
        return str(value)


@activity.renders("funding.visibility_changed")
def visibility_changed(entry: Entry) -> str:
    roles = [activity.role_label(r) for r in entry.params.get("roles", [])]
    if not roles:
        return _("Funding details are now visible to backbone admins only")
    return _("Funding details are now visible to backbone admins and: %(roles)s") % {
        "roles": ", ".join(roles)
    }


@activity.renders("funding.source_added")
def source_added(entry: Entry) -> str:
    return _("Added the funding source %(name)s (%(kind)s)") % {
        "name": quote(entry.params.get("name", "")),
        "kind": activity.choice_label(FundingKind, entry.params.get("kind", "")),
    }


@activity.renders("funding.source_changed")
def source_changed(entry: Entry) -> str:
    return _("Changed the funding source %(name)s: %(fields)s") % {
        "name": quote(entry.params.get("name", "")),
        "fields": ", ".join(entry.params.get("fields", [])),
    }


@activity.renders("funding.amount_added")
def amount_added(entry: Entry) -> str:
    return _("Recorded %(amount)s from %(source)s for %(start)s to %(end)s") % {
        "amount": _money(entry.params.get("amount")),
        "source": quote(entry.params.get("source", "")),
        "start": entry.params.get("starts_on", ""),
        "end": entry.params.get("ends_on", ""),
    }


@activity.renders("funding.amount_removed")
def amount_removed(entry: Entry) -> str:
    return _("Removed an amount of %(amount)s from %(source)s") % {
        "amount": _money(entry.params.get("amount")),
        "source": quote(entry.params.get("source", "")),
    }


@activity.renders("funding.budget_added")
def budget_added(entry: Entry) -> str:
    return _("Added the budget %(name)s") % {"name": quote(entry.params.get("name", ""))}


@activity.renders("funding.budget_line_added")
def budget_line_added(entry: Entry) -> str:
    return _("Added a budget line to %(budget)s: %(category)s, %(amount)s") % {
        "budget": quote(entry.params.get("budget", "")),
        "category": activity.choice_label(BudgetLine.Category, entry.params.get("category", "")),
        "amount": _money(entry.params.get("amount")),
    }


@activity.renders("funding.budget_line_removed")
def budget_line_removed(entry: Entry) -> str:
    return _("Removed a budget line from %(budget)s: %(category)s, %(amount)s") % {
        "budget": quote(entry.params.get("budget", "")),
        "category": activity.choice_label(BudgetLine.Category, entry.params.get("category", "")),
        "amount": _money(entry.params.get("amount")),
    }


@activity.renders("funding.disbursement_added")
def disbursement_added(entry: Entry) -> str:
    return _("Recorded %(kind)s of %(amount)s to %(recipient)s") % {
        "kind": activity.choice_label(Disbursement.Kind, entry.params.get("kind", "")),
        "amount": _money(entry.params.get("amount")),
        "recipient": quote(entry.params.get("recipient", "")),
    }


@activity.renders("funding.disbursement_changed")
def disbursement_changed(entry: Entry) -> str:
    return _("Changed the %(kind)s to %(recipient)s: %(fields)s") % {
        "kind": activity.choice_label(Disbursement.Kind, entry.params.get("kind", "")),
        "recipient": quote(entry.params.get("recipient", "")),
        "fields": ", ".join(entry.params.get("fields", [])),
    }


@activity.renders("funding.requirement_added")
def requirement_added(entry: Entry) -> str:
    if entry.params.get("measure"):
        return _("%(source)s requires %(name)s, answered by %(measure)s") % {
            "source": quote(entry.params.get("source", "")),
            "name": quote(entry.params.get("name", "")),
            "measure": quote(entry.params["measure"]),
        }
    return _("%(source)s requires %(name)s") % {
        "source": quote(entry.params.get("source", "")),
        "name": quote(entry.params.get("name", "")),
    }


@activity.renders("funding.report_added")
def report_added(entry: Entry) -> str:
    return _("Scheduled the report %(title)s for %(source)s, due %(due)s") % {
        "title": quote(entry.params.get("title", "")),
        "source": quote(entry.params.get("source", "")),
        "due": entry.params.get("due_on", ""),
    }


@activity.renders("funding.report_submitted")
def report_submitted(entry: Entry) -> str:
    return _("Submitted the report %(title)s on %(on)s") % {
        "title": quote(entry.params.get("title", "")),
        "on": entry.params.get("submitted_on", ""),
    }
