"""The survey through pages, API and exports: a group of 4 is hidden everywhere, 5 shown."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.utils import translation
from django_scopes import scope
from openpyxl import load_workbook

from commonground.coalitions.activity import describe_one
from commonground.coalitions.models import AuditEvent
from commonground.reports.registry import Period, get_section
from commonground.voice import services
from commonground.voice.domain.instrument import ITEMS
from commonground.voice.models import AnswerSheet, SurveyWave

TODAY = datetime.date(2026, 5, 1)
TRUST = [item.id for item in ITEMS if item.scale == "trust"]


def make_wave(world: Any, residents: int, partners: int = 6, backbone: int = 5) -> SurveyWave:
    coalition = world.a
    with scope(coalition=coalition):
        wave = services.open_wave(
            coalition=coalition, actor=world.people["admin"], title="Wave 2026", opened_on=TODAY
        )
        for member_type, n, value in (
            ("community", residents, 1),
            ("partner", partners, 5),
            ("backbone", backbone, 4),
        ):
            for _ in range(n):
                services.submit_survey(
                    wave=wave,
                    sheet=services.SheetInput(
                        answers=dict.fromkeys(TRUST, value), member_type=member_type
                    ),
                )
    return wave


def community_trust_mean(residents: int) -> str:
    # tru3 is reverse-scored: 1 -> 5, so a resident's trust score is (1 + 1 + 5 + 1) / 4 = 2.
    return "2.00"


@pytest.mark.parametrize(("residents", "shown"), [(4, False), (5, True)])
def test_group_of_4_hidden_and_5_shown_in_page_api_and_exports(
    world: Any, residents: int, shown: bool
) -> None:
    wave = make_wave(world, residents)
    client = world.client_for("viewer")
    base = f"/c/valley-a/voice/survey/{wave.pk}/"
    page = client.get(base).content.decode()
    row = page.split("Trust among participants")[1].split("</tr>")[0]
    cell = row.split('data-view="community"')[1].split("</td>")[0]
    assert (community_trust_mean(residents) in cell) is shown
    assert ("suppressed" in cell) is not shown

    api = client.get(f"/api/coalitions/valley-a/voice/waves/{wave.pk}/results").json()
    trust = next(s for s in api["scales"] if s["scale"] == "trust")
    community = next(v for v in trust["views"] if v["view"] == "community")
    assert (community["mean"] == 2.0) is shown
    assert community["suppressed"] is not shown
    if not shown:
        assert community["n"] is None and trust["voice_gap"] is None

    csv = client.get(base + "export/?format=csv").content.decode("utf-8-sig")
    row = next(
        line for line in csv.splitlines() if line.startswith("trust,") and ",community," in line
    )
    assert (",2.0," in row) is shown
    workbook = load_workbook(io.BytesIO(client.get(base + "export/?format=xlsx").content))
    rows = list(workbook["scales"].iter_rows(values_only=True))
    found = next(r for r in rows if r[0] == "trust" and r[2] == "community")
    assert (found[4] == 2.0) is shown
    # the answer sheets themselves never leave: no export names an item per person
    assert "comment" not in csv
    section = get_section("voice.survey")
    assert section is not None
    data = section.build(world.a, Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)))
    trust_row = next(r for r in data["scales"] if r["scale"] == "trust")
    assert (trust_row["community"] == 2.0) is shown


def test_public_link_needs_no_sign_in_and_spanish_works(world: Any) -> None:
    wave = make_wave(world, 0, 0, 0)
    from django.test import Client

    anonymous = Client()
    page = anonymous.get(f"/voice/survey/{wave.token}/?lang=es")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Confío en que los demás miembros harán lo que dicen que harán." in text
    answer = anonymous.post(f"/voice/survey/{wave.token}/?lang=es", {"tru1": "5", "years": "2-5"})
    assert answer.status_code == 200
    bad = anonymous.post(f"/voice/survey/{wave.token}/", {"tru1": "9"})
    assert bad.status_code == 400
    with scope(coalition=world.a):
        assert AnswerSheet.objects.count() == 1
        services.close_wave(wave=wave, actor=world.people["admin"], closed_on=TODAY)
    assert anonymous.get(f"/voice/survey/{wave.token}/").status_code == 410
    assert anonymous.get("/voice/survey/not-a-token/").status_code == 410


def test_paper_entry_is_counted_apart_so_4_typed_in_are_hidden(world: Any) -> None:
    wave = make_wave(world, 6)
    admin = world.client_for("admin")
    for _ in range(4):
        response = admin.post(
            f"/c/valley-a/voice/survey/{wave.pk}/paper/",
            {**dict.fromkeys(TRUST, "3"), "member_type": "community"},
        )
        assert response.status_code == 302
    api = admin.get(f"/api/coalitions/valley-a/voice/waves/{wave.pk}/results").json()
    trust = next(s for s in api["scales"] if s["scale"] == "trust")
    views = {v["view"]: v for v in trust["views"]}
    assert views["community"]["suppressed"] and views["overall"]["suppressed"]
    with scope(coalition=world.a):
        assert AnswerSheet.objects.filter(is_paper=True).count() == 4


def test_response_rate_against_membership_and_custom_question(world: Any) -> None:
    admin = world.client_for("admin")
    admin.post(
        "/c/valley-a/voice/survey/questions/",
        {
            "scale": "trust",
            "text_en": "I feel safe <script>x</script>",
            "text_es": "Me siento segura",
        },
    )
    admin.post("/c/valley-a/voice/survey/open/", {"title": "First"})
    with scope(coalition=world.a):
        wave = SurveyWave.objects.get()
    assert wave.items[-1].startswith("c")
    page = admin.get(f"/voice/survey/{wave.token}/").content.decode()
    assert "&lt;script&gt;" in page and "<script>x" not in page
    admin.post(f"/voice/survey/{wave.token}/", {wave.items[-1]: "4"})
    result = admin.get(f"/c/valley-a/voice/survey/{wave.pk}/").content.decode()
    # 4 members (admin, partner, resident, viewer are members; viewers are not invited)
    assert "1 of 3 invited" in admin.get("/c/valley-a/voice/").content.decode()
    assert "33%" in result


def test_a_question_added_to_an_open_wave_is_audited_for_the_question_and_the_wave(
    world: Any,
) -> None:
    wave = make_wave(world, residents=0, partners=0, backbone=0)
    with scope(coalition=world.a):
        before = list(wave.items)
        question = services.add_question(
            coalition=world.a, actor=world.people["admin"], scale="trust", text_en="I am heard"
        )
        wave.refresh_from_db()
        assert wave.items == [*before, question.item_id]
        rows = AuditEvent.objects.filter(event__startswith="voice.question").order_by("pk")
        assert [(r.object_type, r.object_id) for r in rows] == [
            ("SurveyQuestion", str(question.pk)),
            ("SurveyWave", str(wave.pk)),
        ]
        assert rows[1].before == {"items": before}
        assert rows[1].after == {"items": wave.items}
        with translation.override("es"):
            assert describe_one(rows[1]) == (
                "Incluyó la nueva pregunta “I am heard” en la ronda abierta “Wave 2026”"
            )


def test_the_latest_wave_leads_and_change_between_waves_is_shown(world: Any) -> None:
    first = make_wave(world, 5)
    with scope(coalition=world.a):
        services.close_wave(wave=first, actor=world.people["admin"], closed_on=TODAY)
    second = make_wave(world, 6)
    admin = world.client_for("admin")
    index = admin.get("/c/valley-a/voice/").content.decode()
    assert index.index(f"/survey/{second.pk}/") < index.index(f"/survey/{first.pk}/")
    page = admin.get(f"/c/valley-a/voice/survey/{second.pk}/").content.decode()
    # trust scores (tru3 reversed): residents (1+1+5+1)/4 = 2, partners (5+5+1+5)/4 = 4,
    # staff (4+4+2+4)/4 = 3.5; 5 then 6 residents with 6 partners and 5 staff.
    before, after = (5 * 2 + 6 * 4 + 5 * 3.5) / 16, (6 * 2 + 6 * 4 + 5 * 3.5) / 17
    row = page.split("Change from")[1].split("Trust among participants")[1].split("</tr>")[0]
    assert f"{before:.2f}" in row and f"{after:.2f}" in row and f"{after - before:+.2f}" in row


@pytest.mark.parametrize(("answers", "shown"), [(4, False), (5, True)])
def test_open_comments_need_5_answers_in_the_wave(world: Any, answers: int, shown: bool) -> None:
    """A comment from a wave of 4 could be tied to its writer: none is shown until 5 answered."""
    coalition = world.a
    with scope(coalition=coalition):
        wave = services.open_wave(
            coalition=coalition, actor=world.people["admin"], title="Small", opened_on=TODAY
        )
        for n in range(answers):
            services.submit_survey(
                wave=wave,
                sheet=services.SheetInput(
                    answers=dict.fromkeys(TRUST, 3),
                    member_type="community",
                    comment=f"Comment number {n}",
                ),
            )
    page = world.client_for("admin").get(f"/c/valley-a/voice/survey/{wave.pk}/").content.decode()
    assert ("Comment number 0" in page) is shown
    assert ('id="h-comments"' in page) is shown
    # a viewer never reads them, whatever the count
    viewer = world.client_for("viewer").get(f"/c/valley-a/voice/survey/{wave.pk}/").content
    assert b"Comment number" not in viewer
