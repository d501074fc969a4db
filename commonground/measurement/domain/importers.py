"""Read the real layouts coalitions bring into one tidy table of observations.

Every reader returns an :class:`ImportedTable`: a polars frame with exactly the
columns of :data:`TIDY_SCHEMA`, one row per indicator × place × period × group, and
an indicator catalog (id, name, unit, direction, source, vintage) for the file.

Places are normalized codes (see :mod:`.fips`): counties ``"01001"``, states
``"01"``, the nation ``"00"``. Cells that hold no value (``NA``, empty, ``.``, or
``-999`` in SVI) become nulls and observations without a value are left out.

A file that cannot be read raises :class:`~.errors.FileProblemError` listing every
problem found, up to ``max_problems``, each with its row (1-based, counted the way
a person counts rows in the file, header rows included), column and what is wrong.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

import polars as pl

from commonground.lib.tabular_core import TabularError, read_workbook

from . import detect
from .errors import FileProblemError, RowProblem
from .fips import NATION, STATE_CODES, FipsError, PlaceLevel, PlaceType, normalize_place
from .periods import chr_data_years, release_label

TIDY_SCHEMA: dict[str, type[pl.DataType]] = {
    "indicator_id": pl.String,
    "place": pl.String,
    "period": pl.String,
    "group": pl.String,
    "value": pl.Float64,
    "numerator": pl.Float64,
    "denominator": pl.Float64,
    "population": pl.Float64,
    "ci_low": pl.Float64,
    "ci_high": pl.Float64,
    "source_unreliable": pl.Boolean,
}
TOTAL = "total"
ROW = "__row"
DEFAULT_MAX_PROBLEMS = 50
MISSING = ("", "NA", "N/A", "NaN", "nan", ".", "NULL", "null")

Direction = Literal["higher", "lower"]
Source = str | Path | IO[str]


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator of a file's catalog.

    ``direction`` says which way is better (``"higher"`` or ``"lower"``; ``None`` when
    the file does not say and no one has decided). ``plausible_min``/``plausible_max``
    bound the values the reliability rules accept (a life expectancy above 110 is not
    believable, whatever its confidence interval says).
    """

    id: str
    name: str
    unit: str | None
    direction: Direction | None
    source: str
    vintage: str | None
    plausible_min: float | None = None
    plausible_max: float | None = None


@dataclass(frozen=True, slots=True)
class ImportedTable:
    """Observations in the tidy schema plus the catalog of their indicators.

    ``place_names`` holds the names the file gives its places (``"Autauga County, AL"``),
    where it gives any, so that places no map knows can still be named to people.
    """

    observations: pl.DataFrame
    indicators: tuple[Indicator, ...]
    place_names: Mapping[str, str] = field(default_factory=dict)

    def catalog(self) -> pl.DataFrame:
        """Return the indicator catalog as a frame."""
        return pl.DataFrame(
            [
                {
                    "id": i.id,
                    "name": i.name,
                    "unit": i.unit,
                    "direction": i.direction,
                    "source": i.source,
                    "vintage": i.vintage,
                }
                for i in self.indicators
            ],
            schema={k: pl.String for k in ("id", "name", "unit", "direction", "source", "vintage")},
        )


# --- problems and raw reading -------------------------------------------------------


class _Problems:
    """Collect row problems up to a limit, then raise them all at once."""

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self.items: list[RowProblem] = []
        self.truncated = False

    def add(
        self, row: int | None, column: str | None, problem: str, code: str = "", **params: object
    ) -> None:
        if len(self.items) >= self.limit:
            self.truncated = True
            return
        self.items.append(RowProblem(row, column, problem, code, params))

    @property
    def full(self) -> bool:
        return len(self.items) >= self.limit

    def raise_if_any(self) -> None:
        if self.items:
            raise FileProblemError(self.items, truncated=self.truncated)


def _open_text(source: Source) -> tuple[IO[str], bool]:
    if isinstance(source, str | Path):
        raw = Path(source).read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Older County Health Rankings files are Windows-1252 (Doña Ana County).
            text = raw.decode("cp1252")
        return io.StringIO(text, newline=""), True
    return source, False


def _records(handle: IO[str]) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(handle, strict=True)
    start = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FileProblemError(
                [
                    RowProblem(
                        start, None, f"not valid CSV: {exc}", "invalid_csv", {"detail": str(exc)}
                    )
                ]
            ) from None
        yield start, record
        start = reader.line_num + 1


def _check_layout(layout: str, rows: list[list[str]], header_row: int) -> None:
    """Refuse a file whose first rows are not of ``layout``, saying what it looks like.

    A file read with the wrong layout is not a broken file: the one problem reported is
    what the file looks like (another layout, or its columns), not a list of the columns
    the wrong reader missed. A tidy file missing some of its columns is left to the
    reader, which names them.
    """
    found = detect.detect_rows(rows)
    needed = 0.4 if layout == detect.TIDY else detect.ACCEPT
    if found.scores.get(layout, 0.0) >= needed:
        return
    clue = detect.describe_columns(rows[0], layout, second_row=rows[1] if len(rows) > 1 else ())
    raise FileProblemError([RowProblem(header_row, None, clue.text, clue.code, dict(clue.params))])


