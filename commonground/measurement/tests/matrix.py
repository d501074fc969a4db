"""This app's rows of the access matrix (see commonground/tests/test_access_matrix.py)."""

from __future__ import annotations

from typing import Any

from django_scopes import scope

ADMIN, PARTNER, RESIDENT, VIEWER = "backbone_admin", "partner", "community_member", "viewer"
EVERY_ROLE = frozenset({ADMIN, PARTNER, RESIDENT, VIEWER})
CONTRIBUTORS = frozenset({ADMIN, PARTNER, RESIDENT})
ADMINS = frozenset({ADMIN})

PAGES: dict[str, Any] = {
    "measurement:dashboard": EVERY_ROLE,
    "measurement:indicator_list": EVERY_ROLE,
    "measurement:explorer": EVERY_ROLE,
    "measurement:release_period": ADMINS,
    "measurement:release_reopen": ADMINS,
    "measurement:map": EVERY_ROLE,
    "measurement:framework": EVERY_ROLE,
    "measurement:result_detail": EVERY_ROLE,
    "measurement:measure_value": CONTRIBUTORS,
    "measurement:target_new": ADMINS,
    "measurement:result_edit": CONTRIBUTORS,
    "measurement:imports": ADMINS,
    "measurement:import_detail": ADMINS,
    "measurement:import_retry": ADMINS,
    "measurement:import_check": ADMINS,
    "measurement:import_discard": ADMINS,
}
API: dict[str, Any] = {
    "list_indicators": EVERY_ROLE,
    "list_observations": EVERY_ROLE,
    "get_equity": EVERY_ROLE,
    "get_goal": EVERY_ROLE,
    "list_targets": EVERY_ROLE,
    "get_metrics_framework": EVERY_ROLE,
    "get_import_job": ADMINS,
    "record_measure_value": CONTRIBUTORS,
    "list_indicator_releases": EVERY_ROLE,
    "release_indicator_period": ADMINS,
    "reopen_indicator_release": ADMINS,
}
BODIES: dict[str, dict[str, Any]] = {
    "record_measure_value": {"period": "2025", "value": 12.5},
    "release_indicator_period": {"period": "2021", "note": "Approved by the metrics committee"},
    "reopen_indicator_release": {"reason": "A county's value was mistyped."},
}


def objects(coalition: Any) -> dict[str, Any]:
    """URL keyword -> an object of coalition made for the test (its id or key)."""
    from commonground.coalitions.models import Membership
    from commonground.measurement import services
    from commonground.measurement.models import ImportJob, Indicator, Observation

    with scope(coalition=coalition):
        indicator = Indicator.objects.create(
            coalition=coalition,
            code="v147",
            name="Life expectancy",
            unit="years",
            direction="higher",
        )
        for period in ("2020-2022", "2021"):
            Observation.objects.create(
                coalition=coalition,
                indicator=indicator,
                place_type="county",
                place_code="01101",
                period=period,
                group="white",
                value=75.5,
            )
        job = ImportJob.objects.create(coalition=coalition, file_name="x.csv", layout="tidy")
        area = services.add_priority_area(coalition=coalition, actor=None, name="Health")
        result = services.add_result(
            coalition=coalition, actor=None, priority_area=area, statement="People live long"
        )
        measure = services.add_performance_measure(
            coalition=coalition, actor=None, result=result, name="Visits", kind="how_much"
        )
        admin = (
            Membership.objects.filter(coalition=coalition, role=Membership.Role.BACKBONE_ADMIN)
            .select_related("user")
            .first()
        )
        assert admin is not None
        # A file waiting in the import wizard, uploaded by the coalition's admin.
        staged = services.stage_upload(
            coalition=coalition,
            actor=admin.user,
            file_name="visits.csv",
            content=b"place,period,group,value\n01101,2024,total,5\n",
        )
        # A released period (the 2021 one is there to be released by the API's sample body).
        release = services.release_period(
            coalition=coalition, actor=admin.user, indicator=indicator, period="2020-2022"
        )
    return {
        "indicator_release_id": release.pk,
        "upload_id": staged.key,
        "indicator_id": indicator.pk,
        "job_id": job.pk,
        "result_id": result.pk,
        "measure_id": measure.pk,
    }
