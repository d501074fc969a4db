"""Services and selectors of the ecosystem map, on the real database."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from commonground.coalitions.models import AuditEvent
from commonground.ecosystem import demo_data, selectors, services
from commonground.ecosystem.models import Actor, Snapshot, SurveyResponse, Tie


def make_actor(
    world: Any, name: str, sector: str = "food", coalition: Any = None, **extra: Any
) -> Actor:
    return services.create_actor(
        coalition=coalition or world.a,
        user=world.people["admin"],
        name=name,
        sector_id=sector,
        **extra,
    )


def test_create_actor_writes_one_audit_row(world: Any) -> None:
    with scope(coalition=world.a):
        before = AuditEvent.objects.count()
    actor = make_actor(world, "Tri-County Food Bank", role_ids=["service_provision"])
    with scope(coalition=world.a):
        assert AuditEvent.objects.count() == before + 1
        event = AuditEvent.objects.first()
    assert event.object_type == "Actor" and event.object_id == str(actor.pk)


def test_create_actor_rejects_unknown_role_and_sector_and_duplicate_name(world: Any) -> None:
    make_actor(world, "Food Bank")
    with pytest.raises(ValidationError, match="sector"):
        make_actor(world, "Other", sector="not-a-sector")
    with pytest.raises(ValidationError) as error:
        make_actor(world, "Other", role_ids=["juggling"])
    assert "role_ids" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_actor(world, "food bank")
    assert "name" in error.value.message_dict
    with scope(coalition=world.a):
        assert Actor.objects.count() == 1


def test_tie_between_coalitions_is_rejected(world: Any) -> None:
    ours = make_actor(world, "Clinic", "community_health_center")
    theirs = make_actor(world, "Church", "faith_community", coalition=world.b)
    with pytest.raises(ValidationError):
        services.record_tie(coalition=world.a, user=None, from_actor=ours, to_actor=theirs)
    with scope(coalition=world.a):
        assert Tie.objects.count() == 0


def test_ratings_need_a_reporter_and_stay_within_1_to_4(world: Any) -> None:
    a, b = make_actor(world, "A"), make_actor(world, "B")
    with pytest.raises(ValidationError):
        services.record_tie(
            coalition=world.a, user=None, from_actor=a, to_actor=b, ratings={"reliability": 3}
        )
    with pytest.raises(ValidationError):
        services.record_tie(
            coalition=world.a,
            user=None,
            from_actor=a,
            to_actor=b,
            ratings={"reliability": 5},
            reported_by=a,
        )
    tie = services.record_tie(
        coalition=world.a,
        user=None,
        from_actor=a,
        to_actor=b,
        ratings={"reliability": 4},
        reported_by=a,
    )
    again = services.record_tie(
        coalition=world.a,
        user=None,
        from_actor=a,
        to_actor=b,
        ratings={"reliability": 2},
        reported_by=a,
    )
    assert again.pk == tie.pk and again.reliability == 2


def _survey(world: Any, *names: str) -> tuple[dict[str, Actor], list[tuple[Any, str]]]:
    actors = {
        name: make_actor(world, name, member=False) if False else make_actor(world, name)
        for name in names
    }
    _survey, links = services.create_survey(
        coalition=world.a, user=world.people["admin"], title="Round 1", actors=list(actors.values())
    )
    return actors, links


def test_survey_answer_writes_ties_uses_the_link_and_counts_in_the_response_rate(
    world: Any,
) -> None:
    actors, links = _survey(world, "Clinic", "Church", "School")
    _invitation, token = next((i, t) for i, t in links if i.actor.name == "Clinic")
    response = services.submit_network_survey(
        token=token,
        answers=[
            services.TieAnswer(
                partner_id=actors["Church"].pk,
                type_ids=("referrals",),
                intensity=3,
                frequency="monthly",
                ratings={"reliability": 4, "openness": 2, "involvement": 3},
            )
        ],
        contribution_ids=["staff"],
    )
    with scope(coalition=world.a):
        tie = Tie.objects.get()
        assert tie.survey_response == response and tie.reported_by == actors["Clinic"]
        assert tie.from_actor == actors["Clinic"] and tie.to_actor == actors["Church"]
        assert SurveyResponse.objects.count() == 1
        assert Actor.objects.get(pk=actors["Clinic"].pk).contribution_ids == ["staff"]
    with pytest.raises(services.SurveyLinkError):
        services.submit_network_survey(token=token, answers=[])
    facts = selectors.ecosystem_facts(coalition=world.a)
    assert facts.response_rate == pytest.approx(1 / 3)
    assert facts.actor_count == 3 and facts.tie_count == 1
    summaries = {s.name: s for s in selectors.actor_summaries(coalition=world.a)}
    assert summaries["Church"].trust_received == pytest.approx(3.0)
    assert summaries["Clinic"].trust_received is None


def test_a_bad_answer_saves_nothing_and_keeps_the_link(world: Any) -> None:
    actors, links = _survey(world, "Clinic", "Church")
    other = make_actor(world, "Elsewhere", coalition=world.b)
    token = next(t for i, t in links if i.actor.name == "Clinic")
    good = services.TieAnswer(partner_id=actors["Church"].pk, intensity=2)
    with pytest.raises(ValidationError):
        services.submit_network_survey(
            token=token, answers=[good, services.TieAnswer(partner_id=other.pk)]
        )
    with pytest.raises(ValidationError):
        services.submit_network_survey(
            token=token,
            answers=[services.TieAnswer(partner_id=actors["Church"].pk, ratings={"openness": 9})],
        )
    with scope(coalition=world.a):
        assert Tie.objects.count() == 0 and SurveyResponse.objects.count() == 0
    services.submit_network_survey(token=token, answers=[good])


def test_closed_survey_link_no_longer_works(world: Any) -> None:
    _actors, links = _survey(world, "Clinic", "Church")
    services.close_survey(survey=links[0][0].survey, user=world.people["admin"])
    with pytest.raises(services.SurveyLinkError):
        services.find_survey_link(token=links[0][1])


def test_actor_summaries_measure_the_strongest_tie_to_the_core(world: Any) -> None:
    hub = make_actor(world, "Hub", is_coalition_member=True, role_ids=["convening"])
    near = make_actor(world, "Near", "housing")
    far = make_actor(world, "Far", "media")
    services.record_tie(coalition=world.a, user=None, from_actor=near, to_actor=hub, intensity=2)
    services.record_tie(coalition=world.a, user=None, from_actor=hub, to_actor=near, intensity=4)
    services.record_tie(coalition=world.a, user=None, from_actor=far, to_actor=near, intensity=4)
    summaries = {s.name: s for s in selectors.actor_summaries(coalition=world.a)}
    assert summaries["Near"].tie_intensity_to_core == 3
    assert summaries["Far"].tie_intensity_to_core == 0
    assert summaries["Hub"].is_member and summaries["Hub"].role_ids == frozenset({"convening"})
    facts = selectors.ecosystem_facts(coalition=world.a)
    assert "media" in facts.missing_sector_ids  # present but not tied to the core
    assert "tribal_nation" in facts.missing_sector_ids
    assert "housing" not in facts.missing_sector_ids
    assert facts.response_rate is None


def test_filtered_analysis_recomputes_on_the_subnetwork(world: Any) -> None:
    a, b, c = (
        make_actor(world, "A", "food"),
        make_actor(world, "B", "food"),
        make_actor(world, "C", "housing"),
    )
    services.record_tie(
        coalition=world.a, user=None, from_actor=a, to_actor=b, type_ids=["referrals"]
    )
    services.record_tie(
        coalition=world.a, user=None, from_actor=a, to_actor=c, type_ids=["funding"]
    )
    with scope(coalition=world.a):
        whole = selectors.analyze_coalition(coalition=world.a)
        food = selectors.analyze_coalition(
            coalition=world.a, filters=selectors.Filters(sectors=frozenset({"food"}))
        )
        funding = selectors.analyze_coalition(
            coalition=world.a, filters=selectors.Filters(tie_types=frozenset({"funding"}))
        )
    assert (
        whole.report.tie_count == 2 and food.report.tie_count == 1 and food.report.actor_count == 2
    )
    assert funding.report.tie_count == 1
    assert food.report.density == pytest.approx(0.5)


def test_snapshot_freezes_the_network_and_compares(world: Any) -> None:
    a, b, c = make_actor(world, "A"), make_actor(world, "B"), make_actor(world, "C", "housing")
    services.record_tie(coalition=world.a, user=None, from_actor=a, to_actor=b)
    first = services.take_snapshot(coalition=world.a, user=None, name="Before")
    services.record_tie(coalition=world.a, user=None, from_actor=b, to_actor=c)
    second = services.take_snapshot(coalition=world.a, user=None, name="After")
    c_id = c.pk
    services.delete_actor(actor=c, user=None)
    with scope(coalition=world.a):
        first, second = Snapshot.objects.get(pk=first.pk), Snapshot.objects.get(pk=second.pk)
        assert second.tie_count == 2  # frozen: deleting C later changes nothing
        change = selectors.compare(before=first, after=second)
    assert change.ties_gained == ((str(b.pk), str(c_id)),)
    assert change.ties_lost == ()
    assert change.cross_sector_share.after == pytest.approx(0.5)


def test_demo_ecosystem_is_rich_partly_answered_and_missing_sectors(world: Any) -> None:
    with scope(coalition=world.a):
        demo_data.seed_river_region(world.a)
    facts = selectors.ecosystem_facts(coalition=world.a)
    assert 55 <= facts.actor_count <= 65
    assert len(facts.sector_ids_present) >= 15
    assert facts.tie_count >= 150
    assert facts.response_rate is not None and 0.5 < facts.response_rate < 0.8
    assert {"tribal_nation", "transportation", "payer_health_plan"} <= set(facts.missing_sector_ids)
    assert facts.snapshot_count == 2
    with scope(coalition=world.a):
        analysis = selectors.analyze_coalition(coalition=world.a)
    assert analysis.report.response is not None and analysis.report.response.warnings
    assert analysis.report.trust is not None
