"""What each app contributes to the coalition's story: report sections and shared measures.

Reports reads no other app's models. An app registers, in its ``AppConfig.ready``:

* a **section** of the impact report::

      from commonground.reports.registry import Section, register_section

      register_section(Section(
          key="governance.power",                 # stable; stored in saved reports
          title=gettext_lazy("Shared power"),
          build=build_power_section,              # (coalition, period) -> dict
          template="governance/report_section.html",
          order=60,
          public=True,                            # may appear on the public page
          reads=("governance", "ecosystem"),      # the apps whose tables it reads
      ))

  ``build`` reads through the app's selectors and returns plain JSON data (numbers,
  strings, lists, dicts: no model instances, no lazy strings), already suppressed where
  a group is under the threshold and without residents' or respondents' names when
  ``public`` is true. A published report stores that data, so its numbers never move.
  ``template`` renders it from ``data`` (the dict) in the HTML page, the PDF and the
  public page; charts are inline SVG the template or ``build`` draws. ``tables`` in the
  data (a list of ``{"title": str, "columns": [str], "rows": [[...]]}``) become the
  section's sheet in the XLSX export; ``charts`` in the data (a list of
  ``{"id": str, "title": str, "svg": str}``, the SVG drawn by ``build`` with every text
  XML-escaped and no ``style`` attributes) can be downloaded as SVG and PNG.

* a **shared measure** for the funders' side-by-side view::

      register_measure(Measure(
          key="governance.community_power_share",
          label=gettext_lazy("Community share of voting power"),
          compute=community_power_share,          # (coalition) -> float | str | None
          kind="share",                           # share | number | text | months | money
      ))

  A measure computes one headline value (``None`` when there is nothing to show or the
  value falls under the suppression threshold). Each coalition chooses which it shares.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from commonground.coalitions.models import Coalition


@dataclass(frozen=True, slots=True)
class Period:
    """The report's period: both ends included."""

    start: datetime.date
    end: datetime.date


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str | Promise
    build: Callable[[Coalition, Period], dict[str, Any]]
    template: str
    order: int = 100
    public: bool = True
    # The apps whose tables ``build`` reads (``coalitions`` and the accounts always
    # count): a report page builds the section again only after a write to one of them.
    # None: every app.
    reads: tuple[str, ...] | None = None


MeasureKind = Literal["share", "number", "text", "months", "money"]


@dataclass(frozen=True, slots=True)
class Measure:
    key: str
    label: str | Promise
    compute: Callable[[Coalition], float | int | str | None]
    kind: MeasureKind = "number"


_sections: dict[str, Section] = {}
_measures: dict[str, Measure] = {}


def register_section(section: Section) -> Section:
    """Add (or replace, by key) a report section."""
    _sections[section.key] = section
    return section


def register_measure(measure: Measure) -> Measure:
    """Add (or replace, by key) a shared headline measure."""
    _measures[measure.key] = measure
    return measure


def sections() -> list[Section]:
    """Every registered section, in their default order."""
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))


def measures() -> list[Measure]:
    return sorted(_measures.values(), key=lambda m: m.key)


def get_section(key: str) -> Section | None:
    return _sections.get(key)


def get_measure(key: str) -> Measure | None:
    return _measures.get(key)
