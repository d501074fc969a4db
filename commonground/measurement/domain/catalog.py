"""Plain-language names, descriptions and domains for the indicators of the real layouts.

Importers name indicators by their source code (``v147``, ``DIABETES_CrudePrev``,
``EP_POV150``); people outside public health need a name and a sentence. Unknown codes
keep the importer's name and fall in the ``other`` domain.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    domain: str
    description: str = ""
    #: Widest 95% interval (in the indicator's units) of an estimate still compared
    #: between groups; ``None`` leaves only the relative rule (RSE above 30%).
    max_ci_width: float | None = None


HEALTH = "health_outcomes"
CARE = "health_care_access"
SOCIAL = "social_economic"
SAFETY = "community_safety"
ENVIRONMENT = "physical_environment"
EDUCATION = "education"
ECONOMY = "economic_vitality"

CHR: dict[str, Entry] = {
    "v147": Entry(
        "Life expectancy",
        HEALTH,
        "How many years a baby born today would live, on average, if today's death rates held.",
        # Life expectancy's relative interval is always narrow (years / ~75), so the RSE rule
        # never fires. A 95% interval wider than 10 years (a standard error above ~2.5
        # years) means too few deaths to compare: it keeps the White and Black estimates
        # of small rural counties (intervals of 5-10 years) and drops groups of a few
        # hundred people (Elmore County's Hispanic estimate, 68-136 years).
        max_ci_width=10.0,
    ),
    "v037": Entry(
        "Low birthweight",
        HEALTH,
        "Share of babies born weighing less than 2,500 grams (5 lbs 8 oz).",
    ),
    "v001": Entry(
        "Premature death", HEALTH, "Years of life lost before age 75, per 100,000 people."
    ),
    "v002": Entry(
        "Poor or fair health", HEALTH, "Share of adults who say their health is fair or poor."
    ),
    "v009": Entry("Adult smoking", HEALTH),
    "v011": Entry("Adult obesity", HEALTH),
    "v085": Entry("Uninsured", CARE, "Share of people under 65 without health insurance."),
    "v004": Entry("Primary care physicians", CARE, "Doctors per 100,000 people."),
    "v021": Entry("High school completion", EDUCATION),
    "v069": Entry("Some college", EDUCATION),
    "v023": Entry("Unemployment", ECONOMY),
    "v024": Entry("Children in poverty", SOCIAL),
    "v063": Entry("Median household income", ECONOMY),
    "v044": Entry("Income inequality", SOCIAL),
    "v043": Entry("Violent crime", SAFETY),
    "v135": Entry("Injury deaths", SAFETY),
    "v125": Entry("Air pollution (fine particles)", ENVIRONMENT),
    "v136": Entry("Severe housing problems", ENVIRONMENT),
}

PLACES: dict[str, tuple[str, str]] = {
    "ACCESS2": ("Adults 18-64 without health insurance", CARE),
    "ARTHRITIS": ("Adults with arthritis", HEALTH),
    "BINGE": ("Adults who binge drink", HEALTH),
    "BPHIGH": ("Adults with high blood pressure", HEALTH),
    "BPMED": ("Adults with high blood pressure taking medicine for it", CARE),
    "CANCER": ("Adults who have had cancer", HEALTH),
    "CASTHMA": ("Adults with asthma", HEALTH),
    "CERVICAL": ("Women 21-65 screened for cervical cancer", CARE),
    "CHD": ("Adults with coronary heart disease", HEALTH),
    "CHECKUP": ("Adults with a routine checkup in the past year", CARE),
    "CHOLSCREEN": ("Adults with cholesterol screening", CARE),
    "COLON_SCREEN": ("Adults 50-75 screened for colorectal cancer", CARE),
    "COPD": ("Adults with COPD", HEALTH),
    "COREM": ("Older men up to date on preventive services", CARE),
    "COREW": ("Older women up to date on preventive services", CARE),
    "CSMOKING": ("Adults who smoke", HEALTH),
    "DENTAL": ("Adults who visited a dentist in the past year", CARE),
    "DEPRESSION": ("Adults with depression", HEALTH),
    "DIABETES": ("Adults with diabetes", HEALTH),
    "GHLTH": ("Adults in fair or poor health", HEALTH),
    "HIGHCHOL": ("Adults with high cholesterol", HEALTH),
    "KIDNEY": ("Adults with chronic kidney disease", HEALTH),
    "LPA": ("Adults with no leisure-time physical activity", HEALTH),
    "MAMMOUSE": ("Women 50-74 with a mammogram in the past 2 years", CARE),
    "MHLTH": ("Adults with frequent mental distress", HEALTH),
    "OBESITY": ("Adults with obesity", HEALTH),
    "PHLTH": ("Adults with frequent physical distress", HEALTH),
    "SLEEP": ("Adults sleeping less than 7 hours", HEALTH),
    "STROKE": ("Adults who have had a stroke", HEALTH),
    "TEETHLOST": ("Adults 65+ who lost all their teeth", HEALTH),
}

SVI: dict[str, tuple[str, str]] = {
    "EP_POV150": ("People below 150% of the poverty line", ECONOMY),
    "EP_UNEMP": ("Unemployed people", ECONOMY),
    "EP_HBURD": ("Households spending 30%+ of income on housing", ECONOMY),
    "EP_NOHSDP": ("Adults without a high school diploma", EDUCATION),
    "EP_UNINSUR": ("People without health insurance", CARE),
    "EP_AGE65": ("People aged 65 and over", SOCIAL),
    "EP_AGE17": ("Children aged 17 and under", SOCIAL),
    "EP_DISABL": ("People with a disability", SOCIAL),
    "EP_SNGPNT": ("Single-parent households", SOCIAL),
    "EP_LIMENG": ("People who speak limited English", SOCIAL),
    "EP_MINRTY": ("People of racial or ethnic minority groups", SOCIAL),
    "EP_MUNIT": ("Homes in buildings of 10+ units", ENVIRONMENT),
    "EP_MOBILE": ("Mobile homes", ENVIRONMENT),
    "EP_CROWD": ("Crowded homes (more people than rooms)", ENVIRONMENT),
    "EP_NOVEH": ("Households without a vehicle", ENVIRONMENT),
    "EP_GROUPQ": ("People living in group quarters", ENVIRONMENT),
    "EP_NOINT": ("Households without internet", ENVIRONMENT),
    "RPL_THEME1": ("Social vulnerability: socioeconomic status (percentile)", SOCIAL),
    "RPL_THEME2": ("Social vulnerability: household characteristics (percentile)", SOCIAL),
    "RPL_THEME3": ("Social vulnerability: minority status and language (percentile)", SOCIAL),
    "RPL_THEME4": ("Social vulnerability: housing and transportation (percentile)", SOCIAL),
    "RPL_THEMES": ("Social vulnerability index, overall (percentile)", SOCIAL),
}

GROUP_LABELS = {
    "total": "All people",
    "white": "White",
    "black": "Black",
    "aian": "American Indian / Alaska Native",
    "asian": "Asian",
    "nhopi": "Native Hawaiian / Pacific Islander",
    "tom": "Two or more races",
    "hispanic": "Hispanic",
    "other": "Other or unknown race",
}


def describe(code: str, fallback_name: str) -> Entry:
    """Return the plain-language entry for an indicator code.

    >>> describe("v147", "Life Expectancy").name
    'Life expectancy'
    >>> describe("DIABETES_CrudePrev", "DIABETES (crude prevalence)").name
    'Adults with diabetes (%)'
    >>> describe("DIABETES_AdjPrev", "x").name
    'Adults with diabetes (%, age-adjusted)'
    >>> describe("custom", "My measure").domain
    'other'
    """
    if code in CHR:
        return CHR[code]
    for suffix, label in (("_CrudePrev", "%"), ("_AdjPrev", "%, age-adjusted")):
        if code.endswith(suffix) and code.removesuffix(suffix) in PLACES:
            name, domain = PLACES[code.removesuffix(suffix)]
            return Entry(f"{name} ({label})", domain, "CDC model-based estimate for adults.")
    if code in SVI:
        name, domain = SVI[code]
        return Entry(name, domain, "American Community Survey estimate, via the CDC/ATSDR SVI.")
    return Entry(fallback_name, "other")
