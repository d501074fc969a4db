"""Targets between places, and one sign convention for gaps (issue 8).

The IHI guide's own example, West Side United's: life expectancy 85 in the Loop and 69 in
West Garfield Park, the 16-year gap to be halved by 2030. Hand-worked: gap 16 years, goal
8 years by 2030, and from 2018 the gap must shrink by (16 − 8) / (2030 − 2018) = 0.67
years a year. Before: a target could only compare two groups in one place.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from commonground.coalitions.models import Place
from commonground.measurement import selectors, services
from commonground.measurement.models import ImportJob, Indicator, Target
from commonground.measurement.tests.test_wizard import visible

CHICAGO = b"place,period,group,value\nThe Loop,2018,total,85\nWest Garfield Park,2018,total,69\n"


@pytest.fixture
def life(world: Any) -> Indicator:
    with scope(coalition=world.a):
        for name in ("The Loop", "West Garfield Park"):
            Place.objects.create(
                coalition=world.a, kind=Place.Kind.NEIGHBORHOOD, code=name, name=name
            )
    job = services.create_import_job(
        coalition=world.a, actor=world.people["admin"], file_name="chicago.csv", content=CHICAGO,
        layout="tidy", indicator_code="life_expectancy", place_type="neighborhood",
    )  # fmt: skip
    assert services.run_import_job(job_id=job.pk).status == ImportJob.Status.SUCCEEDED
    with scope(coalition=world.a):
        # The coalition says what its own indicator is (the tidy file does not).
        Indicator.objects.filter(code="life_expectancy").update(
            name="Life expectancy in Chicago", unit="years", direction="higher"
        )
        return Indicator.objects.get(code="life_expectancy")


def test_the_west_side_united_target_is_set_computed_and_shown(world: Any, life: Indicator) -> None:
    client = world.client_for("admin")
    form = client.get(f"/c/{world.a.slug}/measurement/health/targets/new/")
    assert "Shrink the gap between two places" in form.content.decode()
    response = client.post(
        f"/c/{world.a.slug}/measurement/health/targets/new/",
        {
            "title": "Halve the West Side's life-expectancy gap by 2030",
            "indicator": life.pk,
            "place_code": "West Garfield Park",
            "kind": "place_gap",
            "reference_place": "The Loop",
            "group": "total",
            "reduction_percent": 50,
            "target_year": 2030,
        },
    )
    assert response.status_code == 302, visible(response)[-1500:]
    with scope(coalition=world.a):
        target = Target.objects.get()
        assert (target.kind, target.place_code, target.reference_place) == (
            "place_gap",
            "West Garfield Park",
            "The Loop",
        )
        view = selectors.assess(target)
    assert view.latest_text == "16.0 years"
    assert view.goal_text == "8.0 years"
    assert view.required_text == "−0.7 years"
    assert view.pace_text == "the gap must shrink by 0.7 years a year"
    assert view.standing_text == "West Garfield Park: 16.0 years lower than The Loop"
    assert view.on_track is None and not view.met

    page = visible(client.get(f"/c/{world.a.slug}/measurement/health/"))
    card = page[page.index("Halve the West Side's life-expectancy gap by 2030") :]
    assert "West Garfield Park against The Loop" in card
    assert "Gap now 16.0 years 2018 West Garfield Park: 16.0 years lower than The Loop" in card
    assert "West Garfield Park: 16.0 years lower than The Loop" in card
    assert "Target by 2030 8.0 years" in card
    assert "the gap must shrink by 0.7 years a year" in card
    assert "one period so far: no trend yet" in card
    assert "always a positive number" in page  # the convention, stated

    api = client.get(f"/api/coalitions/{world.a.slug}/measurement/targets").json()
    assert api == [
        {
            "id": target.pk,
            "title": "Halve the West Side's life-expectancy gap by 2030",
            "indicator": "life_expectancy",
            "place": "West Garfield Park",
            "kind": "place_gap",
            "group": "total",
            "reference_group": "",
            "reference_place": "The Loop",
            "target_year": 2030,
            "baseline": "16.0 years",
            "latest": "16.0 years",
            "target": "8.0 years",
            "required_yearly_change": "−0.7 years",
            "on_track": None,
            "met": False,
        }
    ]


def test_a_second_period_makes_the_trend(world: Any, life: Indicator) -> None:
    later = (
        b"place,period,group,value\nThe Loop,2022,total,85.5\nWest Garfield Park,2022,total,72\n"
    )
    job = services.create_import_job(
        coalition=world.a, actor=None, file_name="chicago-2022.csv", content=later,
        layout="tidy", indicator_code="life_expectancy", place_type="neighborhood",
    )  # fmt: skip
    assert services.run_import_job(job_id=job.pk).status == ImportJob.Status.SUCCEEDED
    target = services.create_target(
        coalition=world.a, actor=None, title="Halve it", indicator=life,
        place_code="West Garfield Park", kind="place_gap", reference_place="The Loop",
        target_year=2030,
    )  # fmt: skip
    with scope(coalition=world.a):
        view = selectors.assess(target)
    # Gaps 16 (2018) and 13.5 (2022): −0.625 a year, 13.5 − 8 × 0.625 = 8.5 in 2030 > 8.
    assert view.latest_text == "13.5 years" and view.goal_text == "8.0 years"
    assert view.on_track is False


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reference_place": ""}, "reference_place"),
        ({"reference_place": "West Garfield Park"}, "reference_place"),
        ({"kind": "gap", "reference_group": ""}, "reference_group"),
        ({"kind": "sideways"}, "kind"),
    ],
)
def test_a_target_between_places_names_its_problem(
    world: Any, life: Indicator, changes: dict[str, str], field: str
) -> None:
    arguments: dict[str, Any] = {
        "coalition": world.a,
        "actor": None,
        "title": "x",
        "indicator": life,
        "place_code": "West Garfield Park",
        "kind": "place_gap",
        "reference_place": "The Loop",
        "target_year": 2030,
        **changes,
    }
    with pytest.raises(ValidationError) as error:
        services.create_target(**arguments)
    assert field in error.value.message_dict
    with scope(coalition=world.a):
        assert not Target.objects.exists()


def test_group_gaps_read_the_same_way_on_every_card(world: Any) -> None:
    content = b"place,period,group,value\n01101,2020-2022,white,75.5\n01101,2020-2022,black,70.8\n"
    job = services.create_import_job(
        coalition=world.a, actor=None, file_name="le.csv", content=content, layout="tidy",
        indicator_code="v147", place_type="county",
    )  # fmt: skip
    services.run_import_job(job_id=job.pk)
    with scope(coalition=world.a):
        Indicator.objects.filter(code="v147").update(unit="years", direction="higher")
        life = Indicator.objects.get(code="v147")
    services.create_target(
        coalition=world.a, actor=None, title="Halve the gap", indicator=life,
        place_code="01101", kind="gap", group="black", reference_group="white", target_year=2030,
    )  # fmt: skip
    page = visible(world.client_for("viewer").get(f"/c/{world.a.slug}/measurement/health/"))
    # The target card and the county card say the same gap the same way, positive.
    assert "Black residents: 4.7 years lower than White residents" in page
    assert "Black residents: 70.8 years, 4.7 years lower." in page
    assert "−4.7" not in page
