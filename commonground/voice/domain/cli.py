"""``commonground analyze survey``: scale scores, alpha and group means of a responses file.

RESPONSES.csv has one row per respondent and one column per item (1 to 5, or blank
for missing); other columns are attributes. SCALES.csv has ``item``, ``scale`` and an
optional ``reverse`` (yes/no; a reverse item is scored 6 minus the value). Groups are
suppressed with ``summarize_groups`` of the one suppression module: a group below the
minimum, then more groups, smallest first, until the suppressed groups together hold
0 or at least the minimum and no suppressed group stands alone.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from commonground.assessments.domain.errors import ScoringError
from commonground.assessments.domain.suppression import MIN_GROUP_SIZE, summarize_groups
from commonground.voice.domain.errors import SurveyError
from commonground.voice.domain.scoring import ScaleDef, cronbach_alpha, mean, sample_sd, scale_score

YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


def _rows(text: str, name: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    reader = csv.reader(io.StringIO(text))
    rows = [(reader.line_num, row) for row in reader]
    rows = [(line, row) for line, row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise SurveyError(f"{name}: the file is empty; expected a header row")
    header = [cell.strip() for cell in rows[0][1]]
    seen: set[str] = set()
    for column in header:
        if not column:
            raise SurveyError(f"{name}: line {rows[0][0]}: a column has no name")
        if column in seen:
            raise SurveyError(f"{name}: line {rows[0][0]}: column {column!r} appears twice")
        seen.add(column)
    body = []
    for line, row in rows[1:]:
        if len(row) != len(header):
            raise SurveyError(
                f"{name}: line {line}: {len(row)} values, but the header has {len(header)} columns"
            )
        body.append((line, [cell.strip() for cell in row]))
    return header, body


def parse_scales(text: str, name: str = "SCALES.csv") -> list[ScaleDef]:
    """Scales in order of first appearance, with their items and reverse items.

    >>> parse_scales("item,scale,reverse\\nq1,trust,no\\nq2,trust,yes\\n")
    [ScaleDef(id='trust', items=('q1', 'q2'), reverse=frozenset({'q2'}))]
    """
    header, body = _rows(text, name)
    for required in ("item", "scale"):
        if required not in header:
            raise SurveyError(f"{name}: line 1: no {required!r} column")
    at = {column: index for index, column in enumerate(header)}
    items: dict[str, list[str]] = {}
    reverse: dict[str, set[str]] = {}
    seen: set[str] = set()
    for line, row in body:
        item, scale = row[at["item"]], row[at["scale"]]
        if not item:
            raise SurveyError(f"{name}: line {line}: the item is blank")
        if not scale:
            raise SurveyError(f"{name}: line {line}: item {item!r} has no scale")
        if item in seen:
            raise SurveyError(f"{name}: line {line}: item {item!r} is listed twice")
        seen.add(item)
        flag = row[at["reverse"]].lower() if "reverse" in at else ""
        if flag not in YES | NO:
            raise SurveyError(f"{name}: line {line}: reverse is {flag!r}; expected yes or no")
        items.setdefault(scale, []).append(item)
        if flag in YES:
            reverse.setdefault(scale, set()).add(item)
    if not items:
        raise SurveyError(f"{name}: no items listed")
    return [
        ScaleDef(scale, tuple(members), frozenset(reverse.get(scale, set())))
        for scale, members in items.items()
    ]


def parse_responses(
    text: str, scales: Sequence[ScaleDef], name: str = "RESPONSES.csv"
) -> tuple[list[dict[str, int | None]], list[dict[str, str]]]:
    """(answers, attributes) per respondent; a bad value names its line and column."""
    header, body = _rows(text, name)
    items = [item for scale in scales for item in scale.items]
    missing = [item for item in items if item not in header]
    if missing:
        raise SurveyError(
            f"{name}: line 1: no column for item(s) {', '.join(map(repr, missing))} of the scales file"
        )
    at = {column: index for index, column in enumerate(header)}
    item_set = set(items)
    answers: list[dict[str, int | None]] = []
    attributes: list[dict[str, str]] = []
    for line, row in body:
        sheet: dict[str, int | None] = {}
        for item in items:
            raw = row[at[item]]
            if raw == "":
                sheet[item] = None
                continue
            try:
                number = float(raw)
            except ValueError:
                number = float("nan")
            if not number.is_integer() or not 1 <= number <= 5:
                raise SurveyError(
                    f"{name}: line {line}, column {item!r}: {raw!r} is not a whole number "
                    "from 1 to 5 (or blank)"
                )
            sheet[item] = int(number)
        answers.append(sheet)
        attributes.append({c: row[i] for c, i in at.items() if c not in item_set})
    return answers, attributes


def analyze_survey(
    responses_text: str,
    scales_text: str,
    *,
    group: str | None = None,
    min_group: int = MIN_GROUP_SIZE,
    responses_name: str = "RESPONSES.csv",
    scales_name: str = "SCALES.csv",
) -> dict[str, Any]:
    """The JSON result of ``commonground analyze survey`` (see docs/cli.md)."""
    if isinstance(min_group, bool) or not isinstance(min_group, int) or min_group < MIN_GROUP_SIZE:
        raise SurveyError(f"--min-group is {min_group}; it cannot be set below {MIN_GROUP_SIZE}")
    scales = parse_scales(scales_text, scales_name)
    answers, attributes = parse_responses(responses_text, scales, responses_name)
    if group is not None and attributes is not None:
        header, _ = _rows(responses_text, responses_name)
        if group not in header:
            raise SurveyError(f"{responses_name}: line 1: no column {group!r} to group by")
        if any(group in scale.items for scale in scales):
            raise SurveyError(f"--group {group!r} is an item of the scales file, not an attribute")
    result: dict[str, Any] = {"respondents": len(answers), "scales": []}
    scores = {scale.id: [scale_score(sheet, scale) for sheet in answers] for scale in scales}
    for scale in scales:
        values = [value for value in scores[scale.id] if value is not None]
        result["scales"].append(
            {
                "scale": scale.id,
                "items": list(scale.items),
                "n": len(values),
                "mean": mean(values),
                "sd": sample_sd(values),
                "alpha": cronbach_alpha(answers, scale),
            }
        )
    if group is not None:
        members: dict[str, list[int]] = {}
        for index, attrs in enumerate(attributes):
            value = attrs.get(group, "")
            if value:
                members.setdefault(value, []).append(index)
        try:
            summary = summarize_groups(
                {key: len(rows) for key, rows in members.items()}, min_group_size=min_group
            )
        except ScoringError as error:
            raise SurveyError(str(error)) from None
        groups: dict[str, Any] = {}
        for key in sorted(members):
            rows = members[key]
            hidden = summary.cell(key).is_suppressed
            means: dict[str, float | None] | None = None
            if not hidden:
                means = {}
                for scale in scales:
                    values = [v for i in rows if (v := scores[scale.id][i]) is not None]
                    means[scale.id] = mean(values)
            groups[key] = {"n": len(rows), "suppressed": hidden, "scales": means}
        result["groups"] = groups
    return result


def analyze_survey_files(
    responses: str, scales: str, *, group: str | None = None, min_group: int = MIN_GROUP_SIZE
) -> dict[str, Any]:
    """Read the two files (UTF-8, a byte-order mark allowed) and analyze them."""
    responses_path, scales_path = Path(responses), Path(scales)
    try:
        responses_text = responses_path.read_text(encoding="utf-8-sig")
        scales_text = scales_path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise SurveyError(f"a file is not UTF-8 text: {error.reason}") from None
    return analyze_survey(
        responses_text,
        scales_text,
        group=group,
        min_group=min_group,
        responses_name=responses_path.name,
        scales_name=scales_path.name,
    )
