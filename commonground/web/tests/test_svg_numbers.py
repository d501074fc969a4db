"""Charts drawn on the server keep SVG numbers valid in every language: a Spanish page
writes 3,5 for people but 3.5 in coordinates."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from commonground.accounts.models import User
from commonground.demo.seed import seed_demo

COMMA_COORDINATE = re.compile(r'\s(?:c?x|c?y|x1|x2|y1|y2|r|width|height)="-?\d+,\d+"')


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/c/river-region/measurement/health/",
        "/c/river-region/ecosystem/power-map/",
        "/c/river-region/ecosystem/",
        "/c/river-region/ecosystem/missing/",
    ],
)
def test_spanish_pages_draw_charts_with_dot_decimals(path: str) -> None:
    seed_demo()
    client = Client()
    client.force_login(User.objects.get(email="alicia@riverregion.example"))
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "<svg" in html
    bad = COMMA_COORDINATE.findall(html)
    assert bad == [], bad[:5]


def test_the_pattern_catches_a_localized_coordinate() -> None:
    assert COMMA_COORDINATE.search('<circle cx="56,0" cy="3.5">')
    assert not COMMA_COORDINATE.search('<circle cx="56.0" cy="3.5">')
