"""Background work: imports. Tasks take ids and call a service."""

from __future__ import annotations

from django.tasks import task

from commonground.measurement import services


@task
def run_import(*, job_id: int) -> None:
    """Run a queued import; the job row carries its progress and problems."""
    services.run_import_job(job_id=job_id)
