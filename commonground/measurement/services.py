"""Writes: imports, targets and the metrics framework. Each runs in one transaction with
its audit row; an import is all-or-nothing."""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from commonground import geo
from commonground.coalitions.models import AuditEvent, Coalition, Place
from commonground.coalitions.services import record_audit
from commonground.measurement.domain import catalog, importers
from commonground.measurement.domain.equity import flags_expr
from commonground.measurement.domain.errors import FileProblemError, MeasurementError
from commonground.measurement.domain.fips import place_level
from commonground.measurement.models import (
    ImportJob,
    Indicator,
    MeasureValue,
    Observation,
    PerformanceMeasure,
    PriorityArea,
    Result,
    Target,
)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
Layout = ImportJob.Layout
NEEDS_PERIOD = {Layout.CHR_WIDE, Layout.CHR_LONG, Layout.CHR_COUNTS, Layout.PLACES, Layout.SVI}
NEEDS_INDICATOR = {Layout.CHR_COUNTS}
PLACE_TYPES = ("county", "state", "tract", "zip", "neighborhood")
VALUE_FIELDS = (
    "value",
    "numerator",
    "denominator",
    "population",
    "ci_low",
    "ci_high",
    "source_unreliable",
    "flags",
)


@dataclass(frozen=True, slots=True)
class ImportCounts:
    created: int
    updated: int
    unchanged: int


# --- checking an upload -------------------------------------------------------------------


def check_upload(*, file_name: str, content: bytes, layout: str) -> None:
    """Refuse a file that is too large, empty, or not of the type its name and layout say.

    CSV must be text (no NUL bytes, UTF-8 or Windows-1252); XLSX must be a zip archive
    (``PK`` magic bytes) and only the tidy layout reads it.
    """
    if layout not in Layout.values:
        raise ValidationError({"layout": _("Choose one of the listed layouts.")})
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                "file": _(
                    "The file is %(size).1f MB; the limit is 10 MB. Split it by state or "
                    "keep only the columns you need."
                )
                % {"size": len(content) / 1024 / 1024}
            }
        )
    if not content:
        raise ValidationError({"file": _("The file is empty.")})
    name = file_name.lower()
    if name.endswith((".xlsx", ".xlsm")):
        if not content.startswith(b"PK\x03\x04"):
            raise ValidationError(
                {"file": _("The file is named .xlsx but is not an Excel workbook.")}
            )
        if layout != Layout.TIDY:
            raise ValidationError(
                {"file": _("Only the tidy layout can be read from Excel; save the file as CSV.")}
            )
        return
    if not name.endswith((".csv", ".txt")):
        raise ValidationError({"file": _("Choose a .csv or .xlsx file.")})
    if b"\x00" in content[:65536] or content.startswith(b"PK\x03\x04"):
        raise ValidationError({"file": _("The file is named .csv but does not hold text.")})


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252")


def read_upload(job: ImportJob, content: bytes) -> importers.ImportedTable:
    """Read the job's file with the reader for its layout (raises ``FileProblemError``)."""
    period = job.period
    layout = job.layout
    if layout == Layout.TIDY and job.file_name.lower().endswith((".xlsx", ".xlsm")):
        # openpyxl reads from a path or a binary file object.
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
            handle.write(content)
            handle.flush()
            return importers.read_tidy(
                Path(handle.name),
                indicator_id=job.indicator_code or "indicator",
                place_type=_tidy_place_type(job.place_type),
            )
    text = io.StringIO(_decode(content), newline="")
    if layout == Layout.CHR_WIDE:
        return importers.read_chr_measure_wide(text, period=period)
    if layout == Layout.CHR_LONG:
        return importers.read_chr_measure_long(text, period=period)
    if layout == Layout.CHR_COUNTS:
        return importers.read_chr_counts(text, indicator_id=job.indicator_code, period=period)
    if layout == Layout.CHR_ANALYTIC:
        return importers.read_chr_analytic(text)
    if layout == Layout.PLACES:
        return importers.read_places_county(text, period=period)
    if layout == Layout.SVI:
        return importers.read_svi_county(text, period=period)
    return importers.read_tidy(
        text,
        indicator_id=job.indicator_code or "indicator",
        place_type=_tidy_place_type(job.place_type),
    )


