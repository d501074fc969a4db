"""The coalition's own archive, built in the background: services and the task's work.

``coalitions.archive`` writes the archive; this module keeps the job that an admin
starts from the Profile page, its progress and its result.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from commonground.coalitions import archive
from commonground.coalitions.models import AuditEvent, Coalition, CoalitionExport
from commonground.coalitions.services import record_audit

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(minutes=15)


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
        ).update(status=CoalitionExport.Status.RUNNING)
        if not claimed:
            return

        def progress(share: float, _what: str) -> None:
            CoalitionExport.objects.filter(pk=job.pk).update(progress=min(share, 0.99))

        try:
            content = archive.export_coalition(
                coalition, deidentify=job.deidentified, progress=progress
            )
        except Exception as error:
            log.exception("export %s failed", job.pk)
            CoalitionExport.objects.filter(pk=job.pk).update(
                status=CoalitionExport.Status.FAILED,
                error=str(error)[:300],
                finished_at=timezone.now(),
            )
            return
        with transaction.atomic():
            # Keep one archive: an older one's bytes go.
            CoalitionExport.objects.exclude(pk=job.pk).update(content=b"")
            CoalitionExport.objects.filter(pk=job.pk).update(
                status=CoalitionExport.Status.SUCCEEDED,
                progress=1.0,
                content=content,
                size=len(content),
                finished_at=timezone.now(),
            )


def fail_stale(*, coalition: Coalition) -> int:
    """Mark exports whose worker stopped long ago as failed (they can be started again)."""
    with scope(coalition=coalition):
        return CoalitionExport.objects.filter(
            status__in=[CoalitionExport.Status.QUEUED, CoalitionExport.Status.RUNNING],
            created_at__lt=timezone.now() - STALE_AFTER,
        ).update(
            status=CoalitionExport.Status.FAILED,
            error="The export stopped before it finished.",
            finished_at=timezone.now(),
        )
