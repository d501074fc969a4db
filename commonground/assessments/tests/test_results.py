"""Results on real database rows: groups of 4 are suppressed everywhere, groups of 5 shown."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.test import Client
from django_scopes import scope

from commonground.accounts.models import User
from commonground.assessments import selectors, services
from commonground.assessments.models import Assessment
from commonground.coalitions.models import Membership

Role = Membership.Role


def add_people(world: Any, role: str, count: int, prefix: str) -> list[Membership]:
    seats = []
    with scope(coalition=world.a):
        for n in range(count):
            user = User.objects.create_user(f"{prefix}{n}@a.example", "a-long-test-passphrase")
            seats.append(Membership.objects.create(coalition=world.a, user=user, role=role))
    return seats


def pillar_round(world: Any, residents: int, partners: int, *, close: bool = True) -> Assessment:
    """Residents rate trust 4 (it holds us back); partners rate it 2; then the round closes."""
    community = add_people(world, Role.COMMUNITY_MEMBER, residents, "resident")
    institutions = add_people(world, Role.PARTNER, partners, "partner")
    with scope(coalition=world.a):
        assessment = services.open_round(
            coalition=world.a, actor=None, kind="pillars", round_number=2026
        )
        for seat in community:
            services.submit_response(
                assessment=assessment,
                membership=seat,
                answers={"ratings": {"trust": 4}, "notes": {"trust": f"reason {seat.pk}"}},
            )
        for seat in institutions:
            services.submit_response(
                assessment=assessment, membership=seat, answers={"ratings": {"trust": 2}}
            )
        if close:
            services.close_round(assessment=assessment, actor=None)
    return assessment


def trust(assessment: Any, world: Any) -> Any:
    with scope(coalition=world.a):
        results = selectors.rated_results(assessment)
    return next(row for row in results.rows if row.item_id == "trust"), results


def test_five_residents_and_five_partners_show_the_voice_gap(world: Any) -> None:
    row, results = trust(pillar_round(world, 5, 5), world)
    assert row.result.view("community").respondent_count == 5
    assert row.result.view("community").distribution.mean == 4.0
    assert row.result.voice_gap.gap == 2.0 and row.result.voice_gap.is_flagged
    assert results.flagged_count == 1
    assert len(row.notes) == 5


def test_four_residents_are_suppressed_and_cannot_be_derived(world: Any) -> None:
    row, results = trust(pillar_round(world, 4, 6), world)
    community = row.result.view("community")
    assert community.is_suppressed and community.distribution is None
    # Overall (10) and partner (6) would give 10 - 6 = 4 residents by subtraction,
    # so one of them is hidden as well.
    shown = {stat.view for stat in row.result.views if not stat.is_suppressed}
    # Institutions (6) and partners (6) would too; backbone has nobody (n = 0).
    assert shown == {"overall", "backbone"}
    assert row.result.voice_gap.gap is None and not row.result.voice_gap.is_flagged
    assert row.notes == [] and row.notes_hidden
    counts = {count.view: count for count in results.counts}
    assert counts["community"].is_suppressed and counts["community"].count is None


def test_results_page_and_csv_say_suppressed_never_blank(world: Any) -> None:
    assessment = pillar_round(world, 4, 6)
    client: Client = world.client_for("resident")
    page = client.get(f"/c/valley-a/assessments/{assessment.pk}/results/").content.decode()
    assert "suppressed (fewer than 5)" in page
    assert "reason " not in page  # four residents' reasons stay hidden
    export = client.get(f"/c/valley-a/assessments/{assessment.pk}/results.csv")
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    community = next(r for r in rows if r[:2] == ["trust", "community"])
    assert community[2:6] == ["suppressed (fewer than 5)"] * 4
    assert all(cell != "" for cell in community[2:6])


def test_api_results_hide_small_groups(world: Any) -> None:
    assessment = pillar_round(world, 4, 6)
    data = (
        world.client_for("viewer")
        .get(f"/api/coalitions/valley-a/assessments/{assessment.pk}/results")
        .json()
    )
    item = next(i for i in data["items"] if i["item_id"] == "trust")
    community = next(v for v in item["views"] if v["view"] == "community")
    assert community == {
        "view": "community",
        "suppressed": True,
        "suppressed_reason": "suppressed (fewer than 5)",
        "respondents": None,
        "mean": None,
        "median": None,
        "std_dev": None,
        "stage_id": None,
        "stage_recognized": None,
        "readiness": None,
        "next_steps": None,
        "next_steps_stage_id": None,
    }


def test_round_comparison_shows_the_change(world: Any) -> None:
    first = pillar_round(world, 5, 5)
    with scope(coalition=world.a):
        second = services.open_round(
            coalition=world.a, actor=None, kind="pillars", round_number=2027
        )
        for seat in Membership.objects.filter(role__in=[Role.COMMUNITY_MEMBER, Role.PARTNER]):
            services.submit_response(
                assessment=second, membership=seat, answers={"ratings": {"trust": 3}}
            )
    row, results = trust(second, world)
    assert results.previous == first
    # 2026 overall: (5 * 4 + 5 * 2) / 10 = 3.0; 2027: 12 people all rate 3 -> 3.0.
    assert row.change is not None and row.change.change == 0.0


FORMING = [
    "forming_char_identifying_partners",
    "forming_char_building_trust",
    "forming_char_community_voices",
    "forming_infra_shared_agenda",
    "forming_infra_common_metrics",
    "forming_infra_data_needs",
    "forming_infra_roadmap",
    "forming_infra_ecosystem_map",
]


def stage_round(world: Any, residents: int) -> Any:
    """Everyone recognizes 3 of forming's 5 characteristics; partners mark 5 of its 7
    infrastructure items and governance; residents mark the 5 but not governance."""
    community = add_people(world, Role.COMMUNITY_MEMBER, residents, "resident")
    institutions = add_people(world, Role.PARTNER, 5, "partner")
    with scope(coalition=world.a):
        assessment = services.open_round(
            coalition=world.a, actor=None, kind="stage", round_number=2026
        )
        for seat in community:
            services.submit_response(
                assessment=assessment, membership=seat, answers={"marked": FORMING}
            )
        for seat in institutions:
            services.submit_response(
                assessment=assessment,
                membership=seat,
                answers={"marked": [*FORMING, "forming_infra_governance"]},
            )
        return selectors.stage_results(assessment)


def test_stage_voice_gap_on_governance_with_five_residents(world: Any) -> None:
    results = stage_round(world, 5)
    # 3 of forming's 5 characteristics recognized by everyone: forming, for every view.
    assert results.overall.result.stage_id == "forming"
    assert results.community_stage == results.institutional_stage == "forming"
    governance = results.gaps["forming_infra_governance"]
    assert governance.gap == -1.0 and governance.is_flagged
    assert results.view_shares["community"]["forming_infra_governance"] == 0.0
    # Governance is marked by 5 of 10 (in place overall, at half); nobody marks the
    # accountability mechanisms: forming's next step. Residents miss governance too.
    overall = results.overall.result
    assert overall.next_steps == ("forming_infra_accountability",)
    community = next(view for view in results.views if view.view == "community").result
    assert community.next_steps == ("forming_infra_governance", "forming_infra_accountability")


def test_stage_of_four_residents_is_suppressed(world: Any) -> None:
    results = stage_round(world, 4)
    assert results.community_stage is None and results.gaps == {}
    assert "community" not in results.view_shares
    assert results.overall.result.stage_id == "forming"


def test_open_round_shows_only_counts_until_it_closes(world: Any) -> None:
    assessment = pillar_round(world, 5, 5, close=False)
    client: Client = world.client_for("admin")
    page = client.get(f"/c/valley-a/assessments/{assessment.pk}/results/").content.decode()
    assert "Results are shown when the round closes" in page and "heatmap" not in page
    # The export of an open round is refused in plain words, never an HTML page with 200.
    export = client.get(f"/c/valley-a/assessments/{assessment.pk}/results.csv", follow=True)
    assert export.status_code == 409
    assert export["Content-Type"].startswith("text/plain")
    assert "still open" in export.content.decode() and "<html" not in export.content.decode()
    data = client.get(f"/api/coalitions/valley-a/assessments/{assessment.pk}/results").json()
    assert data["is_final"] is False and data["items"] == []
    with scope(coalition=world.a):
        services.close_round(assessment=assessment, actor=None)
    page = client.get(f"/c/valley-a/assessments/{assessment.pk}/results/").content.decode()
    assert "heatmap" in page and "Voice gap:" in page
    export = client.get(f"/c/valley-a/assessments/{assessment.pk}/results.csv")
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    assert export.content.startswith(b"\xef\xbb\xbf")  # BOM for Excel


def test_csv_goes_through_the_safe_writer_and_keeps_negative_numbers(world: Any) -> None:
    """BOM for Excel; a negative voice gap is a number (the formula guard, which marks text
    starting with "-", must not turn it into text)."""
    community = add_people(world, Role.COMMUNITY_MEMBER, 5, "resident")
    institutions = add_people(world, Role.PARTNER, 5, "partner")
    with scope(coalition=world.a):
        assessment = services.open_round(
            coalition=world.a, actor=None, kind="pillars", round_number=2026
        )
        for seat, rating in [(s, 1) for s in community] + [(s, 5) for s in institutions]:
            services.submit_response(
                assessment=assessment, membership=seat, answers={"ratings": {"trust": rating}}
            )
        services.close_round(assessment=assessment, actor=None)
    export = world.client_for("viewer").get(f"/c/valley-a/assessments/{assessment.pk}/results.csv")
    assert export.status_code == 200
    assert export["Content-Disposition"].startswith("attachment;")
    assert export["X-Content-Type-Options"] == "nosniff"
    assert export.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    overall = next(r for r in rows if r[:2] == ["trust", "overall"])
    assert overall[2:] == ["10", "3.0", "3.0", "2.0", "-4.0", "yes"]
