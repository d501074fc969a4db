"""The attacker of issue 14: a backbone admin working out one member's anonymous answer.

She knows every paper worksheet she typed in (ratings and notes), and here she also
knows, for every member who answered, the member type and the release of the round
the answer went into (the strongest assumption: she may have watched who came to a
workshop). She reads every result each time the round is released: the results page,
the API, the CSV export and the action plan.

Each number she reads is a linear equation in the unknown self-submitted answers: a
shown mean times its count, minus the paper ratings she typed, is the sum of the
members' ratings in that view; the voice gap is a difference of two means; a shown
list of notes, minus the worksheets' notes, is the multiset of the members' notes.
Differencing any two views, at one time or over time, is a linear combination of
these equations. So a member's answer to an item is recovered exactly when her unit
vector lies in the row space of the equations about that item; and a set of fewer
than 5 members is singled out when its indicator vector does.

This module is deliberately independent of ``assessments.domain``: it recomputes the
truth from what it was told and checks that every number read matches it, so that
the equations stand for what was really shown.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from html import unescape
from itertools import combinations
from typing import Any

K = 5
VIEW_TYPES: Mapping[str, frozenset[str]] = {
    "overall": frozenset({"community", "partner", "backbone"}),
    "community": frozenset({"community"}),
    "institutional": frozenset({"partner", "backbone"}),
    "partner": frozenset({"partner"}),
    "backbone": frozenset({"backbone"}),
}
VIEWS = tuple(VIEW_TYPES)


@dataclass
class Answer:
    """One answer the attacker reasons about: a member's own (unknown) or a worksheet (known)."""

    key: str
    member_type: str
    release: int
    ratings: dict[str, int]
    notes: dict[str, str] = field(default_factory=dict)
    is_paper: bool = False


Equation = dict[str, Fraction]  # member key -> coefficient, over self-submitted answers


def _rank(rows: Sequence[Sequence[Fraction]]) -> int:
    """Exact rank by Gaussian elimination over the rationals."""
    matrix = [list(row) for row in rows if any(row)]
    rank = 0
    width = len(matrix[0]) if matrix else 0
    for column in range(width):
        pivot = next((i for i in range(rank, len(matrix)) if matrix[i][column]), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        lead = matrix[rank][column]
        for i in range(len(matrix)):
            if i != rank and matrix[i][column]:
                factor = matrix[i][column] / lead
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[rank], strict=True)]
        rank += 1
    return rank


def in_row_space(equations: Sequence[Equation], target: Equation) -> bool:
    keys = sorted({key for equation in [*equations, target] for key in equation})
    rows = [[equation.get(key, Fraction(0)) for key in keys] for equation in equations]
    vector = [target.get(key, Fraction(0)) for key in keys]
    return _rank(rows) == _rank([*rows, vector])


