"""One roadmap, ranked proposals a few at a time, overdue items and "my tasks" (issue 8).

The coalition home and the "Roadmap and action plan" page render the same function
(``coalitions.roadmap.build_roadmap``), so they show the same chapters, steps and
progress; the API returns it too. Accepted action items past their due date and not
done are flagged "Overdue" on the action plan, in a notice on the owner's home and in
the owner's "My tasks".
"""

from __future__ import annotations

import datetime
import re
from html import unescape
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django_scopes import scope

from commonground import framework
from commonground.assessments import selectors, services
from commonground.assessments.domain.roadmap import PROPOSALS_SHOWN
from commonground.assessments.models import ActionItem, DismissedProposal
from commonground.coalitions import services as coalition_services
from commonground.coalitions.models import AuditEvent, Membership
from commonground.coalitions.roadmap import build_roadmap
from commonground.conftest import add_member, make_user

Role = Membership.Role
PLAN = "/c/valley-a/roadmap/"
HOME = "/c/valley-a/"
TASKS = "/c/valley-a/tasks/"


class ChapterCards(HTMLParser):
    """Each roadmap chapter card of a page: (done, total) of its progress bar and its
    steps as (done?, visible text)."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[dict[str, Any]] = []
        self._depth = 0  # element depth inside the current card; 0 = outside
        self._step: list[str] | None = None
        self._step_done = False
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        if self._depth == 0:
            if {"card", "chapter"} <= set(classes):
                self.cards.append({"progress": None, "steps": []})
                self._depth = 1
            return
        self._depth += 1
        if tag == "progress":
            self.cards[-1]["progress"] = (int(found["value"] or 0), int(found["max"] or 0))
        if tag == "li":
            self._step, self._step_done = [], "done" in classes
        if self._hidden or "visually-hidden" in classes:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if self._depth == 0:
            return
        if self._hidden:
            self._hidden -= 1
        if tag == "li" and self._step is not None:
            text = " ".join("".join(self._step).split())
            self.cards[-1]["steps"].append((self._step_done, text))
            self._step = None
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._step is not None and not self._hidden:
            self._step.append(data)


def chapter_cards(html: str) -> list[dict[str, Any]]:
    parser = ChapterCards()
    parser.feed(html)
    return parser.cards


def seat(world: Any, persona: str) -> Membership:
    with scope(coalition=world.a):
        return Membership.objects.get(coalition=world.a, user=world.people[persona])


def add_action(
    world: Any, title: str, *, owner: str | None, due: int | None, status: str = "open"
) -> ActionItem:
    """An accepted action owned by ``owner`` and due ``due`` days from today (negative:
    in the past)."""
    today = selectors.today()
    with scope(coalition=world.a):
        item = services.accept_action(
            coalition=world.a,
            actor=world.people["admin"],
            title=title,
            owner=seat(world, owner) if owner else None,
            due_on=None if due is None else today + datetime.timedelta(days=due),
        )
        if status != "open":
            item = services.change_action_status(
                item=item, actor=world.people["admin"], status=status
            )
    return item


def set_profile(world: Any, **fields: Any) -> None:
    with scope(coalition=world.a):
        coalition_services.update_profile(
            coalition=world.a,
            actor=world.people["admin"],
            places=coalition_services.parse_places(counties="01101"),
            **fields,
        )
        world.a.refresh_from_db()


def role_gaps_for_every_role(world: Any, areas: int = 2) -> None:
    """Focus areas where every role is needed and none covered: one proposal per role."""
    names = [f"Area {n}" for n in range(areas)]
    set_profile(world, focus_areas=names)
    with scope(coalition=world.a):
        services.save_role_matrix(
            coalition=world.a,
            actor=world.people["admin"],
            decisions=[
                services.RoleDecision(area, role.id, True, False, True)
                for area in names
                for role in framework.ROLES
            ],
        )


# -- one roadmap ------------------------------------------------------------------------------


def assert_home_and_plan_agree(client: Client, slug: str) -> list[dict[str, Any]]:
    home = chapter_cards(client.get(f"/c/{slug}/").content.decode())
    plan = chapter_cards(client.get(f"/c/{slug}/roadmap/").content.decode())
    assert len(home) == len(plan) == 4
    assert home == plan
    return home


def test_home_and_action_plan_show_the_same_chapters_steps_and_progress(world: Any) -> None:
    role_gaps_for_every_role(world)
    cards = assert_home_and_plan_agree(world.client_for("admin"), "valley-a")
    with scope(coalition=world.a):
        roadmap = build_roadmap(world.a)
    for card, chapter in zip(cards, roadmap.chapters, strict=True):
        assert card["progress"] == (chapter.done, chapter.total)
        assert len(card["steps"]) == chapter.total
    # The role matrix is decided for every role: chapter 2's role steps are done on both.
    chapter_two = cards[1]["steps"]
    assert any(done and "Pick the roles" in text for done, text in chapter_two)
    plan = world.client_for("admin").get(PLAN).content.decode()
    percent = roadmap.chapters[1].percent
    assert f"{roadmap.chapters[1].done} of {roadmap.chapters[1].total} steps done ({percent}%)" in (
        unescape(plan)
    )


def test_chapter_one_can_finish_on_the_action_plan_page(world: Any) -> None:
    """Issue 8: the page's own selector never passed the indicator or listening-session
    counts, so chapter 1 could never finish there. Now its steps are the home's: each
    one the coalition does shows done on both pages."""
    with scope(coalition=world.a):
        steps = build_roadmap(world.a).chapters[0].steps
    keys = [step.key for step in steps]
    assert "measurement.health_status" in keys and "ecosystem.map" in keys
    assert "coalitions.vision" in keys
    vision = next(step for step in steps if step.key == "coalitions.vision")
    assert not vision.is_done
    set_profile(world, mission="Everyone in the valley with a fair chance at good health.")
    with scope(coalition=world.a):
        steps = build_roadmap(world.a).chapters[0].steps
    assert next(step for step in steps if step.key == "coalitions.vision").is_done
    assert_home_and_plan_agree(world.client_for("resident"), "valley-a")


def test_every_step_has_a_stable_unique_key(world: Any) -> None:
    with scope(coalition=world.a):
        roadmap = build_roadmap(world.a)
    keys = [step.key for chapter in roadmap.chapters for step in chapter.steps]
    assert len(keys) == len(set(keys))
    assert all(re.fullmatch(r"[a-z_]+\.[a-z_]+|[a-z_]+_step_[a-z_]+", key) for key in keys), keys
    assert "sustain_collaboration_capacity_step_stage" in keys


# -- proposals, ranked and a few at a time ------------------------------------------------------


def proposal_keys(html: str) -> list[str]:
    return re.findall(r'class="card proposal priority-\d" data-source="([^"]+)"', html)


def test_proposals_are_shown_five_at_a_time_with_show_more(world: Any) -> None:
    role_gaps_for_every_role(world)
    with scope(coalition=world.a):
        ranked = selectors.open_proposals(coalition=world.a).proposals
    assert len(ranked) == 8  # one per role
    assert [p.rank for p in ranked] == list(range(1, 9))
    client = world.client_for("admin")
    first = client.get(PLAN).content.decode()
    assert proposal_keys(first) == [p.source_key for p in ranked[:PROPOSALS_SHOWN]]
    assert "Showing 5 of 8 proposals." in first
    assert "Show 3 more (3 left)" in first and "?shown=10" in first
    more = client.get(PLAN + "?shown=10").content.decode()
    assert proposal_keys(more) == [p.source_key for p in ranked]
    assert "Showing 8 of 8 proposals." in more and "more (" not in more
    # Nonsense asks for the first five.
    assert proposal_keys(client.get(PLAN + "?shown=abc").content.decode()) == proposal_keys(first)


def test_ranking_puts_the_role_needed_in_most_focus_areas_first(world: Any) -> None:
    set_profile(world, focus_areas=["Asthma", "Housing"])
    with scope(coalition=world.a):
        # Funding is needed in both areas, advocating in one.
        decisions = [
            services.RoleDecision(area, role.id, needed, False, needed)
            for area in ("Asthma", "Housing")
            for role in framework.ROLES
            for needed in [role.id == "funding" or (role.id == "advocating" and area == "Housing")]
        ]
        services.save_role_matrix(
            coalition=world.a, actor=world.people["admin"], decisions=decisions
        )
        ranked = selectors.open_proposals(coalition=world.a).proposals
    assert [p.source_key for p in ranked] == ["role:funding", "role:advocating"]


def test_accepting_or_setting_aside_brings_the_next_proposal(world: Any) -> None:
    role_gaps_for_every_role(world)
    with scope(coalition=world.a):
        ranked = [p.source_key for p in selectors.open_proposals(coalition=world.a).proposals]
    client = world.client_for("admin")
    shown = proposal_keys(client.get(PLAN).content.decode())
    assert shown == ranked[:5]
    response = client.post(
        "/c/valley-a/roadmap/proposals/dismiss/",
        {"source_key": ranked[0], "title": "Find a partner", "shown": "5"},
    )
    assert response.status_code == 302 and response["Location"].endswith("#proposed-title")
    after = proposal_keys(client.get(PLAN).content.decode())
    assert after == ranked[1:6]
    response = client.post(
        "/c/valley-a/roadmap/actions/",
        {"title": "Find a funder", "source_key": ranked[1], "due_on": "2027-01-31"},
    )
    assert response.status_code == 302
    page = client.get(PLAN).content.decode()
    assert proposal_keys(page) == ranked[2:7]
    assert "Proposals set aside" in page and "Find a partner" in page
    with scope(coalition=world.a):
        dismissed = DismissedProposal.objects.get(source_key=ranked[0])
        assert dismissed.dismissed_by == seat(world, "admin")
        event = AuditEvent.objects.get(event="assessments.proposal_set_aside")
        assert event.params == {"title": "Find a partner"}
    # Bringing it back puts it at the top again.
    client.post("/c/valley-a/roadmap/proposals/restore/", {"source_key": ranked[0]})
    assert proposal_keys(client.get(PLAN).content.decode())[0] == ranked[0]
    with scope(coalition=world.a):
        assert not DismissedProposal.objects.exists()
        assert AuditEvent.objects.filter(event="assessments.proposal_restored").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"source_key": "role:nobody", "title": "X"}, "no longer proposed"),
        ({"source_key": "", "title": "X"}, "Choose a proposal to set aside."),
        ({"source_key": "role:funding", "title": "  "}, "has no title"),
    ],
)
def test_setting_aside_a_stale_or_empty_proposal_is_refused_and_saves_nothing(
    world: Any, data: dict[str, str], message: str
) -> None:
    role_gaps_for_every_role(world)
    client = world.client_for("admin")
    page = client.post("/c/valley-a/roadmap/proposals/dismiss/", data, follow=True)
    assert message in unescape(page.content.decode())
    with scope(coalition=world.a):
        assert not DismissedProposal.objects.exists()
        assert not AuditEvent.objects.filter(event="assessments.proposal_set_aside").exists()


def test_setting_aside_twice_is_refused(world: Any) -> None:
    role_gaps_for_every_role(world)
    with scope(coalition=world.a):
        key = selectors.open_proposals(coalition=world.a).proposals[0].source_key
        services.dismiss_proposal(
            coalition=world.a, membership=seat(world, "admin"), source_key=key, title="X"
        )
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError, match="already set aside"):
            services.dismiss_proposal(
                coalition=world.a, membership=seat(world, "admin"), source_key=key, title="X"
            )
        assert DismissedProposal.objects.count() == 1


def test_only_admins_see_accept_and_set_aside(world: Any) -> None:
    role_gaps_for_every_role(world)
    partner = world.client_for("partner").get(PLAN).content.decode()
    assert proposal_keys(partner) and "proposals/dismiss/" not in partner
    admin = world.client_for("admin").get(PLAN).content.decode()
    assert admin.count("proposals/dismiss/") == PROPOSALS_SHOWN


# -- overdue ----------------------------------------------------------------------------------


def test_an_item_due_in_the_past_shows_overdue_on_the_plan_home_and_my_tasks(world: Any) -> None:
    late = add_action(world, "Report back to residents", owner="partner", due=-1)
    add_action(world, "Due today", owner="partner", due=0)
    add_action(world, "Done long ago", owner="partner", due=-200, status="done")
    add_action(world, "Late and started", owner="resident", due=-30, status="in_progress")
    add_action(world, "Next month", owner="admin", due=30)

    # The action plan: the late items say "Overdue", not "Open".
    for persona in ("viewer", "admin"):
        html = world.client_for(persona).get(PLAN).content.decode()
        rows = re.findall(r"<tr( class=\"overdue-row\")?><td>([^<]+)</td>(.*?)</tr>", html, re.S)
        by_title = {title: (bool(flag), rest) for flag, title, rest in rows}
        assert by_title["Report back to residents"][0]
        assert "Overdue" in by_title["Report back to residents"][1]
        assert by_title["Late and started"][0]
        for title in ("Due today", "Done long ago", "Next month"):
            assert not by_title[title][0] and "Overdue" not in by_title[title][1], title
        assert "2 actions are past their due date and not done." in html
    viewer = world.client_for("viewer").get(PLAN).content.decode()
    late_row = re.search(r"<td>Report back to residents</td>(.*?)</tr>", viewer, re.S)
    assert late_row and ">Open<" not in late_row.group(1) and "Open" not in late_row.group(1)
    started_row = re.search(r"<td>Late and started</td>(.*?)</tr>", viewer, re.S)
    assert (
        started_row and "Overdue" in started_row.group(1) and "In progress" in started_row.group(1)
    )

    # The owner's home: a notice linking to My tasks.
    home = world.client_for("partner").get(HOME).content.decode()
    assert "1 of your tasks is overdue." in home and 'href="/c/valley-a/tasks/"' in home
    resident_home = world.client_for("resident").get(HOME).content.decode()
    assert "1 of your tasks is overdue." in resident_home
    admin_home = world.client_for("admin").get(HOME).content.decode()
    assert "of your tasks" not in admin_home  # the admin's own item is not late
    assert "2 actions in the action plan are overdue." in admin_home
    viewer_home = world.client_for("viewer").get(HOME).content.decode()
    assert "overdue" not in viewer_home

    # My tasks: the partner's three items, the late one first, flagged.
    tasks = world.client_for("partner").get(TASKS).content.decode()
    titles = re.findall(r'<p class="task-title">([^<]+)</p>', tasks)
    assert titles == ["Report back to residents", "Due today", "Done long ago"]
    first = tasks.split('<p class="task-title">')[1]
    assert "Overdue" in first.split("</li>")[0]
    assert "Overdue" not in "".join(tasks.split('<p class="task-title">')[2:])
    assert "1 of your tasks is past its due date." in tasks
    resident_tasks = world.client_for("resident").get(TASKS).content.decode()
    assert re.findall(r'<p class="task-title">([^<]+)</p>', resident_tasks) == ["Late and started"]
    viewer_tasks = world.client_for("viewer").get(TASKS).content.decode()
    assert "Viewers do not own actions" in viewer_tasks

    # Done, it is no longer overdue anywhere.
    with scope(coalition=world.a):
        services.change_action_status(item=late, actor=world.people["admin"], status="done")
    assert "overdue" not in world.client_for("partner").get(HOME).content.decode()
    assert "Overdue" not in world.client_for("partner").get(TASKS).content.decode()


def test_my_tasks_is_in_the_navigation_of_every_member(world: Any) -> None:
    for persona in ("admin", "partner", "resident", "viewer"):
        html = world.client_for(persona).get(HOME).content.decode()
        assert 'href="/c/valley-a/tasks/"' in html, persona


def test_my_tasks_shows_only_my_own_items_of_this_coalition(world: Any) -> None:
    add_action(world, "Mine", owner="partner", due=-3)
    add_action(world, "Someone else's", owner="resident", due=-3)
    other = make_user("partner2@a.example")
    add_member(world.a, other, Role.PARTNER)
    html = world.client_for("partner").get(TASKS).content.decode()
    assert "Mine" in html and "Someone else" not in html


# -- API --------------------------------------------------------------------------------------


def test_api_roadmap_is_the_pages_roadmap(world: Any) -> None:
    role_gaps_for_every_role(world)
    client = world.client_for("resident")
    data = client.get("/api/coalitions/valley-a/roadmap").json()
    cards = chapter_cards(client.get(PLAN).content.decode())
    assert [c["key"] for c in data["chapters"]] == [
        "understand_health_equity",
        "define_your_role",
        "focus_collaborative_efforts",
        "sustain_collaboration_capacity",
    ]
    for chapter, card in zip(data["chapters"], cards, strict=True):
        assert card["progress"] == (chapter["done"], chapter["total"])
        assert [step["is_done"] for step in chapter["steps"]] == [d for d, _ in card["steps"]]
        assert chapter["percent"] == (
            round(100 * chapter["done"] / chapter["total"]) if chapter["total"] else 0
        )
        not_done = [step["key"] for step in chapter["steps"] if not step["is_done"]]
        assert chapter["next_step_key"] == (not_done[0] if not_done else None)
    assert set(data["chapters"][0]["steps"][0]) == {"key", "label", "is_done", "url", "detail"}
    assert data["stage"] is None  # no stage assessment closed yet


def test_api_action_plan_gives_ranked_proposals_and_overdue_flags(world: Any) -> None:
    role_gaps_for_every_role(world)
    late = add_action(world, "Late", owner="partner", due=-10)
    add_action(world, "Later", owner=None, due=10)
    data = world.client_for("viewer").get("/api/coalitions/valley-a/action-plan").json()
    assert data["today"] == selectors.today().isoformat()
    assert data["proposals_shown"] == PROPOSALS_SHOWN
    assert [p["rank"] for p in data["proposals"]] == list(range(1, 9))
    first = data["proposals"][0]
    assert set(first) == {
        "rank",
        "key",
        "source_key",
        "title",
        "priority",
        "owner_member_type",
        "params",
    }
    assert first["key"] == "actions.fill_role" and first["priority"] == "medium"
    assert first["title"].startswith("Find a partner for ")
    items = {item["title"]: item for item in data["items"]}
    assert items["Late"]["is_overdue"] is True and items["Later"]["is_overdue"] is False
    assert items["Late"]["id"] == late.pk and items["Late"]["owner_name"] == "partner"
    assert data["overdue_count"] == 1 and data["dismissed"] == []


def test_api_my_tasks_are_the_callers_own(world: Any) -> None:
    add_action(world, "Partner's late task", owner="partner", due=-1)
    add_action(world, "Resident's task", owner="resident", due=5)
    mine = world.client_for("partner").get("/api/coalitions/valley-a/tasks/mine").json()
    assert [(t["title"], t["is_overdue"]) for t in mine] == [("Partner's late task", True)]
    theirs = world.client_for("resident").get("/api/coalitions/valley-a/tasks/mine").json()
    assert [(t["title"], t["is_overdue"]) for t in theirs] == [("Resident's task", False)]
    assert world.client_for("viewer").get("/api/coalitions/valley-a/tasks/mine").json() == []


def test_openapi_documents_the_new_endpoints(world: Any) -> None:
    schema = world.client_for("viewer").get("/api/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/coalitions/{coalition_slug}/roadmap",
        "/api/coalitions/{coalition_slug}/action-plan",
        "/api/coalitions/{coalition_slug}/tasks/mine",
    ):
        assert "get" in paths[path], path
    components = schema["components"]["schemas"]
    assert "is_overdue" in components["PlanItemOut"]["properties"]
    assert "readiness" in components["StageSummaryOut"]["properties"]


# -- the stage assessment's page ------------------------------------------------------------------


def test_stage_results_place_by_characteristics_and_show_readiness(world: Any) -> None:
    """A coalition that plainly is forming but has no shared agenda yet reads "Forming"
    with the shared agenda among its next steps, on the results page and in the plan."""
    forming = [
        "forming_char_identifying_partners",
        "forming_char_integrating_perspectives",
        "forming_char_emerging_backbone",
        "forming_char_building_trust",
        "forming_infra_ecosystem_map",
        "forming_infra_roadmap",
        "emerging_infra_open_dialogue",
        "emerging_infra_community_needs",
        "emerging_infra_narrative_of_hope",
        "scaling_infra_success_stories",
    ]
    seats = []
    for n in range(5):
        user = make_user(f"member{n}@a.example")
        seats.append(add_member(world.a, user, Role.PARTNER))
    with scope(coalition=world.a):
        assessment = services.open_round(
            coalition=world.a, actor=None, kind="stage", round_number=2026
        )
        for member in seats:
            services.submit_response(
                assessment=assessment, membership=member, answers={"marked": forming}
            )
        services.close_round(assessment=assessment, actor=None)
    client = world.client_for("viewer")
    page = unescape(
        client.get(f"/c/valley-a/assessments/{assessment.pk}/results/").content.decode()
    )
    assert "Forming</p>" in page
    assert "Most members recognize the coalition in 4 of this stage's 5 characteristics." in page
    assert "Readiness to move on to Scaling: 20% of its infrastructure is in place." in page
    next_steps = page.split('id="next-title"')[1].split("</section>")[0]
    assert "To succeed at the Forming stage, put in place:" in next_steps
    assert "A shared agenda" in next_steps and "A roadmap" not in next_steps
    with scope(coalition=world.a):
        proposals = selectors.open_proposals(coalition=world.a).proposals
    assert proposals[0].source_key == "infrastructure:forming_infra_shared_agenda"
    plan = unescape(client.get(PLAN).content.decode())
    assert "Put in place: A shared agenda (needed for the Forming stage)" in plan
    assert "Readiness to move on to Scaling: 20% of its infrastructure is in place." in plan
    csv = client.get(f"/c/valley-a/assessments/{assessment.pk}/results.csv").content.decode(
        "utf-8-sig"
    )
    assert csv.splitlines()[0] == (
        "view,respondents,stage,stage_recognized,next_stage,readiness,next_steps"
    )
    assert csv.splitlines()[1].startswith(
        "overall,5,forming,yes,scaling,0.2,forming_infra_shared_agenda "
    )