def _read_strings(
    source: Source, *, header_rows: int = 1, problems: _Problems, layout: str | None = None
) -> tuple[list[list[str]], pl.DataFrame]:
    """Read a CSV as strings; return its header rows and a frame with a ``__row`` column.

    Each record's row number is the line it starts on. A record with a different number
    of fields than the header (a truncated or shifted row) is a problem. With ``layout``,
    a file that is not of that layout raises the one problem saying what it looks like.
    """
    handle, owned = _open_text(source)
    try:
        records = _records(handle)
        headers: list[list[str]] = []
        for _ in range(header_rows):
            try:
                headers.append(next(records)[1])
            except StopIteration:
                raise FileProblemError(
                    [
                        RowProblem(
                            len(headers) + 1, None, "the file ends before its header", "no_header"
                        )
                    ]
                ) from None
        names = [h.strip().lstrip("\ufeff") for h in headers[-1]]
        width = len(names)
        seen: set[str] = set()
        for i, name in enumerate(names):
            if name in seen:
                problems.add(header_rows, name, "the column name appears twice", "duplicate_column")
            seen.add(name)
            if not name:
                names[i] = f"column_{i + 1}"
        rows: list[int] = []
        columns: list[list[str]] = [[] for _ in range(width)]
        first: list[str] | None = None
        for start, record in records:
            if len(record) == 1 and not record[0].strip() and width > 1:
                continue  # blank line
            if first is None:
                first = record
            if len(record) != width:
                what = "fewer" if len(record) < width else "more"
                problems.add(
                    start,
                    None,
                    f"has {len(record)} fields, {what} than the {width} columns of the header"
                    + (" (is the file truncated?)" if len(record) < width else ""),
                    "short_row" if len(record) < width else "long_row",
                    fields=len(record),
                    columns=width,
                )
                continue
            rows.append(start)
            for col, cell in zip(columns, record, strict=True):
                col.append(cell)
    finally:
        if owned:
            handle.close()
    if layout is not None:
        peek = [[c.strip().lstrip("\ufeff") for c in h] for h in headers]
        _check_layout(layout, peek + ([[c.strip() for c in first]] if first else []), header_rows)
    problems.raise_if_any()
    if not rows:
        raise FileProblemError(
            [RowProblem(header_rows + 1, None, "the file has no data rows", "no_rows")]
        )
    frame = pl.DataFrame(
        {ROW: pl.Series(rows, dtype=pl.Int64)}
        | {name: pl.Series(col, dtype=pl.String) for name, col in zip(names, columns, strict=True)}
    )
    return headers, frame


def _read_xlsx_strings(
    source: bytes | str | Path, *, sheet: str | None, problems: _Problems
) -> pl.DataFrame:
    """The first (or the named) sheet of a workbook as strings, through the safe reader.

    ``read_workbook`` refuses a malformed file or one over its size limits with a
    ``TabularError``; that becomes a whole-file problem here.
    """
    try:
        sheets = read_workbook(source)
    except TabularError as exc:
        raise FileProblemError(
            [RowProblem(None, None, str(exc), "unreadable_workbook", {"detail": str(exc)})]
        ) from None
    if sheet is not None and sheet not in sheets:
        titles = ", ".join(repr(title) for title in sheets)
        raise FileProblemError(
            [
                RowProblem(
                    None,
                    None,
                    f"no sheet {sheet!r} (it has {titles})",
                    "no_sheet",
                    {"sheet": sheet, "titles": titles},
                )
            ]
        )
    records = sheets[sheet] if sheet is not None else next(iter(sheets.values()))
    if not records:
        raise FileProblemError([RowProblem(1, None, "the sheet is empty", "empty_sheet")])
    _check_layout(
        detect.TIDY,
        [["" if c is None else str(c).strip() for c in record] for record in records[:2]],
        1,
    )
    header = records[0]
    names = [str(h).strip() if h is not None else f"column_{i + 1}" for i, h in enumerate(header)]
    columns: list[list[str]] = [[] for _ in names]
    rows: list[int] = []
    for number, record in enumerate(records[1:], start=2):
        if all(c is None or str(c).strip() == "" for c in record):
            continue
        rows.append(number)
        cells = list(record) + [None] * (len(names) - len(record))
        for col, cell in zip(columns, cells, strict=False):
            col.append(_cell_text(cell))
    if not rows:
        problems.add(2, None, "the sheet has no data rows", "no_rows")
        problems.raise_if_any()
    return pl.DataFrame(
        {ROW: pl.Series(rows, dtype=pl.Int64)}
        | {name: pl.Series(col, dtype=pl.String) for name, col in zip(names, columns, strict=True)}
    )


def _cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _parse_numbers(
    frame: pl.DataFrame,
    columns: Sequence[str],
    problems: _Problems,
    *,
    missing: Collection[str] = MISSING,
    labels: Mapping[str, str] | None = None,
) -> pl.DataFrame:
    """Cast string ``columns`` to Float64; a cell that is neither a number nor missing is a problem."""
    missing_list = list(missing)
    casts = {}
    for name in columns:
        text = pl.col(name).str.strip_chars()
        is_missing = text.is_null() | text.is_in(missing_list)
        casts[name] = pl.when(is_missing).then(None).otherwise(text).cast(pl.Float64, strict=False)
    parsed = frame.with_columns(**casts)

    def is_bad(name: str) -> pl.Expr:
        text = pl.col(name).str.strip_chars()
        return parsed[name].is_null() & ~(text.is_null() | text.is_in(missing_list))

    counts = frame.select([is_bad(name).sum().alias(name) for name in columns]).row(0)
    for name, count in zip(columns, counts, strict=True):
        if not count:
            continue
        bad = frame.filter(is_bad(name))
        for row, text in bad.select(ROW, name).head(problems.limit + 1).iter_rows():
            shown = labels[name] if labels else name
            problems.add(row, shown, f"{text!r} is not a number", "not_a_number", text=repr(text))
    return parsed


def _require_columns(
    frame: pl.DataFrame, required: Sequence[str], problems: _Problems, header_row: int
) -> None:
    for name in required:
        if name not in frame.columns:
            problems.add(header_row, name, "required column is missing", "missing_column")
    problems.raise_if_any()


