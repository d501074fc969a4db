"""The analyze-survey core: parsing, the JSON contract and the group suppression rule."""

from __future__ import annotations

import numpy as np
import pytest

from commonground.voice.domain.cli import analyze_survey
from commonground.voice.domain.errors import SurveyError

SCALES = "item,scale,reverse\nq1,trust,no\nq2,trust,yes\nq3,vision,\n"


def responses(rows: list[tuple[str, str, str, str]]) -> str:
    return "type,q1,q2,q3\n" + "".join(",".join(row) + "\n" for row in rows)


def test_scales_means_sd_and_alpha() -> None:
    rows = [("a", "4", "2", "5"), ("a", "5", "1", ""), ("b", "3", "3", "4"), ("b", "2", "", "3")]
    result = analyze_survey(responses(rows), SCALES)
    assert result["respondents"] == 4
    trust, vision = result["scales"]
    assert trust["scale"] == "trust" and trust["items"] == ["q1", "q2"]
    # scores: (4+4)/2=4, (5+5)/2=5, (3+3)/2=3, 2 -> mean 3.5
    assert trust["n"] == 4 and trust["mean"] == pytest.approx(3.5)
    assert trust["sd"] == pytest.approx(float(np.std([4, 5, 3, 2], ddof=1)))
    complete = np.array([[4, 4], [5, 5], [3, 3]], dtype=float)
    expected = 2 * (1 - complete.var(axis=0, ddof=1).sum() / complete.sum(axis=1).var(ddof=1))
    assert trust["alpha"] == pytest.approx(expected)
    assert vision["n"] == 3 and vision["alpha"] is None
    assert "groups" not in result


def test_groups_small_one_and_its_complement_are_suppressed() -> None:
    rows = [("a", "4", "2", "4")] * 3 + [("b", "2", "4", "2")] * 6 + [("c", "5", "1", "5")] * 9
    rows += [("", "3", "3", "3")]
    result = analyze_survey(responses(rows), SCALES, group="type")
    groups = result["groups"]
    assert set(groups) == {"a", "b", "c"}  # the blank value forms no group
    assert groups["a"] == {"n": 3, "suppressed": True, "scales": None}
    assert groups["b"] == {"n": 6, "suppressed": True, "scales": None}  # 3 alone is < 5
    assert groups["c"]["suppressed"] is False
    assert groups["c"]["scales"] == {"trust": 5.0, "vision": 5.0}


def test_groups_of_5_are_shown() -> None:
    rows = [("a", "4", "2", "4")] * 5 + [("b", "2", "4", "2")] * 5
    groups = analyze_survey(responses(rows), SCALES, group="type")["groups"]
    assert not groups["a"]["suppressed"] and not groups["b"]["suppressed"]
    assert groups["a"]["scales"]["trust"] == 4.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (responses([("a", "6", "1", "1")]), "line 2, column 'q1': '6' is not a whole number"),
        (responses([("a", "x", "1", "1")]), "line 2, column 'q1'"),
        ("type,q1,q2\na,1,2\n", "no column for item(s) 'q3'"),
        ("type,q1,q2,q3\na,1,2\n", "line 2: 3 values"),
        ("", "the file is empty"),
    ],
)
def test_bad_files_name_the_line_and_the_problem(text: str, message: str) -> None:
    with pytest.raises(SurveyError, match=None) as error:
        analyze_survey(text, SCALES)
    assert message in str(error.value)


def test_min_group_cannot_go_below_5_and_the_group_column_must_exist() -> None:
    with pytest.raises(SurveyError, match="cannot be set below 5"):
        analyze_survey(responses([]), SCALES, min_group=4)
    with pytest.raises(SurveyError, match="no column 'kind'"):
        analyze_survey(responses([("a", "1", "1", "1")]), SCALES, group="kind")
    with pytest.raises(SurveyError, match="reverse is 'maybe'"):
        analyze_survey(responses([]), "item,scale,reverse\nq1,t,maybe\n")
