"""Plain-language names, descriptions and domains for the indicators of the real layouts,
in English and Spanish.

Importers name indicators by their source code (``v147``, ``DIABETES_CrudePrev``,
``EP_POV150``); people outside public health need a name and a sentence, in their own
language. Every entry is bilingual (:class:`~commonground.framework.types.Text`, as the
framework's content is), and so are the units (:data:`UNITS`) and the sources
(:data:`SOURCES`). Unknown codes keep the importer's name, in both languages, and fall in
the ``other`` domain.
"""

from __future__ import annotations

from dataclasses import dataclass

from commonground.framework.types import Text

EMPTY = Text("", "")


@dataclass(frozen=True, slots=True)
class Entry:
    name: Text
    domain: str
    description: Text = EMPTY
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


def _e(en: str, es: str, domain: str, about_en: str = "", about_es: str = "") -> Entry:
    return Entry(Text(en, es), domain, Text(about_en, about_es))


#: Every measure of the County Health Rankings 2025 analytic file, and violent crime.
CHR: dict[str, Entry] = {
    "v147": Entry(
        Text("Life expectancy", "Esperanza de vida"),
        HEALTH,
        Text(
            "How many years a baby born today would live, on average, if today's death rates held.",
            "Cuántos años viviría en promedio un bebé nacido hoy si se mantuvieran las "
            "tasas de mortalidad actuales.",
        ),
        # Life expectancy's relative interval is always narrow (years / ~75), so the RSE rule
        # never fires. A 95% interval wider than 10 years (a standard error above ~2.5
        # years) means too few deaths to compare: it keeps the White and Black estimates
        # of small rural counties (intervals of 5-10 years) and drops groups of a few
        # hundred people (Elmore County's Hispanic estimate, 68-136 years).
        max_ci_width=10.0,
    ),
    "v037": _e(
        "Low birthweight",
        "Bajo peso al nacer",
        HEALTH,
        "Share of babies born weighing less than 2,500 grams (5 lbs 8 oz).",
        "Proporción de bebés que nacen con menos de 2.500 gramos (5 libras y 8 onzas).",
    ),
    "v001": _e(
        "Premature death",
        "Muerte prematura",
        HEALTH,
        "Years of life lost before age 75, per 100,000 people.",
        "Años de vida perdidos antes de los 75 años, por cada 100.000 personas.",
    ),
    "v002": _e(
        "Poor or fair health",
        "Salud regular o mala",
        HEALTH,
        "Share of adults who say their health is fair or poor.",
        "Proporción de adultos que dicen que su salud es regular o mala.",
    ),
    "v036": _e(
        "Poor physical health days",
        "Días de mala salud física",
        HEALTH,
        "Days in the past month adults felt physically unwell, on average.",
        "Días del último mes en que los adultos se sintieron mal físicamente, en promedio.",
    ),
    "v042": _e(
        "Poor mental health days",
        "Días de mala salud mental",
        HEALTH,
        "Days in the past month adults felt mentally unwell, on average.",
        "Días del último mes en que los adultos se sintieron mal mentalmente, en promedio.",
    ),
    "v009": _e("Adult smoking", "Tabaquismo en adultos", HEALTH),
    "v011": _e("Adult obesity", "Obesidad en adultos", HEALTH),
    "v070": _e("Physical inactivity", "Inactividad física", HEALTH),
    "v049": _e("Excessive drinking", "Consumo excesivo de alcohol", HEALTH),
    "v060": _e("Diabetes prevalence", "Prevalencia de diabetes", HEALTH),
    "v061": _e("HIV prevalence", "Prevalencia del VIH", HEALTH),
    "v143": _e("Insufficient sleep", "Sueño insuficiente", HEALTH),
    "v144": _e("Frequent physical distress", "Malestar físico frecuente", HEALTH),
    "v145": _e("Frequent mental distress", "Malestar mental frecuente", HEALTH),
    "v014": _e(
        "Teen births",
        "Nacimientos de madres adolescentes",
        HEALTH,
        "Births per 1,000 young women aged 15-19.",
        "Nacimientos por cada 1.000 mujeres jóvenes de 15 a 19 años.",
    ),
    "v045": _e("Sexually transmitted infections", "Infecciones de transmisión sexual", HEALTH),
    "v127": _e(
        "Premature age-adjusted mortality",
        "Mortalidad prematura ajustada por edad",
        HEALTH,
        "Deaths before age 75 per 100,000 people, age-adjusted.",
        "Muertes antes de los 75 años por cada 100.000 personas, ajustadas por edad.",
    ),
    "v128": _e("Child mortality", "Mortalidad en la niñez", HEALTH),
    "v129": _e(
        "Infant mortality",
        "Mortalidad infantil",
        HEALTH,
        "Babies who die before their first birthday, per 1,000 live births.",
        "Bebés que mueren antes de cumplir un año, por cada 1.000 nacidos vivos.",
    ),
    "v138": _e("Drug overdose deaths", "Muertes por sobredosis de drogas", HEALTH),
    "v085": _e(
        "Uninsured",
        "Sin seguro médico",
        CARE,
        "Share of people under 65 without health insurance.",
        "Proporción de personas menores de 65 años sin seguro médico.",
    ),
    "v003": _e("Uninsured adults", "Adultos sin seguro médico", CARE),
    "v122": _e("Uninsured children", "Niños sin seguro médico", CARE),
    "v004": _e(
        "Primary care physicians",
        "Médicos de atención primaria",
        CARE,
        "Doctors per 100,000 people.",
        "Médicos por cada 100.000 personas.",
    ),
    "v131": _e("Other primary care providers", "Otros proveedores de atención primaria", CARE),
    "v062": _e("Mental health providers", "Proveedores de salud mental", CARE),
    "v088": _e("Dentists", "Dentistas", CARE),
    "v005": _e("Preventable hospital stays", "Hospitalizaciones evitables", CARE),
    "v050": _e("Mammography screening", "Mamografías de detección", CARE),
    "v155": _e("Flu vaccinations", "Vacunación contra la gripe", CARE),
    "v021": _e("High school graduation", "Graduación de la escuela secundaria", EDUCATION),
    "v168": _e("High school completion", "Estudios secundarios completos", EDUCATION),
    "v069": _e("Some college", "Algunos estudios universitarios", EDUCATION),
    "v159": _e("Reading scores", "Puntajes de lectura", EDUCATION),
    "v160": _e("Math scores", "Puntajes de matemáticas", EDUCATION),
    "v167": _e("School segregation", "Segregación escolar", EDUCATION),
    "v169": _e("School funding adequacy", "Suficiencia del financiamiento escolar", EDUCATION),
    "v181": _e("Library access", "Acceso a bibliotecas", EDUCATION),
    "v149": _e(
        "Disconnected youth",
        "Jóvenes desconectados",
        EDUCATION,
        "Young people aged 16-19 neither in school nor working.",
        "Jóvenes de 16 a 19 años que no estudian ni trabajan.",
    ),
    "v023": _e("Unemployment", "Desempleo", ECONOMY),
    "v063": _e("Median household income", "Ingreso mediano del hogar", ECONOMY),
    "v151": _e("Gender pay gap", "Brecha salarial de género", ECONOMY),
    "v170": _e("Living wage", "Salario digno", ECONOMY),
    "v171": _e("Child care cost burden", "Carga del costo del cuidado infantil", ECONOMY),
    "v153": _e("Homeownership", "Vivienda propia", ECONOMY),
    "v154": _e("Severe housing cost burden", "Carga grave del costo de la vivienda", ECONOMY),
    "v024": _e("Children in poverty", "Niños en la pobreza", SOCIAL),
    "v044": _e("Income inequality", "Desigualdad de ingresos", SOCIAL),
    "v065": _e(
        "Children eligible for free or reduced price lunch",
        "Niños con derecho a almuerzo gratuito o a precio reducido",
        SOCIAL,
    ),
    "v082": _e("Children in single-parent households", "Niños en hogares monoparentales", SOCIAL),
    "v140": _e("Social associations", "Asociaciones sociales", SOCIAL),
    "v139": _e("Food insecurity", "Inseguridad alimentaria", SOCIAL),
    "v172": _e("Child care centers", "Centros de cuidado infantil", SOCIAL),
    "v141": _e(
        "Residential segregation, Black/White",
        "Segregación residencial entre personas negras y blancas",
        SOCIAL,
    ),
    "v177": _e("Voter turnout", "Participación electoral", SOCIAL),
    "v178": _e("Census participation", "Participación en el censo", SOCIAL),
    "v183": _e("Feelings of loneliness", "Sentimientos de soledad", SOCIAL),
    "v184": _e("Lack of social and emotional support", "Falta de apoyo social y emocional", SOCIAL),
    "v051": _e("Population", "Población", SOCIAL),
    "v052": _e("Under 18 years of age (%)", "Menores de 18 años (%)", SOCIAL),
    "v053": _e("65 and older (%)", "De 65 años o más (%)", SOCIAL),
    "v057": _e("Female (%)", "Mujeres (%)", SOCIAL),
    "v054": _e("Non-Hispanic Black (%)", "Negros no hispanos (%)", SOCIAL),
    "v055": _e(
        "American Indian or Alaska Native (%)",
        "Indígenas americanos o nativos de Alaska (%)",
        SOCIAL,
    ),
    "v056": _e("Hispanic (%)", "Hispanos (%)", SOCIAL),
    "v080": _e(
        "Native Hawaiian or Other Pacific Islander (%)",
        "Nativos de Hawái u otras islas del Pacífico (%)",
        SOCIAL,
    ),
    "v081": _e("Asian (%)", "Asiáticos (%)", SOCIAL),
    "v126": _e("Non-Hispanic White (%)", "Blancos no hispanos (%)", SOCIAL),
    "v180": _e(
        "Disability: functional limitations (%)",
        "Discapacidad: limitaciones funcionales (%)",
        SOCIAL,
    ),
    "v059": _e("Not proficient in English (%)", "Sin dominio del inglés (%)", SOCIAL),
    "v043": _e("Violent crime", "Delitos violentos", SAFETY),
    "v135": _e("Injury deaths", "Muertes por lesiones", SAFETY),
    "v015": _e("Homicides", "Homicidios", SAFETY),
    "v039": _e("Motor vehicle crash deaths", "Muertes en accidentes de tránsito", SAFETY),
    "v148": _e("Firearm fatalities", "Muertes por armas de fuego", SAFETY),
    "v134": _e(
        "Alcohol-impaired driving deaths",
        "Muertes en accidentes de tránsito con alcohol",
        SAFETY,
    ),
    "v161": _e("Suicides", "Suicidios", SAFETY),
    "v125": _e(
        "Air pollution (fine particles)", "Contaminación del aire (partículas finas)", ENVIRONMENT
    ),
    "v124": _e("Drinking water violations", "Infracciones en el agua potable", ENVIRONMENT),
    "v136": _e("Severe housing problems", "Problemas graves de vivienda", ENVIRONMENT),
    "v067": _e("Driving alone to work", "Ir solo en auto al trabajo", ENVIRONMENT),
    "v137": _e(
        "Long commute, driving alone", "Trayecto largo al trabajo, solo en auto", ENVIRONMENT
    ),
    "v166": _e("Broadband access", "Acceso a internet de banda ancha", ENVIRONMENT),
    "v132": _e(
        "Access to exercise opportunities", "Acceso a lugares para hacer ejercicio", ENVIRONMENT
    ),
    "v133": _e("Food environment index", "Índice del entorno alimentario", ENVIRONMENT),
    "v083": _e(
        "Limited access to healthy foods", "Acceso limitado a alimentos saludables", ENVIRONMENT
    ),
    "v156": _e("Traffic volume", "Volumen de tráfico", ENVIRONMENT),
    "v179": _e("Access to parks", "Acceso a parques", ENVIRONMENT),
    "v182": _e("Adverse climate events", "Eventos climáticos adversos", ENVIRONMENT),
    "v058": _e("Rural (%)", "Población rural (%)", ENVIRONMENT),
}

