"""The measurement core's messages in the reader's language.

The pure core (``measurement.domain``) cannot use Django's translations, so it says what
it finds as codes with parameters: a reader's problem (``RowProblem.code``), a piece of
evidence of the layout detector (``detect.Clue``), a place to check after an import
(``kind``), a reliability flag (a bit). This module turns each into a sentence with
gettext. A code it does not know falls back to the core's English sentence, which
``test_messages`` forbids for every code the core can produce.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from commonground.measurement.domain import equity
from commonground.measurement.domain.catalog import localized_name
from commonground.measurement.domain.detect import Clue
from commonground.measurement.models import ImportJob

#: RowProblem codes -> sentences (parameters as the core names them).
PROBLEMS: dict[str, Promise] = {
    "invalid_csv": gettext_lazy("not valid CSV: %(detail)s"),
    "no_header": gettext_lazy("the file ends before its header"),
    "duplicate_column": gettext_lazy("the column name appears twice"),
    "short_row": gettext_lazy(
        "has %(fields)s fields, fewer than the %(columns)s columns of the header "
        "(is the file truncated?)"
    ),
    "long_row": gettext_lazy(
        "has %(fields)s fields, more than the %(columns)s columns of the header"
    ),
    "no_rows": gettext_lazy("the file has no data rows"),
    "unreadable_workbook": gettext_lazy("the workbook cannot be read: %(detail)s"),
    "no_sheet": gettext_lazy("no sheet %(sheet)s (it has %(titles)s)"),
    "empty_sheet": gettext_lazy("the sheet is empty"),
    "not_a_number": gettext_lazy("%(text)s is not a number"),
    "missing_column": gettext_lazy("required column is missing"),
    "missing_rate": gettext_lazy("required column is missing (rate or rate_<group>)"),
    "missing_year": gettext_lazy("required column is missing (or enter the period)"),
    "bad_year": gettext_lazy("the year is not a 4-digit year"),
    "bad_fips": gettext_lazy("%(text)s is not a county FIPS code (5 digits, state first)"),
    "bad_place": gettext_lazy("%(text)s is not a valid code for this kind of place (%(kind)s)"),
    "one_measure_column": gettext_lazy(
        "expected exactly one vNNN_rawvalue column (found: %(found)s)"
    ),
    "bad_race_code": gettext_lazy("unknown race code %(text)s (expected 1-6 or 8)"),
    "duplicate_place_group": gettext_lazy("second row for place %(place)s and group %(group)s"),
    "bad_ci": gettext_lazy("%(text)s is not a confidence interval like '( 7.1,  7.8)'"),
    "empty_key": gettext_lazy("empty: every row needs a place, period and group"),
    "not_yes_no": gettext_lazy("%(text)s is not yes/no or 1/0"),
    "negative": gettext_lazy("%(number)s is negative"),
    "repeated_row": gettext_lazy(
        "repeats row %(first)s (place %(place)s, period %(period)s, group %(group)s)"
    ),
    "no_measures": gettext_lazy("none of the measures asked for (%(measures)s) is in this file"),
    "looks_like": gettext_lazy(
        "This file does not look like a “%(expected)s”: it looks like a “%(layout)s” "
        "(its columns: %(columns)s). Choose that layout."
    ),
    "not_this_layout": gettext_lazy(
        "This file does not look like a “%(expected)s”: its columns are %(columns)s."
    ),
    "more_problems": gettext_lazy("more problems not shown"),
    # Not the reader's but the lock's (``services.release_lock_error``): the import would
    # change values the metrics committee released.
    "release_locked": gettext_lazy(
        "The %(period)s values of %(name)s were released on %(date)s; reopen that release "
        "to change them."
    ),
}

#: Detector clues -> sentences.
CLUES: dict[str, Promise] = {
    "analytic_codes_row": gettext_lazy(
        "row 2 holds variable codes (%(columns)s) for %(count)s measures"
    ),
    "analytic_labels_row": gettext_lazy("row 1 holds their labels (such as “%(label)s”)"),
    "release_year": gettext_lazy("its “year” column gives the release: %(year)s"),
    "place_columns": gettext_lazy("places are given by %(columns)s"),
    "long_race_column": gettext_lazy(
        "one row per group: a “race” column and one value column (%(column)s)"
    ),
    "wide_measure_columns": gettext_lazy("one row per place, with measure columns (%(columns)s)"),
    "counts_columns": gettext_lazy("counts and rates (%(columns)s)"),
    "places_columns": gettext_lazy(
        "a CountyFIPS column and %(count)s prevalence columns (%(columns)s)"
    ),
    "svi_columns": gettext_lazy(
        "a FIPS column and %(count)s SVI estimates and ranks (%(columns)s)"
    ),
    "tidy_columns": gettext_lazy("the columns place, period, group and value"),
    "tidy_partial": gettext_lazy("some tidy columns (%(columns)s) but not %(missing)s"),
    "unknown_columns": gettext_lazy(
        "its columns (%(columns)s) match none of the layouts CommonGround reads"
    ),
    "measure_in_columns": gettext_lazy("its columns hold the measure %(code)s"),
    "measure_in_name": gettext_lazy("the file name names the measure %(code)s"),
    "places_release": gettext_lazy(
        "the file name says the %(release)s release; each PLACES release models the BRFSS "
        "survey of two years before (%(period)s)"
    ),
    "svi_year": gettext_lazy(
        "the file name says SVI %(year)s, built from the American Community Survey 5-year "
        "estimates %(period)s"
    ),
}

#: Places to check after an import (``ImportJob.unmatched_places[].kind``).
UNMATCHED: dict[str, Promise] = {
    "unknown_county": gettext_lazy("not a known US county: kept, but not on the map"),
    "served_missing": gettext_lazy("a county you serve, with no rows in the file"),
}

#: Reliability flags (``equity`` bits).
FLAGS: dict[int, Promise] = {
    equity.SUPPRESSED: gettext_lazy("count of 1-10 suppressed"),
    equity.FEW_EVENTS: gettext_lazy("fewer than 20 events"),
    equity.WIDE_CI: gettext_lazy("confidence interval too wide"),
    equity.SOURCE_UNRELIABLE: gettext_lazy("flagged unreliable by the source"),
    equity.IMPLAUSIBLE: gettext_lazy("implausible value"),
}


def layout_label(code: str) -> str:
    """The layout's name as the import form lists it."""
    return str(dict(ImportJob.Layout.choices).get(code, code))


