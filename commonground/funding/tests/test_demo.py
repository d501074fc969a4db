"""The demo's funding story: a cliff within two years, small grants to community groups in
its counties, a reporting calendar."""

from __future__ import annotations

import time
from typing import Any

from django_scopes import scope

from commonground.coalitions.models import Place
from commonground.ecosystem import demo_data as ecosystem_demo
from commonground.funding import demo_data, selectors
from commonground.funding.models import Disbursement


def test_the_demo_has_a_cliff_within_two_years_grants_and_a_calendar(world: Any) -> None:
    ecosystem_demo.seed_river_region(world.a)
    with scope(coalition=world.a):
        for code, county in (("01085", "Lowndes, Alabama"), ("01011", "Bullock, Alabama")):
            Place.objects.create(coalition=world.a, kind="county", code=code, name=county)
    # CPU time of this process: the other suite sharing the cores does not inflate it.
    started = time.process_time()
    demo_data.seed_river_region(world.a)
    assert time.process_time() - started < 3
    with scope(coalition=world.a):
        picture = selectors.stability(coalition=world.a)
        shared, rows = selectors.distribution(coalition=world.a)
        calendar = selectors.calendar(coalition=world.a)
        waiting = selectors.reports_needing_attention(coalition=world.a)
    summary = picture.summary
    assert summary.runway_months is not None and 0 < summary.runway_months <= 24
    # The two big grants end in the same month: the cliff is the month after.
    ends = {
        s.ends_on for s in picture.sources if s.kind in {"private_philanthropy", "federal_grant"}
    }
    assert len(ends) == 1
    assert summary.total > 0 and "loan" not in summary.mix
    small = [r for r in rows if r.kind == "grant" and r.amount <= 60000]
    assert len(small) >= 10
    # Five grants of $1,000 to residents' groups, by county (the two counties made here).
    assert sorted((r.place_name, r.amount) for r in rows if r.place_code) == [
        ("Bullock, Alabama", 1000),
        ("Lowndes, Alabama", 1000),
    ]
    assert all(r.kind in Disbursement.Kind.values for r in rows)
    assert shared.community_led_share is not None and shared.community_led_share > 0.5
    assert len(calendar) >= 4 and waiting  # a report is due soon
