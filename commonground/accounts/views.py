from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from commonground.accounts.forms import ApiTokenForm, SignInForm
from commonground.accounts.models import ApiToken
from commonground.coalitions.access import public, signed_in

sign_in = public(
    auth_views.LoginView.as_view(
        template_name="accounts/sign_in.html",
        authentication_form=SignInForm,
        redirect_authenticated_user=True,
    )
)
sign_out = public(auth_views.LogoutView.as_view())


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """Shown instead of the sign-in form while an address and username are locked (axes)."""
    return render(request, "accounts/locked_out.html", status=429)


@signed_in
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """API tokens: create one (its secret is shown once) and list or revoke them."""
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        new_key = ApiToken.new_key()
        ApiToken.objects.create(
            user=request.user,  # type: ignore[misc]
            name=form.cleaned_data["name"],
            prefix=new_key[3:9],
            key_hash=ApiToken.hash_key(new_key),
        )
        form = ApiTokenForm()
    return render(
        request,
        "accounts/token_list.html",
        {"form": form, "new_key": new_key, "tokens": request.user.api_tokens.all()},  # type: ignore[union-attr]
    )


@signed_in
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    token.delete()
    messages.success(request, _("Token revoked."))
    return redirect("accounts:tokens")
