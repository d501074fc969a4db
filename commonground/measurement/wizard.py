"""What the import wizard's check step shows: a ``services.Preview`` in people's words.

Indicators by their names, places by their names (never a list of FIPS codes), periods
as the file's data years, groups by their labels, how many values are added, replaced
or already stored, and every problem with its row and column, in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from commonground import geo
from commonground.measurement import messages, selectors, services
from commonground.measurement.domain import catalog, detect, periods
from commonground.measurement.domain.fips import place_level

SHOWN_PLACES = 24


@dataclass(frozen=True)
class IndicatorLine:
    code: str
    name: str
    is_new: bool
    periods: list[str]
    groups: list[str]
    created: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class ProblemLine:
    row: int | None
    column: str | None
    text: str


@dataclass
class PreviewView:
    """The check step's content (see the module docstring)."""

    file_name: str
    layout: str
    layout_label: str
    detected: str
    detected_label: str
    confidence: str
    confidence_text: str
    clues: list[str]
    period: str
    period_note: str
    ready: bool
    problems: list[ProblemLine] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)
    indicators: list[IndicatorLine] = field(default_factory=list)
    period_notes: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    place_count: int = 0
    county_count: int = 0
    state_count: int = 0
    has_nation: bool = False
    other_count: int = 0
    place_names: list[str] = field(default_factory=list)
    more_places: int = 0
    served_found: list[str] = field(default_factory=list)
    served_missing: list[str] = field(default_factory=list)
    unknown_places: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    all_periods: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _name(code: str, from_file: dict[str, str]) -> str:
    level = place_level(code)
    if level in {"nation", "state"} or (level == "county" and _known_county(code)):
        return selectors.place_name(code)
    return from_file.get(code) or code


def _known_county(code: str) -> bool:
    try:
        geo.county(code)
    except geo.PlaceError:
        return False
    return True


def _period_note(preview: services.Preview) -> str:
    found = preview.detection
    if preview.period_from == "file" and found.period_clue is not None:
        return _("From the file: %(why)s.") % {"why": messages.clue_text(found.period_clue)}
    if preview.period_from == "stored":
        return _(
            "The same values are already stored under this period, so they are kept under "
            "it (the file does not say its period)."
        )
    return ""


def build(preview: services.Preview, *, served: list[tuple[str, str]]) -> PreviewView:
    """The check step's view of ``preview``; ``served`` is the coalition's (code, name)."""
    found = preview.detection
    options = preview.options
    view = PreviewView(
        file_name=preview.staged.file_name,
        layout=options.layout,
        layout_label=messages.layout_label(options.layout) if options.layout else "",
        detected=found.layout or "",
        detected_label=messages.layout_label(found.layout) if found.layout else "",
        confidence=found.confidence,
        confidence_text=messages.confidence_text(found.confidence),
        clues=[messages.clue_text(c) for c in found.clues],
        period=options.period,
        period_note=_period_note(preview),
        ready=preview.ready,
        errors=preview.errors,
        problems=[
            ProblemLine(p.get("row"), p.get("column"), messages.problem_text(p))
            for p in preview.problems
        ],
    )
    plan, table = preview.plan, preview.table
    if plan is None or table is None:
        return view
    language = get_language() or "en"
    for line in plan.indicators:
        view.indicators.append(
            IndicatorLine(
                code=line.code,
                name=catalog.localized_name(line.code, line.name, language),
                is_new=line.is_new,
                periods=line.periods,
                groups=[selectors.group_label(g) for g in line.groups],
                created=line.created,
                updated=line.updated,
                unchanged=line.unchanged,
            )
        )
    names = {line.code: line.name for line in view.indicators}
    for code, given, stored in plan.period_changes:
        view.period_notes.append(
            _(
                "%(indicator)s: the file's values for %(given)s are the ones already stored "
                "for %(stored)s, so they are kept under %(stored)s."
            )
            % {"indicator": names.get(code, code), "given": given, "stored": stored}
        )
    if options.layout == detect.CHR_ANALYTIC and found.release_year:
        release = periods.release_label(found.release_year)
        if any(release in line.periods for line in view.indicators):
            view.period_notes.append(
                _(
                    "The file states only its release year (%(year)s). Measures whose data "
                    "years County Health Rankings documents are stored under those years "
                    "(life expectancy: %(example)s); the others under “%(release)s”."
                )
                % {
                    "year": found.release_year,
                    "example": periods.chr_data_years("v147", found.release_year),
                    "release": release,
                }
            )
    view.created, view.updated, view.unchanged = (
        plan.counts.created,
        plan.counts.updated,
        (plan.counts.unchanged),
    )
    codes = sorted(plan.places, key=lambda c: (len(c), c))
    view.place_count = len(codes)
    levels = [place_level(c) for c in codes]
    view.has_nation = "nation" in levels
    view.state_count = levels.count("state")
    view.county_count = levels.count("county")
    view.other_count = len(codes) - view.county_count - view.state_count - int(view.has_nation)
    from_file = dict(table.place_names)
    served_codes = {code for code, _name in served}
    ordered = [c for c in codes if c in served_codes] + [c for c in codes if c not in served_codes]
    view.place_names = [_name(c, from_file) for c in ordered[:SHOWN_PLACES]]
    view.more_places = max(0, len(ordered) - SHOWN_PLACES)
    view.served_found = [name for code, name in served if code in plan.places]
    view.served_missing = [
        name for code, name in served if code not in plan.places and place_level(code) == "county"
    ]
    view.unknown_places = [
        place.get("name") or place["code"]
        for place in plan.unmatched
        if place.get("kind") == "unknown_county"
    ]
    groups: list[str] = []
    all_periods: list[str] = []
    for line in plan.indicators:
        for g in line.groups:
            if g not in groups:
                groups.append(g)
        for p in line.periods:
            if p not in all_periods:
                all_periods.append(p)
    view.groups = [selectors.group_label(g) for g in groups]
    view.all_periods = sorted(all_periods)
    return view


def options_from(
    data: Any, defaults: services.ImportOptions, *, states: list[str]
) -> services.ImportOptions:
    """The wizard's options from a query string or form (``data``).

    What is not given, or given empty, is what the file states (``defaults``, from the
    detection) when the layout is the detected one: the period and indicator code a file
    holds are never typed. ``keep`` is ``mine`` (the coalition's ``states``) or ``all``.
    """
    if not data or "layout" not in data:
        return defaults
    layout = str(data.get("layout", "")).strip()
    same = layout == defaults.layout
    period = str(data.get("period") or "").strip()[:40] or (defaults.period if same else "")
    code = str(data.get("indicator_code") or "").strip()[:80] or (
        defaults.indicator_code if same else ""
    )
    place_type = str(data.get("place_type") or "")
    keep = data.get("keep") or ("mine" if defaults.only_states else "all")
    return services.ImportOptions(
        layout=layout,
        period=period,
        indicator_code=code,
        place_type=place_type if place_type in services.PLACE_TYPES else defaults.place_type,
        only_states=tuple(states) if keep == "mine" else (),
    )
