"""Coalition pages. Each view declares its access policy (see ``access``)."""

from __future__ import annotations

import time
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonground.accounts.forms import SignUpForm
from commonground.coalitions import activity, notices, selectors, services
from commonground.coalitions import exports as coalition_exports
from commonground.coalitions import tasks as coalition_tasks
from commonground.coalitions.access import (
    ADMINS,
    ALL_ROLES,
    CoalitionRequest,
    coalition_view,
    public,
    signed_in,
)
from commonground.coalitions.forms import InviteForm, NewCoalitionForm, ProfileForm, RoleForm
from commonground.coalitions.models import CoalitionExport, Invitation, Membership
from commonground.coalitions.page_cache import kept_per_version
from commonground.coalitions.roadmap import build_roadmap


@signed_in
@require_GET
def choose(request: HttpRequest) -> HttpResponse:
    """The coalition switcher's full page; with exactly one coalition, go straight to it."""
    memberships = selectors.list_memberships_for_user(user=request.user)
    if len(memberships) == 1 and "all" not in request.GET:
        return redirect("coalitions:home", memberships[0].coalition.slug)
    return render(request, "coalitions/coalition_choose.html", {"memberships": memberships})


@signed_in
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    form = NewCoalitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            coalition = services.create_coalition(
                creator=request.user,
                name=form.cleaned_data["name"],
                slug=form.cleaned_data["slug"],
                random_suffix=True,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Coalition created; its short name for links is “%(slug)s”. Start with its profile."
                )
                % {"slug": coalition.slug},
            )
            return redirect("coalitions:profile_edit", coalition.slug)
    return render(request, "coalitions/coalition_new.html", {"form": form})


@coalition_view(*ALL_ROLES)
@require_GET
@kept_per_version()
def home(request: CoalitionRequest) -> HttpResponse:
    """The four roadmap chapters: what is done and what to do next in each."""
    coalition = request.coalition
    # The one roadmap: the action-plan page and the API render the same chapters.
    chapters = build_roadmap(coalition).chapters
    context = {
        "chapters": chapters,
        "places": list(selectors.list_places(coalition=coalition)),
        "role_counts": selectors.count_members_by_role(coalition=coalition),
        "language": get_language(),
        "notices": notices.notices_for(coalition, request.membership.user),
    }
    return render(request, "coalitions/coalition_home.html", context)


@coalition_view(*ALL_ROLES)
@require_GET
def profile(request: CoalitionRequest) -> HttpResponse:
    coalition = request.coalition
    return render(
        request,
        "coalitions/coalition_profile.html",
        {"places": list(selectors.list_places(coalition=coalition))},
    )


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def profile_edit(request: CoalitionRequest) -> HttpResponse:
    coalition = request.coalition
    places = list(selectors.list_places(coalition=coalition))
    form = ProfileForm(request.POST or None, instance=coalition, places=places)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(
                coalition=coalition,
                actor=request.user,
                places=form.cleaned_data["places"],
                expected_version=form.cleaned_data["version"] or None,
                **form.profile_values(),
            )
        except services.StaleEditError as error:
            coalition.refresh_from_db()
            form.add_error(None, str(error))
            return render(
                request, "coalitions/coalition_profile_edit.html", {"form": form}, status=409
            )
        messages.success(request, _("Profile saved."))
        return redirect("coalitions:profile", coalition.slug)
    if request.method == "POST":
        coalition.refresh_from_db()  # the form wrote invalid values onto the instance
    return render(request, "coalitions/coalition_profile_edit.html", {"form": form})


NEW_INVITATION_KEY = "cg_new_invitation"
NEW_INVITATION_SECONDS = 10 * 60


def _pop_new_invitation(request: CoalitionRequest) -> dict[str, Any] | None:
    """The invitation just made, for the page after the invite: its link is shown this
    once (only its hash is stored), and only in the coalition and soon after."""
    found = request.session.pop(NEW_INVITATION_KEY, None)
    if not isinstance(found, dict) or found.get("coalition") != request.coalition.pk:
        return None
    if time.time() - float(found.get("at", 0)) > NEW_INVITATION_SECONDS:
        return None
    found["role_label"] = activity.role_label(found.get("role", ""))
    return found


def _members_page(
    request: CoalitionRequest, *, invite_form: InviteForm | None = None, status: int = 200
) -> HttpResponse:
    """The members page; an invalid invitation re-renders it with the form's errors."""
    coalition = request.coalition
    queryset = selectors.list_members(coalition=coalition)
    role = request.GET.get("role", "")
    if role in Membership.Role.values:
        queryset = queryset.filter(role=role)
    is_admin = request.membership.role == Membership.Role.BACKBONE_ADMIN
    context = {
        "page": Paginator(queryset, 50).get_page(request.GET.get("page")),
        "role_filter": role,
        "roles": Membership.Role.choices,
        "role_counts": selectors.count_members_by_role(coalition=coalition),
        "is_admin": is_admin,
        "invite_form": (invite_form or InviteForm()) if is_admin else None,
        "invitations": list(selectors.list_pending_invitations(coalition=coalition))
        if is_admin
        else [],
        "new_invitation": _pop_new_invitation(request) if is_admin else None,
    }
    return render(request, "coalitions/membership_list.html", context, status=status)


@coalition_view(*ALL_ROLES)
@require_GET
def members(request: CoalitionRequest) -> HttpResponse:
    """Members, filterable by role and paginated; admins also see invitations."""
    return _members_page(request)


