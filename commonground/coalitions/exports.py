"""The coalition's own archive, built in the background: services and the task's work.

``coalitions.archive`` writes the archive; this module keeps the job that an admin
starts from the Profile page, its progress and its result.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_scopes import scope

from commonground.coalitions import archive
from commonground.coalitions.models import AuditEvent, Coalition, CoalitionExport
from commonground.coalitions.services import record_audit

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(minutes=15)
"""A running export whose worker has not reported for this long lost its worker (it
reports after every table)."""
QUEUED_TOO_LONG = timedelta(hours=1)
"""An export still waiting for a worker after this long is given up too."""
STALE_ERROR = "The export stopped before it finished."


@transaction.atomic
def request_export(*, coalition: Coalition, actor: Any, deidentified: bool) -> CoalitionExport:
    """Queue an export (the caller enqueues the task once this commits)."""
    with scope(coalition=coalition):
        job = CoalitionExport.objects.create(
            coalition=coalition, deidentified=deidentified, requested_by=actor
        )
    record_audit(
        coalition=coalition,
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=job,
        summary="Exported the coalition's data" + (" (de-identified)" if deidentified else ""),
        event="coalitions.exported",
        params={"deidentified": deidentified},
    )
    return job


def run_export(*, job_id: int) -> None:
    """Build the archive of a queued export, writing its progress as it goes."""
    job = CoalitionExport._base_manager.select_related("coalition").get(pk=job_id)
    coalition = job.coalition
    with scope(coalition=coalition):
        claimed = CoalitionExport.objects.filter(
            pk=job.pk, status=CoalitionExport.Status.QUEUED
        ).update(status=CoalitionExport.Status.RUNNING, heartbeat_at=timezone.now())
        if not claimed:
            return
        # Only while it is still this run's: a job given up as stale is never overwritten.
        running = CoalitionExport.objects.filter(pk=job.pk, status=CoalitionExport.Status.RUNNING)

        def progress(share: float, _what: str) -> None:
            running.update(progress=min(share, 0.99), heartbeat_at=timezone.now())

        try:
            content = archive.export_coalition(
                coalition, deidentify=job.deidentified, progress=progress
            )
        except Exception as error:
            log.exception("export %s failed", job.pk)
            running.update(
                status=CoalitionExport.Status.FAILED,
                error=str(error)[:300],
                finished_at=timezone.now(),
            )
            return
        with transaction.atomic():
            if not running.update(
                status=CoalitionExport.Status.SUCCEEDED,
                progress=1.0,
                content=content,
                size=len(content),
                finished_at=timezone.now(),
            ):
                return  # given up meanwhile: the person has been told to start again
            # Keep one archive: an older one's bytes go.
            CoalitionExport.objects.exclude(pk=job.pk).update(content=b"")


def fail_stale(*, coalition: Coalition) -> int:
    """Mark exports whose worker died (or that no worker took) as failed; they can be
    started again. Returns how many were given up."""
    now = timezone.now()
    with scope(coalition=coalition):
        lost = Q(status=CoalitionExport.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
        waiting = Q(status=CoalitionExport.Status.QUEUED, created_at__lt=now - QUEUED_TOO_LONG)
        return CoalitionExport.objects.filter(lost | waiting).update(
            status=CoalitionExport.Status.FAILED, error=STALE_ERROR, finished_at=now
        )
