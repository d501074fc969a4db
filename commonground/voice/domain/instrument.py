"""The collaboration survey we wrote ourselves: six scales of five-point Likert items, EN and ES.

Constructs from the seeds' research: equitable and inclusive processes, trust among
participants, equitable distribution of benefits (knowledge, data, capacity, funding),
shared vision, community influence on decisions, and the value of taking part. Items
marked ``reverse`` are worded negatively and scored 6 minus the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class Scale:
    id: str
    en: str
    es: str


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    scale: str
    en: str
    es: str
    reverse: bool = False


SCALES: Final = (
    Scale("inclusion", "Equitable and inclusive processes", "Procesos equitativos e inclusivos"),
    Scale("trust", "Trust among participants", "Confianza entre participantes"),
    Scale("benefits", "Fair share of benefits", "Distribución equitativa de beneficios"),
    Scale("vision", "Shared vision", "Visión compartida"),
    Scale("influence", "Community influence on decisions", "Influencia de la comunidad"),
    Scale("value", "Value of taking part", "Valor de participar"),
)

ITEMS: Final = (
    Item(
        "inc1",
        "inclusion",
        "Meetings are held at times and places that work for residents.",
        "Las reuniones se hacen en horarios y lugares que les sirven a los residentes.",
    ),
    Item(
        "inc2",
        "inclusion",
        "Materials and meetings are offered in the languages people speak.",
        "Los materiales y las reuniones se ofrecen en los idiomas que habla la gente.",
    ),
    Item(
        "inc3",
        "inclusion",
        "A few organizations dominate the conversation.",
        "Unas pocas organizaciones dominan la conversación.",
        reverse=True,
    ),
    Item(
        "inc4",
        "inclusion",
        "Everyone has a real chance to speak before decisions are made.",
        "Todos tienen una oportunidad real de hablar antes de que se tomen decisiones.",
    ),
    Item(
        "tru1",
        "trust",
        "I trust other members to do what they say they will do.",
        "Confío en que los demás miembros harán lo que dicen que harán.",
    ),
    Item(
        "tru2",
        "trust",
        "I can disagree openly without it being held against me.",
        "Puedo estar en desacuerdo abiertamente sin que se use en mi contra.",
    ),
    Item(
        "tru3",
        "trust",
        "Partners keep information to themselves to protect their interests.",
        "Los socios se guardan información para proteger sus intereses.",
        reverse=True,
    ),
    Item(
        "tru4",
        "trust",
        "Conflicts are talked through and resolved fairly.",
        "Los conflictos se conversan y se resuelven de manera justa.",
    ),
    Item(
        "ben1",
        "benefits",
        "Funding is shared fairly among partners, including community groups.",
        "Los fondos se reparten de manera justa entre los socios, incluidos los grupos "
        "comunitarios.",
    ),
    Item(
        "ben2",
        "benefits",
        "Data and knowledge are shared back with the community.",
        "Los datos y el conocimiento se comparten de vuelta con la comunidad.",
    ),
    Item(
        "ben3",
        "benefits",
        "Training and capacity go mostly to the larger institutions.",
        "La capacitación y los recursos van sobre todo a las instituciones más grandes.",
        reverse=True,
    ),
    Item(
        "ben4",
        "benefits",
        "People who give their time are recognized or paid for it.",
        "Las personas que dan su tiempo reciben reconocimiento o pago por ello.",
    ),
    Item(
        "vis1",
        "vision",
        "We agree on what we are trying to change.",
        "Estamos de acuerdo en lo que queremos cambiar.",
    ),
    Item(
        "vis2",
        "vision",
        "I can explain the coalition's goals in my own words.",
        "Puedo explicar las metas de la coalición con mis propias palabras.",
    ),
    Item(
        "vis3",
        "vision",
        "Partners pull in different directions.",
        "Los socios jalan en direcciones distintas.",
        reverse=True,
    ),
    Item(
        "inf1",
        "influence",
        "Residents' ideas change what the coalition decides.",
        "Las ideas de los residentes cambian lo que decide la coalición.",
    ),
    Item(
        "inf2",
        "influence",
        "Community members hold real decision-making seats.",
        "Los miembros de la comunidad ocupan puestos reales de decisión.",
    ),
    Item(
        "inf3",
        "influence",
        "Decisions are made before the community is asked.",
        "Las decisiones se toman antes de preguntarle a la comunidad.",
        reverse=True,
    ),
    Item(
        "inf4",
        "influence",
        "The coalition reports back on what it did with our input.",
        "La coalición nos informa lo que hizo con nuestras opiniones.",
    ),
    Item(
        "val1",
        "value",
        "Taking part is worth the time it takes.",
        "Participar vale el tiempo que toma.",
    ),
    Item(
        "val2",
        "value",
        "I have gained skills or connections by taking part.",
        "He ganado habilidades o contactos al participar.",
    ),
    Item(
        "val3",
        "value",
        "I would recommend taking part to a neighbor or colleague.",
        "Le recomendaría participar a un vecino o colega.",
    ),
)

SCALE_IDS: Final = tuple(scale.id for scale in SCALES)
LIKERT: Final = (1, 2, 3, 4, 5)
LIKERT_LABELS: Final = {
    "en": (
        "Strongly disagree",
        "Disagree",
        "Neither agree nor disagree",
        "Agree",
        "Strongly agree",
    ),
    "es": (
        "Muy en desacuerdo",
        "En desacuerdo",
        "Ni de acuerdo ni en desacuerdo",
        "De acuerdo",
        "Muy de acuerdo",
    ),
}


def scale_name(scale_id: str, language: str = "en") -> str:
    """The scale's name in ``language`` (``es`` or English); an unknown id is returned as is.

    >>> scale_name("trust", "es")
    'Confianza entre participantes'
    """
    for scale in SCALES:
        if scale.id == scale_id:
            return scale.es if language.startswith("es") else scale.en
    return scale_id


def item_text(item: Item, language: str = "en") -> str:
    return item.es if language.startswith("es") and item.es else item.en
