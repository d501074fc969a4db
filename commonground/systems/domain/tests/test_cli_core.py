"""The link file reader and the anchors arithmetic, by hand."""

from __future__ import annotations

import pytest

from commonground.systems.domain.anchors import progress_by_period, progress_share
from commonground.systems.domain.cli import analyze_links, parse_links
from commonground.systems.domain.errors import SystemsError


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "line 1: the file is empty"),
        ("from,to\na,b\n", "line 1: the header has no column polarity"),
        ("from,to,polarity\na,b,+\nb,,+\n", "line 3: the to factor is empty"),
        ("from,to,polarity\n,b,+\n", "line 2: the from factor is empty"),
        ("from,to,polarity\na,b,plus\n", "line 2: polarity must be \\+ or -, not 'plus'"),
        ("from,to,polarity,delay\na,b,+,maybe\n", "line 2: delay must be yes or no, not 'maybe'"),
        (
            "from,to,polarity\na,b,+\nb,a,-\na,b,-\n",
            "line 4: the link from a to b is already on line 2",
        ),
    ],
)
def test_a_bad_link_file_names_the_line_and_the_problem(text: str, message: str) -> None:
    with pytest.raises(SystemsError, match=message):
        parse_links(text)


def test_headers_match_without_case_and_extra_columns_are_ignored() -> None:
    links = parse_links(" From , TO,Polarity,note,Delay\nx,y,-,why,YES\ny,x,+,,\n\n")
    result = analyze_links(links, max_length=8)
    assert result == {
        "factors": 2,
        "links": 2,
        "loops": [{"factors": ["x", "y"], "length": 2, "polarity": "balancing", "delays": 1}],
        "loop_counts": {"x": 1, "y": 1},
    }


def test_progress_is_the_share_of_the_way_from_baseline_to_target() -> None:
    # 38 → 50 is 12 points; 44 is 6 of them: half-way.
    assert progress_share(latest=44, baseline=38, target=50) == pytest.approx(0.5)
    # No baseline: from 0. 2.1 of 5 = 0.42.
    assert progress_share(latest=2.1, baseline=None, target=5) == pytest.approx(0.42)
    # A target below the baseline (cut emissions from 100 to 60): 80 is half-way.
    rows = progress_by_period([("2024", 80.0), ("2025", 55.0)], baseline=100, target=60)
    assert [(r.share, r.met) for r in rows] == [
        (pytest.approx(0.5), False),
        (pytest.approx(1.125), True),
    ]