def _tidy_place_type(place_type: str) -> Any:
    return place_type if place_type in {"county", "state", "tract", "zip"} else None


# --- jobs ---------------------------------------------------------------------------------


@transaction.atomic
def create_import_job(
    *,
    coalition: Coalition,
    actor: Any,
    file_name: str,
    content: bytes,
    layout: str,
    period: str = "",
    indicator_code: str = "",
    place_type: str = "",
    only_states: Sequence[str] = (),
) -> ImportJob:
    """Check an upload and queue its import; the task runs once the transaction commits."""
    check_upload(file_name=file_name, content=content, layout=layout)
    period = period.strip()
    if layout in NEEDS_PERIOD and not period:
        raise ValidationError(
            {"period": _("This layout does not say its period: enter it (e.g. 2020-2022).")}
        )
    if layout in NEEDS_INDICATOR and not indicator_code.strip():
        raise ValidationError(
            {"indicator_code": _("Enter the measure's code (e.g. v037 for low birthweight).")}
        )
    if place_type and place_type not in PLACE_TYPES:
        raise ValidationError({"place_type": _("Choose one of the listed kinds of place.")})
    states = []
    for state in only_states:
        code = state.strip().zfill(2)
        if not code.isdigit() or len(code) != 2:
            raise ValidationError(
                {"only_states": _("%(code)r is not a 2-digit state FIPS code.") % {"code": state}}
            )
        states.append(code)
    with scope(coalition=coalition):
        job = ImportJob.objects.create(
            coalition=coalition,
            file_name=Path(file_name).name[:200],
            layout=layout,
            period=period,
            indicator_code=indicator_code.strip(),
            place_type=place_type,
            only_states=sorted(set(states)),
            content=content,
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        record_audit(
            coalition=coalition,
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=job,
            summary=f"Started importing {job.file_name}",
        )
    return job


def _save_progress(job: ImportJob, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def run_import_job(*, job_id: int) -> ImportJob:
    """Run a queued import: read, check, then write everything in one transaction.

    Progress is saved between steps (outside the write transaction, so a poller sees
    it). On any problem the job is marked failed with the problems and no observation
    is written.
    """
    with scopes_disabled():
        job = ImportJob.objects.select_related("coalition").get(pk=job_id)
    coalition = job.coalition
    with scope(coalition=coalition):
        if job.is_finished:
            return job
        _save_progress(job, status=ImportJob.Status.RUNNING, progress=0.05)
        content = bytes(job.content)
        try:
            table = read_upload(job, content)
        except FileProblemError as error:
            problems = [
                {"row": p.row, "column": p.column, "problem": p.problem} for p in error.problems
            ]
            if error.truncated:
                problems.append({"row": None, "column": None, "problem": "more problems not shown"})
            return _fail(job, problems)
        except (MeasurementError, ValueError) as error:
            return _fail(job, [{"row": None, "column": None, "problem": str(error)}])
        _save_progress(job, progress=0.4, rows_read=_rows_read(table))
        try:
            counts, unmatched = import_table(coalition=coalition, table=table, job=job)
        except ValidationError as error:
            return _fail(job, [{"row": None, "column": None, "problem": m} for m in error.messages])
        except DatabaseError as error:
            return _fail(job, [{"row": None, "column": None, "problem": f"database: {error}"}])
        _save_progress(
            job,
            status=ImportJob.Status.SUCCEEDED,
            progress=1.0,
            observations_created=counts.created,
            observations_updated=counts.updated,
            observations_unchanged=counts.unchanged,
            unmatched_places=unmatched,
            content=b"",
            finished_at=timezone.now(),
        )
    return job


def _fail(job: ImportJob, problems: list[dict[str, Any]]) -> ImportJob:
    _save_progress(
        job,
        status=ImportJob.Status.FAILED,
        progress=1.0,
        problems=problems,
        finished_at=timezone.now(),
    )
    return job


def _rows_read(table: importers.ImportedTable) -> int:
    return table.observations.height


def import_path(
    *,
    coalition: Coalition,
    actor: Any,
    path: Path,
    layout: str,
    period: str = "",
    indicator_code: str = "",
    place_type: str = "",
    only_states: Sequence[str] = (),
) -> ImportJob:
    """Import a file from disk now (the demo, tests and the command line)."""
    job = create_import_job(
        coalition=coalition,
        actor=actor,
        file_name=path.name,
        content=path.read_bytes(),
        layout=layout,
        period=period,
        indicator_code=indicator_code,
        place_type=place_type,
        only_states=only_states,
    )
    return run_import_job(job_id=job.pk)


# --- writing a table ----------------------------------------------------------------------


def _place_type(code: str, hint: str) -> str:
    if hint == "neighborhood":
        return "neighborhood"
    level = place_level(code)
    if level == "other":
        return hint or "neighborhood"
    if hint == "zip" and len(code) == 5:
        return "zip"
    return str(level)


def _unmatched(coalition: Coalition, codes: Iterable[str]) -> list[dict[str, str]]:
    """Counties of the file no map knows, and the coalition's counties the file lacks."""
    found = set(codes)
    out = []
    for code in sorted(found):
        if place_level(code) != "county":
            continue
        try:
            geo.county(code)
        except geo.PlaceError:
            out.append({"code": code, "reason": "not a known US county; kept, but not on the map"})
    served = Place.objects.filter(coalition=coalition, kind=Place.Kind.COUNTY)
    for place in served:
        if place.code not in found:
            out.append(
                {"code": place.code, "reason": "a county you serve, with no rows in the file"}
            )
    return out


def _indicator_defaults(entry: importers.Indicator) -> dict[str, Any]:
    plain = catalog.describe(entry.id, entry.name)
    return {
        "name": plain.name[:200],
        "description": plain.description,
        "domain": plain.domain,
        "unit": (entry.unit or "")[:80],
        "direction": entry.direction or "",
        "source": entry.source[:160],
        "vintage": (entry.vintage or "")[:80],
        "plausible_min": entry.plausible_min,
        "plausible_max": entry.plausible_max,
        "max_ci_width": plain.max_ci_width,
    }


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-12)
    return bool(a == b)


@transaction.atomic
def import_table(
    *, coalition: Coalition, table: importers.ImportedTable, job: ImportJob
) -> tuple[ImportCounts, list[dict[str, str]]]:
    """Upsert a read table's indicators and observations on their natural key.

    The key is (indicator, place type, place, period, group): importing the same file
    again finds every row equal and changes nothing. Indicators the coalition already
    has keep their name, domain and direction (it may have edited them).
    """
    frame = table.observations
    if job.only_states:
        first_two = pl.col("place").str.slice(0, 2)
        is_fips = pl.col("place").str.contains(r"^\d+$")
        frame = frame.filter(
            ~is_fips | (pl.col("place") == "00") | first_two.is_in(list(job.only_states))
        )
    if frame.height == 0:
        raise ValidationError(_("No rows are left to import (check the states you kept)."))
    used = set(frame["indicator_id"].unique().to_list())
    entries = [entry for entry in table.indicators if entry.id in used]
    known = {i.code: i for i in Indicator.objects.filter(code__in=[e.id for e in entries])}
    for entry in entries:
        if entry.id in known:
            indicator = known[entry.id]
            if entry.vintage and entry.vintage not in indicator.vintage.split(", "):
                indicator.vintage = ", ".join(
                    sorted({*filter(None, indicator.vintage.split(", ")), entry.vintage})
                )[:80]
                indicator.save(update_fields=["vintage"])
            continue
        indicator = Indicator.objects.create(
            coalition=coalition, code=entry.id[:80], **_indicator_defaults(entry)
        )
        known[entry.id] = indicator
        record_audit(
            coalition=coalition,
            actor=job.created_by,
            action=AuditEvent.Action.CREATE,
            obj=indicator,
            summary=f"Added indicator {indicator.code} from {job.file_name}",
        )
    frame = pl.concat(
        [
            part.with_columns(flags=flags_expr(known[code].rules()).cast(pl.Int64))
            for (code,), part in frame.partition_by("indicator_id", as_dict=True).items()
        ]
    )
    existing = {
        (o.indicator_id, o.place_type, o.place_code, o.period, o.group): o
        for o in Observation.objects.filter(indicator__in=list(known.values()))
    }
    to_create: list[Observation] = []
    to_update: list[Observation] = []
    unchanged = 0
    hint = job.place_type
    place_types: dict[str, str] = {}
    for row in frame.iter_rows(named=True):
        code = row["place"]
        if code not in place_types:
            place_types[code] = _place_type(code, hint)
        indicator = known[row["indicator_id"]]
        key = (indicator.pk, place_types[code], code[:80], row["period"][:40], row["group"][:40])
        values = {name: row[name] for name in VALUE_FIELDS}
        values["flags"] = int(values["flags"] or 0)
        values["source_unreliable"] = bool(values["source_unreliable"])
        found = existing.get(key)
        if found is None:
            to_create.append(
                Observation(
                    coalition=coalition,
                    indicator=indicator,
                    place_type=key[1],
                    place_code=key[2],
                    period=key[3],
                    group=key[4],
                    import_job=job,
                    **values,
                )
            )
            existing[key] = to_create[-1]
        elif all(_same(getattr(found, name), value) for name, value in values.items()):
            unchanged += 1
        else:
            for name, value in values.items():
                setattr(found, name, value)
            found.import_job = job
            to_update.append(found)
    Observation.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        Observation.objects.bulk_update(to_update, [*VALUE_FIELDS, "import_job"], batch_size=500)
    counts = ImportCounts(len(to_create), len(to_update), unchanged)
    unmatched = _unmatched(coalition, place_types)
    record_audit(
        coalition=coalition,
        actor=job.created_by,
        action=AuditEvent.Action.UPDATE,
        obj=job,
        summary=(
            f"Imported {job.file_name}: {counts.created} new, {counts.updated} changed, "
            f"{counts.unchanged} unchanged observations"
        ),
        after={"created": counts.created, "updated": counts.updated, "unchanged": unchanged},
    )
    return counts, unmatched


# --- targets and the metrics framework ----------------------------------------------------


@transaction.atomic
def create_target(
    *,
    coalition: Coalition,
    actor: Any,
    title: str,
    indicator: Indicator,
    place_code: str,
    kind: str,
    target_year: int,
    group: str = "total",
    reference_group: str = "",
    reduction: float = 0.5,
    target_value: float | None = None,
    result: Result | None = None,
) -> Target:
    """Set a target; a gap target names two groups and the share of the gap to close."""
    if indicator.coalition_id != coalition.pk or (result and result.coalition_id != coalition.pk):
        raise ValidationError(_("The indicator or result belongs to another coalition."))
    if kind == Target.Kind.GAP and not reference_group:
        raise ValidationError({"reference_group": _("Name the group the gap is measured from.")})
    if kind == Target.Kind.VALUE and target_value is None:
        raise ValidationError({"target_value": _("Enter the value to reach.")})
    if not 0 < reduction <= 1:
        raise ValidationError({"reduction": _("The share of the gap to close is between 0 and 1.")})
    with scope(coalition=coalition):
        target = Target.objects.create(
            coalition=coalition,
            title=title,
            indicator=indicator,
            place_code=place_code,
            kind=kind,
            group=group,
            reference_group=reference_group,
            reduction=reduction,
            target_value=target_value,
            target_year=target_year,
            result=result,
        )
        record_audit(
            coalition=coalition,
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=target,
            summary=f"Set the target “{title}”",
        )
    return target


@transaction.atomic
def add_priority_area(
    *, coalition: Coalition, actor: Any, name: str, order: int = 0
) -> PriorityArea:
    with scope(coalition=coalition):
        area = PriorityArea.objects.create(coalition=coalition, name=name, order=order)
        record_audit(
            coalition=coalition,
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=area,
            summary=f"Added priority area {name}",
        )
    return area


@transaction.atomic
def add_result(
    *,
    coalition: Coalition,
    actor: Any,
    priority_area: PriorityArea,
    statement: str,
    indicators: Sequence[Indicator] = (),
    order: int = 0,
    **turn_the_curve: str,
) -> Result:
    """Add a result (a condition of well-being) with its population indicators."""
    if priority_area.coalition_id != coalition.pk or any(
        i.coalition_id != coalition.pk for i in indicators
    ):
        raise ValidationError(_("The priority area or an indicator belongs to another coalition."))
    allowed = {"story_behind_curve", "partners", "what_works", "action_items"}
    if set(turn_the_curve) - allowed:
        raise ValueError(f"unknown fields: {sorted(set(turn_the_curve) - allowed)}")
    with scope(coalition=coalition):
        result = Result.objects.create(
            coalition=coalition,
            priority_area=priority_area,
            statement=statement,
            order=order,
            **turn_the_curve,
        )
        result.indicators.set(indicators)
        record_audit(
            coalition=coalition,
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=result,
            summary=f"Added result “{statement}”",
        )
    return result


@transaction.atomic
def add_performance_measure(
    *,
    coalition: Coalition,
    actor: Any,
    result: Result,
    name: str,
    kind: str,
    program: str = "",
    unit: str = "",
    direction: str = "higher",
    target_value: float | None = None,
    values: Sequence[tuple[str, float]] = (),
) -> PerformanceMeasure:
    """Add a program's performance measure and its values over time."""
    if result.coalition_id != coalition.pk:
        raise ValidationError(_("The result belongs to another coalition."))
    if kind not in PerformanceMeasure.Kind.values:
        raise ValidationError({"kind": _("Choose one of the three kinds of measure.")})
    with scope(coalition=coalition):
        measure = PerformanceMeasure.objects.create(
            coalition=coalition,
            result=result,
            name=name,
            kind=kind,
            program=program,
            unit=unit,
            direction=direction,
            target_value=target_value,
        )
        MeasureValue.objects.bulk_create(
            MeasureValue(coalition=coalition, measure=measure, period=p, value=v) for p, v in values
        )
        record_audit(
            coalition=coalition,
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=measure,
            summary=f"Added performance measure “{name}”",
            after={"values": [[p, v] for p, v in values]},
        )
    return measure


@transaction.atomic
def record_measure_value(
    *, coalition: Coalition, actor: Any, measure: PerformanceMeasure, period: str, value: float
) -> MeasureValue:
    """Record (or correct) a performance measure's value for a period."""
    if measure.coalition_id != coalition.pk:
        raise ValidationError(_("The measure belongs to another coalition."))
    period = period.strip()
    if not period:
        raise ValidationError({"period": _("Enter the period (e.g. 2024).")})
    if not math.isfinite(value):
        raise ValidationError({"value": _("Enter a number.")})
    with scope(coalition=coalition):
        found = MeasureValue.objects.filter(measure=measure, period=period).first()
        before = {"value": found.value} if found else None
        row, created = MeasureValue.objects.update_or_create(
            coalition=coalition, measure=measure, period=period, defaults={"value": value}
        )
        record_audit(
            coalition=coalition,
            actor=actor,
            action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            obj=row,
            summary=f"Recorded {measure.name} for {period}: {value:g}",
            before=before,
            after={"value": value},
        )
    return row


TURN_THE_CURVE_FIELDS = ("story_behind_curve", "partners", "what_works", "action_items")


@transaction.atomic
def update_turn_the_curve(
    *, coalition: Coalition, actor: Any, result: Result, **fields: str
) -> Result:
    """Save a result's turn-the-curve notes: story, partners, what works, actions."""
    if result.coalition_id != coalition.pk:
        raise ValidationError(_("The result belongs to another coalition."))
    unknown = set(fields) - set(TURN_THE_CURVE_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    with scope(coalition=coalition):
        before = {name: getattr(result, name) for name in fields}
        for name, value in fields.items():
            setattr(result, name, value.strip())
        result.save(update_fields=list(fields))
        record_audit(
            coalition=coalition,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=result,
            summary=f"Updated the turn-the-curve notes of “{result.statement}”"[:200],
            before=before,
            after={name: getattr(result, name) for name in fields},
        )
    return result
