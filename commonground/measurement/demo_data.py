"""The demo coalition's shared measurement: real public data for Alabama (its six
counties and their peers), a gap target, and a metrics framework.

The public data are imported with the same services as an upload, from the files in
``shared/data``. Program numbers in the performance measures are invented, like the
coalition itself.
"""

from __future__ import annotations

from typing import Any

from django_scopes import scope

from commonground.coalitions.models import Coalition, Membership
from commonground.lib.paths import shared_data_dir
from commonground.measurement import services
from commonground.measurement.models import ImportJob, Indicator, PerformanceMeasure, Target

Layout = ImportJob.Layout
ALABAMA = ("01",)
HOW_MUCH = PerformanceMeasure.Kind.HOW_MUCH
HOW_WELL = PerformanceMeasure.Kind.HOW_WELL
BETTER_OFF = PerformanceMeasure.Kind.BETTER_OFF


def _admin(coalition: Coalition) -> Any:
    membership = (
        Membership.objects.filter(coalition=coalition, role=Membership.Role.BACKBONE_ADMIN)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def import_public_data(
    coalition: Coalition, actor: Any, states: tuple[str, ...]
) -> list[ImportJob]:
    """Import life expectancy by race, low birthweight by race, PLACES and SVI."""
    data = shared_data_dir()
    files = [
        (data / "chrr" / "v147_other_r2024_wide.csv", Layout.CHR_WIDE, "2020-2022", ""),
        (data / "chrr" / "v037_singlerace_how.csv", Layout.CHR_COUNTS, "2016-2022", "v037"),
        (
            data / "places" / "PLACES__County_Data__GIS_Friendly_Format___2022_release.csv",
            Layout.PLACES,
            "2020",
            "",
        ),
        (data / "svi" / "SVI2020_US_COUNTY.csv", Layout.SVI, "2016-2020", ""),
    ]
    jobs = []
    for path, layout, period, code in files:
        job = services.import_path(
            coalition=coalition,
            actor=actor,
            path=path,
            layout=layout,
            period=period,
            indicator_code=code,
            only_states=states,
        )
        if job.status != ImportJob.Status.SUCCEEDED:
            raise RuntimeError(f"demo import of {path.name} failed: {job.problems}")
        jobs.append(job)
    return jobs


def _indicators(*codes: str) -> list[Indicator]:
    found = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


def seed_river_region(coalition: Coalition) -> None:
    with scope(coalition=coalition):
        actor = _admin(coalition)
        import_public_data(coalition, actor, ALABAMA)
        life, birthweight = _indicators("v147", "v037")
        areas = {
            name: services.add_priority_area(coalition=coalition, actor=actor, name=name, order=i)
            for i, name in enumerate(
                [
                    "Health and health care",
                    "Neighborhood and physical environment",
                    "Economic vitality",
                    "Education",
                ]
            )
        }
        long_lives = services.add_result(
            coalition=coalition,
            actor=actor,
            priority_area=areas["Health and health care"],
            statement="Everyone in the River Region lives a long and healthy life",
            indicators=_indicators("v147", "BPHIGH_CrudePrev", "DIABETES_CrudePrev"),
            story_behind_curve=(
                "Black residents die younger than White residents in every one of our six "
                "counties; the gap is widest in the rural Black Belt counties. Residents at the "
                "listening sessions named high blood pressure that goes untreated, clinics that "
                "are a long drive away, and no bus to get there."
            ),
            partners=(
                "Riverside Community Health Center (community health workers)\n"
                "Greater Mt. Zion Baptist Church (blood-pressure checks after services)\n"
                "River Region Public Health District (data and outreach)\n"
                "River Region Transit (rides to care)"
            ),
            what_works=(
                "Community health workers who follow patients between visits; blood-pressure "
                "checks in barbershops and churches with a same-week clinic referral; free rides "
                "to appointments."
            ),
            action_items=(
                "Train 12 more community health workers from the Black Belt counties\n"
                "Add Sunday blood-pressure checks at 10 more congregations\n"
                "Extend the rides-to-care pilot to Lowndes and Bullock counties"
            ),
        )
        services.add_result(
            coalition=coalition,
            actor=actor,
            priority_area=areas["Health and health care"],
            statement="Babies are born healthy",
            indicators=[birthweight] if birthweight else [],
            order=1,
            story_behind_curve=(
                "Black babies are born too small about twice as often as White babies. Mothers "
                "told us about late prenatal care and the stress of unstable housing."
            ),
            partners="Capital City Medical Center\nRiverside Community Health Center",
            what_works="Group prenatal care; doulas from the community; home visits.",
            action_items="Start two group prenatal care cohorts\nRecruit five community doulas",
        )
        moving = services.add_result(
            coalition=coalition,
            actor=actor,
            priority_area=areas["Neighborhood and physical environment"],
            statement="People can get where they need to go",
            indicators=_indicators("EP_NOVEH", "EP_HBURD"),
        )
        secure = services.add_result(
            coalition=coalition,
            actor=actor,
            priority_area=areas["Economic vitality"],
            statement="Families are financially secure",
            indicators=_indicators("EP_POV150", "EP_UNEMP"),
        )
        school = services.add_result(
            coalition=coalition,
            actor=actor,
            priority_area=areas["Education"],
            statement="Young people finish school ready for work and college",
            indicators=_indicators("EP_NOHSDP"),
        )
        measures: list[tuple[Any, str, str, str, str, float | None, list[tuple[str, float]]]] = [
            (long_lives, "Home visits by community health workers", HOW_MUCH, "Community health workers", "visits", None,
             [("2022", 410), ("2023", 655), ("2024", 890)]),
            (long_lives, "Clients seen within 7 days of a referral", HOW_WELL, "Community health workers", "%", 80,
             [("2022", 58), ("2023", 66), ("2024", 71)]),
            (long_lives, "Clients with blood pressure under control", BETTER_OFF, "Community health workers", "%", 60,
             [("2022", 38), ("2023", 44), ("2024", 51)]),
            (moving, "Rides to care given", HOW_MUCH, "Rides to care", "rides", None,
             [("2023", 1240), ("2024", 2980)]),
            (moving, "Riders who missed an appointment", BETTER_OFF, "Rides to care", "%", 10,
             [("2023", 22), ("2024", 14)]),
            (secure, "Residents placed in jobs", HOW_MUCH, "Workforce partnership", "people", None,
             [("2022", 35), ("2023", 58), ("2024", 81)]),
            (school, "Students in the health careers after-school program", HOW_MUCH, "Health careers pathway", "students", None,
             [("2022", 40), ("2023", 52), ("2024", 70)]),
        ]  # fmt: skip
        for result, name, kind, program, unit, target, values in measures:
            services.add_performance_measure(
                coalition=coalition,
                actor=actor,
                result=result,
                name=name,
                kind=kind,
                program=program,
                unit=unit,
                direction="lower" if name.startswith("Riders who missed") else "higher",
                target_value=target,
                values=values,
            )
        if life is not None:
            for code, county in (("01101", "Montgomery County"), ("01011", "Bullock County")):
                services.create_target(
                    coalition=coalition,
                    actor=actor,
                    title=f"Halve the Black-White life-expectancy gap in {county} by 2030",
                    indicator=life,
                    place_code=code,
                    kind=Target.Kind.GAP,
                    group="black",
                    reference_group="white",
                    reduction=0.5,
                    target_year=2030,
                    result=long_lives,
                )
        # The metrics committee approved the blood-pressure values it reports on: they are
        # released, so no import changes them until an admin reopens the release.
        blood_pressure = _indicators("BPHIGH_CrudePrev")
        if blood_pressure:
            services.release_period(
                coalition=coalition,
                actor=actor,
                indicator=blood_pressure[0],
                period="2020",
                note="Approved by the metrics committee for the 2025 community health report",
            )
