"""The demo's impact report: River Region's 2025 report, published, on its public page."""

from __future__ import annotations

import datetime

from django.db import transaction

from commonground.coalitions.models import Coalition, Membership
from commonground.reports import registry, services, tasks
from commonground.reports.models import PdfJob

INTRODUCTION = (
    "In 2025 the River Region Health Collaborative grew from a group of agencies into a "
    "partnership that residents help steer. This report brings together what we recorded "
    "along the way: who is at the table, how we work together, where the gaps in health "
    "are widest across our six counties, and what we are doing about them.\n\n"
    "Every number comes from the coalition's own records and from public data; small "
    "groups are never shown, to protect privacy."
)

PRIVATE = {"voice.stories"}


def seed_river_region(coalition: Coalition) -> None:
    admin = (
        Membership.objects.filter(coalition=coalition, role=Membership.Role.BACKBONE_ADMIN)
        .select_related("user")
        .first()
    )
    actor = admin.user if admin else None
    report = services.create_report(
        coalition=coalition,
        actor=actor,
        title="River Region Impact Report 2025",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        introduction=INTRODUCTION,
        section_keys=[s.key for s in registry.sections()],
    )
    version = services.publish_report(report=report, actor=actor)
    # Stories stay in the members' report: a consented story may name a resident, and the
    # public page names none.
    public_keys = [s.key for s in registry.sections() if s.public and s.key not in PRIVATE]
    services.show_on_public_page(version=version, actor=actor, section_keys=public_keys)
    for language in ("en", "es"):
        job = services.request_pdf(
            report=report,
            actor=actor,
            language=language,
            paper="letter",
            version=version,
            public_only=True,
        )
        _enqueue(job)


def _enqueue(job: PdfJob) -> None:
    job_id, coalition_id = job.pk, job.coalition_id
    transaction.on_commit(lambda: tasks.make_pdf.enqueue(job_id=job_id, coalition_id=coalition_id))
