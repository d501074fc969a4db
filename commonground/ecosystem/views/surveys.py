"""The network survey: rounds, e-mailed links and reminders, the links' download, and the
partner's own form (through its personal link, or signed in). Each view declares its access
policy (``coalitions.access``), parses its input, makes one call to selectors or services,
and renders."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonground.coalitions.access import (
    ADMINS,
    ALL_ROLES,
    CoalitionRequest,
    coalition_view,
    public,
)
from commonground.ecosystem import emails, policy, selectors, services, survey_selectors
from commonground.ecosystem.domain.ratings import (
    DIMENSION_NAMES,
    TRUST_DIMENSIONS,
    VALUE_DIMENSIONS,
)
from commonground.ecosystem.forms import (
    INTENSITY_MEANINGS,
    RATING_QUESTIONS,
    RATING_SCALE,
    SurveyForm,
    parse_int,
    parse_survey_answers,
)
from commonground.ecosystem.models import (
    Actor,
    Contribution,
    NetworkSurvey,
    SurveyInvitation,
    Tie,
)
from commonground.ecosystem.views._common import (
    _add_errors,
    _conflict,
    _language,
    sector_name,
)
from commonground.lib import tabular
from commonground.lib.versioning import StaleEditError, parse_version


def _base_url(request: HttpRequest) -> str:
    """Scheme and host of this site, for the links put in e-mails."""
    return request.build_absolute_uri("/").rstrip("/")


def _names(names: Sequence[str], shown: int = 6) -> str:
    """Partner names for a message: the first few, then how many more (the table lists all)."""
    if len(names) <= shown:
        return ", ".join(names)
    rest = len(names) - shown
    return ngettext("%(names)s and %(count)d more", "%(names)s and %(count)d more", rest) % {
        "names": ", ".join(names[:shown]),
        "count": rest,
    }


def _report_mail(request: HttpRequest, report: services.MailReport, *, reminder: bool) -> None:
    """Tell the admin what a round of e-mails did, partner by partner."""
    if report.sent:
        text = (
            ngettext(
                "Reminder e-mailed for %(count)d partner, with a new link: %(names)s.",
                "Reminders e-mailed for %(count)d partners, each with a new link: %(names)s.",
                len(report.sent),
            )
            if reminder
            else ngettext(
                "Link e-mailed for %(count)d partner: %(names)s.",
                "Links e-mailed for %(count)d partners: %(names)s.",
                len(report.sent),
            )
        )
        messages.success(request, text % {"count": len(report.sent), "names": _names(report.sent)})
    if report.too_soon:
        messages.info(
            request,
            ngettext(
                "Not reminded, e-mailed less than %(days)d day ago: %(names)s.",
                "Not reminded, e-mailed less than %(days)d days ago: %(names)s.",
                services.reminder_days(),
            )
            % {"days": services.reminder_days(), "names": _names(report.too_soon)},
        )
    if report.no_address:
        messages.warning(
            request,
            _(
                "No e-mail address for %(names)s: add a contact e-mail on the partner's page, "
                "or download new links and send them yourself."
            )
            % {"names": _names(report.no_address)},
        )
    if report.failed:
        messages.error(
            request,
            _(
                "The mail server refused the e-mails for %(names)s; their links did not change. "
                "Try again later."
            )
            % {"names": _names(report.failed)},
        )
    if reminder and not (report.sent or report.too_soon or report.no_address or report.failed):
        messages.info(request, _("Every invited partner has answered; nobody to remind."))


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def survey_list(request: CoalitionRequest) -> HttpResponse:
    """Survey rounds; a new round gives a personal link to each partner chosen, e-mailed."""
    coalition = request.coalition
    actors = list(selectors.list_actors(coalition=coalition))
    form = SurveyForm(
        request.POST if request.method == "POST" else None,
        actors=actors,
        initial={"actor_ids": [a.pk for a in actors if a.kind != Actor.Kind.INFORMAL_PLACE]},
    )
    if request.method == "POST" and form.is_valid():
        by_id = {a.pk: a for a in actors}
        try:
            survey, links = services.create_survey(
                coalition=coalition,
                user=request.user,
                title=form.cleaned_data["title"],
                actors=[by_id[i] for i in form.cleaned_data["actor_ids"]],
                language=get_language() or "",
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            request.session["cg_survey_links"] = {
                str(invitation.pk): request.build_absolute_uri(
                    reverse("ecosystem:respond", args=[token])
                )
                for invitation, token in links
            }
            messages.success(request, _("Survey opened."))
            if form.cleaned_data["send_email"]:
                report = services.email_survey_links(
                    survey=survey,
                    user=request.user,
                    links=links,
                    base_url=_base_url(request),
                )
                _report_mail(request, report, reminder=False)
            else:
                messages.info(request, _("Send each partner its own link below."))
            return redirect("ecosystem:survey_detail", coalition.slug, survey.pk)
    context = {"form": form, "surveys": list(selectors.list_surveys(coalition=coalition))}
    return render(
        request, "ecosystem/networksurvey_list.html", context, status=400 if form.errors else 200
    )


def _survey_or_404(request: CoalitionRequest, survey_id: int) -> NetworkSurvey:
    try:
        return selectors.get_survey(coalition=request.coalition, survey_id=survey_id)
    except NetworkSurvey.DoesNotExist:
        raise Http404 from None


@coalition_view(*ADMINS)
def survey_detail(request: CoalitionRequest, survey_id: int) -> HttpResponse:
    survey = _survey_or_404(request, survey_id)  # before the method check: another's id is 404
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    links = request.session.pop("cg_survey_links", None) or {}
    rows = list(selectors.list_invitations(survey=survey))
    addresses = survey_selectors.recipients_by_invitation(
        coalition=request.coalition, invitations=rows
    )
    days = services.reminder_days()
    since = timezone.now() - timedelta(days=days)
    invitations = []
    due = no_address = 0
    for inv in rows:
        waiting = inv.responded_at is None and inv.actor.archived_at is None
        recipients = addresses.get(inv.pk, [])
        is_due = (
            waiting and bool(recipients) and (inv.emailed_at is None or inv.emailed_at <= since)
        )
        due += is_due
        no_address += waiting and not recipients
        invitations.append(
            {
                "invitation": inv,
                "link": links.get(str(inv.pk)),
                "recipients": len(recipients),
                "due": is_due,
            }
        )
    invited = len(rows)
    responded = sum(1 for inv in rows if inv.responded_at is not None)
    context = {
        "survey": survey,
        "invitations": invitations,
        "invited": invited,
        "responded": responded,
        "unanswered": sum(
            1 for inv in rows if inv.responded_at is None and inv.actor.archived_at is None
        ),
        "share": responded / invited if invited else None,
        "reminder_days": days,
        "due": due,
        "no_address": no_address,
    }
    return render(request, "ecosystem/networksurvey_detail.html", context)


@coalition_view(*ADMINS)
@require_POST
def survey_close(request: CoalitionRequest, survey_id: int) -> HttpResponse:
    survey = _survey_or_404(request, survey_id)
    version = parse_version(request.POST.get("version"))
    if version is None:
        messages.error(request, _("The form came without its version. Reload the page."))
        return redirect("ecosystem:survey_detail", request.coalition.slug, survey.pk)
    try:
        services.close_survey(survey=survey, user=request.user, expected_version=version)
    except StaleEditError as error:
        return _conflict(
            request,
            error,
            reverse("ecosystem:survey_detail", args=[request.coalition.slug, survey.pk]),
        )
    messages.success(request, _("Survey closed; its links no longer work."))
    return redirect("ecosystem:survey_detail", request.coalition.slug, survey.pk)


@coalition_view(*ADMINS)
@require_POST
def survey_link(request: CoalitionRequest, survey_id: int, link_id: int) -> HttpResponse:
    survey = _survey_or_404(request, survey_id)
    invitation = selectors.list_invitations(survey=survey).filter(pk=link_id).first()
    if invitation is None:
        raise Http404
    try:
        token = services.renew_survey_link(invitation=invitation, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        request.session["cg_survey_links"] = {
            str(invitation.pk): request.build_absolute_uri(
                reverse("ecosystem:respond", args=[token])
            )
        }
        messages.success(
            request,
            _("New link for %(name)s; the old one no longer works.")
            % {"name": invitation.actor.name},
        )
    return redirect("ecosystem:survey_detail", request.coalition.slug, survey.pk)


@coalition_view(*ADMINS)
@require_POST
def survey_remind(request: CoalitionRequest, survey_id: int) -> HttpResponse:
    """E-mail a reminder, with a new link, to each partner that has not answered (at most
    once every ``SURVEY_REMINDER_DAYS`` days each)."""
    survey = _survey_or_404(request, survey_id)
    try:
        report = services.send_survey_reminders(
            survey=survey, user=request.user, base_url=_base_url(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        _report_mail(request, report, reminder=True)
    return redirect("ecosystem:survey_detail", request.coalition.slug, survey.pk)


@coalition_view(*ADMINS)
@require_POST
def survey_links_csv(request: CoalitionRequest, survey_id: int) -> HttpResponse:
    """Issue new links for the partners that have not answered and download them as CSV.

    Only hashes of links are stored, so earlier links cannot be listed: these replace them.
    """
    survey = _survey_or_404(request, survey_id)
    try:
        issued = services.issue_survey_links(survey=survey, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("ecosystem:survey_detail", request.coalition.slug, survey.pk)
    if not issued:
        messages.info(request, _("Every invited partner has answered; no link to download."))
        return redirect("ecosystem:survey_detail", request.coalition.slug, survey.pk)
    addresses = survey_selectors.recipients_by_invitation(
        coalition=request.coalition, invitations=[inv for inv, _token in issued]
    )
    show_contacts = policy.can_see_contacts(request.membership)
    base = _base_url(request)
    header = [
        _("Partner"),
        _("Contact name"),
        _("E-mail addresses"),
        _("Personal link (works once)"),
    ]
    rows = [
        [
            inv.actor.name,
            inv.actor.contact_name if show_contacts else "",
            "; ".join(r.email for r in addresses.get(inv.pk, [])) if show_contacts else "",
            emails.absolute(base, reverse("ecosystem:respond", args=[token])),
        ]
        for inv, token in issued
    ]
    return tabular.download(
        tabular.write_csv(header, rows),
        tabular.safe_filename(f"survey-links-{survey.title}", "csv"),
    )


# ---------------------------------------------------------------- the member's side


@coalition_view(*ALL_ROLES)
@require_GET
def my_surveys(request: CoalitionRequest) -> HttpResponse:
    """The surveys this member answers for their organization: waiting ones first."""
    coalition = request.coalition
    invitations = survey_selectors.member_invitations(coalition=coalition, user=request.user)
    context = {
        "actors": survey_selectors.actors_of_member(coalition=coalition, user=request.user),
        "pending": [i for i in invitations if survey_selectors.is_pending(i)],
        "others": [i for i in invitations if not survey_selectors.is_pending(i)],
        "organization": request.membership.organization,
    }
    return render(request, "ecosystem/networksurvey_mine.html", context)


@coalition_view(*ALL_ROLES)
@require_http_methods(["GET", "POST"])
def survey_answer(request: CoalitionRequest, link_id: int) -> HttpResponse:
    """The survey form for a signed-in member answering for their own organization."""
    coalition = request.coalition
    try:
        invitation = services.find_member_invitation(
            coalition=coalition, invitation_id=link_id, user=request.user
        )
    except SurveyInvitation.DoesNotExist:
        raise Http404 from None
    except (PermissionDenied, services.SurveyLinkError) as error:
        messages.info(request, str(error))
        return redirect("ecosystem:my_surveys", coalition.slug)

    def save(answers: list[services.TieAnswer], contribution_ids: list[str], comment: str) -> None:
        services.answer_network_survey(
            coalition=coalition,
            invitation_id=invitation.pk,
            user=request.user,
            answers=answers,
            contribution_ids=contribution_ids,
            comment=comment,
        )

    return _survey_form(request, invitation, save, signed_in=True)


@public
@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, survey_token: str) -> HttpResponse:
    """The partner's own survey form, opened by its personal link; it shows nothing else."""
    try:
        invitation = services.find_survey_link(token=survey_token)
    except services.SurveyLinkError as error:
        return render(
            request, "ecosystem/survey_respond_closed.html", {"reason": str(error)}, status=410
        )

    def save(answers: list[services.TieAnswer], contribution_ids: list[str], comment: str) -> None:
        services.submit_network_survey(
            token=survey_token, answers=answers, contribution_ids=contribution_ids, comment=comment
        )

    return _survey_form(request, invitation, save, signed_in=False)


