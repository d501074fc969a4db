"""Say which layout a data file has, from its header rows (and its name), with the evidence.

:func:`detect_layout` reads only the first rows of a file and scores every layout the
importers read (:data:`LAYOUTS`); the best score wins when it is high enough. Each piece
of evidence is a :class:`Clue`: a code and its parameters (the pages translate them) and
the same sentence in English. The detection also picks up what the file itself says
about its contents: the County Health Rankings measure a per-measure file holds (from
its columns, or its name such as ``v037_how.csv``), the release year of an analytic
file (its ``year`` column), and the data years a PLACES or SVI file's name implies.

:func:`describe_columns` is what a reader says when it is given a file of another
layout: what the file looks like, never that the file is wrong.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice

from commonground.lib.tabular_core import TabularError, read_workbook

CHR_ANALYTIC = "chr_analytic"
CHR_WIDE = "chr_wide"
CHR_LONG = "chr_long"
CHR_COUNTS = "chr_counts"
PLACES = "places"
SVI = "svi"
TIDY = "tidy"
LAYOUTS = (CHR_ANALYTIC, CHR_WIDE, CHR_LONG, CHR_COUNTS, PLACES, SVI, TIDY)

#: English names of the layouts, as the problem messages use them.
LAYOUT_NAMES = {
    CHR_ANALYTIC: "County Health Rankings analytic data (two header rows)",
    CHR_WIDE: "County Health Rankings measure file, wide (one row per place)",
    CHR_LONG: "County Health Rankings measure file, long (one row per group)",
    CHR_COUNTS: "County Health Rankings counts file (num, denom, rate)",
    PLACES: "CDC PLACES county file",
    SVI: "CDC/ATSDR Social Vulnerability Index county file",
    TIDY: "tidy file (place, period, group, value)",
}

#: A score at or above this picks the layout; below it the file's layout is unknown.
ACCEPT = 0.6
HIGH = 0.9

_MEASURE = re.compile(r"^v\d{3}_")
_RAWVALUE = re.compile(r"^v\d{3}_rawvalue$")
_CHR_RACE = re.compile(r"^v\d{3}_race_[a-z]+$")
_CHR_MEASURE_COLUMN = re.compile(
    r"^v\d{3}_(rawvalue|numerator|denominator|cilow|cihigh|race_[a-z]+)$"
)
_COUNTS = re.compile(r"^(num|denom|rate)(_[a-z]*)?$")
_PLACES_MEASURE = re.compile(r"^[A-Z0-9_]+_(Crude|Adj)Prev$")
_SVI_MEASURE = re.compile(r"^(EP_[A-Z0-9]+|RPL_THEME(S|\d))$")
_FILE_MEASURE = re.compile(r"(?:^|[^a-z0-9])(v\d{3})(?:_|\.|$)", re.IGNORECASE)
_PLACES_RELEASE = re.compile(r"(?:^|[^0-9])(20\d{2})[ _-]*release", re.IGNORECASE)
_SVI_YEAR = re.compile(r"svi[ _-]*(20\d{2})", re.IGNORECASE)
_YEAR = re.compile(r"^(19|20)\d{2}$")
TIDY_COLUMNS = ("place", "period", "group", "value")


@dataclass(frozen=True, slots=True)
class Clue:
    """One piece of evidence: a code with parameters (for translation) and the English."""

    code: str
    params: Mapping[str, str] = field(default_factory=dict)
    text: str = ""

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class Detection:
    """What a file looks like.

    ``layout`` is the best layout when its score reaches :data:`ACCEPT`, else ``None``;
    ``confidence`` is ``"high"``, ``"medium"`` or ``"none"``. ``clues`` say why.
    ``scores`` has every layout's score (0-1). ``indicator_code`` is the County Health
    Rankings measure the file holds when it holds one (``v037``), ``release_year`` the
    analytic file's release (``"2025"``), ``period`` the data years the file or its name
    states for every row (``period_clue`` says where it comes from). ``columns`` are the
    names of the header row that carries the column codes.
    """

    layout: str | None
    confidence: str
    clues: tuple[Clue, ...]
    scores: Mapping[str, float]
    columns: tuple[str, ...]
    header_rows: int = 1
    indicator_code: str | None = None
    release_year: str | None = None
    period: str | None = None
    period_clue: Clue | None = None

    @property
    def score(self) -> float:
        return self.scores.get(self.layout, 0.0) if self.layout else 0.0


def _shown(columns: Sequence[str], limit: int = 6) -> str:
    names = [c for c in columns if c][:limit]
    more = len([c for c in columns if c]) - len(names)
    return ", ".join(names) + (f" … (+{more})" if more > 0 else "")


def read_header_rows(
    content: bytes | str, file_name: str = "", *, rows: int = 3
) -> list[list[str]]:
    """The first ``rows`` records of a CSV (or the first sheet of a workbook), as text.

    Text is UTF-8 (a byte-order mark is dropped) or, failing that, Windows-1252. A file
    that is not CSV at all gives what the csv module makes of it; detection then finds
    no layout and says so.
    """
    if isinstance(content, bytes) and (
        file_name.lower().endswith((".xlsx", ".xlsm")) or content.startswith(b"PK\x03\x04")
    ):
        try:
            sheets = read_workbook(content)
        except TabularError:
            return []
        records = next(iter(sheets.values()), [])
        return [
            ["" if cell is None else str(cell).strip() for cell in record]
            for record in records[:rows]
        ]
    if isinstance(content, bytes):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1252", errors="replace")
    else:
        text = content.lstrip("\ufeff")
    try:
        found = list(islice(csv.reader(io.StringIO(text, newline="")), rows))
    except csv.Error:
        return []
    return [[cell.strip().lstrip("\ufeff") for cell in record] for record in found]


def _has_place_codes(names: set[str]) -> bool:
    return {"statecode", "countycode"} <= names or bool(names & {"fips", "fipscode"})


def _chr_measure_from_name(file_name: str) -> str | None:
    match = _FILE_MEASURE.search(file_name.rsplit("/", 1)[-1])
    return match[1].lower() if match else None


def _score_chr_analytic(first: list[str], second: list[str]) -> tuple[float, list[Clue]]:
    codes = set(second)
    measures = [c for c in second if _RAWVALUE.match(c)]
    if not measures or not _has_place_codes(codes):
        return 0.0, []
    keys = [c for c in second if c in {"statecode", "countycode", "fipscode", "year"}]
    shown = _shown([*keys, *measures[:2]], 8)
    clues = [
        Clue(
            "analytic_codes_row",
            {"columns": shown, "count": str(len(measures))},
            f"row 2 holds variable codes ({shown}) for {len(measures)} measures",
        )
    ]
    labels = [label for label, code in zip(first, second, strict=False) if code == measures[0]]
    if labels and labels[0]:
        clues.append(
            Clue(
                "analytic_labels_row",
                {"label": labels[0]},
                f"row 1 holds their labels (such as {labels[0]!r})",
            )
        )
    return 0.99, clues


def _score_chr_per_measure(names: list[str]) -> dict[str, tuple[float, list[Clue]]]:
    found = set(names)
    out: dict[str, tuple[float, list[Clue]]] = {}
    places = _has_place_codes(found)
    place_clue = Clue(
        "place_columns",
        {
            "columns": _shown(
                [c for c in names if c in {"statecode", "countycode", "fips", "fipscode"}]
            )
        },
        "places are given by "
        + _shown([c for c in names if c in {"statecode", "countycode", "fips", "fipscode"}]),
    )
    measures = [c for c in names if _CHR_MEASURE_COLUMN.match(c)]
    rawvalues = [c for c in names if _RAWVALUE.match(c)]
    # Without place columns the file is still recognisably of the layout (the reader
    # then names the missing columns), but less surely.
    sure = 0.95 if places else 0.65
    if "race" in found and len(rawvalues) == 1:
        out[CHR_LONG] = (
            sure,
            [
                Clue(
                    "long_race_column",
                    {"column": rawvalues[0]},
                    f"one row per group: a 'race' column and one value column ({rawvalues[0]})",
                ),
                place_clue,
            ],
        )
    if measures and "race" not in found:
        races = [c for c in names if _CHR_RACE.match(c)]
        out[CHR_WIDE] = (
            sure if races or rawvalues else 0.65,
            [
                Clue(
                    "wide_measure_columns",
                    {"columns": _shown(measures, 4)},
                    f"one row per place with measure columns ({_shown(measures, 4)})",
                ),
                place_clue,
            ],
        )
    counts = [c for c in names if _COUNTS.match(c)]
    if any(c.startswith("rate") for c in counts) and len(counts) >= 2:
        out[CHR_COUNTS] = (
            sure,
            [
                Clue(
                    "counts_columns",
                    {"columns": _shown(counts, 4)},
                    f"counts and rates ({_shown(counts, 4)})",
                ),
                place_clue,
            ],
        )
    return out


def _score_places(names: list[str]) -> tuple[float, list[Clue]]:
    measures = [c for c in names if _PLACES_MEASURE.match(c)]
    if not measures:
        return 0.0, []
    return 0.97 if "CountyFIPS" in names else 0.65, [
        Clue(
            "places_columns",
            {"columns": _shown(["CountyFIPS", *measures[:2]]), "count": str(len(measures))},
            f"a CountyFIPS column and {len(measures)} prevalence columns ({_shown(measures[:2])})",
        )
    ]


def _score_svi(names: list[str]) -> tuple[float, list[Clue]]:
    measures = [c for c in names if _SVI_MEASURE.match(c)]
    if not measures:
        return 0.0, []
    return 0.97 if "FIPS" in names else 0.65, [
        Clue(
            "svi_columns",
            {"columns": _shown(["FIPS", *measures[:2]]), "count": str(len(measures))},
            f"a FIPS column and {len(measures)} SVI estimates and ranks ({_shown(measures[:2])})",
        )
    ]


def _score_tidy(names: list[str]) -> tuple[float, list[Clue]]:
    lowered = {n.strip().lower() for n in names}
    lowered |= {"indicator_id"} if "indicator" in lowered else set()
    present = [c for c in TIDY_COLUMNS if c in lowered]
    if len(present) == len(TIDY_COLUMNS):
        return 0.9, [
            Clue(
                "tidy_columns",
                {"columns": ", ".join(TIDY_COLUMNS)},
                "the columns place, period, group and value",
            )
        ]
    if len(present) >= 2:
        missing = [c for c in TIDY_COLUMNS if c not in lowered]
        return 0.4, [
            Clue(
                "tidy_partial",
                {"columns": ", ".join(present), "missing": ", ".join(missing)},
                f"some tidy columns ({', '.join(present)}) but not {', '.join(missing)}",
            )
        ]
    return 0.0, []


def _places_period(file_name: str) -> tuple[str | None, Clue | None]:
    match = _PLACES_RELEASE.search(file_name)
    if not match:
        return None, None
    release = int(match[1])
    data_year = str(release - 2)
    return data_year, Clue(
        "places_release",
        {"release": str(release), "period": data_year},
        f"the file name says the {release} release; each PLACES release models the "
        f"BRFSS survey of two years before ({data_year})",
    )


def _svi_period(file_name: str) -> tuple[str | None, Clue | None]:
    match = _SVI_YEAR.search(file_name)
    if not match:
        return None, None
    year = int(match[1])
    period = f"{year - 4}-{year}"
    return period, Clue(
        "svi_year",
        {"year": str(year), "period": period},
        f"the file name says SVI {year}, built from the American Community Survey "
        f"5-year estimates {period}",
    )


def detect_rows(rows: Sequence[Sequence[str]], file_name: str = "") -> Detection:
    """Detect the layout from a file's first rows (see :func:`detect_layout`)."""
    first = [c.strip().lstrip("\ufeff") for c in rows[0]] if rows else []
    second = [c.strip() for c in rows[1]] if len(rows) > 1 else []
    scores: dict[str, float] = dict.fromkeys(LAYOUTS, 0.0)
    clues: dict[str, list[Clue]] = {layout: [] for layout in LAYOUTS}

    score, found = _score_chr_analytic(first, second)
    scores[CHR_ANALYTIC], clues[CHR_ANALYTIC] = score, found
    for name, (s, c) in _score_chr_per_measure(first).items():
        scores[name], clues[name] = s, c
    scores[PLACES], clues[PLACES] = _score_places(first)
    scores[SVI], clues[SVI] = _score_svi(first)
    scores[TIDY], clues[TIDY] = _score_tidy(first)
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        # Only the tidy layout is read from workbooks.
        for name in LAYOUTS:
            if name != TIDY:
                scores[name] = 0.0

    best = max(LAYOUTS, key=lambda layout: scores[layout])
    layout = best if scores[best] >= ACCEPT else None
    columns = tuple(second if layout == CHR_ANALYTIC else first)
    header_rows = 2 if layout == CHR_ANALYTIC else 1
    confidence = "high" if layout and scores[best] >= HIGH else "medium" if layout else "none"
    evidence = list(clues[best]) if layout else []
    if layout is None:
        evidence.append(
            Clue(
                "unknown_columns",
                {"columns": _shown(first, 8)},
                f"its columns ({_shown(first, 8)}) match none of the layouts CommonGround reads",
            )
        )
        if clues[best]:
            evidence.extend(clues[best])

    indicator_code = release = period = None
    period_clue: Clue | None = None
    if layout in {CHR_WIDE, CHR_LONG, CHR_COUNTS}:
        codes = sorted({c[:4] for c in first if _MEASURE.match(c)})
        if len(codes) == 1:
            indicator_code = codes[0]
            evidence.append(
                Clue(
                    "measure_in_columns",
                    {"code": indicator_code},
                    f"its columns hold the measure {indicator_code}",
                )
            )
        elif not codes and (from_name := _chr_measure_from_name(file_name)):
            indicator_code = from_name
            evidence.append(
                Clue(
                    "measure_in_name",
                    {"code": indicator_code},
                    f"the file name names the measure {indicator_code}",
                )
            )
    if layout == CHR_ANALYTIC and len(rows) > 2 and "year" in second:
        value = rows[2][second.index("year")].strip() if second.index("year") < len(rows[2]) else ""
        if _YEAR.match(value):
            release = value
            evidence.append(
                Clue(
                    "release_year",
                    {"year": value},
                    f"its 'year' column gives the release, {value}",
                )
            )
    if layout == PLACES:
        period, period_clue = _places_period(file_name)
    elif layout == SVI:
        period, period_clue = _svi_period(file_name)
    return Detection(
        layout=layout,
        confidence=confidence,
        clues=tuple(evidence),
        scores=scores,
        columns=columns,
        header_rows=header_rows,
        indicator_code=indicator_code,
        release_year=release,
        period=period,
        period_clue=period_clue,
    )