def _fips_places(
    frame: pl.DataFrame,
    problems: _Problems,
    *,
    fips_column: str | None,
    state_column: str | None = None,
    county_column: str | None = None,
) -> pl.DataFrame:
    """Add ``place`` (county 5 chars, state 2 chars, nation ``"00"``) and report bad codes."""
    if fips_column is not None:
        text = pl.col(fips_column).str.strip_chars()
        ok = text.str.contains(r"^\d{4,5}$")
        code = text.str.zfill(5)
        shown = fips_column
    else:
        assert state_column is not None and county_column is not None
        state = pl.col(state_column).str.strip_chars()
        county = pl.col(county_column).str.strip_chars()
        ok = state.str.contains(r"^\d{1,2}$") & county.str.contains(r"^\d{1,3}$")
        code = state.str.zfill(2) + county.str.zfill(3)
        shown = f"{state_column}/{county_column}"
    valid_states = [*STATE_CODES, NATION]
    with_code = frame.with_columns(
        __code=pl.when(ok).then(code).otherwise(None),
        __given=pl.col(fips_column)
        if fips_column
        else pl.concat_str(
            [pl.col(state_column or ""), pl.col(county_column or "")], separator=","
        ),
    ).with_columns(
        __code=pl.when(pl.col("__code").str.slice(0, 2).is_in(valid_states))
        .then(pl.col("__code"))
        .otherwise(None)
    )
    for row, given in (
        with_code.filter(pl.col("__code").is_null()).select(ROW, "__given").iter_rows()
    ):
        problems.add(
            row,
            shown,
            f"{given!r} is not a county FIPS code (5 digits, state first)",
            "bad_fips",
            text=repr(given),
        )
    code_col = pl.col("__code")
    place = (
        pl.when(code_col == "00000")
        .then(pl.lit(NATION))
        .when(code_col.str.ends_with("000"))
        .then(code_col.str.slice(0, 2))
        .otherwise(code_col)
    )
    return with_code.with_columns(place=place).drop("__code", "__given")


def _filter_levels(frame: pl.DataFrame, levels: Collection[PlaceLevel]) -> pl.DataFrame:
    keep = set(levels)
    place = pl.col("place")
    level = (
        pl.when(place == NATION)
        .then(pl.lit("nation"))
        .when(place.str.len_chars() == 2)
        .then(pl.lit("state"))
        .otherwise(pl.lit("county"))
    )
    return frame.filter(level.is_in(list(keep)))


def _finish(frame: pl.DataFrame) -> pl.DataFrame:
    """Return ``frame`` with exactly the tidy columns, in order, without empty observations."""
    out = frame.with_columns(
        [
            (pl.col(c) if c in frame.columns else pl.lit(None)).cast(t).alias(c)
            for c, t in TIDY_SCHEMA.items()
        ]
    ).select(list(TIDY_SCHEMA))
    return out.with_columns(pl.col("source_unreliable").fill_null(False)).filter(
        pl.col("value").is_not_null()
    )


# --- County Health Rankings -------------------------------------------------------------

CHR_SOURCE = "County Health Rankings & Roadmaps"

#: Groups used by County Health Rankings race columns and the long files' ``race`` codes.
CHR_RACE_CODES = {
    "1": "white",
    "2": "black",
    "3": "aian",
    "4": "asian",
    "5": "nhopi",
    "6": "tom",
    "8": "hispanic",
}

# id: (unit, direction, plausible_min, plausible_max). Units follow the analytic file:
# percentages are proportions from 0 to 1.
_CHR_KNOWN: dict[str, tuple[str | None, Direction, float | None, float | None]] = {
    "v001": ("years of potential life lost per 100,000", "lower", 0, None),
    "v002": ("proportion", "lower", 0, 1),
    "v036": ("days per month", "lower", 0, 30),
    "v042": ("days per month", "lower", 0, 30),
    "v037": ("proportion", "lower", 0, 1),
    "v147": ("years", "higher", 0, 110),
    "v127": ("deaths per 100,000", "lower", 0, None),
    "v128": ("deaths per 100,000", "lower", 0, None),
    "v129": ("deaths per 1,000 live births", "lower", 0, None),
    "v009": ("proportion", "lower", 0, 1),
    "v011": ("proportion", "lower", 0, 1),
    "v070": ("proportion", "lower", 0, 1),
    "v049": ("proportion", "lower", 0, 1),
    "v014": ("births per 1,000 females 15-19", "lower", 0, None),
    "v045": ("cases per 100,000", "lower", 0, None),
    "v085": ("proportion", "lower", 0, 1),
    "v004": ("physicians per 100,000", "higher", 0, None),
    "v005": ("stays per 100,000 Medicare enrollees", "lower", 0, None),
    "v050": ("proportion", "higher", 0, 1),
    "v155": ("proportion", "higher", 0, 1),
    "v021": ("proportion", "higher", 0, 1),
    "v069": ("proportion", "higher", 0, 1),
    "v023": ("proportion", "lower", 0, 1),
    "v024": ("proportion", "lower", 0, 1),
    "v044": ("ratio", "lower", 0, None),
    "v063": ("dollars", "higher", 0, None),
    "v135": ("deaths per 100,000", "lower", 0, None),
    "v138": ("deaths per 100,000", "lower", 0, None),
    "v015": ("deaths per 100,000", "lower", 0, None),
    "v039": ("deaths per 100,000", "lower", 0, None),
    "v148": ("deaths per 100,000", "lower", 0, None),
    "v161": ("deaths per 100,000", "lower", 0, None),
    "v060": ("proportion", "lower", 0, 1),
    "v144": ("proportion", "lower", 0, 1),
    "v145": ("proportion", "lower", 0, 1),
    "v139": ("proportion", "lower", 0, 1),
    "v133": ("index 0-10", "higher", 0, 10),
    "v132": ("proportion", "higher", 0, 1),
    "v136": ("proportion", "lower", 0, 1),
    "v125": ("micrograms per cubic meter", "lower", 0, None),
    "v067": ("proportion", "lower", 0, 1),
    "v137": ("proportion", "lower", 0, 1),
    "v166": ("proportion", "higher", 0, 1),
    "v140": ("associations per 10,000", "higher", 0, None),
    "v082": ("proportion", "lower", 0, 1),
}
_CHR_NAMES = {"v037": "Low Birth Weight", "v147": "Life Expectancy"}

