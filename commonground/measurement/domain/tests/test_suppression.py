import pytest

from commonground.measurement.domain.suppression import Cell, is_small_count, protect


@pytest.mark.parametrize(
    ("count", "small"), [(0, False), (1, True), (5, True), (10, True), (10.5, False), (11, False)]
)
def test_small_counts_are_1_to_10(count: float, small: bool) -> None:
    assert is_small_count(count) is small


def test_nothing_is_hidden_when_no_cell_is_small() -> None:
    cells = [Cell("total", 0.1, 40, 400), Cell("white", 0.09, 29, 322), Cell("black", 0.14, 11, 78)]
    assert protect(cells) == cells


def test_a_small_denominator_hides_the_rate_too() -> None:
    # 0 of 7 births: the count is zero, but the rate (0%) and the 7 would reveal a tiny group.
    (cell,) = protect([Cell("nhopi", 0.0, 0, 7, ci_low=0.0, ci_high=0.4)])
    assert cell.suppressed and cell.value is None and cell.denominator is None
    assert cell.ci_low is None and cell.ci_high is None


def test_one_small_cell_withholds_every_count_of_the_set() -> None:
    # total 40 − white 33 would give the hidden black count (7) back.
    out = protect(
        [Cell("total", 0.1, 40, 400), Cell("black", 0.2, 7, 35), Cell("white", 0.09, 33, 365)]
    )
    assert [c.numerator for c in out] == [None, None, None]
    assert [c.denominator for c in out] == [None, None, None]
    assert [c.value for c in out] == [0.1, None, 0.09]
    assert [c.counts_withheld for c in out] == [True, False, True]