@dataclass
class Adversary:
    items: Sequence[str]
    answers: list[Answer] = field(default_factory=list)
    rating_equations: dict[str, list[Equation]] = field(default_factory=dict)
    note_equations: dict[str, list[Equation]] = field(default_factory=dict)
    readings: int = 0

    # -- what happened -----------------------------------------------------------------

    def answered(self, answer: Answer) -> None:
        self.answers.append(answer)

    def _raters(self, item: str, view: str, release: int) -> list[Answer]:
        return [
            a
            for a in self.answers
            if a.release <= release and a.member_type in VIEW_TYPES[view] and item in a.ratings
        ]

    def _writers(self, item: str, release: int) -> list[Answer]:
        return [a for a in self.answers if a.release <= release and a.notes.get(item)]

    @staticmethod
    def _unknowns(answers: Iterable[Answer], weight: Fraction = Fraction(1)) -> Equation:
        return {a.key: weight for a in answers if not a.is_paper}

    def _record_mean(
        self, item: str, view: str, release: int, count: int, mean: float, tolerance: float
    ) -> None:
        raters = self._raters(item, view, release)
        assert count == len(raters), (item, view, count, len(raters))
        if not raters:
            return
        true_mean = sum(a.ratings[item] for a in raters) / len(raters)
        # A shown mean is rounded: 1.25 may show as 1.2, exactly ``tolerance`` away, which
        # floating point puts a hair beyond it.
        assert abs(true_mean - mean) <= tolerance + 1e-9, (item, view, mean, true_mean)
        self.rating_equations.setdefault(item, []).append(self._unknowns(raters))

    def _record_gap(self, item: str, release: int) -> None:
        community = self._raters(item, "community", release)
        institutions = self._raters(item, "institutional", release)
        assert community and institutions, "a voice gap was shown for an empty group"
        equation = self._unknowns(community, Fraction(1, len(community)))
        for key, value in self._unknowns(institutions, Fraction(-1, len(institutions))).items():
            equation[key] = equation.get(key, Fraction(0)) + value
        self.rating_equations.setdefault(item, []).append(equation)

    def _record_notes(self, item: str, release: int, notes: Iterable[str]) -> None:
        writers = self._writers(item, release)
        assert Counter(notes) == Counter(a.notes[item] for a in writers), item
        if writers:
            self.note_equations.setdefault(item, []).append(self._unknowns(writers))

    # -- what she reads ------------------------------------------------------------------

    def read_api(self, data: Mapping[str, Any], release: int) -> None:
        """Read ``GET .../assessments/<id>/results`` of a released (closed) round."""
        assert data["is_final"] is True
        self.readings += 1
        for item in data["items"]:
            item_id = item["item_id"]
            if item_id not in self.items:
                assert all(v["suppressed"] or not v["respondents"] for v in item["views"])
                continue
            for view in item["views"]:
                if view["suppressed"]:
                    assert view["respondents"] is None and view["mean"] is None
                    continue
                self._record_mean(
                    item_id, view["view"], release, view["respondents"], view["mean"] or 0, 1e-9
                )
            if item["voice_gap"] is not None:
                self._record_gap(item_id, release)
            if item["notes_suppressed"]:
                assert item["notes"] == []
            else:
                self._record_notes(item_id, release, item["notes"])

    def read_csv(self, content: bytes, release: int) -> None:
        """Read ``results.csv`` of a released round."""
        self.readings += 1
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        assert rows[0][:3] == ["item", "view", "respondents"]
        gaps: set[str] = set()
        for item_id, view, respondents, mean, *rest in rows[1:]:
            if item_id not in self.items or respondents.startswith("suppressed"):
                continue
            self._record_mean(item_id, view, release, int(respondents), float(mean or 0), 0.005)
            if rest[2]:
                gaps.add(item_id)
        for item_id in gaps:
            self._record_gap(item_id, release)

    def read_page(self, html: str, release: int, names: Mapping[str, str]) -> None:
        """Read the results page: the heat map's means and counts, and the notes listed.

        ``names`` maps each item id to its name as the page prints it.
        """
        self.readings += 1
        table = html.split('<table class="heatmap', 1)[1].split("</table>", 1)[0]
        for chunk in table.split("<tr")[2:]:
            header = re.search(r'<th scope="row">(.*?)</th>', chunk, re.S)
            assert header is not None
            title = unescape(header.group(1)).strip()
            item_id = next((i for i, name in names.items() if name == title), None)
            cells = re.findall(r'<td class="num cell[^"]*">(.*?)</td>', chunk, re.S)
            assert len(cells) == len(VIEWS)
            for view, cell in zip(VIEWS, cells, strict=True):
                shown = re.search(r'([\d.]+) <span class="n">n=(\d+)</span>', cell)
                if shown is None:
                    continue
                assert item_id is not None or shown.group(2) == "0", title
                if item_id is not None:
                    self._record_mean(
                        item_id, view, release, int(shown.group(2)), float(shown.group(1)), 0.05
                    )
            gap_cell = re.search(r'<td class="num">(.*?)</td>', chunk, re.S)
            assert gap_cell is not None
            if "muted" not in gap_cell.group(1):
                assert item_id is not None, title
                self._record_gap(item_id, release)
        every_note = {
            (item, a.notes[item]) for a in self.answers for item in self.items if a.notes.get(item)
        }
        for item in self.items:
            listed = [note for other, note in every_note if other == item and note in html]
            if listed:
                self._record_notes(
                    item, release, [a.notes[item] for a in self._writers(item, release)]
                )

    def read_proposal(self, item: str, release: int, *, mean: float | None, gap: bool) -> None:
        """Read an action proposed from the results (a weak pillar's mean, a voice gap)."""
        self.readings += 1
        if mean is not None:
            raters = self._raters(item, "overall", release)
            self._record_mean(item, "overall", release, len(raters), mean, 0.05)
        if gap:
            self._record_gap(item, release)

    # -- what she can work out -------------------------------------------------------------

    def recovered(self) -> list[tuple[str, str, str]]:
        """(member, item, "rating" or "note") for every single answer pinned down."""
        found = []
        for item in self.items:
            for answer in self.answers:
                if answer.is_paper:
                    continue
                for kind, equations, gave in (
                    ("rating", self.rating_equations.get(item, []), item in answer.ratings),
                    ("note", self.note_equations.get(item, []), bool(answer.notes.get(item))),
                ):
                    if gave and equations and in_row_space(equations, {answer.key: Fraction(1)}):
                        found.append((answer.key, item, kind))
        return found

    def singled_out(self, *, most: int = 12) -> list[tuple[str, frozenset[str]]]:
        """Every set of 1 to 4 members whose total (of one item) can be worked out.

        Checked when at most ``most`` members answered the item (subsets of size 1-4).
        """
        found = []
        for item in self.items:
            for equations, members in (
                (
                    self.rating_equations.get(item, []),
                    [a.key for a in self.answers if not a.is_paper and item in a.ratings],
                ),
                (
                    self.note_equations.get(item, []),
                    [a.key for a in self.answers if not a.is_paper and a.notes.get(item)],
                ),
            ):
                if not equations or len(members) > most:
                    continue
                for size in range(1, K):
                    for subset in combinations(members, size):
                        target = dict.fromkeys(subset, Fraction(1))
                        if in_row_space(equations, target):
                            found.append((item, frozenset(subset)))
        return found
