"""Background work: PDFs. Tasks take ids and call a service."""

from __future__ import annotations

from django.tasks import task

from commonground.reports import services


@task
def make_pdf(*, job_id: int, coalition_id: int) -> None:
    """Lay out a queued PDF; the job row carries its progress."""
    services.run_pdf_job(job_id=job_id, coalition_id=coalition_id)
