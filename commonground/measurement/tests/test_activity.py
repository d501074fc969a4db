"""The activity log says what happened in measurement in the reader's language: indicators
by their catalog name, not their code; files, results and measures by name.

Rows come from the real services (an import of a real County Health Rankings file, the
metrics framework), and, for rows stored before event codes existed, from
``record_audit`` called exactly as the old code called it.
"""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from typing import Any

import pytest
from django_scopes import scope

from commonground.coalitions.models import AuditEvent
from commonground.coalitions.services import record_audit
from commonground.lib.paths import shared_data_dir
from commonground.measurement import services
from commonground.measurement.models import ImportJob, Indicator, PerformanceMeasure

pytestmark = pytest.mark.django_db

RAW_CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
LE_WIDE = shared_data_dir() / "chrr" / "v147_other_r2024_wide.csv"


def log_texts(world: Any, language: str) -> list[str]:
    html = (
        world.client_for("admin")
        .get("/c/valley-a/activity/", HTTP_ACCEPT_LANGUAGE=language)
        .content.decode()
    )
    rows = re.findall(r"<tr><td>.*?</td><td>(.*?)</td></tr>", html, re.S)
    return [unescape(row) for row in rows]


def alabama_rows() -> bytes:
    text = LE_WIDE.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows[0])
    for row in rows[1:]:
        record = dict(zip(rows[0], row, strict=False))
        if record.get("statecode", "") in {"01", "00"}:
            writer.writerow(row)
    return out.getvalue().encode()


@pytest.fixture
def imported(world: Any) -> ImportJob:
    job = services.create_import_job(
        coalition=world.a,
        actor=world.people["admin"],
        file_name="life_expectancy.csv",
        content=alabama_rows(),
        layout=ImportJob.Layout.CHR_WIDE,
        period="2020-2022",
    )
    return services.run_import_job(job_id=job.pk)


def test_an_import_reads_with_the_indicators_name_in_spanish(
    world: Any, imported: ImportJob
) -> None:
    texts = log_texts(world, "es")
    assert "Empezó a importar “life_expectancy.csv”" in texts
    assert "Agregó el indicador “Esperanza de vida” desde “life_expectancy.csv”" in texts
    finished = [text for text in texts if text.startswith("Importó “life_expectancy.csv”: ")]
    assert len(finished) == 1 and finished[0].endswith("0 cambiadas y 0 sin cambios")
    english = log_texts(world, "en")
    assert "Added the indicator “Life expectancy” from “life_expectancy.csv”" in english
    assert not any("v147" in text for text in texts + english)


def test_the_metrics_framework_reads_in_spanish(world: Any) -> None:
    admin = world.people["admin"]
    area = services.add_priority_area(coalition=world.a, actor=admin, name="Salud")
    result = services.add_result(
        coalition=world.a, actor=admin, priority_area=area, statement="Bebés sanos"
    )
    measure = services.add_performance_measure(
        coalition=world.a,
        actor=admin,
        result=result,
        name="Visitas a domicilio",
        kind=PerformanceMeasure.Kind.HOW_MUCH,
        values=[("2024", 120.0)],
    )
    services.record_measure_value(
        coalition=world.a, actor=admin, measure=measure, period="2024", value=135.0
    )
    result.refresh_from_db()
    services.update_turn_the_curve(
        coalition=world.a,
        actor=admin,
        result=result,
        expected_version=result.version,
        what_works="Doulas",
    )
    texts = log_texts(world, "es")
    assert "Agregó el área prioritaria “Salud”" in texts
    assert "Agregó el resultado “Bebés sanos”" in texts
    assert "Agregó la medida de desempeño “Visitas a domicilio” con 1 valor" in texts
    assert "Cambió “Visitas a domicilio” de 2024 de 120 a 135" in texts
    assert "Actualizó las notas para cambiar la tendencia de “Bebés sanos”: qué funciona" in texts
    assert not [text for text in texts if RAW_CODE.search(text)], texts


def test_rows_stored_before_event_codes_read_the_same(world: Any, imported: ImportJob) -> None:
    with scope(coalition=world.a):
        indicator = Indicator.objects.get(code="v147")
    Create, Update = AuditEvent.Action.CREATE, AuditEvent.Action.UPDATE
    for obj, action, summary, after in [
        (imported, Create, "Started importing old_file.csv", None),
        (indicator, Create, "Added indicator v147 from old_file.csv", None),
        (
            imported,
            Update,
            "Imported old_file.csv: 7 new, 1 changed, 2 unchanged observations",
            {"created": 7, "updated": 1, "unchanged": 2},
        ),
        (imported, Update, "Retried the import of old_file.csv (attempt 2)", {"attempt": 2}),
    ]:
        record_audit(
            coalition=world.a, actor=None, action=action, obj=obj, summary=summary, after=after
        )
    texts = log_texts(world, "es")[:4]
    assert texts == [
        "Volvió a intentar la importación de “old_file.csv” (intento 2)",
        "Importó “old_file.csv”: 7 observaciones nuevas, 1 cambiadas y 2 sin cambios",
        "Agregó el indicador “Esperanza de vida” desde “old_file.csv”",
        "Empezó a importar “old_file.csv”",
    ]