_CHR_WIDE = re.compile(
    r"^(?P<ind>v\d{3})_(?:(?P<field>rawvalue|numerator|denominator|cilow|cihigh|flag)"
    r"|race_(?P<race>[a-z]+)(?:_(?P<rfield>cilow|cihigh|flag))?)$"
)
_CHR_FIELD = {
    "rawvalue": "value",
    "numerator": "numerator",
    "denominator": "denominator",
    "cilow": "ci_low",
    "cihigh": "ci_high",
    "flag": "flag",
    None: "value",
}


def chr_indicator(indicator_id: str, *, name: str | None = None, vintage: str | None) -> Indicator:
    """Return the catalog entry for a County Health Rankings measure id such as ``v147``."""
    unit, direction, low, high = _CHR_KNOWN.get(indicator_id, (None, None, None, None))
    return Indicator(
        id=indicator_id,
        name=name or _CHR_NAMES.get(indicator_id, indicator_id),
        unit=unit,
        direction=direction,
        source=CHR_SOURCE,
        vintage=vintage,
        plausible_min=low,
        plausible_max=high,
    )


def _chr_place(frame: pl.DataFrame, problems: _Problems, header_row: int) -> pl.DataFrame:
    if "fipscode" in frame.columns:
        return _fips_places(frame, problems, fips_column="fipscode")
    if "fips" in frame.columns:
        return _fips_places(frame, problems, fips_column="fips")
    _require_columns(frame, ["statecode", "countycode"], problems, header_row)
    return _fips_places(
        frame, problems, fips_column=None, state_column="statecode", county_column="countycode"
    )


def _place_names(frame: pl.DataFrame, name: pl.Expr) -> dict[str, str]:
    """Place code -> the name the file gives it (first row of each place, blanks skipped)."""
    if "place" not in frame.columns:
        return {}
    named = (
        frame.select(pl.col("place"), name.str.strip_chars().alias("__name"))
        .filter(pl.col("place").is_not_null() & (pl.col("__name").fill_null("") != ""))
        .unique("place", keep="first")
    )
    return dict(named.iter_rows())


def _chr_place_names(frame: pl.DataFrame) -> dict[str, str]:
    """CHR files name places in ``county`` ("Autauga County", or the state's name on
    state rows) and ``state`` (its postal abbreviation)."""
    if "county" not in frame.columns:
        return {}
    county = pl.col("county").str.strip_chars()
    if "state" in frame.columns:
        county = (
            pl.when(pl.col("place").str.len_chars() == 5)
            .then(pl.concat_str([county, pl.col("state").str.strip_chars()], separator=", "))
            .otherwise(county)
        )
    return _place_names(frame, county)


def _chr_wide(
    frame: pl.DataFrame,
    *,
    header_row: int,
    period: str | None,
    labels: Mapping[str, str],
    levels: Collection[PlaceLevel],
    indicators: Collection[str] | None,
    max_problems: int,
    problems: _Problems,
) -> ImportedTable:
    """Shared reader for CHR wide layouts (per-measure files and the analytic file)."""
    mapping: list[dict[str, str]] = []
    for name in frame.columns:
        match = _CHR_WIDE.match(name)
        if not match:
            continue
        ind = match["ind"]
        if indicators is not None and ind not in indicators:
            continue
        group = match["race"] or TOTAL
        field = _CHR_FIELD[match["field"] or match["rfield"]]
        mapping.append({"column": name, "indicator_id": ind, "group": group, "field": field})
    if not mapping:
        wanted = ", ".join(sorted(indicators or []))
        problems.add(
            header_row,
            None,
            f"none of the measures asked for ({wanted}) is in this file",
            "no_measures",
            measures=wanted,
        )
        problems.raise_if_any()
    if period is None and "year" not in frame.columns:
        problems.add(
            header_row,
            "year",
            "required column is missing (or pass a period)",
            "missing_year",
        )
    problems.raise_if_any()
    frame = _chr_place(frame, problems, header_row)
    if period is not None:
        frame = frame.with_columns(period=pl.lit(period))
    else:
        frame = frame.with_columns(period=pl.col("year").str.strip_chars())
        for (row,) in (
            frame.filter(~pl.col("period").str.contains(r"^\d{4}$")).select(ROW).iter_rows()
        ):
            problems.add(row, "year", "the year is not a 4-digit year", "bad_year")
    columns = [m["column"] for m in mapping]
    frame = _parse_numbers(frame, columns, problems, labels=None)
    problems.raise_if_any()
    frame = _filter_levels(frame, levels)
    long = frame.select(ROW, "place", "period", *columns).unpivot(
        index=[ROW, "place", "period"], on=columns, variable_name="column", value_name="number"
    )
    long = long.join(pl.DataFrame(mapping), on="column").filter(pl.col("number").is_not_null())
    tidy = long.pivot(
        on="field",
        index=[ROW, "place", "period", "indicator_id", "group"],
        values="number",
        aggregate_function="first",
    )
    flag = pl.col("flag") if "flag" in tidy.columns else pl.lit(None, dtype=pl.Float64)
    # CHR flags: 1 = unreliable, 2 = suppressed; "." or empty = no flag.
    tidy = tidy.with_columns(source_unreliable=flag.is_in([1.0, 2.0]).fill_null(False))
    vintages = frame["period"].unique().sort().to_list()
    vintage = ", ".join(vintages) if vintages else None
    if period is None:
        # The analytic file's "year" is the release; each measure's data years follow.
        releases = tidy.select("indicator_id", "period").unique()
        data_years = pl.DataFrame(
            [
                {
                    "indicator_id": ind,
                    "period": year,
                    "__data_years": chr_data_years(ind, year) or release_label(year),
                }
                for ind, year in releases.iter_rows()
            ],
            schema={"indicator_id": pl.String, "period": pl.String, "__data_years": pl.String},
        )
        tidy = (
            tidy.join(data_years, on=["indicator_id", "period"], how="left")
            .with_columns(period=pl.col("__data_years"))
            .drop("__data_years")
        )
    observations = _finish(tidy).sort("indicator_id", "place", "period", "group")
    catalog = []
    for ind in sorted({m["indicator_id"] for m in mapping}):
        label = labels.get(f"{ind}_rawvalue", "")
        display = label.removesuffix(" raw value").strip() or None
        catalog.append(chr_indicator(ind, name=display, vintage=vintage))
    return ImportedTable(observations, tuple(catalog), _chr_place_names(frame))


