from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from commonground.accounts import protection, services
from commonground.accounts.forms import ApiTokenForm, PasswordResetRequestForm, SignInForm
from commonground.accounts.models import ApiToken
from commonground.coalitions.access import public, signed_in


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        if getattr(form, "retry_after", None):
            # Not a lock: the page says how long to wait, and so does the header.
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response


sign_in = public(SignInView.as_view())
sign_out = public(auth_views.LogoutView.as_view())


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link by e-mail: the same "sent" page whether or not an account has
    the address (Django's behaviour), and a few requests an hour per network address."""

    template_name = "accounts/password_reset_form.html"
    form_class = PasswordResetRequestForm
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            protection.check_password_reset(self.request)
        except protection.SignInWait as wait:
            form.add_error(None, str(wait))
            response = self.form_invalid(form)
            response.status_code = 429
            response["Retry-After"] = str(wait.seconds)
            return response
        services.note_password_reset_request(
            ip_address=protection.client_ip(self.request),
            window_seconds=protection.RESET_WINDOW_SECONDS,
        )
        self.extra_email_context = {"valid_minutes": settings.PASSWORD_RESET_TIMEOUT // 60}
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password from the e-mailed link; that also lifts the account's sign-in
    lockouts and its hourly ceiling (``services.clear_sign_in_failures``)."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.clear_sign_in_failures(user=form.user)
        return response


password_reset = public(PasswordResetView.as_view())
password_reset_done = public(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = public(PasswordResetConfirmView.as_view())
password_reset_complete = public(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"
    )
)


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """Shown instead of the sign-in form while an address and username are locked (axes)."""
    return render(request, "accounts/locked_out.html", status=429)


@signed_in
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """API tokens: create one (its secret is shown once), see when each expires, revoke."""
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.create_api_token(
            user=request.user, name=form.cleaned_data["name"]
        )
        form = ApiTokenForm()
    return render(
        request,
        "accounts/token_list.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": ApiToken.objects.filter(user=request.user),  # type: ignore[misc]
            "token_days": settings.API_TOKEN_DAYS,
        },
    )


@signed_in
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.revoke_api_token(token=token)
    messages.success(request, _("Token revoked: it no longer works."))
    return redirect("accounts:tokens")