# ---------------------------------------------------------------- the form, shared


def _partner_rows(
    data: QueryDict | None, chosen: Sequence[int], names: dict[int, str]
) -> list[dict[str, Any]]:
    """One row per chosen partner. Nothing is chosen for the partner unless ``data`` (the
    respondent's own answers sent back with a problem) says so."""
    language = _language()
    rows = []
    for pk in chosen:
        prefix = f"p{pk}-"

        def sent(name: str, prefix: str = prefix) -> str:
            return data.get(prefix + name, "") if data is not None else ""

        types = set(data.getlist(prefix + "types")) if data is not None else set()
        rows.append(
            {
                "id": pk,
                "name": names[pk],
                "levels": [
                    {"value": value, "label": label, "checked": str(value) == sent("intensity")}
                    for value, label in Tie.Intensity.choices
                ],
                "frequencies": [
                    {"value": value, "label": label, "selected": value == sent("frequency")}
                    for value, label in Tie.Frequency.choices
                ],
                "groups": [
                    {
                        "name": group,
                        "ratings": [
                            {
                                "dimension": dimension,
                                "label": DIMENSION_NAMES[dimension].get(language),
                                "value": sent(dimension),
                            }
                            for dimension in dimensions
                        ],
                    }
                    for group, dimensions in (
                        (_("Trust"), TRUST_DIMENSIONS),
                        (_("Value"), VALUE_DIMENSIONS),
                    )
                ],
                "types": [
                    {"value": value, "label": label, "checked": value in types}
                    for value, label in Tie.Type.choices
                ],
                "types_open": bool(types),
            }
        )
    return rows


