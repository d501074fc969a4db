"""People who sign in, and their API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailUserManager(BaseUserManager["User"]):
    """Create people by e-mail address; the address doubles as the username."""

    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        email = self.normalize_email(email).strip().lower()
        if not email:
            raise ValueError("an e-mail address is required")
        user = self.model(email=email, username=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person; signs in with an e-mail address (kept in ``username`` too, lower-cased)."""

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, blank=True, default=""
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    objects: ClassVar[EmailUserManager] = EmailUserManager()  # type: ignore[assignment]

    def save(self, *args: object, **kwargs: object) -> None:
        self.email = self.email.strip().lower()
        self.username = self.email
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def __str__(self) -> str:
        return self.display_name or self.email


def default_token_expiry() -> datetime:
    """``API_TOKEN_DAYS`` (90 by default) from now."""
    return timezone.now() + timedelta(days=settings.API_TOKEN_DAYS)


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self, now: datetime | None = None) -> ApiTokenQuerySet:
        """Tokens that still authenticate: not revoked, not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ApiToken(models.Model):
    """A bearer token for the JSON API; only a SHA-256 of the secret is stored.

    It stops working at ``expires_at`` or once revoked; the row stays, so the tokens page
    can say which tokens existed and when they ended.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_on = models.DateField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), default=default_token_expiry)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects: ClassVar[Any] = models.Manager.from_queryset(ApiTokenQuerySet)()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def new_key(cls) -> str:
        return "cg_" + secrets.token_urlsafe(32)


class PasswordResetRequest(models.Model):
    """One accepted request for a password-reset e-mail, kept by client address for the
    per-address limit (``accounts.protection``); which e-mail address was asked for is
    not kept. Rows older than the limit's window are deleted as new ones come in."""

    # As ``protection.client_ip`` gives it: an IP address, or whatever the server put in
    # REMOTE_ADDR when it is not one (a unix socket), so not a GenericIPAddressField.
    ip_address = models.CharField(max_length=100)
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["ip_address", "requested_at"], name="reset_by_address")]

    def __str__(self) -> str:
        return f"{self.ip_address} {self.requested_at:%Y-%m-%d %H:%M}"
