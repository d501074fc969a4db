"""Shared fixtures: two coalitions with look-alike data and a person in every role.

The personas follow the permission matrix: ``admin``, ``partner``, ``resident``
(community member) and ``viewer`` sit in coalition A; ``outsider`` is the backbone
admin of coalition B and nothing in A.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from django_scopes import scope
from hypothesis import settings as hypothesis_settings

from commonground.accounts.models import User
from commonground.coalitions import services
from commonground.coalitions.models import Coalition, Invitation, Membership
from commonground.tests.browser import browser  # noqa: F401  (the browser tests' fixture)

# No per-example deadline: on a shared 2-core machine timing is not what these tests check.
hypothesis_settings.register_profile("commonground", deadline=None, print_blob=True)
hypothesis_settings.load_profile("commonground")

PASSWORD = "a-long-test-passphrase"
Role = Membership.Role


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Each test starts with an empty cache: ids are reused after a test's rollback, so a
    value cached under one test's coalition must not meet the next test's."""
    cache.clear()


@pytest.fixture(autouse=True)
def english_by_default() -> Iterator[None]:
    """Each test starts in English: a request that switched the thread to Spanish (Django's
    LocaleMiddleware leaves the language active) must not change the next test."""
    translation.activate("en")
    yield
    translation.activate("en")


@dataclass
class World:
    a: Coalition
    b: Coalition
    people: dict[str, User]
    b_membership: Membership
    b_invitation: Invitation
    a_invitation_token: str

    def client_for(self, persona: str) -> Client:
        client = Client()
        client.force_login(self.people[persona])
        return client


def make_user(email: str, name: str = "") -> User:
    return User.objects.create_user(email, PASSWORD, display_name=name or email.split("@")[0])


def add_member(coalition: Coalition, user: User, role: str) -> Membership:
    with scope(coalition=coalition):
        return Membership.objects.create(coalition=coalition, user=user, role=role)


@pytest.fixture
def world(db: None) -> World:
    admin = make_user("admin@a.example", "Ada Admin")
    outsider = make_user("admin@b.example", "Bo Outsider")
    a = services.create_coalition(
        creator=admin,
        name="Valley Health Alliance",
        slug="valley-a",
        places=services.parse_places(counties="01101"),
        focus_areas=["Maternal health"],
    )
    # Coalition B deliberately mirrors A's names, so a leak would be visible in a listing.
    b = services.create_coalition(
        creator=outsider,
        name="Valley Health Alliance",
        slug="valley-b",
        places=services.parse_places(counties="01101"),
        focus_areas=["Maternal health"],
    )
    people = {"admin": admin, "outsider": outsider}
    for persona, role in (
        ("partner", Role.PARTNER),
        ("resident", Role.COMMUNITY_MEMBER),
        ("viewer", Role.VIEWER),
    ):
        people[persona] = make_user(f"{persona}@a.example")
        add_member(a, people[persona], role)
    b_member = make_user("partner@b.example")
    b_membership = add_member(b, b_member, Role.PARTNER)
    b_invitation, _ = services.invite_member(
        coalition=b, actor=outsider, email="new@b.example", role=Role.PARTNER
    )
    _, a_token = services.invite_member(
        coalition=a, actor=admin, email="new@a.example", role=Role.PARTNER
    )
    return World(
        a=a,
        b=b,
        people=people,
        b_membership=b_membership,
        b_invitation=b_invitation,
        a_invitation_token=a_token,
    )
