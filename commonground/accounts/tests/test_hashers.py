"""Passwords are stored with Argon2id at OWASP's minimum; older PBKDF2 hashes upgrade."""

from __future__ import annotations

from typing import Any

import argon2
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password

from commonground import settings as production
from commonground.accounts.models import User

PASSWORD = "correct horse battery staple"


@pytest.fixture
def production_hashers(settings: Any) -> None:
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS


def test_new_passwords_are_argon2id_with_owasp_settings(production_hashers: None) -> None:
    stored = make_password(PASSWORD)
    algorithm, encoded = stored.split("$", 1)  # Django drops the PHC string's leading "$"
    assert algorithm == "argon2"
    assert encoded.startswith("argon2id$v=19$m=19456,t=2,p=1$")
    encoded = "$" + encoded
    # The reference library reads it back on its own.
    assert argon2.PasswordHasher().verify(encoded, PASSWORD)
    with pytest.raises(argon2.exceptions.VerifyMismatchError):
        argon2.PasswordHasher().verify(encoded, PASSWORD + "!")


@pytest.mark.django_db
def test_a_pbkdf2_password_still_signs_in_and_is_stored_again(production_hashers: None) -> None:
    user = User.objects.create_user("old@example.org", "x" * 12)
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "somesalt1234", iterations=1000)
    user.save(update_fields=["password"])
    assert user.check_password(PASSWORD)
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert user.check_password(PASSWORD) and not user.check_password("wrong password!")