PLACES: dict[str, tuple[Text, str]] = {
    "ACCESS2": (
        Text("Adults 18-64 without health insurance", "Adultos de 18 a 64 años sin seguro médico"),
        CARE,
    ),
    "ARTHRITIS": (Text("Adults with arthritis", "Adultos con artritis"), HEALTH),
    "BINGE": (
        Text("Adults who binge drink", "Adultos que beben en exceso en una sola ocasión"),
        HEALTH,
    ),
    "BPHIGH": (
        Text("Adults with high blood pressure", "Adultos con presión arterial alta"),
        HEALTH,
    ),
    "BPMED": (
        Text(
            "Adults with high blood pressure taking medicine for it",
            "Adultos con presión arterial alta que toman medicamentos para controlarla",
        ),
        CARE,
    ),
    "CANCER": (Text("Adults who have had cancer", "Adultos que han tenido cáncer"), HEALTH),
    "CASTHMA": (Text("Adults with asthma", "Adultos con asma"), HEALTH),
    "CERVICAL": (
        Text(
            "Women 21-65 screened for cervical cancer",
            "Mujeres de 21 a 65 años con detección de cáncer de cuello uterino",
        ),
        CARE,
    ),
    "CHD": (Text("Adults with coronary heart disease", "Adultos con enfermedad coronaria"), HEALTH),
    "CHECKUP": (
        Text(
            "Adults with a routine checkup in the past year",
            "Adultos con un chequeo de rutina en el último año",
        ),
        CARE,
    ),
    "CHOLSCREEN": (
        Text("Adults with cholesterol screening", "Adultos con control del colesterol"),
        CARE,
    ),
    "COLON_SCREEN": (
        Text(
            "Adults 50-75 screened for colorectal cancer",
            "Adultos de 50 a 75 años con detección de cáncer colorrectal",
        ),
        CARE,
    ),
    "COPD": (Text("Adults with COPD", "Adultos con EPOC"), HEALTH),
    "COREM": (
        Text(
            "Older men up to date on preventive services",
            "Hombres mayores al día con los servicios preventivos",
        ),
        CARE,
    ),
    "COREW": (
        Text(
            "Older women up to date on preventive services",
            "Mujeres mayores al día con los servicios preventivos",
        ),
        CARE,
    ),
    "CSMOKING": (Text("Adults who smoke", "Adultos que fuman"), HEALTH),
    "DENTAL": (
        Text(
            "Adults who visited a dentist in the past year",
            "Adultos que visitaron al dentista en el último año",
        ),
        CARE,
    ),
    "DEPRESSION": (Text("Adults with depression", "Adultos con depresión"), HEALTH),
    "DIABETES": (Text("Adults with diabetes", "Adultos con diabetes"), HEALTH),
    "GHLTH": (Text("Adults in fair or poor health", "Adultos con salud regular o mala"), HEALTH),
    "HIGHCHOL": (Text("Adults with high cholesterol", "Adultos con colesterol alto"), HEALTH),
    "KIDNEY": (
        Text("Adults with chronic kidney disease", "Adultos con enfermedad renal crónica"),
        HEALTH,
    ),
    "LPA": (
        Text(
            "Adults with no leisure-time physical activity",
            "Adultos sin actividad física en su tiempo libre",
        ),
        HEALTH,
    ),
    "MAMMOUSE": (
        Text(
            "Women 50-74 with a mammogram in the past 2 years",
            "Mujeres de 50 a 74 años con una mamografía en los últimos 2 años",
        ),
        CARE,
    ),
    "MHLTH": (
        Text("Adults with frequent mental distress", "Adultos con malestar mental frecuente"),
        HEALTH,
    ),
    "OBESITY": (Text("Adults with obesity", "Adultos con obesidad"), HEALTH),
    "PHLTH": (
        Text("Adults with frequent physical distress", "Adultos con malestar físico frecuente"),
        HEALTH,
    ),
    "SLEEP": (
        Text("Adults sleeping less than 7 hours", "Adultos que duermen menos de 7 horas"),
        HEALTH,
    ),
    "STROKE": (
        Text("Adults who have had a stroke", "Adultos que han tenido un derrame cerebral"),
        HEALTH,
    ),
    "TEETHLOST": (
        Text(
            "Adults 65+ who lost all their teeth",
            "Adultos de 65 años o más que perdieron todos los dientes",
        ),
        HEALTH,
    ),
}

