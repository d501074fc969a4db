"""Roadmap steps of chapters 2-4, computed from what has been done.

The steps are the framework's own (``framework.CHAPTERS``), keyed by their framework
ids; whether each is done comes from ``domain.roadmap.chapter_progress`` over the
coalition's facts. ``coalitions.roadmap.build_roadmap`` gathers them with the other
apps' steps for the home page, the action-plan page and the API alike.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from commonground import framework
from commonground.assessments import selectors
from commonground.assessments.domain.roadmap import chapter_progress
from commonground.assessments.domain.roles import uncovered_role_ids
from commonground.coalitions.models import Coalition
from commonground.coalitions.roadmap import Step, register

# Where each step is worked on, by the step's name after "_step_".
STEP_PAGES = {
    "current_roles": "assessments:domains",
    "future_roles": "assessments:roles",
    "gaps": "assessments:roles",
    "functions": "assessments:domains",
    "role_matrix": "assessments:roles",
    "tradeoffs": "assessments:index",
    "partners": "assessments:roles",
    "revisit": "assessments:index",
    "stage": "assessments:index",
    "pillar_challenges": "assessments:index",
    "tactics": "assessments:tactics",
    "metrics_governance": "assessments:tactics",
}


@register
def assessment_steps(coalition: Coalition) -> Iterator[Step]:
    facts = selectors.coalition_facts(coalition=coalition)
    ecosystem = selectors.ecosystem_facts(coalition=coalition)
    language = get_language() or "en"
    # Chapter 1 is told by the coalition profile, the ecosystem map and measurement.
    for progress, chapter in zip(chapter_progress(facts), framework.CHAPTERS[1:], strict=True):
        done = set(progress.done_steps)
        for step in chapter.steps:
            name = step.id.split("_step_", 1)[1]
            detail = ""
            if name in {"future_roles", "role_matrix"}:
                decided = len(facts.decided_role_ids)
                detail = _("%(n)d of %(total)d roles decided") % {
                    "n": decided,
                    "total": len(facts.role_ids),
                }
            elif name == "gaps":
                roles = len(uncovered_role_ids(selectors.facts_and_gaps(coalition=coalition)[1]))
                detail = ngettext(
                    "%(n)d role needs an external partner",
                    "%(n)d roles need an external partner",
                    roles,
                ) % {"n": roles}
            elif name == "partners" and ecosystem is not None:
                missing = len(ecosystem.missing_sector_ids)
                detail = ngettext(
                    "the ecosystem map shows %(n)d sector missing from the table",
                    "the ecosystem map shows %(n)d sectors missing from the table",
                    missing,
                ) % {"n": missing}
            elif name in {"tactics", "metrics_governance"}:
                detail = _("%(n)d of %(total)d tactics in place") % {
                    "n": len(facts.tactic_ids_in_place),
                    "total": len(facts.tactic_ids),
                }
            yield Step(
                chapter=chapter.order,
                label=step.text.get(language),
                is_done=step.id in done,
                url=reverse(STEP_PAGES.get(name, "assessments:roadmap"), args=[coalition.slug]),
                detail=detail,
                key=step.id,
            )