def read_chr_analytic(
    source: Source,
    *,
    indicators: Collection[str] | None = None,
    levels: Collection[PlaceLevel] = ("nation", "state", "county"),
    max_problems: int = DEFAULT_MAX_PROBLEMS,
) -> ImportedTable:
    """Read the official County Health Rankings analytic CSV (any year).

    Row 1 holds labels, row 2 the variable codes (``statecode``, ``countycode``,
    ``fipscode``, ``year``, ``vNNN_rawvalue``/``_numerator``/``_denominator``/``_cilow``/
    ``_cihigh``/``_flag`` and ``vNNN_race_<group>``/``_cilow``/``_cihigh``/``_flag``).
    Columns are found by pattern, so measures that come and go between years are read
    as they are. ``_other_data_N`` columns are not observations of the measure and are
    skipped. The ``year`` column is the release; each measure's period is its data years
    where they are documented (:func:`~.periods.chr_data_years`: life expectancy in the
    2025 release is ``"2020-2022"``), else ``"<year> release"``. A flag of 1
    (unreliable) or 2 (suppressed) sets ``source_unreliable``.
    """
    problems = _Problems(max_problems)
    headers, frame = _read_strings(
        source, header_rows=2, problems=problems, layout=detect.CHR_ANALYTIC
    )
    labels = dict(zip([c.strip() for c in headers[1]], headers[0], strict=False))
    return _chr_wide(
        frame,
        header_row=2,
        period=None,
        labels=labels,
        levels=levels,
        indicators=indicators,
        max_problems=max_problems,
        problems=problems,
    )


def read_chr_measure_wide(
    source: Source,
    *,
    period: str,
    levels: Collection[PlaceLevel] = ("nation", "state", "county"),
    max_problems: int = DEFAULT_MAX_PROBLEMS,
) -> ImportedTable:
    """Read a CHR per-measure wide file such as ``v147_other_r2024_wide.csv``.

    Columns: ``statecode``, ``countycode`` (or ``fips``), then ``vNNN_race_<group>``
    with ``_cilow``/``_cihigh`` and optionally ``vNNN_rawvalue`` for the total. The
    file does not say its period, so the caller does.
    """
    problems = _Problems(max_problems)
    _, frame = _read_strings(source, header_rows=1, problems=problems, layout=detect.CHR_WIDE)
    return _chr_wide(
        frame,
        header_row=1,
        period=period,
        labels={},
        levels=levels,
        indicators=None,
        max_problems=max_problems,
        problems=problems,
    )


def read_chr_measure_long(
    source: Source,
    *,
    period: str,
    levels: Collection[PlaceLevel] = ("nation", "state", "county"),
    max_problems: int = DEFAULT_MAX_PROBLEMS,
) -> ImportedTable:
    """Read a CHR per-measure long file such as ``v147_other_r2024_long.csv``.

    Columns: ``statecode``, ``countycode``, ``race`` (1 white, 2 black, 3 aian, 4 asian,
    5 nhopi, 6 two or more, 8 hispanic; empty for all races), ``vNNN_rawvalue``,
    ``vNNN_cilow``, ``vNNN_cihigh``.
    """
    problems = _Problems(max_problems)
    _, frame = _read_strings(source, header_rows=1, problems=problems, layout=detect.CHR_LONG)
    value_columns = [c for c in frame.columns if re.match(r"^v\d{3}_rawvalue$", c)]
    if len(value_columns) != 1:
        problems.add(
            1,
            None,
            "expected exactly one vNNN_rawvalue column",
            "one_measure_column",
            found=", ".join(value_columns) or "-",
        )
    _require_columns(frame, ["race"], problems, 1)
    ind = value_columns[0][:4]
    race = pl.col("race").str.strip_chars()
    codes = pl.DataFrame(
        {"race": [*CHR_RACE_CODES, ""], "group": [*CHR_RACE_CODES.values(), TOTAL]}
    )
    frame = frame.with_columns(race=race).join(codes, on="race", how="left")
    for row, code in frame.filter(pl.col("group").is_null()).select(ROW, "race").iter_rows():
        problems.add(
            row,
            "race",
            f"unknown race code {code!r} (expected 1-6 or 8)",
            "bad_race_code",
            text=repr(code),
        )
    frame = _chr_place(frame, problems, 1)
    fields = {f"{ind}_rawvalue": "value", f"{ind}_cilow": "ci_low", f"{ind}_cihigh": "ci_high"}
    present = [c for c in fields if c in frame.columns]
    frame = _parse_numbers(frame, present, problems)
    problems.raise_if_any()
    frame = _filter_levels(frame, levels).rename({c: fields[c] for c in present})
    dupes = frame.filter(pl.struct("place", "group").is_duplicated())
    for row, place, group in dupes.select(ROW, "place", "group").head(max_problems).iter_rows():
        problems.add(
            row,
            "race",
            f"second row for place {place} and group {group}",
            "duplicate_place_group",
            place=place,
            group=group,
        )
    problems.raise_if_any()
    observations = _finish(
        frame.with_columns(indicator_id=pl.lit(ind), period=pl.lit(period))
    ).sort("indicator_id", "place", "period", "group")
    return ImportedTable(
        observations, (chr_indicator(ind, vintage=period),), _chr_place_names(frame)
    )


