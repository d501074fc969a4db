from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from commonground.accounts import protection
from commonground.accounts.models import User


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    retry_after: int | None = None
    # The account is at its hourly ceiling of failures: the page offers a password reset.
    account_closed = False

    def clean_username(self) -> str:
        return protection.normalize_username(self.cleaned_data.get("username"))

    def clean(self) -> dict[str, Any]:
        """Refuse an attempt that must wait (``accounts.protection``), before the password
        is checked: too many attempts from this address, or an account that has failed
        100 times in the last hour. The lockout of one (account, address) after 5
        failures is django-axes's, inside ``authenticate``.

        The checks and the password check run one at a time per account, so attempts at
        the same moment cannot together carry it past the ceiling; a wrong password is
        raised after that transaction commits, so its failure stays recorded.
        """
        if self.request is None:
            return super().clean()
        username = self.cleaned_data.get("username", "")
        with protection.one_attempt_at_a_time(username):
            try:
                protection.check_sign_in(self.request, username)
            except protection.SignInWait as wait:
                self.retry_after = wait.seconds
                self.account_closed = isinstance(wait, protection.AccountClosed)
                refused = ValidationError(str(wait), code="throttled")
            else:
                try:
                    return super().clean()
                except ValidationError as error:
                    refused = error
        raise refused


class PasswordResetRequestForm(PasswordResetForm):
    """Django's reset request, with the sign-in page's label for the address. Whether an
    account has that address is never shown: the same page follows either way."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class SignUpForm(forms.Form):
    """A new account, opened from an invitation link, for the address the link was sent to.

    The address is not a field: it comes from the invitation (``email=``), so the link
    cannot open an account for any other address.
    """

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

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email.strip().lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if User.objects.filter(email=self.email).exists():
            raise ValidationError(
                _(
                    "An account with the address %(email)s exists: sign in first, then open "
                    "the link again."
                )
                % {"email": self.email}
            )
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            candidate = User(email=self.email, display_name=data.get("display_name", ""))
            try:
                password_validation.validate_password(first, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return data

    def save(self) -> User:
        return User.objects.create_user(
            self.email,
            self.cleaned_data["password1"],
            display_name=self.cleaned_data["display_name"],
        )


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("What is this token for?"), max_length=80)
