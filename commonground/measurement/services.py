"""Writes: imports, targets and the metrics framework. Each runs in one transaction with
its audit row; an import is all-or-nothing."""

from __future__ import annotations

import contextlib
import io
import logging
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
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
from commonground.measurement.domain import catalog, detect, importers, periods, trends
from commonground.measurement.domain.equity import GroupValue, flags_expr, reliability_flags
from commonground.measurement.domain.errors import FileProblemError, MeasurementError
from commonground.measurement.domain.fips import place_level
from commonground.measurement.messages import PROBLEMS
from commonground.measurement.models import (
    ImportJob,
    Indicator,
    IndicatorRelease,
    MeasureValue,
    Observation,
    PerformanceMeasure,
    PriorityArea,
    Result,
    StagedUpload,
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
    check_file(file_name=file_name, content=content)
    if is_workbook(file_name) and layout != Layout.TIDY:
        raise ValidationError(
            {"file": _("Only the tidy layout can be read from Excel; save the file as CSV.")}
        )


def is_workbook(file_name: str) -> bool:
    return file_name.lower().endswith((".xlsx", ".xlsm"))


def check_file(*, file_name: str, content: bytes) -> None:
    """Refuse a file that is too large, empty, or not the CSV or workbook its name says."""
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
    return read_table(
        layout=job.layout,
        file_name=job.file_name,
        content=content,
        period=job.period,
        indicator_code=job.indicator_code,
        place_type=job.place_type,
    )


def read_table(
    *,
    layout: str,
    file_name: str,
    content: bytes,
    period: str = "",
    indicator_code: str = "",
    place_type: str = "",
) -> importers.ImportedTable:
    """Read a file with the reader for ``layout`` (raises ``FileProblemError``).

    ``period`` is written the one way periods are (``periods.canonical_period``).
    """
    period = periods.canonical_period(period) if period else period
    if layout == Layout.TIDY and is_workbook(file_name):
        # Read through commonground.lib.tabular_core (limits checked before reading).
        return importers.read_tidy(
            content,
            indicator_id=indicator_code or "indicator",
            place_type=_tidy_place_type(place_type),
        )
    text = io.StringIO(_decode(content), newline="")
    if layout == Layout.CHR_WIDE:
        return importers.read_chr_measure_wide(text, period=period)
    if layout == Layout.CHR_LONG:
        return importers.read_chr_measure_long(text, period=period)
    if layout == Layout.CHR_COUNTS:
        return importers.read_chr_counts(text, indicator_id=indicator_code, period=period)
    if layout == Layout.CHR_ANALYTIC:
        return importers.read_chr_analytic(text)
    if layout == Layout.PLACES:
        return importers.read_places_county(text, period=period)
    if layout == Layout.SVI:
        return importers.read_svi_county(text, period=period)
    return importers.read_tidy(
        text,
        indicator_id=indicator_code or "indicator",
        place_type=_tidy_place_type(place_type),
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
    """Check an upload and queue its import; the task runs once the transaction commits.

    What the file states is not asked for: a counts file's measure comes from its name
    (``v037_how.csv``), a PLACES or SVI file's data years from its name, when the caller
    leaves them empty (``detect.detect_layout``).
    """
    check_upload(file_name=file_name, content=content, layout=layout)
    period = periods.canonical_period(period) if period.strip() else ""
    if (layout in NEEDS_PERIOD and not period) or (
        layout in NEEDS_INDICATOR and not indicator_code.strip()
    ):
        found = detect.detect_layout(content, file_name)
        if found.layout == layout:
            period = period or (found.period or "")
            indicator_code = indicator_code.strip() or (found.indicator_code or "")
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
            event="measurement.import_started",
            params={"file_name": job.file_name},
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


def problem_rows(error: FileProblemError) -> list[dict[str, Any]]:
    """A reader's problems as stored on a job: row, column, the English sentence, and the
    code and parameters the pages translate it from."""
    rows: list[dict[str, Any]] = [
        {
            "row": p.row,
            "column": p.column,
            "problem": p.problem,
            "code": p.code,
            "params": {k: v if isinstance(v, int | float) else str(v) for k, v in p.params.items()},
        }
        for p in error.problems
    ]
    if error.truncated:
        rows.append({**_problem("more problems not shown"), "code": "more_problems"})
    return rows


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
        run.fail(problem_rows(error))
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
            run.fail(validation_problems(error))
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
                event="measurement.import_stalled",
                params={"file_name": job.file_name},
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
            event="measurement.import_retried",
            params={"file_name": job.file_name, "attempt": job.attempt},
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


# --- the import wizard: upload, check, confirm ----------------------------------------------

STAGED_LIFETIME = timedelta(hours=24)
"""How long an uploaded file waits between the wizard's steps (``settings.IMPORT_STAGED_LIFETIME``
overrides it). Until then it survives any number of previews and form errors."""
PLACEHOLDER_PERIOD = "?"
#: Stored observations as ``periods.reconcile_periods`` reads them.
STORED_SCHEMA = {
    "indicator_id": pl.String,
    "place": pl.String,
    "group": pl.String,
    "period": pl.String,
    "value": pl.Float64,
}


def staged_lifetime() -> timedelta:
    value = getattr(settings, "IMPORT_STAGED_LIFETIME", STAGED_LIFETIME)
    return value if isinstance(value, timedelta) else timedelta(seconds=float(value))


@dataclass(frozen=True)
class ImportOptions:
    """The choices of the wizard's second step: what the file is and what to keep."""

    layout: str
    period: str = ""
    indicator_code: str = ""
    place_type: str = ""
    only_states: tuple[str, ...] = ()


def coalition_states(coalition: Coalition) -> list[str]:
    """The 2-digit codes of the states the coalition serves (its states and its counties')."""
    kinds = [Place.Kind.STATE, Place.Kind.COUNTY]
    codes = Place.objects.filter(coalition=coalition, kind__in=kinds).values_list("code", flat=True)
    return sorted({code[:2] for code in codes if code[:2].isdigit()})


@transaction.atomic
def stage_upload(
    *, coalition: Coalition, actor: Any, file_name: str, content: bytes
) -> StagedUpload:
    """Keep an uploaded file for the wizard's next step, with the layout its header shows.

    The file is checked (size, type) but not read yet; it is kept for
    ``staged_lifetime()`` for the person who uploaded it, so that no form error ever
    makes them pick it again.
    """
    check_file(file_name=file_name, content=content)
    found = detect.detect_layout(content, file_name)
    purge_expired_uploads(coalition=coalition)
    with scope(coalition=coalition):
        staged = StagedUpload.objects.create(
            coalition=coalition,
            created_by=actor,
            file_name=Path(file_name).name[:200],
            content=content,
            size=len(content),
            detected=found.layout or "",
            expires_at=timezone.now() + staged_lifetime(),
        )
        record_audit(
            coalition=coalition,
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=staged,
            summary=f"Uploaded {staged.file_name} to check it before importing",
            event="measurement.upload_staged",
            params={"file_name": staged.file_name, "layout": staged.detected},
        )
    return staged


@transaction.atomic
def discard_upload(*, coalition: Coalition, actor: Any, staged: StagedUpload) -> None:
    """Forget an uploaded file that will not be imported."""
    if staged.coalition_id != coalition.pk:
        raise ValidationError(_("The file belongs to another coalition."))
    with scope(coalition=coalition):
        record_audit(
            coalition=coalition,
            actor=actor,
            action=AuditEvent.Action.DELETE,
            obj=staged,
            summary=f"Discarded the upload of {staged.file_name}",
            event="measurement.upload_discarded",
            params={"file_name": staged.file_name},
        )
        staged.delete()


def purge_expired_uploads(*, coalition: Coalition | None = None) -> int:
    """Delete uploads kept longer than ``staged_lifetime()``; each deletion is audited."""
    with scopes_disabled():
        expired = StagedUpload.objects.filter(expires_at__lte=timezone.now())
        if coalition is not None:
            expired = expired.filter(coalition=coalition)
        found = list(expired.select_related("coalition").defer("content"))
    for staged in found:
        with transaction.atomic(), scope(coalition=staged.coalition):
            deleted, _rows = StagedUpload.objects.filter(pk=staged.pk).delete()
            if not deleted:
                continue
            record_audit(
                coalition=staged.coalition,
                actor=None,
                action=AuditEvent.Action.DELETE,
                obj=staged,
                summary=f"The upload of {staged.file_name} expired unused",
                event="measurement.upload_expired",
                params={"file_name": staged.file_name},
            )
    return len(found)


@dataclass
class Preview:
    """What importing a staged file with ``options`` would store, worked out without
    writing: the table read, the plan, and whatever stands in the way.

    ``problems`` are the reader's (row, column, problem, code, params); ``errors`` map a
    field of the options (``layout``, ``period``, ``indicator_code``, ``only_states``) or
    ``""`` to messages. ``period_from`` says where a period the user did not type came
    from: ``"file"`` (the file or its name states it) or ``"stored"`` (the same values
    are stored under that period already).
    """

    staged: StagedUpload
    detection: detect.Detection
    options: ImportOptions
    table: importers.ImportedTable | None = None
    plan: ImportPlan | None = None
    problems: list[dict[str, Any]] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)
    period_from: str = ""

    @property
    def ready(self) -> bool:
        return self.plan is not None and not self.problems and not self.errors

    def error(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)


def default_options(*, coalition: Coalition, staged: StagedUpload) -> ImportOptions:
    """The options the wizard starts from: the detected layout, what the file states, and
    only the coalition's states."""
    found = detect.detect_layout(bytes(staged.content), staged.file_name)
    return ImportOptions(
        layout=found.layout or "",
        period=found.period or "",
        indicator_code=found.indicator_code or "",
        place_type="county" if found.layout == Layout.TIDY else "",
        only_states=tuple(coalition_states(coalition)),
    )


def _suggest_period(coalition: Coalition, table: importers.ImportedTable) -> str | None:
    """The stored period holding the same values as ``table`` (read with a placeholder
    period), when every indicator of the file points to the same one."""
    codes = table.observations["indicator_id"].unique().to_list()
    rows = list(
        Observation.objects.filter(coalition=coalition, indicator__code__in=codes).values_list(
            "indicator__code", "place_code", "group", "period", "value"
        )
    )
    if not rows:
        return None
    stored = pl.DataFrame(rows, schema=STORED_SCHEMA, orient="row")
    found = periods.reconcile_periods(table.observations, stored)
    labels = {found.get((code, PLACEHOLDER_PERIOD)) for code in codes}
    if len(labels) == 1 and None not in labels:
        return labels.pop()
    return None


def preview_import(
    *, coalition: Coalition, staged: StagedUpload, options: ImportOptions
) -> Preview:
    """Read a staged file with ``options`` and plan its import, writing nothing.

    A period the file does not state is looked for among the coalition's stored data
    (the same values under a period already stored); failing that the user is asked
    for it. A layout that does not fit the file gets the one problem saying what the
    file looks like.
    """
    content = bytes(staged.content)
    found = detect.detect_layout(content, staged.file_name)
    preview = Preview(staged=staged, detection=found, options=options)
    layout = options.layout
    if layout not in Layout.values:
        preview.error(
            "layout",
            _("Choose the layout of this file.")
            if not layout
            else _("Choose one of the listed layouts."),
        )
        return preview
    try:
        check_upload(file_name=staged.file_name, content=content, layout=layout)
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            for message in messages:
                preview.error("layout" if key == "file" else key, message)
        return preview
    if layout in NEEDS_INDICATOR and not options.indicator_code.strip():
        preview.error(
            "indicator_code",
            _(
                "Enter the measure's code (e.g. v037 for low birthweight): the file does not say it."
            ),
        )
        return preview
    period = options.period.strip()
    if period and found.period and period == found.period and found.layout == layout:
        preview.period_from = "file"
    try:
        table = read_table(
            layout=layout,
            file_name=staged.file_name,
            content=content,
            period=period or PLACEHOLDER_PERIOD,
            indicator_code=options.indicator_code.strip(),
            place_type=options.place_type,
        )
    except FileProblemError as error:
        preview.problems = problem_rows(error)
        return preview
    preview.table = table
    if layout in NEEDS_PERIOD and not period:
        suggested = _suggest_period(coalition, table)
        if suggested is None:
            preview.error(
                "period",
                _(
                    "This file does not say which years its data describe. Enter them "
                    "(e.g. 2020-2022 for life expectancy in the 2025 County Health "
                    "Rankings)."
                ),
            )
            return preview
        period = suggested
        preview.period_from = "stored"
        preview.options = ImportOptions(
            layout=layout,
            period=period,
            indicator_code=options.indicator_code,
            place_type=options.place_type,
            only_states=options.only_states,
        )
        table = read_table(
            layout=layout,
            file_name=staged.file_name,
            content=content,
            period=period,
            indicator_code=options.indicator_code.strip(),
            place_type=options.place_type,
        )
        preview.table = table
    try:
        preview.plan = plan_import(
            coalition=coalition,
            table=table,
            only_states=list(options.only_states),
            place_type=options.place_type,
        )
    except ValidationError as error:
        for item in _error_items(error):
            # Released values are the import's problem, not the states kept.
            key = "" if item.code == RELEASE_LOCKED else "only_states"
            preview.error(key, " ".join(item.messages))
    return preview


@transaction.atomic
def confirm_import(
    *, coalition: Coalition, actor: Any, staged: StagedUpload, options: ImportOptions
) -> ImportJob:
    """Queue the import of a staged file with the options its preview showed; the staged
    copy is dropped in the same transaction (the job keeps the file until it succeeds)."""
    if staged.coalition_id != coalition.pk:
        raise ValidationError(_("The file belongs to another coalition."))
    job = create_import_job(
        coalition=coalition,
        actor=actor,
        file_name=staged.file_name,
        content=bytes(staged.content),
        layout=options.layout,
        period=options.period,
        indicator_code=options.indicator_code,
        place_type=options.place_type,
        only_states=list(options.only_states),
    )
    with scope(coalition=coalition):
        StagedUpload.objects.filter(pk=staged.pk).delete()
    return job


# --- releases: the metrics committee's approval, and the lock it puts on the values ---------

RELEASE_LOCKED = "release_locked"  # the code of the ValidationError the lock raises
NOTE_LIMIT = 300
REASON_LIMIT = 2000


def _release_params(release: IndicatorRelease) -> dict[str, Any]:
    """What the lock's message names: the period, the indicator (by its name in the
    reader's language, and by its code and stored name for a job's problem list, which
    is read later in another language) and the day of the release."""
    return {
        "period": release.period,
        "name": release.indicator.label,
        "indicator_code": release.indicator.code,
        "indicator_name": release.indicator.name,
        "date": timezone.localdate(release.released_at).isoformat(),
    }


def release_lock_error(releases: Iterable[IndicatorRelease]) -> ValidationError:
    """The refusal of a change to released values: one message per release, each naming
    the indicator, the period and the day it was released (code ``release_locked``)."""
    return ValidationError(
        [
            ValidationError(
                str(PROBLEMS[RELEASE_LOCKED]), code=RELEASE_LOCKED, params=_release_params(release)
            )
            for release in releases
        ]
    )


def released_among(pairs: Iterable[tuple[int | None, str]]) -> list[IndicatorRelease]:
    """The releases in force among ``(indicator id, period)`` pairs (unsaved indicators,
    id ``None``, have none), by indicator name and period."""
    wanted = {(pk, period) for pk, period in pairs if pk is not None}
    if not wanted:
        return []
    found = IndicatorRelease.objects.filter(
        status=IndicatorRelease.Status.RELEASED, indicator_id__in={pk for pk, _p in wanted}
    ).select_related("indicator")
    return sorted(
        (r for r in found if (r.indicator_id, r.period) in wanted),
        key=lambda r: (r.indicator.label.casefold(), _period_year_or_none(r.period) or 0, r.period),
    )


def refuse_released(pairs: Iterable[tuple[int | None, str]]) -> None:
    """Raise ``release_lock_error`` if any ``(indicator id, period)`` is released."""
    found = released_among(pairs)
    if found:
        raise release_lock_error(found)


def _error_items(error: ValidationError) -> list[ValidationError]:
    if hasattr(error, "error_dict"):
        return [item for items in error.error_dict.values() for item in items]
    return list(error.error_list)


def validation_problems(error: ValidationError) -> list[dict[str, Any]]:
    """A refusal as a job's problem list; the lock's messages keep their code and
    parameters, so the job's page says them in the reader's language."""
    rows = []
    for item in _error_items(error):
        text = " ".join(item.messages)
        if item.code == RELEASE_LOCKED and item.params:
            params = {k: v for k, v in item.params.items() if k != "name"}
            rows.append({**_problem(text), "code": RELEASE_LOCKED, "params": params})
        else:
            rows.append(_problem(text))
    return rows


def _lock_indicator(indicator: Indicator) -> Indicator:
    """The indicator's row, locked until the transaction ends (PostgreSQL): a release and
    an import of the same indicator wait for each other instead of crossing."""
    return Indicator.objects.select_for_update().get(pk=indicator.pk)


def _released_text(release: IndicatorRelease) -> dict[str, Any]:
    return {
        "period": release.period,
        "name": release.indicator.label,
        "date": timezone.localdate(release.released_at).isoformat(),
    }


@transaction.atomic
def release_period(
    *, coalition: Coalition, actor: Any, indicator: Indicator, period: str, note: str = ""
) -> IndicatorRelease:
    """Release an indicator's values for a period: the metrics committee approved them,
    and they are locked until a backbone admin reopens the release.

    Refused for a period the indicator has no values for, and for a period already
    released; a reopened release is released again (by ``actor``, now, with ``note``).
    ``period`` is matched as stored, or written the one way periods are
    (``periods.canonical_period``).
    """
    if indicator.coalition_id != coalition.pk:
        raise ValidationError(_("The indicator belongs to another coalition."))
    note = (note or "").strip()
    if "\x00" in note:
        raise ValidationError({"note": _("The note holds a character that cannot be stored.")})
    if len(note) > NOTE_LIMIT:
        raise ValidationError(
            {"note": _("The note is at most %(limit)d characters.") % {"limit": NOTE_LIMIT}}
        )
    period = " ".join((period or "").split())
    if not period:
        raise ValidationError({"period": _("Choose the period to release.")})
    with scope(coalition=coalition):
        indicator = _lock_indicator(indicator)
        stored = Observation.objects.filter(indicator=indicator)
        if not stored.filter(period=period).exists():
            canonical = periods.canonical_period(period)
            if canonical == period or not stored.filter(period=canonical).exists():
                raise ValidationError(
                    {
                        "period": _(
                            "%(name)s has no values for %(period)s: only a period with values "
                            "can be released."
                        )
                        % {"name": indicator.label, "period": period}
                    }
                )
            period = canonical
        release = (
            IndicatorRelease.objects.select_for_update()
            .filter(indicator=indicator, period=period)
            .first()
        )
        if release is not None and release.is_released:
            raise ValidationError(
                {
                    "period": _(
                        "The %(period)s values of %(name)s are already released (on %(date)s)."
                    )
                    % _released_text(release)
                }
            )
        now = timezone.now()
        who = actor if actor is not None and actor.is_authenticated else None
        again = release is not None
        if release is None:
            release = IndicatorRelease.objects.create(
                coalition=coalition,
                indicator=indicator,
                period=period,
                released_by=who,
                released_at=now,
                note=note,
            )
            before = None
        else:
            before = {"status": release.status, "note": release.note}
            release.status = IndicatorRelease.Status.RELEASED
            release.released_by = who
            release.released_at = now
            release.note = note
            release.save(update_fields=["status", "released_by", "released_at", "note"])
        record_audit(
            coalition=coalition,
            actor=actor,
            action=AuditEvent.Action.UPDATE if again else AuditEvent.Action.CREATE,
            obj=release,
            summary=(
                f"Released the {period} values of {indicator.code}"
                + (" again" if again else "")
                + (f": {note}" if note else "")
            )[:200],
            before=before,
            after={"status": release.status, "note": note},
            event="measurement.period_released",
            params={
                "code": indicator.code,
                "name": indicator.name,
                "period": period,
                "note": note,
                "again": again,
            },
        )
    return release


@transaction.atomic
def reopen_release(
    *, coalition: Coalition, actor: Any, release: IndicatorRelease, reason: str
) -> IndicatorRelease:
    """Reopen a release so its values can change again; the reason is required, kept on
    the release and in the audit row. Only a release in force can be reopened."""
    if release.coalition_id != coalition.pk:
        raise ValidationError(_("The release belongs to another coalition."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the release is reopened: a reason is required.")}
        )
    if "\x00" in reason:
        raise ValidationError({"reason": _("The reason holds a character that cannot be stored.")})
    if len(reason) > REASON_LIMIT:
        raise ValidationError(
            {"reason": _("The reason is at most %(limit)d characters.") % {"limit": REASON_LIMIT}}
        )
    with scope(coalition=coalition):
        _lock_indicator(release.indicator)
        current = (
            IndicatorRelease.objects.select_for_update()
            .select_related("indicator")
            .get(pk=release.pk)
        )
        if not current.is_released:
            raise ValidationError(
                {
                    "release": _(
                        "The %(period)s values of %(name)s are not released: only a release "
                        "in force can be reopened."
                    )
                    % {"period": current.period, "name": current.indicator.label}
                }
            )
        current.status = IndicatorRelease.Status.REOPENED
        current.reopened_by = actor if actor is not None and actor.is_authenticated else None
        current.reopened_at = timezone.now()
        current.reopen_reason = reason
        current.save(update_fields=["status", "reopened_by", "reopened_at", "reopen_reason"])
        record_audit(
            coalition=coalition,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=current,
            summary=(
                f"Reopened the release of the {current.period} values of "
                f"{current.indicator.code}: {reason}"
            )[:200],
            before={"status": IndicatorRelease.Status.RELEASED},
            after={"status": current.status, "reason": reason},
            event="measurement.release_reopened",
            params={
                "code": current.indicator.code,
                "name": current.indicator.name,
                "period": current.period,
                "reason": reason,
            },
        )
    return current


# --- one label per data period ---------------------------------------------------------------


@dataclass(frozen=True)
class PeriodMerge:
    """One period label folded into another: ``moved`` rows took the stored label,
    ``dropped`` rows were copies of rows already under it."""

    indicator: str
    from_period: str
    to_period: str
    moved: int
    dropped: int


def _period_year_or_none(period: str) -> float | None:
    try:
        return trends.period_year(period)
    except trends.TrendError:
        return None


def _rows_frame(code: str, rows: list[tuple[Any, ...]]) -> pl.DataFrame:
    """(pk, place type, place, group, period, value) rows as reconcile_periods reads them."""
    return pl.DataFrame(
        [(code, r[2], r[3], r[4], r[5]) for r in rows], schema=STORED_SCHEMA, orient="row"
    )


@transaction.atomic
def merge_repeated_periods(
    *, coalition: Coalition, actor: Any, dry_run: bool = False
) -> list[PeriodMerge]:
    """Fold period labels that hold the same data as another label of the same indicator.

    Imports made before the wizard stored, for instance, the analytic file's life
    expectancy under "2025" (its release year) beside the same values under "2020-2022".
    For each indicator, a label whose rows are the same data as another label's
    (``periods.reconcile_periods``) is folded into the label of the earlier period (the
    data years come before the release that publishes them): its rows take that label, or
    are deleted where that label already has the same place and group. One audit row per
    folded label; ``dry_run`` works it out and writes nothing.

    Released values are locked: if a fold would move or delete values of a released
    period (either label), ``release_lock_error`` is raised naming every such release,
    and nothing is written, also on a dry run.
    """
    merges: list[PeriodMerge] = []
    locked: list[tuple[int, str]] = []
    with scope(coalition=coalition):
        indicators = Indicator.objects.filter(coalition=coalition).order_by("pk")
        if not dry_run:
            indicators = indicators.select_for_update()  # no release lands meanwhile
        released = {
            (r.indicator_id, r.period)
            for r in IndicatorRelease.objects.filter(status=IndicatorRelease.Status.RELEASED)
        }
        for indicator in sorted(indicators, key=lambda i: i.code):
            rows = list(
                Observation.objects.filter(indicator=indicator).values_list(
                    "pk", "place_type", "place_code", "group", "period", "value"
                )
            )
            labels = sorted({row[4] for row in rows}, key=lambda p: _period_year_or_none(p) or 0)
            for label in reversed(labels):
                mine = [r for r in rows if r[4] == label]
                others = [r for r in rows if r[4] != label]
                if not mine or not others:
                    continue
                target = periods.reconcile_periods(
                    _rows_frame(indicator.code, mine), _rows_frame(indicator.code, others)
                ).get((indicator.code, label))
                if target is None:
                    continue
                mine_year, target_year = _period_year_or_none(label), _period_year_or_none(target)
                if mine_year is not None and target_year is not None and target_year > mine_year:
                    continue  # the other label is the later one: it is folded into this one
                hit = [(indicator.pk, p) for p in (label, target) if (indicator.pk, p) in released]
                if hit:
                    locked.extend(hit)
                    break  # this indicator's labels stay as they are; the others are checked
                taken = {(r[1], r[2], r[3]) for r in rows if r[4] == target}
                drop = [r[0] for r in mine if (r[1], r[2], r[3]) in taken]
                move = [r[0] for r in mine if (r[1], r[2], r[3]) not in taken]
                merges.append(PeriodMerge(indicator.code, label, target, len(move), len(drop)))
                if not dry_run:
                    Observation.objects.filter(pk__in=drop).delete()
                    Observation.objects.filter(pk__in=move).update(period=target)
                    record_audit(
                        coalition=coalition,
                        actor=actor,
                        action=AuditEvent.Action.UPDATE,
                        obj=indicator,
                        summary=(
                            f"Stored the {indicator.code} values of {label} under {target}, "
                            "the same data"
                        )[:200],
                        before={"period": label, "rows": len(mine)},
                        after={"period": target, "moved": len(move), "dropped": len(drop)},
                        event="measurement.periods_merged",
                        params={
                            "code": indicator.code,
                            "name": indicator.name,
                            "from": label,
                            "to": target,
                            "rows": len(mine),
                        },
                    )
                rows = [
                    (r[0], r[1], r[2], r[3], target if r[0] in move else r[4], r[5])
                    for r in rows
                    if r[0] not in drop
                ]
        if locked:
            refuse_released(locked)  # raises; the transaction undoes any fold written
    return merges


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


def _unmatched(
    coalition: Coalition, codes: Iterable[str], names: Mapping[str, str] | None = None
) -> list[dict[str, str]]:
    """Counties of the file no map knows, and the coalition's counties the file lacks.

    Each entry has the place's ``code``, its ``name`` (the file's name for it, or the
    one the coalition's profile gives), a ``kind`` (``unknown_county`` or
    ``served_missing``, which the pages translate) and the English ``reason``.
    """
    found = set(codes)
    names = names or {}
    out = []
    for code in sorted(found):
        if place_level(code) != "county":
            continue
        try:
            geo.county(code)
        except geo.PlaceError:
            out.append(
                {
                    "code": code,
                    "name": names.get(code, ""),
                    "kind": "unknown_county",
                    "reason": "not a known US county; kept, but not on the map",
                }
            )
    served = Place.objects.filter(coalition=coalition, kind=Place.Kind.COUNTY)
    for place in served:
        if place.code not in found:
            out.append(
                {
                    "code": place.code,
                    "name": place.name,
                    "kind": "served_missing",
                    "reason": "a county you serve, with no rows in the file",
                }
            )
    return out


def _indicator_defaults(entry: importers.Indicator) -> dict[str, Any]:
    plain = catalog.describe(entry.id, entry.name)
    return {
        "name": plain.name.en[:200],
        "description": plain.description.en,
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
        # 1e-8: a file that publishes a value rounded to nine or ten significant digits
        # (the analytic file's 72.102747825 for 72.10274782462075, 0.0289298989 for
        # 0.028929898866770772) publishes the same value.
        return a == b or (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-8)
    return bool(a == b)


KEY_FIELDS = ("place_type", "place_code", "period", "group")
INSERT_BATCH = 500  # rows per INSERT: 500 x 15 parameters fits SQLite's and PostgreSQL's limits


@dataclass
class IndicatorPlan:
    """What an import does to one indicator: its periods (after normalizing) and groups,
    and how many of its rows are added, replaced or left as they are."""

    code: str
    name: str
    is_new: bool
    periods: list[str]
    groups: list[str]
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportPlan:
    """Every change an import makes, worked out before any is written.

    ``to_create`` rows are ``(indicator code, place type, place, period, group, *values)``
    in ``VALUE_FIELDS`` order; ``to_update`` rows are ``(*values, observation pk)``.
    ``period_changes`` lists ``(indicator code, the file's period, the stored period)``
    for rows that are the same data as rows already stored under another label: they
    take the stored label (``periods.reconcile_periods``).
    """

    new_indicators: list[Indicator]  # unsaved
    vintage_updates: dict[int, str]  # indicator pk -> new vintage
    to_create: list[tuple[Any, ...]]
    to_update: list[tuple[Any, ...]]
    unchanged: int
    unmatched: list[dict[str, str]]
    indicators: list[IndicatorPlan] = field(default_factory=list)
    period_changes: list[tuple[str, str, str]] = field(default_factory=list)
    places: dict[str, str] = field(default_factory=dict)  # code -> place type
    written: set[tuple[str, str]] = field(default_factory=set)  # (indicator code, period)

    @property
    def counts(self) -> ImportCounts:
        return ImportCounts(len(self.to_create), len(self.to_update), self.unchanged)


def _merge(old: tuple[Any, ...], new: tuple[Any, ...], rules: Any) -> tuple[Any, ...]:
    """The incoming values of a row that is the same estimate as the stored one, with what
    the file leaves out taken from the stored row.

    A file that publishes a value without its counts or interval (the analytic file
    gives race values without numerators) does not erase them, nor the source's
    unreliability flag: the same value is the same estimate. Flags are worked out again
    from the merged values.
    """
    value, numerator, denominator, population, ci_low, ci_high, unreliable, _flags = new
    merged = [value]
    for incoming, stored in zip(
        (numerator, denominator, population, ci_low, ci_high), old[1:6], strict=True
    ):
        merged.append(stored if incoming is None else incoming)
    merged_unreliable = bool(unreliable) or bool(old[6])
    flags = reliability_flags(
        GroupValue(
            "",
            merged[0],
            numerator=merged[1],
            denominator=merged[2],
            population=merged[3],
            ci_low=merged[4],
            ci_high=merged[5],
            source_unreliable=merged_unreliable,
        ),
        rules,
    )
    return (*merged, merged_unreliable, flags)


def plan_import(
    *,
    coalition: Coalition,
    table: importers.ImportedTable,
    job: ImportJob | None = None,
    only_states: Sequence[str] | None = None,
    place_type: str | None = None,
    beat: Callable[[], None] = lambda: None,
) -> ImportPlan:
    """Work out an import's changes: upsert on the natural key, reading only.

    The key is (indicator, place type, place, period, group): importing the same file
    again finds every row equal and changes nothing. Periods are written one way
    (``periods.canonical_period``), and rows that are the same data as rows stored under
    another period label take that label (``periods.reconcile_periods``), so that one
    measure's data years never show under two labels. A row whose value equals the
    stored one keeps the counts, interval and flags the file leaves out (``_merge``).
    Indicators the coalition already has keep their name, domain and direction (it may
    have edited them). ``beat`` is called now and then (the job's heartbeat). Nothing is
    written here. ``only_states`` and ``place_type`` default to the job's.
    """
    states = list(job.only_states if job is not None and only_states is None else only_states or [])
    hint = job.place_type if job is not None and place_type is None else (place_type or "")
    frame = table.observations
    if states:
        first_two = pl.col("place").str.slice(0, 2)
        is_fips = pl.col("place").str.contains(r"^\d+$")
        frame = frame.filter(~is_fips | (pl.col("place") == "00") | first_two.is_in(states))
    if frame.height == 0:
        raise ValidationError(_("No rows are left to import (check the states you kept)."))
    labels = {p: periods.canonical_period(p) for p in frame["period"].unique().to_list()}
    frame = frame.with_columns(pl.col("period").replace_strict(labels, return_dtype=pl.String))
    used = set(frame["indicator_id"].unique().to_list())
    entries = [entry for entry in table.indicators if entry.id in used]
    known = {i.code: i for i in Indicator.objects.filter(code__in=[e.id for e in entries])}
    new_codes = {e.id for e in entries if e.id not in known}
    code_of = {i.pk: i.code for i in known.values() if i.pk is not None}
    existing_rows = list(
        Observation.objects.filter(indicator__in=list(code_of)).values_list(
            "pk", "indicator_id", *KEY_FIELDS, *VALUE_FIELDS
        )
    )
    beat()
    period_changes: list[tuple[str, str, str]] = []
    if existing_rows:
        stored = pl.DataFrame(
            [
                (code_of[row[1]], row[3], row[5], row[4], row[6])
                for row in existing_rows
                if row[6] is not None
            ],
            schema={
                "indicator_id": pl.String,
                "place": pl.String,
                "group": pl.String,
                "period": pl.String,
                "value": pl.Float64,
            },
            orient="row",
        )
        relabel = periods.reconcile_periods(frame, stored)
        if relabel:
            mapping = pl.DataFrame(
                [(code, old, new) for (code, old), new in relabel.items()],
                schema={"indicator_id": pl.String, "period": pl.String, "__stored": pl.String},
                orient="row",
            )
            frame = (
                frame.join(mapping, on=["indicator_id", "period"], how="left")
                .with_columns(period=pl.coalesce("__stored", "period"))
                .drop("__stored")
            )
            period_changes = sorted((c, old, new) for (c, old), new in relabel.items())
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
    existing: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for pk, indicator_id, *key_and_values in existing_rows:
        key = (code_of[indicator_id], *key_and_values[: len(KEY_FIELDS)])
        existing[key] = (pk, tuple(key_and_values[len(KEY_FIELDS) :]))
    beat()
    to_create: list[tuple[Any, ...]] = []
    to_update: list[tuple[Any, ...]] = []
    seen: set[tuple[Any, ...]] = set()
    written: set[tuple[str, str]] = set()
    unchanged = 0
    place_types: dict[str, str] = {}
    stats: dict[str, IndicatorPlan] = {}
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
        stat = stats.get(code)
        if stat is None:
            stat = stats[code] = IndicatorPlan(
                code=code,
                name=known[code].name,
                is_new=code in new_codes,
                periods=[],
                groups=[],
            )
        if period[:40] not in stat.periods:
            stat.periods.append(period[:40])
        if group[:40] not in stat.groups:
            stat.groups.append(group[:40])
        found = existing.get(key)
        if found is None:
            to_create.append((*key, *values))
            written.add((key[0], key[3]))
            stat.created += 1
            continue
        if _same(found[1][0], values[0]):
            values = _merge(found[1], values, known[code].rules())
        if all(_same(old, new) for old, new in zip(found[1], values, strict=True)):
            unchanged += 1
            stat.unchanged += 1
        else:
            to_update.append((*values, found[0]))
            written.add((key[0], key[3]))
            stat.updated += 1
    # Released values are locked: an import that would add or change one of them is
    # refused here (the check page says so) and again as it is written (apply_import).
    by_code = {i.code: i.pk for i in known.values()}
    refuse_released((by_code.get(code), period) for code, period in written)
    for stat in stats.values():
        stat.periods.sort()
    return ImportPlan(
        new_indicators=new_indicators,
        vintage_updates=vintage_updates,
        to_create=to_create,
        to_update=to_update,
        unchanged=unchanged,
        unmatched=_unmatched(coalition, place_types, table.place_names),
        indicators=sorted(stats.values(), key=lambda s: (not s.is_new, s.name.casefold())),
        period_changes=period_changes,
        places=place_types,
        written=written,
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

    A release made since the plan was worked out is honoured: the indicators written to
    are locked (so a release waits for this transaction, and this one for a release), the
    releases are read again, and values a release now locks raise ``ValidationError``
    (``release_lock_error``) before anything is written.
    """
    job = run.job
    counts = plan.counts
    with transaction.atomic():
        run.save(progress=0.9)  # first: fails at once if this run no longer owns the job
        if plan.written:
            stored = Indicator.objects.filter(code__in={code for code, _p in plan.written})
            ids = {
                code: pk
                for pk, code in stored.order_by("pk").select_for_update().values_list("pk", "code")
            }
            refuse_released((ids.get(code), period) for code, period in plan.written)
        for indicator in plan.new_indicators:
            indicator.save(force_insert=True)
            record_audit(
                coalition=coalition,
                actor=job.created_by,
                action=AuditEvent.Action.CREATE,
                obj=indicator,
                summary=f"Added indicator {indicator.code} from {job.file_name}",
                event="measurement.indicator_added",
                params={"code": indicator.code, "name": indicator.name, "file_name": job.file_name},
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
            event="measurement.import_finished",
            params={
                "file_name": job.file_name,
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
            values = ", ".join([one] * len(batch))
            # Table and column names come from the model; every value is a parameter.
            insert = f"INSERT INTO {table} ({columns}) VALUES {values}"  # noqa: S608  # nosec B608
            cursor.execute(insert, params)


def _update_observations(job: ImportJob, rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    table = connection.ops.quote_name(Observation._meta.db_table)
    assignments = ", ".join(f"{_column(name)} = %s" for name in [*VALUE_FIELDS, "import_job"])
    sql = f"UPDATE {table} SET {assignments} WHERE {_column('id')} = %s"  # noqa: S608  # nosec B608
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
    reference_place: str = "",
    reduction: float = 0.5,
    target_value: float | None = None,
    result: Result | None = None,
) -> Target:
    """Set a target: reach a value; shrink the gap between two groups in the place
    (``reference_group``); or shrink the gap between the place and ``reference_place``
    for ``group`` (life expectancy in West Garfield Park against the Loop). A gap target
    says the share of the gap to close (``reduction``: 0.5 halves it)."""
    if indicator.coalition_id != coalition.pk or (result and result.coalition_id != coalition.pk):
        raise ValidationError(_("The indicator or result belongs to another coalition."))
    if kind not in Target.Kind.values:
        raise ValidationError({"kind": _("Choose one of the listed kinds of target.")})
    if not place_code.strip():
        raise ValidationError({"place_code": _("Choose the place the target is for.")})
    if kind == Target.Kind.GAP and not reference_group:
        raise ValidationError({"reference_group": _("Name the group the gap is measured from.")})
    if kind == Target.Kind.GAP and reference_group == group:
        raise ValidationError(
            {"reference_group": _("The gap is measured from another group than the target's.")}
        )
    if kind == Target.Kind.PLACE_GAP and not reference_place:
        raise ValidationError({"reference_place": _("Choose the place the gap is measured from.")})
    if kind == Target.Kind.PLACE_GAP and reference_place == place_code:
        raise ValidationError(
            {"reference_place": _("The gap is measured from another place than the target's.")}
        )
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
            reference_group=reference_group if kind == Target.Kind.GAP else "",
            reference_place=reference_place if kind == Target.Kind.PLACE_GAP else "",
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
            event="measurement.target_set",
            params={"title": title},
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
            event="measurement.priority_area_added",
            params={"name": name},
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
            event="measurement.result_added",
            params={"statement": statement},
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
            event="measurement.performance_measure_added",
            params={"name": name, "values": [[p, v] for p, v in values]},
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
            event="measurement.measure_value_recorded",
            params={"name": measure.name, "period": period, "value": value},
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
            event="measurement.turn_the_curve_updated",
            params={"statement": result.statement},
        )
    return result