_COUNT_COLUMN = re.compile(r"^(num|denom|rate|lci|uci|unreliable|rse)(?:_([a-z]*))?$")
_COUNT_FIELD = {
    "num": "numerator",
    "denom": "denominator",
    "rate": "value",
    "lci": "ci_low",
    "uci": "ci_high",
    "unreliable": "unreliable",
}


def read_chr_counts(
    source: Source,
    *,
    indicator_id: str,
    period: str,
    levels: Collection[PlaceLevel] = ("nation", "state", "county"),
    max_problems: int = DEFAULT_MAX_PROBLEMS,
) -> ImportedTable:
    """Read a CHR calculation file with counts, e.g. ``v037_singlerace_how.csv``/``v037_how.csv``.

    Columns ``num``, ``denom``, ``rate``, ``lci``, ``uci``, ``unreliable`` (all races), or
    the same with a ``_<group>`` suffix per race; ``num_`` (empty suffix: births whose
    race is none of the listed groups) becomes group ``other``. ``unreliable`` = 1 sets
    ``source_unreliable``. Places come from ``fips`` or ``statecode``/``countycode``.
    """
    problems = _Problems(max_problems)
    _, frame = _read_strings(source, header_rows=1, problems=problems, layout=detect.CHR_COUNTS)
    mapping = []
    for name in frame.columns:
        match = _COUNT_COLUMN.match(name)
        if match and match[1] in _COUNT_FIELD:
            suffix = match[2]
            group = TOTAL if suffix is None else (suffix or "other")
            mapping.append({"column": name, "group": group, "field": _COUNT_FIELD[match[1]]})
    if not any(m["field"] == "value" for m in mapping):
        problems.add(1, "rate", "required column is missing (rate or rate_<group>)", "missing_rate")
    problems.raise_if_any()
    frame = _chr_place(frame, problems, 1)
    columns = [m["column"] for m in mapping]
    frame = _parse_numbers(frame, columns, problems)
    problems.raise_if_any()
    frame = _filter_levels(frame, levels)
    long = (
        frame.select(ROW, "place", *columns)
        .unpivot(index=[ROW, "place"], on=columns, variable_name="column", value_name="number")
        .join(pl.DataFrame(mapping), on="column")
    )
    tidy = long.pivot(on="field", index=[ROW, "place", "group"], values="number")
    unreliable = pl.col("unreliable") if "unreliable" in tidy.columns else pl.lit(None)
    tidy = tidy.with_columns(
        indicator_id=pl.lit(indicator_id),
        period=pl.lit(period),
        source_unreliable=(unreliable == 1).fill_null(False),
    )
    observations = _finish(tidy).sort("indicator_id", "place", "period", "group")
    return ImportedTable(
        observations,
        (chr_indicator(indicator_id, vintage=period),),
        _chr_place_names(frame),
    )


# --- CDC PLACES -------------------------------------------------------------------------

PLACES_SOURCE = "CDC PLACES"
# Prevention measures: a higher share is better. Every other PLACES measure (outcomes,
# risk behaviours, disabilities, and ACCESS2, the share *without* insurance) is lower-better.
_PLACES_HIGHER = {
    "BPMED", "CERVICAL", "CHECKUP", "CHOLSCREEN", "COLON_SCREEN", "COREM", "COREW",
    "DENTAL", "MAMMOUSE",
}  # fmt: skip
_PLACES_MEASURE = re.compile(r"^(?P<m>[A-Z0-9_]+?)_(?P<kind>Crude|Adj)Prev$")
_CI_PATTERN = r"^\(\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s*\)$"


