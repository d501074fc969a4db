"""Imports are all or nothing with row-and-column messages; exports round-trip."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope
from openpyxl import load_workbook

from commonground.ecosystem import exchange
from commonground.ecosystem.models import Actor, Tie

ACTORS = """Label,Type,Sector,Roles,Community-led,Populations served
Centro Latino,Organization,Community-based organization,Community organizing | Advocating,yes,latinx
Iglesia Nueva Vida,informal_place,faith_community,,yes,
Capital City Medical Center,Organization,Hospital or health system,Service provision,no,
"""

TIES = """From,To,Type,Intensity,Reported by,reliability
Centro Latino,Iglesia Nueva Vida,Referrals | Joint programs,Coordination,Centro Latino,4
Iglesia Nueva Vida,Capital City Medical Center,information_sharing,2,,
"""


def _import(world: Any, what: str, text: str, name: str = "file.csv") -> int:
    return exchange.import_file(
        coalition=world.a, user=world.people["admin"], what=what, name=name, data=text.encode()
    )


def test_import_actors_and_ties_then_again_without_duplicates(world: Any) -> None:
    assert _import(world, "actors", ACTORS) == 3
    assert _import(world, "ties", TIES) == 2
    assert _import(world, "actors", ACTORS) == 3
    assert _import(world, "ties", TIES) == 2
    with scope(coalition=world.a):
        assert Actor.objects.count() == 3 and Tie.objects.count() == 2
        centro = Actor.objects.get(name="Centro Latino")
        assert centro.role_ids == ["community_organizing", "advocating"]
        assert centro.population_ids == ["latinx"] and centro.is_community_led
        tie = Tie.objects.get(from_actor=centro)
        assert tie.intensity == 3 and tie.reliability == 4 and tie.reported_by == centro
        assert tie.type_ids == ["referrals", "joint_programs"]


def test_bad_last_row_saves_nothing_and_names_row_and_column(world: Any) -> None:
    bad = ACTORS + "Mystery Org,Organization,Space agency,,maybe,\n"
    with pytest.raises(ValidationError) as error:
        _import(world, "actors", bad)
    messages = error.value.messages
    assert any("Row 5" in m and "Sector" in m for m in messages)
    assert any("Row 5" in m and "Community-led" in m for m in messages)
    with scope(coalition=world.a):
        assert Actor.objects.count() == 0


def test_tie_naming_an_unknown_actor_saves_nothing(world: Any) -> None:
    _import(world, "actors", ACTORS)
    with pytest.raises(ValidationError) as error:
        _import(world, "ties", TIES + "Centro Latino,Nobody Here,referrals,1,,\n")
    assert any("Row 4" in m and "“To”" in m for m in error.value.messages)
    with scope(coalition=world.a):
        assert Tie.objects.count() == 0


def test_missing_columns_and_wrong_file_type_are_refused(world: Any) -> None:
    with pytest.raises(ValidationError, match="Label"):
        _import(world, "actors", "Organisation,Sector\nX,food\n")
    with pytest.raises(ValidationError, match="Excel"):
        _import(world, "actors", "not a zip", name="actors.xlsx")
    with pytest.raises(ValidationError, match=r"\.csv or \.xlsx"):
        _import(world, "actors", ACTORS, name="actors.exe")


def test_kumu_workbook_export_imports_back_into_an_empty_coalition(world: Any) -> None:
    _import(world, "actors", ACTORS)
    _import(world, "ties", TIES)
    response = world.client_for("admin").get(f"/c/{world.a.slug}/ecosystem/export/data/xlsx/")
    workbook = response.content
    book = load_workbook(io.BytesIO(workbook))
    assert book.sheetnames == ["Elements", "Connections"]
    assert book["Elements"]["A1"].value == "Label" and book["Connections"]["A1"].value == "From"
    for what in ("actors", "ties"):
        exchange.import_file(
            coalition=world.b, user=None, what=what, name="kumu.xlsx", data=workbook
        )
    with scope(coalition=world.b):
        assert Actor.objects.count() == 3 and Tie.objects.count() == 2
    again = (
        world.client_for("outsider").get(f"/c/{world.b.slug}/ecosystem/export/data/xlsx/").content
    )
    rows = lambda data, sheet: [  # noqa: E731
        tuple(r) for r in load_workbook(io.BytesIO(data))[sheet].iter_rows(values_only=True)
    ]
    assert rows(again, "Elements") == rows(workbook, "Elements")
    assert sorted(rows(again, "Connections")) == sorted(rows(workbook, "Connections"))


def test_hsds_export_has_stable_organization_records(world: Any) -> None:
    _import(world, "actors", ACTORS)
    client = world.client_for("admin")
    first = client.get(f"/c/{world.a.slug}/ecosystem/export/data/hsds-json/").json()
    second = client.get(f"/c/{world.a.slug}/ecosystem/export/data/hsds-json/").json()
    assert first == second and len(first) == 3
    assert {"id", "name", "description", "email"} <= set(first[0])


def test_formula_cells_are_neutralized_in_csv_exports(world: Any) -> None:
    _import(world, "actors", 'Label,Sector\n"=HYPERLINK(1)",food\n')
    text = (
        world.client_for("admin")
        .get(f"/c/{world.a.slug}/ecosystem/export/data/actors-csv/")
        .content
    )
    assert b"'=HYPERLINK(1)" in text