SVI: dict[str, tuple[Text, str]] = {
    "EP_POV150": (
        Text(
            "People below 150% of the poverty line",
            "Personas por debajo del 150 % del umbral de pobreza",
        ),
        ECONOMY,
    ),
    "EP_UNEMP": (Text("Unemployed people", "Personas desempleadas"), ECONOMY),
    "EP_HBURD": (
        Text(
            "Households spending 30%+ of income on housing",
            "Hogares que gastan el 30 % o más de sus ingresos en vivienda",
        ),
        ECONOMY,
    ),
    "EP_NOHSDP": (
        Text(
            "Adults without a high school diploma",
            "Adultos sin diploma de escuela secundaria",
        ),
        EDUCATION,
    ),
    "EP_UNINSUR": (Text("People without health insurance", "Personas sin seguro médico"), CARE),
    "EP_AGE65": (Text("People aged 65 and over", "Personas de 65 años o más"), SOCIAL),
    "EP_AGE17": (Text("Children aged 17 and under", "Niños de 17 años o menos"), SOCIAL),
    "EP_DISABL": (Text("People with a disability", "Personas con una discapacidad"), SOCIAL),
    "EP_SNGPNT": (Text("Single-parent households", "Hogares monoparentales"), SOCIAL),
    "EP_LIMENG": (
        Text("People who speak limited English", "Personas que hablan poco inglés"),
        SOCIAL,
    ),
    "EP_MINRTY": (
        Text(
            "People of racial or ethnic minority groups",
            "Personas de grupos raciales o étnicos minoritarios",
        ),
        SOCIAL,
    ),
    "EP_AFAM": (
        Text("Black or African American people", "Personas negras o afroamericanas"),
        SOCIAL,
    ),
    "EP_HISP": (Text("Hispanic or Latino people", "Personas hispanas o latinas"), SOCIAL),
    "EP_ASIAN": (Text("Asian people", "Personas asiáticas"), SOCIAL),
    "EP_AIAN": (
        Text(
            "American Indian and Alaska Native people",
            "Personas indígenas americanas y nativas de Alaska",
        ),
        SOCIAL,
    ),
    "EP_NHPI": (
        Text(
            "Native Hawaiian and Pacific Islander people",
            "Personas nativas de Hawái y de otras islas del Pacífico",
        ),
        SOCIAL,
    ),
    "EP_TWOMORE": (Text("People of two or more races", "Personas de dos o más razas"), SOCIAL),
    "EP_OTHERRACE": (Text("People of another race", "Personas de otra raza"), SOCIAL),
    "EP_MUNIT": (
        Text("Homes in buildings of 10+ units", "Viviendas en edificios de 10 o más unidades"),
        ENVIRONMENT,
    ),
    "EP_MOBILE": (Text("Mobile homes", "Casas móviles"), ENVIRONMENT),
    "EP_CROWD": (
        Text(
            "Crowded homes (more people than rooms)",
            "Viviendas hacinadas (más personas que cuartos)",
        ),
        ENVIRONMENT,
    ),
    "EP_NOVEH": (Text("Households without a vehicle", "Hogares sin vehículo"), ENVIRONMENT),
    "EP_GROUPQ": (
        Text("People living in group quarters", "Personas que viven en alojamientos colectivos"),
        ENVIRONMENT,
    ),
    "EP_NOINT": (Text("Households without internet", "Hogares sin internet"), ENVIRONMENT),
    "RPL_THEME1": (
        Text(
            "Social vulnerability: socioeconomic status (percentile)",
            "Vulnerabilidad social: nivel socioeconómico (percentil)",
        ),
        SOCIAL,
    ),
    "RPL_THEME2": (
        Text(
            "Social vulnerability: household characteristics (percentile)",
            "Vulnerabilidad social: características del hogar (percentil)",
        ),
        SOCIAL,
    ),
    "RPL_THEME3": (
        Text(
            "Social vulnerability: minority status and language (percentile)",
            "Vulnerabilidad social: condición de minoría e idioma (percentil)",
        ),
        SOCIAL,
    ),
    "RPL_THEME4": (
        Text(
            "Social vulnerability: housing and transportation (percentile)",
            "Vulnerabilidad social: vivienda y transporte (percentil)",
        ),
        SOCIAL,
    ),
    "RPL_THEMES": (
        Text(
            "Social vulnerability index, overall (percentile)",
            "Índice de vulnerabilidad social, general (percentil)",
        ),
        SOCIAL,
    ),
}