def read_places_county(
    source: Source,
    *,
    period: str,
    measures: Collection[str] | None = None,
    max_problems: int = DEFAULT_MAX_PROBLEMS,
) -> ImportedTable:
    """Read the CDC PLACES county file (GIS-friendly format).

    Columns ``CountyFIPS``, ``TotalPopulation`` and per measure ``<M>_CrudePrev``,
    ``<M>_Crude95CI`` (a string such as ``"( 7.1,  7.8)"``), ``<M>_AdjPrev``,
    ``<M>_Adj95CI``. Each prevalence becomes indicator ``<M>_CrudePrev`` or
    ``<M>_AdjPrev`` (unit: percent), group ``total``, with the county population.
    """
    problems = _Problems(max_problems)
    _, frame = _read_strings(source, header_rows=1, problems=problems, layout=detect.PLACES)
    _require_columns(frame, ["CountyFIPS"], problems, 1)
    specs = []
    for name in frame.columns:
        match = _PLACES_MEASURE.match(name)
        if match and (measures is None or match["m"] in measures):
            specs.append((name, match["m"], match["kind"]))
    if not specs:
        wanted = ", ".join(sorted(measures or []))
        problems.add(
            1,
            None,
            f"none of the measures asked for ({wanted}) is in this file",
            "no_measures",
            measures=wanted,
        )
    problems.raise_if_any()
    frame = _fips_places(frame, problems, fips_column="CountyFIPS")
    numeric = [s[0] for s in specs] + (
        ["TotalPopulation"] if "TotalPopulation" in frame.columns else []
    )
    frame = _parse_numbers(frame, numeric, problems)
    parts = []
    for column, measure, kind in specs:
        ci_column = f"{measure}_{kind}95CI"
        ci = (
            pl.col(ci_column).str.strip_chars()
            if ci_column in frame.columns
            else pl.lit(None, pl.String)
        )
        parts.append(
            frame.select(
                pl.col(ROW),
                pl.col("place"),
                pl.lit(column).alias("indicator_id"),
                pl.col(column).alias("value"),
                (
                    pl.col("TotalPopulation")
                    if "TotalPopulation" in frame.columns
                    else pl.lit(None)
                ).alias("population"),
                ci.alias("__ci"),
                pl.lit(ci_column).alias("__ci_column"),
            )
        )
    long = pl.concat(parts).with_columns(
        ci_low=pl.col("__ci").str.extract(_CI_PATTERN, 1).cast(pl.Float64, strict=False),
        ci_high=pl.col("__ci").str.extract(_CI_PATTERN, 2).cast(pl.Float64, strict=False),
    )
    bad = long.filter(
        pl.col("__ci").is_not_null()
        & ~pl.col("__ci").is_in(list(MISSING))
        & pl.col("ci_high").is_null()
    )
    for row, column, text in bad.select(ROW, "__ci_column", "__ci").head(max_problems).iter_rows():
        problems.add(
            row,
            column,
            f"{text!r} is not a confidence interval like '( 7.1,  7.8)'",
            "bad_ci",
            text=repr(text),
        )
    problems.raise_if_any()
    observations = _finish(long.with_columns(group=pl.lit(TOTAL), period=pl.lit(period))).sort(
        "indicator_id", "place", "period", "group"
    )
    catalog = tuple(
        Indicator(
            id=column,
            name=f"{measure} ({'crude' if kind == 'Crude' else 'age-adjusted'} prevalence)",
            unit="percent",
            direction="higher" if measure in _PLACES_HIGHER else "lower",
            source=PLACES_SOURCE,
            vintage=period,
            plausible_min=0,
            plausible_max=100,
        )
        for column, measure, kind in specs
    )
    names: dict[str, str] = {}
    if "CountyName" in frame.columns:
        county = pl.col("CountyName").str.strip_chars()
        if "StateAbbr" in frame.columns:
            county = pl.concat_str([county, pl.col("StateAbbr").str.strip_chars()], separator=", ")
        names = _place_names(frame, county)
    return ImportedTable(observations, catalog, names)


# --- CDC/ATSDR SVI ----------------------------------------------------------------------

SVI_SOURCE = "CDC/ATSDR Social Vulnerability Index"
SVI_MISSING = (*MISSING, "-999", "-999.0")
# ACS margins of error are 90% intervals.
_SVI_Z90 = 1.0


def read_svi_county(
    source: Source,
    *,
    period: str,
    max_problems: int = DEFAULT_MAX_PROBLEMS,
) -> ImportedTable:
    """Read the CDC/ATSDR SVI county file (UTF-8 with a byte-order mark; -999 = missing).

    Indicators: every ``EP_*`` percentage, with ``ci_low``/``ci_high`` = estimate ∓
    ``MP_*`` (the ACS 90% margin of error), and the theme percentile ranks
    ``RPL_THEME1``-``RPL_THEME4`` and ``RPL_THEMES`` (0-1). Population is ``E_TOTPOP``.
    Higher vulnerability is worse, so every indicator is lower-better.
    """
    problems = _Problems(max_problems)
    _, frame = _read_strings(source, header_rows=1, problems=problems, layout=detect.SVI)
    _require_columns(frame, ["FIPS"], problems, 1)
    estimates = [c for c in frame.columns if c.startswith("EP_")]
    ranks = [c for c in frame.columns if re.match(r"^RPL_THEME(S|\d)$", c)]
    if not estimates and not ranks:
        clue = detect.describe_columns(frame.columns[1:], detect.SVI)
        problems.add(1, None, clue.text, clue.code, **clue.params)
    problems.raise_if_any()
    frame = _fips_places(frame, problems, fips_column="FIPS")
    margins = [f"MP_{c[3:]}" for c in estimates if f"MP_{c[3:]}" in frame.columns]
    population = ["E_TOTPOP"] if "E_TOTPOP" in frame.columns else []
    frame = _parse_numbers(
        frame, [*estimates, *margins, *ranks, *population], problems, missing=SVI_MISSING
    )
    problems.raise_if_any()
    pop = pl.col("E_TOTPOP") if population else pl.lit(None, pl.Float64)
    parts = []
    for column in [*estimates, *ranks]:
        margin = f"MP_{column[3:]}"
        moe = pl.col(margin) if column.startswith("EP_") and margin in frame.columns else None
        parts.append(
            frame.select(
                pl.lit(column).alias("indicator_id"),
                pl.col("place"),
                pl.col(column).alias("value"),
                pop.alias("population"),
                (
                    pl.col(column) - _SVI_Z90 * moe if moe is not None else pl.lit(None, pl.Float64)
                ).alias("ci_low"),
                (
                    pl.col(column) + _SVI_Z90 * moe if moe is not None else pl.lit(None, pl.Float64)
                ).alias("ci_high"),
            )
        )
    observations = _finish(
        pl.concat(parts).with_columns(group=pl.lit(TOTAL), period=pl.lit(period))
    ).sort("indicator_id", "place", "period", "group")
    catalog = tuple(
        Indicator(
            id=c,
            name=c,
            unit="percent" if c.startswith("EP_") else "percentile rank (0-1)",
            direction="lower",
            source=SVI_SOURCE,
            vintage=period,
            plausible_min=0,
            plausible_max=100 if c.startswith("EP_") else 1,
        )
        for c in [*estimates, *ranks]
    )
    names = _place_names(frame, pl.col("LOCATION")) if "LOCATION" in frame.columns else {}
    return ImportedTable(observations, catalog, names)


