"""The demo's shared measurement: whole real files, filtered to Alabama, and its framework."""

from __future__ import annotations

import csv
from typing import Any

import pytest
from django_scopes import scope

from commonground.coalitions.roadmap import steps_by_chapter
from commonground.lib.paths import shared_data_dir
from commonground.measurement import selectors
from commonground.measurement.demo_data import seed_river_region
from commonground.measurement.models import Observation, PriorityArea, Target


def test_demo_carries_the_real_gaps_a_target_and_a_framework(world: Any) -> None:
    with scope(coalition=world.a):
        seed_river_region(world.a)
        counties = selectors.served_counties(coalition=world.a)  # Montgomery, 01101
        gaps = {
            g.indicator.code: g for g in selectors.key_gaps(coalition=world.a, counties=counties)
        }
        montgomery = gaps["v147"].places[0]
        rows = {r.group: r for r in montgomery.rows}
        with (shared_data_dir() / "chrr" / "v147_other_r2024_wide.csv").open(newline="") as f:
            source = next(
                r for r in csv.DictReader(f) if r["statecode"] + r["countycode"] == "01101"
            )
        assert montgomery.reference_group == "white"
        assert rows["black"].difference == pytest.approx(
            float(source["v147_race_black"]) - float(source["v147_race_white"])
        )
        # Asian and Hispanic estimates rest on few deaths (intervals over 10 years wide) and the
        # two-or-more-races estimate is above 110 years: none may become the reference.
        assert not rows["asian"].reliable and not rows["tom"].reliable
        assert {o.place_code[:2] for o in Observation.objects.all()} == {"00", "01"}
        assert (
            Observation.objects.filter(indicator__code="v147", place_type="county")
            .values("place_code")
            .distinct()
            .count()
            >= 60
        )
        (target,) = [
            v for v in selectors.list_targets(coalition=world.a) if v.target.place_code == "01101"
        ]
        assert target.latest_text == f"{abs(rows['black'].difference or 0):.1f} years"
        assert Target.objects.count() == 2
        assert list(PriorityArea.objects.values_list("name", flat=True)) == [
            "Health and health care",
            "Neighborhood and physical environment",
            "Economic vitality",
            "Education",
        ]
    with scope(coalition=world.a):
        steps = steps_by_chapter(world.a)
    labels = {s.label: s.is_done for chapter in steps.values() for s in chapter}
    assert labels["See the gaps between groups"] is True
    assert labels["Create shared measurement: results and performance measures"] is True