PLACES_ABOUT = Text(
    "CDC model-based estimate for adults.",
    "Estimación de los CDC para adultos, basada en un modelo.",
)
SVI_ABOUT = Text(
    "American Community Survey estimate, via the CDC/ATSDR SVI.",
    "Estimación de la Encuesta sobre la Comunidad Estadounidense, a través del SVI de los "
    "CDC/ATSDR.",
)
_PLACES_KINDS = (
    ("_CrudePrev", Text("%", "%")),
    ("_AdjPrev", Text("%, age-adjusted", "%, ajustado por edad")),
)

#: The units the importers store, in both languages.
UNITS: dict[str, Text] = {
    "proportion": Text("share (shown as %)", "proporción (se muestra en %)"),
    "percent": Text("percent", "porcentaje"),
    "percentile rank (0-1)": Text("percentile rank (0-1)", "rango percentil (0-1)"),
    "years": Text("years", "años"),
    "years of potential life lost per 100,000": Text(
        "years of potential life lost per 100,000",
        "años de vida potencial perdidos por cada 100.000",
    ),
    "days per month": Text("days per month", "días por mes"),
    "deaths per 100,000": Text("deaths per 100,000", "muertes por cada 100.000"),
    "deaths per 1,000 live births": Text(
        "deaths per 1,000 live births", "muertes por cada 1.000 nacidos vivos"
    ),
    "births per 1,000 females 15-19": Text(
        "births per 1,000 females 15-19", "nacimientos por cada 1.000 mujeres de 15 a 19 años"
    ),
    "cases per 100,000": Text("cases per 100,000", "casos por cada 100.000"),
    "physicians per 100,000": Text("physicians per 100,000", "médicos por cada 100.000"),
    "stays per 100,000 Medicare enrollees": Text(
        "stays per 100,000 Medicare enrollees",
        "hospitalizaciones por cada 100.000 afiliados a Medicare",
    ),
    "ratio": Text("ratio", "razón"),
    "dollars": Text("dollars", "dólares"),
    "index 0-10": Text("index 0-10", "índice de 0 a 10"),
    "micrograms per cubic meter": Text(
        "micrograms per cubic meter", "microgramos por metro cúbico"
    ),
    "associations per 10,000": Text("associations per 10,000", "asociaciones por cada 10.000"),
}

