"""The one error family raised by the measurement core."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


class MeasurementError(ValueError):
    """Base error of ``commonground.measurement.domain``."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One thing wrong with one cell or row of a file.

    ``row`` counts rows the way a person reading the file does: 1 is the first line,
    header rows included. ``None`` means the problem concerns the whole file.

    ``problem`` is the English sentence; ``code`` and ``params`` say the same thing as
    data, so that the pages can say it in the reader's language (this package never
    imports Django's translation machinery): ``RowProblem(3, "value", "'abc' is not a
    number", "not_a_number", {"text": "'abc'"})``. An empty ``code`` has no translation.
    """

    row: int | None
    column: str | None
    problem: str
    code: str = ""
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        prefix = ", ".join(where) or "file"
        return f"{prefix}: {self.problem}"


class FileProblemError(MeasurementError):
    """A file could not be read; ``problems`` lists every problem found (up to a limit).

    >>> err = FileProblemError([RowProblem(3, "value", "'abc' is not a number")])
    >>> str(err)
    "row 3, column 'value': 'abc' is not a number"
    >>> err.problems[0].row
    3
    """

    def __init__(self, problems: Sequence[RowProblem], *, truncated: bool = False) -> None:
        self.problems: tuple[RowProblem, ...] = tuple(problems)
        self.truncated = truncated
        lines = [str(p) for p in self.problems]
        if truncated:
            lines.append("(more problems not shown)")
        super().__init__("\n".join(lines))