def detect_layout(content: bytes | str, file_name: str = "") -> Detection:
    """Detect the layout of a file (its bytes or text) from its first rows and its name.

    >>> d = detect_layout("place,period,group,value\\n01101,2024,total,5\\n", "visits.csv")
    >>> d.layout, d.confidence
    ('tidy', 'high')
    """
    return detect_rows(read_header_rows(content, file_name), file_name)


def describe_columns(
    columns: Sequence[str], expected: str, *, second_row: Sequence[str] = ()
) -> Clue:
    """What a reader of layout ``expected`` says of a file whose header is ``columns``.

    It names what the file looks like (another layout, or its first columns), never
    that the file is broken: the file is fine, the layout chosen for it is not.
    """
    rows = [list(columns), list(second_row)] if second_row else [list(columns)]
    found = detect_rows(rows)
    expected_name = LAYOUT_NAMES.get(expected, expected)
    if found.layout and found.layout != expected:
        return Clue(
            "looks_like",
            {
                "expected": expected,
                "layout": found.layout,
                "columns": _shown(found.columns),
            },
            f"this file does not look like a {expected_name}: it looks like a "
            f"{LAYOUT_NAMES[found.layout]} (its columns: {_shown(found.columns)}). "
            f"Choose that layout.",
        )
    return Clue(
        "not_this_layout",
        {"expected": expected, "columns": _shown(columns, 8)},
        f"this file does not look like a {expected_name}: its columns are {_shown(columns, 8)}.",
    )