#: The sources the importers name, in both languages.
SOURCES: dict[str, Text] = {
    "County Health Rankings & Roadmaps": Text(
        "County Health Rankings & Roadmaps", "County Health Rankings & Roadmaps"
    ),
    "CDC PLACES": Text("CDC PLACES", "CDC PLACES"),
    "CDC/ATSDR Social Vulnerability Index": Text(
        "CDC/ATSDR Social Vulnerability Index",
        "Índice de Vulnerabilidad Social de los CDC/ATSDR",
    ),
    "tidy file": Text("tidy file", "archivo ordenado"),
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

    >>> describe("v147", "Life Expectancy").name.en
    'Life expectancy'
    >>> describe("DIABETES_CrudePrev", "DIABETES (crude prevalence)").name.es
    'Adultos con diabetes (%)'
    >>> describe("DIABETES_AdjPrev", "x").name.en
    'Adults with diabetes (%, age-adjusted)'
    >>> describe("custom", "My measure").domain, describe("custom", "My measure").name.es
    ('other', 'My measure')
    """
    found = known(code)
    return found if found is not None else Entry(Text(fallback_name, fallback_name), "other")


def known(code: str) -> Entry | None:
    """The catalog entry for ``code``, or ``None`` when the catalog does not know it."""
    if code in CHR:
        return CHR[code]
    for suffix, label in _PLACES_KINDS:
        if code.endswith(suffix) and code.removesuffix(suffix) in PLACES:
            name, domain = PLACES[code.removesuffix(suffix)]
            return Entry(
                Text(f"{name.en} ({label.en})", f"{name.es} ({label.es})"), domain, PLACES_ABOUT
            )
    if code in SVI:
        name, domain = SVI[code]
        return Entry(name, domain, SVI_ABOUT)
    return None


def localized_name(code: str, stored: str, language: str) -> str:
    """The indicator's name in ``language``: the catalog's when the coalition kept the
    catalog's name (in any case), the stored name when it renamed the indicator.

    >>> localized_name("v147", "Life expectancy", "es"), localized_name("v147", "Vida", "es")
    ('Esperanza de vida', 'Vida')
    """
    entry = known(code)
    if entry is None or stored.strip().casefold() not in {
        entry.name.en.casefold(),
        code.casefold(),
        "",
    }:
        return stored
    return entry.name.get(language)


def localized_description(code: str, stored: str, language: str) -> str:
    """The description in ``language``, on the same rule as :func:`localized_name`."""
    entry = known(code)
    if entry is None or stored.strip() not in {entry.description.en, ""}:
        return stored
    return entry.description.get(language) or stored


def localized_unit(unit: str, language: str) -> str:
    """A stored unit in ``language`` (unknown units are shown as stored)."""
    text = UNITS.get(unit)
    return text.get(language) if text is not None else unit


def localized_source(source: str, language: str) -> str:
    """A stored source name in ``language`` (unknown sources are shown as stored)."""
    text = SOURCES.get(source)
    return text.get(language) if text is not None else source