def _survey_form(
    request: HttpRequest,
    invitation: SurveyInvitation,
    save: Callable[[list[services.TieAnswer], list[str], str], None],
    *,
    signed_in: bool,
) -> HttpResponse:
    """Step 1 names the partners the respondent works with; step 2 rates each tie, one row per
    partner, nothing chosen in advance; then ``save`` stores the answers."""
    respondent = invitation.actor
    choices = selectors.survey_partner_choices(invitation=invitation)
    partners = [
        {"id": pk, "name": name, "sector": sector_name(sector)} for pk, name, sector in choices
    ]
    partner_names: dict[int, str] = {pk: name for pk, name, _s in choices}
    step = request.POST.get("step", "") if request.method == "POST" else ""
    chosen: list[int] = []
    for raw in request.POST.getlist("partner"):
        value = parse_int(raw, low=1, high=2**31)
        if value is not None and value in partner_names and value not in chosen:
            chosen.append(value)
    problems: list[str] = []
    if step == "submit":
        answers, problems = parse_survey_answers(
            request.POST, {pk: partner_names[pk] for pk in chosen}
        )
        contributions = [
            c for c in request.POST.getlist("contributions") if c in Contribution.values
        ]
        if not problems:
            try:
                save(answers, contributions, request.POST.get("comment", "")[:2000])
            except (ValidationError, services.SurveyLinkError, PermissionDenied) as error:
                problems = list(getattr(error, "messages", None) or [str(error)])
            else:
                return render(
                    request,
                    "ecosystem/survey_respond_done.html",
                    {"respondent": respondent, "count": len(answers), "signed_in": signed_in},
                )
    rate_step = step in ("rate", "submit")
    if step == "rate" and not chosen:
        problems = [
            _(
                "Choose at least one partner, or send the form with none if you work with nobody here."
            )
        ]
    sent_back = request.POST if step == "submit" else None
    language = _language()
    context = {
        "survey": invitation.survey,
        "respondent": respondent,
        "survey_coalition_name": invitation.coalition.name,
        "signed_in": signed_in,
        "partners": partners,
        "chosen_ids": chosen,
        "rows": _partner_rows(sent_back, chosen, partner_names),
        "step": "rate" if rate_step else "choose",
        "problems": problems,
        "levels": [
            {"value": value, "label": label, "meaning": INTENSITY_MEANINGS[value]}
            for value, label in Tie.Intensity.choices
        ],
        "rating_scale": list(RATING_SCALE.items()),
        "rating_questions": [
            {
                "group": _("Trust") if dimension in TRUST_DIMENSIONS else _("Value"),
                "label": DIMENSION_NAMES[dimension].get(language),
                "question": RATING_QUESTIONS[dimension],
            }
            for dimension in (*TRUST_DIMENSIONS, *VALUE_DIMENSIONS)
        ],
        "contributions": [
            (value, label, value in request.POST.getlist("contributions"))
            for value, label in Contribution.choices
        ],
        "comment": request.POST.get("comment", "")[:2000] if sent_back is not None else "",
    }
    return render(
        request, "ecosystem/survey_respond.html", context, status=400 if problems else 200
    )