@coalition_view(*ADMINS)
@require_POST
def invite(request: CoalitionRequest) -> HttpResponse:
    coalition = request.coalition
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation, token = services.invite_member(
                coalition=coalition,
                actor=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                organization=form.cleaned_data["organization"],
                accept_url_for=lambda t: request.build_absolute_uri(
                    reverse("coalitions:accept", args=[t])
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            link = request.build_absolute_uri(reverse("coalitions:accept", args=[token]))
            request.session[NEW_INVITATION_KEY] = {
                "coalition": coalition.pk,
                "at": time.time(),
                "link": link,
                "email": invitation.email,
                "role": invitation.role,
                "expires": invitation.expires_at.date().isoformat(),
                "emailed": invitation.email_sent,
            }
            return redirect(reverse("coalitions:members", args=[coalition.slug]) + "#new-link")
    return _members_page(request, invite_form=form, status=400)


@coalition_view(*ADMINS)
@require_POST
def member_role(request: CoalitionRequest, membership_id: int) -> HttpResponse:
    coalition = request.coalition
    try:
        membership = selectors.get_membership(coalition=coalition, membership_id=membership_id)
    except Membership.DoesNotExist:
        raise Http404 from None
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the listed roles."))
    else:
        try:
            services.change_role(
                membership=membership, actor=request.user, role=form.cleaned_data["role"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Role changed for %(who)s.") % {"who": membership.user})
    return redirect("coalitions:members", coalition.slug)


@coalition_view(*ADMINS)
@require_POST
def member_remove(request: CoalitionRequest, membership_id: int) -> HttpResponse:
    coalition = request.coalition
    try:
        membership = selectors.get_membership(coalition=coalition, membership_id=membership_id)
    except Membership.DoesNotExist:
        raise Http404 from None
    try:
        services.remove_member(membership=membership, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(who)s is no longer a member.") % {"who": membership.user})
    return redirect("coalitions:members", coalition.slug)


@coalition_view(*ADMINS)
@require_POST
def invitation_revoke(request: CoalitionRequest, invitation_id: int) -> HttpResponse:
    coalition = request.coalition
    try:
        invitation = selectors.get_invitation(coalition=coalition, invitation_id=invitation_id)
    except Invitation.DoesNotExist:
        raise Http404 from None
    services.revoke_invitation(invitation=invitation, actor=request.user)
    messages.success(request, _("Invitation withdrawn."))
    return redirect("coalitions:members", coalition.slug)


@coalition_view(*ADMINS)
@require_GET
def audit(request: CoalitionRequest) -> HttpResponse:
    events = selectors.list_audit_events(coalition=request.coalition)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    entries = list(zip(rows, activity.describe(rows), strict=True))
    return render(request, "coalitions/auditevent_list.html", {"page": page, "entries": entries})


@public
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """Open an invitation link: join at once if signed in, or create an account first."""
    try:
        invitation = services.find_invitation(token=token)
    except services.InvitationError as error:
        return render(
            request, "coalitions/invitation_invalid.html", {"reason": str(error)}, status=410
        )
    if request.user.is_authenticated:
        try:
            services.check_invited_address(invitation=invitation, email=request.user.email)
        except services.InvitationError as error:
            return render(
                request,
                "coalitions/invitation_accept.html",
                {"invitation": invitation, "refused": str(error)},
                status=403,
            )
        if request.method == "POST":
            membership = services.accept_invitation(token=token, user=request.user)
            messages.success(
                request, _("Welcome to %(name)s.") % {"name": membership.coalition.name}
            )
            return redirect("coalitions:home", membership.coalition.slug)
        return render(request, "coalitions/invitation_accept.html", {"invitation": invitation})
    # A new account always gets the invited address: the form has no address field.
    form = SignUpForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            try:
                membership = services.accept_invitation(token=token, user=user)
            except services.InvitationError as error:
                transaction.set_rollback(True)
                return render(
                    request,
                    "coalitions/invitation_invalid.html",
                    {"reason": str(error)},
                    status=410,
                )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to %(name)s.") % {"name": membership.coalition.name})
        return redirect("coalitions:home", membership.coalition.slug)
    return render(
        request, "coalitions/invitation_accept.html", {"invitation": invitation, "form": form}
    )


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def exports_page(request: CoalitionRequest) -> HttpResponse:
    """Export all the coalition's data (whole or de-identified), built in the background."""
    coalition = request.coalition
    if request.method == "POST":
        deidentified = request.POST.get("kind") == "deidentified"
        job = coalition_exports.request_export(
            coalition=coalition, actor=request.user, deidentified=deidentified
        )
        job_id = job.pk
        transaction.on_commit(lambda: coalition_tasks.run_export.enqueue(job_id=job_id))
        return redirect("coalitions:export_detail", coalition.slug, job.pk)
    coalition_exports.fail_stale(coalition=coalition)
    jobs = list(CoalitionExport.objects.defer("content").select_related("requested_by")[:10])
    return render(request, "coalitions/coalitionexport_list.html", {"jobs": jobs})


@coalition_view(*ADMINS)
@require_GET
def export_detail(request: CoalitionRequest, export_id: int) -> HttpResponse:
    """One export's progress; HTMX polls the ``progress`` partial until it is done."""
    job = CoalitionExport.objects.defer("content").filter(pk=export_id).first()
    if job is None:
        raise Http404
    template = "coalitions/coalitionexport_detail.html"
    if getattr(request, "htmx", False):
        template += "#progress"
    return render(request, template, {"job": job})


@coalition_view(*ADMINS)
@require_GET
def export_download(request: CoalitionRequest, export_id: int) -> HttpResponse:
    job = CoalitionExport.objects.filter(
        pk=export_id, status=CoalitionExport.Status.SUCCEEDED
    ).first()
    if job is None or not job.content:
        raise Http404
    kind = "deidentified" if job.deidentified else "archive"
    name = f"{request.coalition.slug}-{kind}-{job.created_at:%Y%m%d}.zip"
    response = HttpResponse(bytes(job.content), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
