from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scope

from commonground.measurement.models import Indicator, Observation
from commonground.measurement.tests.test_services import LBW, LE_WIDE, PLACES, alabama, slice_csv


def test_import_command_reports_counts_then_nothing_new(world: Any, tmp_path: Path) -> None:
    path = tmp_path / "le.csv"
    path.write_bytes(slice_csv(LE_WIDE, lambda r: r["statecode"] == "01"))
    args = [str(path), "--coalition", world.a.slug, "--layout", "chr_wide", "--period", "2020-2022"]
    out = io.StringIO()
    call_command("import_measurement", *args, stdout=out)
    assert "Imported le.csv:" in out.getvalue() and " 0 unchanged" in out.getvalue()
    out = io.StringIO()
    call_command("import_measurement", *args, stdout=out)
    assert " 0 new, 0 changed" in out.getvalue()


def test_import_command_names_the_bad_row(world: Any, tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("place,period,group,value\n01101,2024,total,abc\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command(
            "import_measurement",
            str(path),
            "--coalition",
            world.a.slug,
            "--layout",
            "tidy",
            "--place-type",
            "county",
            stderr=err,
        )
    assert "row 2, column 'value': 'abc' is not a number" in err.getvalue()


def test_import_command_takes_what_the_file_name_states(world: Any, tmp_path: Path) -> None:
    places = tmp_path / PLACES.name  # "…2022_release…": PLACES modelling BRFSS 2020
    places.write_bytes(slice_csv(PLACES, alabama))
    counts = tmp_path / LBW.name  # "v037_singlerace_how.csv": the measure v037
    counts.write_bytes(slice_csv(LBW, alabama))
    call_command(
        "import_measurement", str(places), "--coalition", world.a.slug, "--layout", "places",
        stdout=io.StringIO(),
    )  # fmt: skip
    call_command(
        "import_measurement", str(counts), "--coalition", world.a.slug, "--layout", "chr_counts",
        "--period", "2016 - 2022", stdout=io.StringIO(),
    )  # fmt: skip
    with scope(coalition=world.a):
        diabetes = Indicator.objects.get(code="DIABETES_CrudePrev")
        assert set(
            Observation.objects.filter(indicator=diabetes).values_list("period", flat=True)
        ) == {"2020"}
        lbw = Indicator.objects.get(code="v037")
        assert set(Observation.objects.filter(indicator=lbw).values_list("period", flat=True)) == {
            "2016-2022"
        }
