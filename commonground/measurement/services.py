"""Writes: imports, targets and the metrics framework. Each runs in one transaction with
its audit row; an import is all-or-nothing."""

from __future__ import annotations

import contextlib
import io
import logging
import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scope, scopes_disabled

from commonground import geo
from commonground.coalitions.models import AuditEvent, Coalition, Place
from commonground.coalitions.services import record_audit
from commonground.lib import tabular
from commonground.lib.versioning import save_versioned
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

logger = logging.getLogger(__name__)

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

    CSV must be text (no NUL bytes, UTF-8 or Windows-1252); XLSX must be a workbook
    package (``commonground.lib.tabular.check_workbook``) and only the tidy layout reads it.
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
        try:
            tabular.check_workbook(content)
        except tabular.TabularError as error:
            raise ValidationError({"file": tabular.describe(error)}) from None
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
        # Read through commonground.lib.tabular_core (limits checked before reading).
        return importers.read_tidy(
            content,
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


STALE_AFTER = timedelta(minutes=2)
"""A running import whose heartbeat is older than this lost its worker (see ``ImportJob``).

``settings.IMPORT_STALE_AFTER`` overrides it. A live import beats every few seconds."""
HEARTBEAT_SECONDS = 5.0


class JobSupersededError(Exception):
    """The job is no longer this run's: it was marked failed as stale, or retried."""


def stale_after() -> timedelta:
    value = getattr(settings, "IMPORT_STALE_AFTER", STALE_AFTER)
    return value if isinstance(value, timedelta) else timedelta(seconds=float(value))


class _Run:
    """One attempt at a job. Every write checks that the job is still running on this
    attempt, and refreshes its heartbeat."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.attempt = job.attempt
        self._last = time.monotonic()

    def save(self, **fields: Any) -> None:
        fields["heartbeat_at"] = timezone.now()
        changed = ImportJob.objects.filter(
            pk=self.job.pk, attempt=self.attempt, status=ImportJob.Status.RUNNING
        ).update(**fields)
        if changed != 1:
            raise JobSupersededError(self.job.pk)
        for name, value in fields.items():
            setattr(self.job, name, value)
        self._last = time.monotonic()

    def beat(self) -> None:
        """Refresh the heartbeat if the last write is a few seconds old."""
        if time.monotonic() - self._last >= HEARTBEAT_SECONDS:
            self.save()

    def fail(self, problems: list[dict[str, Any]]) -> None:
        self.save(
            status=ImportJob.Status.FAILED,
            progress=1.0,
            problems=problems,
            finished_at=timezone.now(),
        )


def _problem(message: str) -> dict[str, Any]:
    return {"row": None, "column": None, "problem": message}


def run_import_job(*, job_id: int) -> ImportJob:
    """Run a queued import: read and check the file, plan every change, then write them
    all in one short transaction.

    Reading, checking and planning (the slow part) run outside any transaction, so
    other people's requests are never kept waiting on the database's write lock by an
    import; the write itself is one transaction (all-or-nothing) that also marks the job
    done. Progress and the heartbeat are saved between steps. On any problem, including
    an unexpected exception, the job is marked failed with a message and no observation
    is written. A job that is no longer queued (already run, or taken by another worker)
    is left alone.
    """
    fail_stale_jobs()  # jobs whose worker died before this one started
    with scopes_disabled():
        job = ImportJob.objects.select_related("coalition").get(pk=job_id)
    coalition = job.coalition
    with scope(coalition=coalition):
        claimed = ImportJob.objects.filter(
            pk=job.pk, attempt=job.attempt, status=ImportJob.Status.QUEUED
        ).update(status=ImportJob.Status.RUNNING, progress=0.05, heartbeat_at=timezone.now())
        if claimed != 1:
            job.refresh_from_db()
            return job
        job.status, job.progress = ImportJob.Status.RUNNING, 0.05
        run = _Run(job)
        try:
            _run_import(run, coalition)
        except JobSupersededError:
            logger.warning("Import job %s was given up on or retried; this run stopped.", job.pk)
        except Exception as error:
            logger.exception("Import job %s stopped with an unexpected error", job.pk)
            message = _(
                "The import stopped because of an unexpected error (%(error)s). "
                "Nothing was imported; an administrator can retry it."
            ) % {"error": f"{type(error).__name__}: {error}"[:300]}
            with contextlib.suppress(JobSupersededError):
                run.fail([_problem(message)])
        job.refresh_from_db()
    return job


def _run_import(run: _Run, coalition: Coalition) -> None:
    job = run.job
    try:
        table = read_upload(job, bytes(job.content))
    except FileProblemError as error:
        problems = [
            {"row": p.row, "column": p.column, "problem": p.problem} for p in error.problems
        ]
        if error.truncated:
            problems.append(_problem("more problems not shown"))
        run.fail(problems)
        return
    except (MeasurementError, ValueError) as error:
        run.fail([_problem(str(error))])
        return
    run.save(progress=0.4, rows_read=_rows_read(table))
    for tries_left in (1, 0):
        try:
            plan = plan_import(coalition=coalition, table=table, job=job, beat=run.beat)
            run.save(progress=0.8)
            apply_import(coalition=coalition, plan=plan, run=run)
            return
        except ValidationError as error:
            run.fail([_problem(m) for m in error.messages])
            return
        except IntegrityError as error:
            if tries_left:
                continue  # another import added some of the same rows meanwhile: plan again
            run.fail([_problem(f"database: {error}")])
            return
        except DatabaseError as error:
            run.fail([_problem(f"database: {error}")])
            return


def fail_stale_jobs(
    *, coalition: Coalition | None = None, worker_died: bool = False
) -> list[ImportJob]:
    """Mark failed every running import whose heartbeat is older than ``stale_after()``.

    Its worker died (killed, restarted, out of memory): nothing will finish the job.
    Each job gets a problem that says so and an audit row; a retry starts it again.
    Called whenever the job list or a job page is shown, and by each worker run.
    ``worker_died=True`` (the demo's supervisor, which runs the only worker, saw it
    exit) fails every running job at once, whatever its heartbeat.
    """
    cutoff = timezone.now() - (timedelta(0) if worker_died else stale_after())
    minutes = max(1, round(stale_after().total_seconds() / 60))
    if worker_died:
        problem = _(
            "The import stopped: the background worker stopped while it ran. Nothing was "
            "imported; an administrator can retry it."
        )
    else:
        problem = ngettext(
            "The import stopped: its worker has not reported for more than %(minutes)d "
            "minute (it was stopped or restarted). Nothing was imported; an administrator "
            "can retry it.",
            "The import stopped: its worker has not reported for more than %(minutes)d "
            "minutes (it was stopped or restarted). Nothing was imported; an administrator "
            "can retry it.",
            minutes,
        ) % {"minutes": minutes}
    stale = Q(heartbeat_at__lte=cutoff) | Q(heartbeat_at__isnull=True, created_at__lte=cutoff)
    with scopes_disabled():
        candidates = ImportJob.objects.filter(stale, status=ImportJob.Status.RUNNING)
        if coalition is not None:
            candidates = candidates.filter(coalition=coalition)
        found = list(candidates.select_related("coalition").defer("content"))
    failed = []
    for job in found:
        with transaction.atomic(), scope(coalition=job.coalition):
            changed = (
                ImportJob.objects.filter(stale, pk=job.pk, attempt=job.attempt)
                .filter(status=ImportJob.Status.RUNNING)
                .update(
                    status=ImportJob.Status.FAILED,
                    problems=[_problem(problem)],
                    finished_at=timezone.now(),
                )
            )
            if changed != 1:
                continue  # it beat, finished or failed in between
            record_audit(
                coalition=job.coalition,
                actor=None,
                action=AuditEvent.Action.UPDATE,
                obj=job,
                summary=f"Marked the import of {job.file_name} failed: its worker stopped",
                before={"status": ImportJob.Status.RUNNING, "progress": job.progress},
                after={"status": ImportJob.Status.FAILED},
            )
        job.status = ImportJob.Status.FAILED
        failed.append(job)
    return failed


@transaction.atomic
def retry_import_job(*, coalition: Coalition, actor: Any, job: ImportJob) -> ImportJob:
    """Queue a failed import again (the caller enqueues the task once this commits).

    The file is kept while a job has not succeeded, so the retry reads the same file.
    """
    if job.coalition_id != coalition.pk:
        raise ValidationError(_("The import belongs to another coalition."))
    if job.status != ImportJob.Status.FAILED:
        raise ValidationError(_("Only an import that failed can be tried again."))
    if not job.content:
        raise ValidationError(_("The file of this import is no longer kept; upload it again."))
    with scope(coalition=coalition):
        changed = ImportJob.objects.filter(
            pk=job.pk, attempt=job.attempt, status=ImportJob.Status.FAILED
        ).update(
            status=ImportJob.Status.QUEUED,
            attempt=job.attempt + 1,
            progress=0.0,
            rows_read=0,
            problems=[],
            unmatched_places=[],
            heartbeat_at=None,
            finished_at=None,
        )
        if changed != 1:
            raise ValidationError(_("This import changed meanwhile; reload the page."))
        before = {"status": job.status, "attempt": job.attempt, "problems": job.problems[:5]}
        job.refresh_from_db()
        record_audit(
            coalition=coalition,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=job,
            summary=f"Retried the import of {job.file_name} (attempt {job.attempt})",
            before=before,
            after={"status": job.status, "attempt": job.attempt},
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


KEY_FIELDS = ("place_type", "place_code", "period", "group")
INSERT_BATCH = 500  # rows per INSERT: 500 x 15 parameters fits SQLite's and PostgreSQL's limits


@dataclass
class ImportPlan:
    """Every change an import makes, worked out before any is written.

    ``to_create`` rows are ``(indicator code, place type, place, period, group, *values)``
    in ``VALUE_FIELDS`` order; ``to_update`` rows are ``(*values, observation pk)``.
    """

    new_indicators: list[Indicator]  # unsaved
    vintage_updates: dict[int, str]  # indicator pk -> new vintage
    to_create: list[tuple[Any, ...]]
    to_update: list[tuple[Any, ...]]
    unchanged: int
    unmatched: list[dict[str, str]]

    @property
    def counts(self) -> ImportCounts:
        return ImportCounts(len(self.to_create), len(self.to_update), self.unchanged)


def plan_import(
    *,
    coalition: Coalition,
    table: importers.ImportedTable,
    job: ImportJob,
    beat: Callable[[], None] = lambda: None,
) -> ImportPlan:
    """Work out an import's changes: upsert on the natural key, reading only.

    The key is (indicator, place type, place, period, group): importing the same file
    again finds every row equal and changes nothing. Indicators the coalition already
    has keep their name, domain and direction (it may have edited them). ``beat`` is
    called now and then (the job's heartbeat). Nothing is written here.
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
    new_indicators: list[Indicator] = []
    vintage_updates: dict[int, str] = {}
    for entry in entries:
        if entry.id in known:
            indicator = known[entry.id]
            if entry.vintage and entry.vintage not in indicator.vintage.split(", "):
                vintage_updates[indicator.pk] = ", ".join(
                    sorted({*filter(None, indicator.vintage.split(", ")), entry.vintage})
                )[:80]
            continue
        indicator = Indicator(coalition=coalition, code=entry.id[:80], **_indicator_defaults(entry))
        known[entry.id] = indicator
        new_indicators.append(indicator)
    frame = pl.concat(
        [
            part.with_columns(flags=flags_expr(known[code].rules()).cast(pl.Int64))
            for (code,), part in frame.partition_by("indicator_id", as_dict=True).items()
        ]
    )
    code_of = {i.pk: i.code for i in known.values() if i.pk is not None}
    existing: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for pk, indicator_id, *key_and_values in Observation.objects.filter(
        indicator__in=list(code_of)
    ).values_list("pk", "indicator_id", *KEY_FIELDS, *VALUE_FIELDS):
        key = (code_of[indicator_id], *key_and_values[: len(KEY_FIELDS)])
        existing[key] = (pk, tuple(key_and_values[len(KEY_FIELDS) :]))
    beat()
    to_create: list[tuple[Any, ...]] = []
    to_update: list[tuple[Any, ...]] = []
    seen: set[tuple[Any, ...]] = set()
    unchanged = 0
    hint = job.place_type
    place_types: dict[str, str] = {}
    columns = ["indicator_id", "place", "period", "group", *VALUE_FIELDS]
    for number, row in enumerate(frame.select(columns).iter_rows()):
        if number % 10_000 == 0:
            beat()
        code, place, period, group, *raw = row
        if place not in place_types:
            place_types[place] = _place_type(place, hint)
        key = (known[code].code, place_types[place], place[:80], period[:40], group[:40])
        values = (*raw[:6], bool(raw[6]), int(raw[7] or 0))
        if key in seen:
            continue  # the readers refuse duplicate keys; never insert one twice
        seen.add(key)
        found = existing.get(key)
        if found is None:
            to_create.append((*key, *values))
        elif all(_same(old, new) for old, new in zip(found[1], values, strict=True)):
            unchanged += 1
        else:
            to_update.append((*values, found[0]))
    return ImportPlan(
        new_indicators=new_indicators,
        vintage_updates=vintage_updates,
        to_create=to_create,
        to_update=to_update,
        unchanged=unchanged,
        unmatched=_unmatched(coalition, place_types),
    )


def apply_import(*, coalition: Coalition, plan: ImportPlan, run: _Run) -> ImportCounts:
    """Write a planned import in one transaction, with its audit rows, and mark it done.

    Only writes happen here, as batched INSERTs and UPDATEs of values prepared by
    ``plan_import``, so the database's write lock is held for seconds, not the minutes
    an ORM ``bulk_create`` of 240,000 rows spends building SQL (SQLite has one writer
    at a time; everybody else's saves wait for this one). The job is marked succeeded
    in the same transaction: either everything is written and the job says so, or
    nothing is. Raises ``JobSupersededError`` (and writes nothing) if the job was given
    up on or retried meanwhile.
    """
    job = run.job
    counts = plan.counts
    with transaction.atomic():
        run.save(progress=0.9)  # first: fails at once if this run no longer owns the job
        for indicator in plan.new_indicators:
            indicator.save(force_insert=True)
            record_audit(
                coalition=coalition,
                actor=job.created_by,
                action=AuditEvent.Action.CREATE,
                obj=indicator,
                summary=f"Added indicator {indicator.code} from {job.file_name}",
            )
        for pk, vintage in plan.vintage_updates.items():
            Indicator.objects.filter(pk=pk).update(vintage=vintage)
        codes = {i.code: i.pk for i in plan.new_indicators}
        missing = {row[0] for row in plan.to_create} - set(codes)
        codes |= dict(Indicator.objects.filter(code__in=missing).values_list("code", "pk"))
        _insert_observations(coalition, job, codes, plan.to_create)
        _update_observations(job, plan.to_update)
        record_audit(
            coalition=coalition,
            actor=job.created_by,
            action=AuditEvent.Action.UPDATE,
            obj=job,
            summary=(
                f"Imported {job.file_name}: {counts.created} new, {counts.updated} changed, "
                f"{counts.unchanged} unchanged observations"
            ),
            after={
                "created": counts.created,
                "updated": counts.updated,
                "unchanged": counts.unchanged,
            },
        )
        run.save(
            status=ImportJob.Status.SUCCEEDED,
            progress=1.0,
            observations_created=counts.created,
            observations_updated=counts.updated,
            observations_unchanged=counts.unchanged,
            unmatched_places=plan.unmatched,
            content=b"",
            finished_at=timezone.now(),
        )
    return counts


def _column(name: str) -> str:
    columns = {field.name: str(field.column) for field in Observation._meta.concrete_fields}
    return connection.ops.quote_name(columns[name])


def _insert_observations(
    coalition: Coalition, job: ImportJob, codes: dict[str, int], rows: list[tuple[Any, ...]]
) -> None:
    names = ["coalition", "indicator", *KEY_FIELDS, *VALUE_FIELDS, "import_job"]
    table = connection.ops.quote_name(Observation._meta.db_table)
    columns = ", ".join(_column(name) for name in names)
    one = "(" + ", ".join(["%s"] * len(names)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_BATCH):
            batch = rows[start : start + INSERT_BATCH]
            params: list[Any] = []
            for code, *rest in batch:
                params.extend((coalition.pk, codes[code], *rest, job.pk))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(batch))}",  # noqa: S608 (names from the model)
                params,
            )


def _update_observations(job: ImportJob, rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    table = connection.ops.quote_name(Observation._meta.db_table)
    assignments = ", ".join(f"{_column(name)} = %s" for name in [*VALUE_FIELDS, "import_job"])
    sql = f"UPDATE {table} SET {assignments} WHERE {_column('id')} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*values, job.pk, pk) for *values, pk in rows])


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
    *,
    coalition: Coalition,
    actor: Any,
    result: Result,
    expected_version: int | None,
    **fields: str,
) -> Result:
    """Save some of a result's turn-the-curve notes: story, partners, what works, actions.

    Only the notes given are written. ``expected_version`` is the version the editor saw:
    if someone saved since, ``StaleEditError`` is raised and nothing is written (``None``
    skips the check, for commands). Giving no notes changes nothing.
    """
    if result.coalition_id != coalition.pk:
        raise ValidationError(_("The result belongs to another coalition."))
    unknown = set(fields) - set(TURN_THE_CURVE_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    if not fields:
        return result
    with scope(coalition=coalition):
        before = {name: getattr(result, name) for name in fields}
        for name, value in fields.items():
            setattr(result, name, value.strip())
        save_versioned(result, expected=expected_version, update_fields=list(fields))
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