# --- generic tidy CSV / XLSX ------------------------------------------------------------

TIDY_REQUIRED = ("place", "period", "group", "value")
TIDY_NUMBERS = ("value", "numerator", "denominator", "population", "ci_low", "ci_high")
_TIDY_ALIASES = {"indicator": "indicator_id", "unreliable": "source_unreliable"}
_TIDY_NAME_COLUMNS = ("place_name", "name")
_TRUE = {"1", "true", "yes", "y", "t"}
_FALSE = {"0", "false", "no", "n", "f", "", "."}


def read_tidy(
    source: Source | bytes,
    *,
    indicator_id: str = "indicator",
    place_type: PlaceType | None = None,
    sheet: str | None = None,
    max_problems: int = DEFAULT_MAX_PROBLEMS,
) -> ImportedTable:
    """Read a tidy CSV or XLSX: ``place, period, group, value`` and optionally ``numerator,
    denominator, population, ci_low, ci_high``, ``indicator`` and ``source_unreliable``.

    Column names are matched case-insensitively. Without an ``indicator`` column every
    row belongs to ``indicator_id``. With ``place_type`` (``county``, ``state``, ``tract``,
    ``zip``) places are normalized and bad codes reported; otherwise they are kept as
    written (coalition-defined neighbourhoods). An empty ``value`` is a missing
    observation; text in a number column, an empty place/period/group and a second row
    for the same indicator, place, period and group are problems. An XLSX workbook is
    given as its path or its bytes and read with ``commonground.lib.tabular_core``.
    """
    problems = _Problems(max_problems)
    is_xlsx = isinstance(source, bytes) or (
        isinstance(source, str | Path) and str(source).lower().endswith((".xlsx", ".xlsm"))
    )
    if is_xlsx:
        assert isinstance(source, bytes | str | Path)
        frame = _read_xlsx_strings(source, sheet=sheet, problems=problems)
    else:
        assert not isinstance(source, bytes)
        _, frame = _read_strings(source, header_rows=1, problems=problems, layout=detect.TIDY)
    renames = {}
    for name in frame.columns:
        key = name.strip().lower()
        key = _TIDY_ALIASES.get(key, key)
        if key != name and key in TIDY_SCHEMA and key not in frame.columns:
            renames[name] = key
    frame = frame.rename(renames)
    _require_columns(frame, TIDY_REQUIRED, problems, 1)
    for name in ("place", "period", "group"):
        frame = frame.with_columns(pl.col(name).str.strip_chars())
        for (row,) in frame.filter(pl.col(name) == "").select(ROW).head(max_problems).iter_rows():
            problems.add(row, name, "empty: every row needs a place, period and group", "empty_key")
    frame = frame.with_columns(pl.col("group").str.to_lowercase())
    numbers = [c for c in TIDY_NUMBERS if c in frame.columns]
    frame = _parse_numbers(frame, numbers, problems)
    if "source_unreliable" in frame.columns:
        flag = pl.col("source_unreliable").str.strip_chars().str.to_lowercase()
        for row, text in (
            frame.filter(~flag.is_in([*_TRUE, *_FALSE]))
            .select(ROW, "source_unreliable")
            .iter_rows()
        ):
            problems.add(
                row,
                "source_unreliable",
                f"{text!r} is not yes/no or 1/0",
                "not_yes_no",
                text=repr(text),
            )
        frame = frame.with_columns(source_unreliable=flag.is_in(list(_TRUE)))
    for column in ("numerator", "denominator", "population"):
        if column in frame.columns:
            for row, number in frame.filter(pl.col(column) < 0).select(ROW, column).iter_rows():
                problems.add(
                    row, column, f"{number:g} is negative", "negative", number=f"{number:g}"
                )
    if "indicator_id" in frame.columns:
        frame = frame.with_columns(pl.col("indicator_id").str.strip_chars())
    else:
        frame = frame.with_columns(indicator_id=pl.lit(indicator_id))
    if place_type is not None:
        normalized: dict[str, str | None] = {}
        for place in frame["place"].unique().to_list():
            try:
                normalized[place] = normalize_place(place, place_type)
            except FipsError as exc:
                normalized[place] = None
                for (row,) in frame.filter(pl.col("place") == place).select(ROW).iter_rows():
                    problems.add(
                        row, "place", str(exc), "bad_place", text=repr(place), kind=place_type
                    )
        frame = frame.with_columns(pl.col("place").replace_strict(normalized, default=None))
    problems.raise_if_any()
    keys = ["indicator_id", "place", "period", "group"]
    dupes = frame.filter(pl.struct(keys).is_duplicated()).sort(ROW)
    if dupes.height:
        first_rows = dupes.group_by(keys).agg(pl.col(ROW).min().alias("__first"))
        for row, first, place, period, group in (
            dupes.join(first_rows, on=keys)
            .filter(pl.col(ROW) != pl.col("__first"))
            .sort(ROW)
            .select(ROW, "__first", "place", "period", "group")
            .iter_rows()
        ):
            problems.add(
                row,
                "group",
                f"repeats row {first} (place {place}, period {period}, group {group})",
                "repeated_row",
                first=first,
                place=place,
                period=period,
                group=group,
            )
    problems.raise_if_any()
    observations = _finish(frame)
    catalog = tuple(
        Indicator(id=i, name=i, unit=None, direction=None, source="tidy file", vintage=None)
        for i in sorted(frame["indicator_id"].unique().to_list())
    )
    label = next((c for c in frame.columns if c.strip().lower() in _TIDY_NAME_COLUMNS), None)
    names = _place_names(frame, pl.col(label)) if label else {}
    return ImportedTable(observations, catalog, names)