def _fill(template: Promise, params: Mapping[str, Any]) -> str | None:
    values = dict(params)
    for key in ("expected", "layout"):
        if key in values:
            values[key] = layout_label(str(values[key]))
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return None


def problem_text(problem: Mapping[str, Any]) -> str:
    """A stored problem (``{"row", "column", "problem", "code", "params"}``) in the
    reader's language; problems stored before codes existed keep their English. An
    indicator named in the parameters (``indicator_code``, ``indicator_name``) is named
    in the reader's language too."""
    template = PROBLEMS.get(str(problem.get("code") or ""))
    if template is not None:
        params = dict(problem.get("params") or {})
        if "indicator_code" in params and "indicator_name" in params:
            params["name"] = localized_name(
                str(params["indicator_code"]), str(params["indicator_name"]), get_language() or "en"
            )
        text = _fill(template, params)
        if text is not None:
            return text
    return str(problem.get("problem", ""))


def clue_text(clue: Clue) -> str:
    template = CLUES.get(clue.code) or PROBLEMS.get(clue.code)
    if template is not None:
        text = _fill(template, clue.params)
        if text is not None:
            return text
    return clue.text


def unmatched_text(place: Mapping[str, Any]) -> str:
    template = UNMATCHED.get(str(place.get("kind") or ""))
    return str(template) if template is not None else str(place.get("reason", ""))


def flag_reasons(flags: int) -> tuple[str, ...]:
    """The reliability reasons encoded in ``flags``, translated."""
    return tuple(str(text) for bit, text in FLAGS.items() if flags & bit)


def confidence_text(confidence: str) -> str:
    return {
        "high": _("sure"),
        "medium": _("fairly sure"),
    }.get(confidence, _("not sure"))
