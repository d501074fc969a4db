"""Services: rejections with clear messages and no change, stale edits, audit rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from commonground.coalitions.models import AuditEvent
from commonground.ecosystem.models import Actor
from commonground.lib.versioning import StaleEditError
from commonground.systems import selectors, services
from commonground.systems.models import Asset, CausalLink, Commitment, Factor
from commonground.systems.tests.conftest import Map


def _counts(coalition: Any) -> tuple[int, int, int]:
    with scope(coalition=coalition):
        return (
            Factor.objects.count(),
            CausalLink.objects.count(),
            AuditEvent.objects.filter(coalition=coalition).count(),
        )


def test_the_map_has_the_hand_worked_loops(world: Any, housing_map: Map) -> None:
    with scope(coalition=world.a):
        smap = selectors.system_map(coalition=world.a)
    assert [(v.code, v.loop.factors, v.loop.delays) for v in smap.loops] == [
        ("B1", ("CHW outreach", "Chronic illness"), 1),
        ("R1", ("Chronic illness", "Medical debt", "Housing instability", "Stress"), 1),
    ]
    by_name = {f.name: smap.counts.get(f.pk, 0) for f in smap.factors}
    assert by_name == {
        "CHW outreach": 1,
        "Chronic illness": 2,
        "Early death": 0,
        "Housing instability": 1,
        "Low wages": 0,
        "Medical debt": 1,
        "Stress": 1,
    }
    # Low wages → housing → stress → illness → early death, and the loops' other factors
    # (each between the one root cause and the one outcome): most loops first, then by name.
    assert [(f.name, item.loops) for f, item in smap.leverage] == [
        ("Chronic illness", 2),
        ("CHW outreach", 1),
        ("Housing instability", 1),
        ("Medical debt", 1),
        ("Stress", 1),
    ]


def test_a_link_to_another_coalitions_factor_is_refused_and_nothing_changes(
    world: Any, housing_map: Map
) -> None:
    with scope(coalition=world.b):
        foreign = services.create_factor(coalition=world.b, actor=None, name="Stress")
    before = _counts(world.a)
    with scope(coalition=world.a), pytest.raises(ValidationError) as caught:
        services.create_link(
            coalition=world.a,
            actor=world.people["admin"],
            source=housing_map.factors["Stress"],
            target=foreign,
            polarity="+",
        )
    assert caught.value.message_dict == {
        "target": ["The “to” factor belongs to another coalition."]
    }
    assert _counts(world.a) == before


def test_a_polarity_other_than_plus_or_minus_is_refused(world: Any, housing_map: Map) -> None:
    before = _counts(world.a)
    with scope(coalition=world.a), pytest.raises(ValidationError) as caught:
        services.create_link(
            coalition=world.a,
            actor=None,
            source=housing_map.factors["Early death"],
            target=housing_map.factors["Stress"],
            polarity="x",
        )
    assert caught.value.message_dict == {
        "polarity": ["The polarity must be + (same direction) or - (opposite direction), not 'x'."]
    }
    link = housing_map.links[("Stress", "Chronic illness")]
    with scope(coalition=world.a), pytest.raises(ValidationError):
        services.update_link(link=link, actor=None, expected_version=link.version, polarity="++")
    with scope(coalition=world.a):
        link.refresh_from_db()
    assert link.polarity == "+" and link.version == 1
    assert _counts(world.a) == before


def test_a_duplicate_link_and_a_duplicate_name_are_refused(world: Any, housing_map: Map) -> None:
    with scope(coalition=world.a):
        with pytest.raises(ValidationError, match="already has a link from Stress to Chronic"):
            services.create_link(
                coalition=world.a,
                actor=None,
                source=housing_map.factors["Stress"],
                target=housing_map.factors["Chronic illness"],
                polarity="-",
            )
        with pytest.raises(ValidationError, match="already has a factor named stress"):
            services.create_factor(coalition=world.a, actor=None, name="stress")


def test_a_stale_edit_raises_and_the_first_writer_wins(world: Any, housing_map: Map) -> None:
    factor = housing_map.factors["Stress"]
    with scope(coalition=world.a):
        first = Factor.objects.get(pk=factor.pk)
        second = Factor.objects.get(pk=factor.pk)
        services.update_factor(factor=first, actor=None, expected_version=1, description="Worry")
        audits = AuditEvent.objects.filter(coalition=world.a).count()
        with pytest.raises(StaleEditError):
            services.update_factor(
                factor=second, actor=None, expected_version=1, description="Lost"
            )
        fresh = Factor.objects.get(pk=factor.pk)
        assert (fresh.description, fresh.version) == ("Worry", 2)
        assert AuditEvent.objects.filter(coalition=world.a).count() == audits


def test_each_change_writes_one_audit_row_with_its_event(world: Any, housing_map: Map) -> None:
    with scopes_disabled():
        events = list(
            AuditEvent.objects.filter(coalition=world.a, event__startswith="systems.").values_list(
                "event", flat=True
            )
        )
    assert events.count("systems.factor_added") == 7
    assert events.count("systems.link_added") == 8


def test_assets_need_a_county_of_the_coalition_and_both_coordinates(world: Any) -> None:
    with scope(coalition=world.a):
        with pytest.raises(ValidationError, match="coalition's counties"):
            services.create_asset(
                coalition=world.a, actor=None, name="Park", category="park", county_code="06037"
            )
        with pytest.raises(ValidationError, match="both the latitude and the longitude"):
            services.create_asset(
                coalition=world.a,
                actor=None,
                name="Park",
                category="park",
                county_code="01101",
                latitude=32.3,
            )
        with pytest.raises(ValidationError, match="'zoo' is not a category"):
            services.create_asset(
                coalition=world.a, actor=None, name="Zoo", category="zoo", county_code="01101"
            )
        assert Asset.objects.count() == 0


def test_assets_from_ecosystem_actors_are_categorised_and_not_repeated(world: Any) -> None:
    with scope(coalition=world.a):
        for name, sector in (
            ("Fresh Cuts Barbershop", "business_chamber"),
            ("Mt. Zion Church", "faith_community"),
            ("Eastside Clinic", "community_health_center"),
            ("City Hall", "local_government"),
        ):
            Actor.objects.create(coalition=world.a, name=name, sector_id=sector)
        created = services.add_assets_from_actors(
            coalition=world.a, actor=None, county_code="01101"
        )
        assert sorted((a.name, a.category) for a in created) == [
            ("Eastside Clinic", "clinic"),
            ("Fresh Cuts Barbershop", "barbershop_salon"),
            ("Mt. Zion Church", "faith"),
        ]
        # One audit row per asset added.
        rows = AuditEvent.objects.filter(event="systems.asset_added")
        assert sorted(int(pk) for pk in rows.values_list("object_id", flat=True)) == sorted(
            a.pk for a in created
        )
        assert (
            services.add_assets_from_actors(coalition=world.a, actor=None, county_code="01101")
            == []
        )


def test_commitment_progress_against_target(world: Any, housing_map: Map) -> None:
    with scope(coalition=world.a):
        commitment = services.create_commitment(
            coalition=world.a,
            actor=None,
            institution=housing_map.hospital,
            kind="local_hiring",
            measure="Share of new hires from the county",
            unit="%",
            baseline=38,
            target_value=50,
            target_period="2027",
        )
        services.record_progress(commitment=commitment, actor=None, period="2024", value=41)
        services.record_progress(commitment=commitment, actor=None, period="2025", value=44)
        services.record_progress(
            commitment=commitment, actor=None, period="2025", value=47
        )  # corrected
        [view] = selectors.commitment_views(coalition=world.a)
    # (41 − 38) / 12 = 0.25; (47 − 38) / 12 = 0.75.
    assert [(p.period, p.value, round(p.share or 0, 4)) for p in view.periods] == [
        ("2024", 41.0, 0.25),
        ("2025", 47.0, 0.75),
    ]
    assert view.percent == 75


def test_a_commitment_of_another_coalitions_institution_is_refused(world: Any) -> None:
    with scope(coalition=world.b):
        foreign = Actor.objects.create(
            coalition=world.b, name="B Hospital", sector_id="hospital_health_system"
        )
    with scope(coalition=world.a):
        with pytest.raises(
            ValidationError, match="anchor institution belongs to another coalition"
        ):
            services.create_commitment(
                coalition=world.a,
                actor=None,
                institution=foreign,
                kind="local_hiring",
                measure="Hires",
                target_value=10,
                target_period="2027",
            )
        assert Commitment.objects.count() == 0
