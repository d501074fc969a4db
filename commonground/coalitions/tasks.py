"""Background work of the coalitions app: the coalition's archive."""

from __future__ import annotations

from django.tasks import task

from commonground.coalitions import exports


@task
def run_export(*, job_id: int) -> None:
    exports.run_export(job_id=job_id)
