from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.models import AccessFailureLog
from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.accounts.models import User


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean(self) -> dict[str, Any]:
        """Refuse an account under attack from many addresses, before checking the password.

        The per-address lockout (django-axes) stops one guesser; this ceiling stops many.
        """
        username = (self.cleaned_data.get("username") or "").strip().lower()
        since = timezone.now() - timedelta(hours=1)
        failures = AccessFailureLog.objects.filter(username=username, attempt_time__gte=since)
        if username and failures.count() >= settings.ACCOUNT_FAILURES_PER_HOUR:
            raise ValidationError(
                _(
                    "This account has had too many failed sign-ins in the last hour. "
                    "Try again later."
                ),
                code="account_throttled",
            )
        return super().clean()


class SignUpForm(forms.Form):
    """A new account, opened from an invitation link."""

    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    display_name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters; a phrase of several words works well."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email=email).exists():
            raise ValidationError(
                _("An account with this address exists: sign in first, then open the link again.")
            )
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            candidate = User(email=data.get("email", ""), display_name=data.get("display_name", ""))
            try:
                password_validation.validate_password(first, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return data

    def save(self) -> User:
        return User.objects.create_user(
            self.cleaned_data["email"],
            self.cleaned_data["password1"],
            display_name=self.cleaned_data["display_name"],
        )


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("What is this token for?"), max_length=80)
