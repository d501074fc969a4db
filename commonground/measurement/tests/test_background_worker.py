"""The real background path: an import queued on the database backend and run by
`commonground db_worker`, as in the demo and in production."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_scopes import scope

from commonground.measurement import services, tasks
from commonground.measurement.models import ImportJob, Observation

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_a_queued_import_waits_for_the_worker_and_then_completes(world: Any) -> None:
    tidy = b"place,period,group,value\n01101,2022,total,73.1\n01101,2022,black,70.2\n"
    with override_settings(TASKS=DATABASE_TASKS):
        job = services.create_import_job(
            coalition=world.a,
            actor=world.people["admin"],
            file_name="le.csv",
            content=tidy,
            layout=ImportJob.Layout.TIDY,
            indicator_code="life_expectancy",
        )
        tasks.run_import.enqueue(job_id=job.pk)
        with scope(coalition=world.a):
            job.refresh_from_db()
            assert job.status == ImportJob.Status.QUEUED
            assert Observation.objects.count() == 0
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    with scope(coalition=world.a):
        job.refresh_from_db()
        assert job.status == ImportJob.Status.SUCCEEDED, job.problems
        assert job.progress == 1.0
        assert sorted(Observation.objects.values_list("group", "value")) == [
            ("black", 70.2),
            ("total", 73.1),
        ]
