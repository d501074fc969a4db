"""Rankings by residents and institutions, each shown only with 5 or more ballots."""

from __future__ import annotations

from commonground.voice.domain.priorities import Ballot, borda, rank_by_group


def test_borda_points_by_hand() -> None:
    ranked = borda(
        [Ballot("residents", (3, 1)), Ballot("residents", (3, 2, 1)), Ballot("residents", (1,))],
        [1, 2, 3],
    )
    # 1: 2 + 1 + 3 = 6; 2: 2; 3: 3 + 3 = 6
    assert [(r.candidate, r.points, r.rank) for r in ranked] == [(1, 6, 1), (3, 6, 1), (2, 2, 3)]


def test_group_of_4_hidden_group_of_5_shown_and_paper_counted_apart() -> None:
    ballots = [Ballot("residents", (1, 2))] * 5 + [Ballot("institutions", (2, 1))] * 4
    result = rank_by_group(ballots, [1, 2])
    assert result["residents"].ballots == 5 and result["residents"].ranking[0].candidate == 1
    assert result["institutions"].suppressed and result["institutions"].ranking == ()
    ballots += [Ballot("institutions", (2, 1))]
    assert rank_by_group(ballots, [1, 2])["institutions"].ranking[0].candidate == 2
    ballots += [Ballot("residents", (2, 1), is_paper=True)]
    assert rank_by_group(ballots, [1, 2])["residents"].suppressed
