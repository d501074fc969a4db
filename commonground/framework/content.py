"""The collaborative infrastructure framework, as bilingual data.

The structure, names and counts follow the Collaborative Infrastructure
Framework (seven pillars, five stages, eight roles, six decision points, four
domains, four roadmap chapters, eight capacity tactics) and the features of
multi-sector collaboration described in the health-equity literature. Every
sentence is written for CommonGround in plain English and in the Latin-American
Spanish used by US health departments, addressing the reader as "usted".

Ids are stable: assessments and plans store them, so an id is never renamed or
reused once published. Fix wording freely; add new entries at the end of a
group rather than renumbering.

Features come from two lists. The ``process`` group holds how partners work
together (the general features of multi-sector collaboration and the practices
that make it succeed); the ``context`` group holds the conditions around the
coalition that health-equity work in particular depends on (funding, policy,
shared understanding of health, an equity vision, long-term commitment).
"""

from __future__ import annotations

from typing import Final

from commonground.framework.types import (
    Chapter,
    DecisionPoint,
    Domain,
    Feature,
    Item,
    Pillar,
    Role,
    Stage,
    Tactic,
    Text,
)

FEATURE_GROUPS: Final = ("process", "context")

# ---------------------------------------------------------------------------
# Pillars: the foundations of community health collaboration. Each carries the
# challenge that coalition members rate for their own coalition.
# ---------------------------------------------------------------------------

PILLARS: Final[tuple[Pillar, ...]] = (
    Pillar(
        id="call_to_action",
        order=1,
        name=Text(en="Call to action", es="Llamado a la acción"),
        summary=Text(
            en="A shared sense of urgency that moves organizations and residents to act "
            "together on health equity.",
            es="Un sentido compartido de urgencia que impulsa a organizaciones y residentes "
            "a actuar juntos por la equidad en salud.",
        ),
        challenge=Text(
            en="Without a unifying crisis such as the COVID-19 pandemic, partners can feel "
            "very different degrees of urgency about equity-centered work.",
            es="Sin una crisis que los una, como la pandemia de COVID-19, los socios pueden "
            "sentir grados muy distintos de urgencia frente al trabajo centrado en la equidad.",
        ),
    ),
    Pillar(
        id="power_redistribution",
        order=2,
        name=Text(en="Power redistribution", es="Redistribución del poder"),
        summary=Text(
            en="Shifting decision-making power toward the communities most affected by "
            "health inequities.",
            es="Trasladar el poder de decisión hacia las comunidades más afectadas por las "
            "inequidades en salud.",
        ),
        challenge=Text(
            en="Those who hold power rarely give it up unless asked, and outreach that "
            "ignores cultural preferences and power imbalances can deepen inequity and "
            "cause harm.",
            es="Quienes tienen el poder rara vez lo ceden si no se les exige, y un "
            "acercamiento que pasa por alto las preferencias culturales y los desequilibrios "
            "de poder puede agravar la inequidad y causar daño.",
        ),
    ),
    Pillar(
        id="resources",
        order=3,
        name=Text(en="Resources", es="Recursos"),
        summary=Text(
            en="The money, staff time, space and in-kind support that partners pool to "
            "sustain their shared work.",
            es="El dinero, el tiempo del personal, los espacios y el apoyo en especie que los "
            "socios reúnen para sostener el trabajo conjunto.",
        ),
        challenge=Text(
            en="Funding is hard to find, and winning and keeping grants comes with "
            "restrictions and heavy paperwork.",
            es="Los fondos escasean, y conseguir y mantener subvenciones implica "
            "restricciones y una carga administrativa considerable.",
        ),
    ),
    Pillar(
        id="narratives_objectives",
        order=4,
        name=Text(en="Narratives and objectives", es="Narrativas y objetivos"),
        summary=Text(
            en="A common story and set of goals that align partners on what they are "
            "working toward and why.",
            es="Un relato y unas metas en común que alinean a los socios sobre lo que buscan "
            "lograr y por qué.",
        ),
        challenge=Text(
            en="Public health, health care and social services work in silos, so partners "
            "arrive with competing priorities, vocabularies and stories.",
            es="La salud pública, la atención médica y los servicios sociales funcionan de "
            "manera fragmentada, por lo que los socios llegan con prioridades, lenguajes y "
            "relatos que compiten entre sí.",
        ),
    ),
    Pillar(
        id="capacity",
        order=5,
        name=Text(en="Capacity", es="Capacidad"),
        summary=Text(
            en="The people, skills and operating systems that let partners, and the "
            "collaboration itself, do the work well.",
            es="Las personas, las habilidades y los sistemas de operación que permiten a los "
            "socios, y a la colaboración misma, hacer bien el trabajo.",
        ),
        challenge=Text(
            en="Thin funding, strained day-to-day operations and weak policy protections "
            "make it hard to grow the workforce and the collaboration.",
            es="La falta de fondos, las dificultades operativas y la escasa protección de las "
            "políticas públicas dificultan el desarrollo del personal y de la colaboración.",
        ),
    ),
    Pillar(
        id="data_metrics",
        order=6,
        name=Text(en="Data and metrics", es="Datos y métricas"),
        summary=Text(
            en="Shared measures and data practices that show progress and guide decisions.",
            es="Medidas y prácticas de datos compartidas que muestran el avance y orientan "
            "las decisiones.",
        ),
        challenge=Text(
            en="Each funder asks for its own metrics and evaluation methods, which makes "
            "applying for money and showing community impact a burden.",
            es="Cada financiador pide sus propias métricas y métodos de evaluación, lo que "
            "vuelve engorroso solicitar fondos y demostrar el impacto en la comunidad.",
        ),
    ),
    Pillar(
        id="trust",
        order=7,
        name=Text(en="Trust", es="Confianza"),
        summary=Text(
            en="Mutual confidence among residents and organizations, earned through "
            "transparency and follow-through.",
            es="La confianza mutua entre residentes y organizaciones, que se gana con "
            "transparencia y cumpliendo los compromisos.",
        ),
        challenge=Text(
            en="Past harms have worn trust down, and opaque processes, weak accountability "
            "and little community say over the agenda make relationships harder to build.",
            es="Los daños del pasado han debilitado la confianza, y los procesos poco "
            "transparentes, la falta de rendición de cuentas y la poca participación de la "
            "comunidad en la definición de la agenda dificultan construir relaciones.",
        ),
    ),
)

# ---------------------------------------------------------------------------
# Stages: what coalitions look like at each stage (characteristics) and the
# infrastructure they need to succeed there and move on.
# ---------------------------------------------------------------------------

STAGES: Final[tuple[Stage, ...]] = (
    Stage(
        id="emerging",
        order=1,
        name=Text(en="Emerging", es="Surgimiento"),
        summary=Text(
            en="People begin to call attention to a local problem and seek out allies who "
            "share their concern.",
            es="Las personas comienzan a llamar la atención sobre un problema local y buscan "
            "aliados que compartan su preocupación.",
        ),
        characteristics=(
            Item(
                id="emerging_char_unifying_factors",
                text=Text(
                    en="A common issue or event is drawing people together.",
                    es="Un tema o acontecimiento en común está reuniendo a las personas.",
                ),
            ),
            Item(
                id="emerging_char_low_trust",
                text=Text(
                    en="Trust between groups is still low and has to be handled with care.",
                    es="La confianza entre los grupos todavía es baja y hay que manejarla "
                    "con cuidado.",
                ),
            ),
            Item(
                id="emerging_char_cross_sector_conversations",
                text=Text(
                    en="First conversations are taking place across sectors.",
                    es="Se están dando las primeras conversaciones entre distintos sectores.",
                ),
            ),
            Item(
                id="emerging_char_fragmented_leadership",
                text=Text(
                    en="Leadership is spread across several groups, with no clear lead.",
                    es="El liderazgo está repartido entre varios grupos, sin una conducción clara.",
                ),
            ),
        ),
        infrastructure=(
            Item(
                id="emerging_infra_open_dialogue",
                text=Text(
                    en="Spaces where anyone can speak openly about the issue",
                    es="Espacios donde cualquier persona pueda hablar abiertamente del tema",
                ),
            ),
            Item(
                id="emerging_infra_community_needs",
                text=Text(
                    en="Time and money spent on learning what the community needs",
                    es="Tiempo y recursos dedicados a conocer las necesidades de la comunidad",
                ),
            ),
            Item(
                id="emerging_infra_narrative_of_hope",
                text=Text(
                    en="A hopeful story about what could change",
                    es="Un relato esperanzador sobre lo que podría cambiar",
                ),
            ),
        ),
    ),
    Stage(
        id="forming",
        order=2,
        name=Text(en="Forming", es="Formación"),
        summary=Text(
            en="Groups build a shared vision and goals, come together as a coalition and "
            "test which interventions work.",
            es="Los grupos construyen una visión y metas compartidas, se constituyen como "
            "coalición y ponen a prueba qué intervenciones funcionan.",
        ),
        characteristics=(
            Item(
                id="forming_char_identifying_partners",
                text=Text(
                    en="The group is working out who its partners should be.",
                    es="El grupo está definiendo quiénes deben ser sus socios.",
                ),
            ),
            Item(
                id="forming_char_integrating_perspectives",
                text=Text(
                    en="Different points of view are being woven into one plan.",
                    es="Se están integrando distintos puntos de vista en un solo plan.",
                ),
            ),
            Item(
                id="forming_char_emerging_backbone",
                text=Text(
                    en="A backbone organization is starting to take shape.",
                    es="Empieza a perfilarse una organización coordinadora central.",
                ),
            ),
            Item(
                id="forming_char_building_trust",
                text=Text(
                    en="Partners are actively building trust with one another.",
                    es="Los socios están construyendo confianza de manera activa.",
                ),
            ),
            Item(
                id="forming_char_community_voices",
                text=Text(
                    en="Community voices are being brought to the front.",
                    es="Las voces de la comunidad empiezan a ocupar un lugar central.",
                ),
            ),
        ),
        infrastructure=(
            Item(
                id="forming_infra_shared_agenda",
                text=Text(en="A shared agenda", es="Una agenda compartida"),
            ),
            Item(
                id="forming_infra_common_metrics",
                text=Text(en="Common metrics", es="Métricas comunes"),
            ),
            Item(
                id="forming_infra_data_needs",
                text=Text(
                    en="A list of the data the coalition needs",
                    es="Una lista de los datos que necesita la coalición",
                ),
            ),
            Item(
                id="forming_infra_roadmap",
                text=Text(en="A roadmap", es="Una hoja de ruta"),
            ),
            Item(
                id="forming_infra_ecosystem_map",
                text=Text(
                    en="A map of the local health ecosystem",
                    es="Un mapa del ecosistema local de salud",
                ),
            ),
            Item(
                id="forming_infra_governance",
                text=Text(en="A governance structure", es="Una estructura de gobernanza"),
            ),
            Item(
                id="forming_infra_accountability",
                text=Text(
                    en="Ways for partners to hold one another accountable",
                    es="Mecanismos para que los socios se rindan cuentas entre sí",
                ),
            ),
        ),
    ),
    Stage(
        id="scaling",
        order=3,
        name=Text(en="Scaling", es="Expansión"),
        summary=Text(
            en="The coalition is formally established and begins to see its first successes.",
            es="La coalición ya está constituida formalmente y empieza a ver sus primeros logros.",
        ),
        characteristics=(
            Item(
                id="scaling_char_consistent_messaging",
                text=Text(
                    en="Agendas and messages stay consistent from meeting to meeting.",
                    es="Las agendas y los mensajes se mantienen coherentes de una reunión a otra.",
                ),
            ),
            Item(
                id="scaling_char_maintaining_trust",
                text=Text(
                    en="Partners work to keep the trust they have built.",
                    es="Los socios se esfuerzan por conservar la confianza que han construido.",
                ),
            ),
            Item(
                id="scaling_char_pooling_resources",
                text=Text(
                    en="Partners combine their resources.",
                    es="Los socios combinan sus recursos.",
                ),
            ),
            Item(
                id="scaling_char_scaling_what_works",
                text=Text(
                    en="Interventions that work are identified and expanded.",
                    es="Se identifican las intervenciones que funcionan y se amplían.",
                ),
            ),
        ),
        infrastructure=(
            Item(
                id="scaling_infra_data_access_analysis",
                text=Text(
                    en="Access to data and the capacity to analyze it",
                    es="Acceso a datos y capacidad para analizarlos",
                ),
            ),
            Item(
                id="scaling_infra_impact_reports",
                text=Text(
                    en="Impact reports that communicate the metrics",
                    es="Informes de impacto que comuniquen las métricas",
                ),
            ),
            Item(
                id="scaling_infra_success_stories",
                text=Text(
                    en="Success stories shared widely",
                    es="Historias de éxito difundidas ampliamente",
                ),
            ),
            Item(
                id="scaling_infra_leading_practices",
                text=Text(
                    en="Proven practices put into use",
                    es="Prácticas probadas puestas en marcha",
                ),
            ),
            Item(
                id="scaling_infra_community_informed_agendas",
                text=Text(
                    en="Agendas shaped by community input",
                    es="Agendas definidas con los aportes de la comunidad",
                ),
            ),
        ),
    ),
    Stage(
        id="sustaining",
        order=4,
        name=Text(en="Sustaining", es="Sostenimiento"),
        summary=Text(
            en="The coalition grows and adapts to new settings, priorities and strategic efforts.",
            es="La coalición crece y se adapta a nuevos contextos, prioridades y esfuerzos "
            "estratégicos.",
        ),
        characteristics=(
            Item(
                id="sustaining_char_deep_community_ties",
                text=Text(
                    en="The coalition has deep roots in the communities it serves.",
                    es="La coalición tiene raíces profundas en las comunidades que atiende.",
                ),
            ),
            Item(
                id="sustaining_char_new_groups",
                text=Text(
                    en="New groups are welcomed in as members.",
                    es="Se suman nuevos grupos como miembros.",
                ),
            ),
            Item(
                id="sustaining_char_adapting_resources",
                text=Text(
                    en="Resources are redirected as new community needs arise.",
                    es="Los recursos se reorientan a medida que surgen nuevas necesidades en la "
                    "comunidad.",
                ),
            ),
            Item(
                id="sustaining_char_evolving_priorities",
                text=Text(
                    en="Priorities and strategy shift as circumstances change.",
                    es="Las prioridades y la estrategia cambian según las circunstancias.",
                ),
            ),
        ),
        infrastructure=(
            Item(
                id="sustaining_infra_feedback_mechanisms",
                text=Text(
                    en="Feedback mechanisms",
                    es="Mecanismos de retroalimentación",
                ),
            ),
            Item(
                id="sustaining_infra_strategic_learning",
                text=Text(en="Strategic learning", es="Aprendizaje estratégico"),
            ),
            Item(
                id="sustaining_infra_shared_measurement_system",
                text=Text(
                    en="A shared measurement system",
                    es="Un sistema de medición compartido",
                ),
            ),
            Item(
                id="sustaining_infra_strategic_communications",
                text=Text(
                    en="Strategic communications",
                    es="Comunicación estratégica",
                ),
            ),
        ),
    ),
    Stage(
        id="transforming",
        order=5,
        name=Text(en="Transforming", es="Transformación"),
        summary=Text(
            en="The coalition goes beyond program goals and uses its influence to change systems.",
            es="La coalición va más allá de las metas de sus programas y usa su influencia "
            "para cambiar los sistemas.",
        ),
        characteristics=(
            Item(
                id="transforming_char_advocacy_policy",
                text=Text(
                    en="Advocacy and policy work is carried by a hopeful story of change.",
                    es="La incidencia y el trabajo en políticas se apoyan en un relato "
                    "esperanzador de cambio.",
                ),
            ),
            Item(
                id="transforming_char_vision_commitment",
                text=Text(
                    en="Partners shape a long-term vision and renew their commitment to "
                    "working together.",
                    es="Los socios definen una visión a largo plazo y renuevan su compromiso "
                    "de trabajar juntos.",
                ),
            ),
            Item(
                id="transforming_char_community_driven_agenda",
                text=Text(
                    en="The community sets the agenda.",
                    es="La comunidad define la agenda.",
                ),
            ),
            Item(
                id="transforming_char_systems_focus",
                text=Text(
                    en="Success is judged by changes in systems, not only by program results.",
                    es="El éxito se mide por los cambios en los sistemas, no solo por los "
                    "resultados de los programas.",
                ),
            ),
        ),
        infrastructure=(
            Item(
                id="transforming_infra_policy_influence",
                text=Text(
                    en="Deliberate influence on policies and regulations",
                    es="Influencia deliberada en políticas y normas",
                ),
            ),
            Item(
                id="transforming_infra_learning_loops",
                text=Text(
                    en="Continuous learning loops",
                    es="Ciclos de aprendizaje continuo",
                ),
            ),
            Item(
                id="transforming_infra_system_maps",
                text=Text(en="System maps", es="Mapas de sistemas"),
            ),
            Item(
                id="transforming_infra_root_causes",
                text=Text(
                    en="A clear picture of the root causes",
                    es="Una visión clara de las causas de fondo",
                ),
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------
# Roles: an organization plays one or more; a coalition needs all eight
# covered, inside or through partners. Residents play every role too.
# ---------------------------------------------------------------------------

ROLES: Final[tuple[Role, ...]] = (
    Role(
        id="community_organizing",
        order=1,
        name=Text(en="Community organizing", es="Organización comunitaria"),
        summary=Text(
            en="Finds, engages and mobilizes residents and grassroots groups.",
            es="Identifica, involucra y moviliza a residentes y grupos de base.",
        ),
        examples=Text(
            en="Door-to-door outreach, listening sessions, resident leadership circles.",
            es="Visitas casa por casa, sesiones de escucha, círculos de liderazgo vecinal.",
        ),
    ),
    Role(
        id="service_provision",
        order=2,
        name=Text(en="Service provision", es="Prestación de servicios"),
        summary=Text(
            en="Delivers clinical or social services shaped by what residents need.",
            es="Ofrece servicios clínicos o sociales adaptados a lo que necesitan los residentes.",
        ),
        examples=Text(
            en="Community health centers, food banks, housing assistance, community health "
            "workers.",
            es="Centros de salud comunitarios, bancos de alimentos, asistencia para vivienda, "
            "promotores de salud.",
        ),
    ),
    Role(
        id="advocating",
        order=3,
        name=Text(en="Advocating", es="Incidencia"),
        summary=Text(
            en="Works to change laws and policies, using public education about health, "
            "lobbying and organized pressure to build momentum for social change.",
            es="Busca cambiar leyes y políticas por medio de la educación del público sobre "
            "salud, el cabildeo y la presión organizada, para impulsar el cambio social.",
        ),
        examples=Text(
            en="Policy campaigns, testimony at public hearings, coalition sign-on letters.",
            es="Campañas de políticas públicas, testimonios en audiencias públicas, cartas "
            "firmadas por la coalición.",
        ),
    ),
    Role(
        id="advising",
        order=4,
        name=Text(en="Advising", es="Asesoría"),
        summary=Text(
            en="Shares expertise so that partners learn with and from one another.",
            es="Comparte conocimientos especializados para que los socios aprendan juntos y "
            "unos de otros.",
        ),
        examples=Text(
            en="Technical assistance, coaching, peer learning exchanges.",
            es="Asistencia técnica, acompañamiento, intercambios de aprendizaje entre pares.",
        ),
    ),
    Role(
        id="funding",
        order=5,
        name=Text(en="Funding", es="Financiamiento"),
        summary=Text(
            en="Puts money behind community health efforts, whether as grants, subcontracts, "
            "philanthropy or the organization's own funds.",
            es="Aporta dinero para las iniciativas de salud comunitaria, ya sea mediante "
            "subvenciones, subcontratos, filantropía o fondos propios.",
        ),
        examples=Text(
            en="Foundations, health department grant programs, hospital community benefit "
            "funds, small-grant pools.",
            es="Fundaciones, programas de subvenciones del departamento de salud, fondos de "
            "beneficio comunitario de hospitales, fondos de pequeñas subvenciones.",
        ),
    ),
    Role(
        id="learning",
        order=6,
        name=Text(en="Learning", es="Aprendizaje"),
        summary=Text(
            en="Gathers and analyzes data and community stories and spreads what is learned, "
            "so that progress is documented from place to place.",
            es="Recopila y analiza datos e historias de la comunidad y difunde lo aprendido, "
            "para documentar el avance en distintos lugares.",
        ),
        examples=Text(
            en="Universities, evaluators, community data hubs.",
            es="Universidades, equipos de evaluación, centros comunitarios de datos.",
        ),
    ),
    Role(
        id="amplifying",
        order=7,
        name=Text(en="Amplifying", es="Amplificación"),
        summary=Text(
            en="Brings residents' stories and perspectives to wider audiences to win support.",
            es="Lleva las historias y perspectivas de los residentes a públicos más amplios "
            "para ganar apoyo.",
        ),
        examples=Text(
            en="Local and ethnic media, community radio, social media campaigns, trusted "
            "messengers.",
            es="Medios locales y étnicos, radios comunitarias, campañas en redes sociales, "
            "mensajeros de confianza.",
        ),
    ),
    Role(
        id="convening",
        order=8,
        name=Text(en="Convening", es="Convocatoria"),
        summary=Text(
            en="Provides the backbone coordination and administration that bring actors "
            "together around shared strategies and agendas.",
            es="Brinda la coordinación central y el apoyo administrativo que reúnen a los "
            "actores en torno a estrategias y agendas comunes.",
        ),
        examples=Text(
            en="Backbone organizations, health department coalition staff, regular partner "
            "meetings.",
            es="Organizaciones coordinadoras, personal del departamento de salud a cargo de "
            "coaliciones, reuniones periódicas de socios.",
        ),
    ),
)

# The role matrix exercise asks these three questions of every role.
ROLE_MATRIX_QUESTIONS: Final[tuple[Item, ...]] = (
    Item(
        id="role_matrix_needed",
        text=Text(
            en="Is this role needed to act on our focus areas?",
            es="¿Se necesita este rol para actuar en nuestras áreas de enfoque?",
        ),
    ),
    Item(
        id="role_matrix_internal",
        text=Text(
            en="Can we take on this role ourselves, given our strengths?",
            es="¿Podemos asumir este rol por nuestra cuenta, según nuestras fortalezas?",
        ),
    ),
    Item(
        id="role_matrix_external",
        text=Text(
            en="Does this role call for an external partner?",
            es="¿Este rol requiere un socio externo?",
        ),
    ),
)

# ---------------------------------------------------------------------------
# Decision points: each is a slider between pole A and pole Z. A conversation
# starter, not a checklist.
# ---------------------------------------------------------------------------

DECISION_POINTS: Final[tuple[DecisionPoint, ...]] = (
    DecisionPoint(
        id="focus",
        order=1,
        name=Text(en="Focused vs. general", es="Enfoque específico o general"),
        question=Text(
            en="How wide should the scope of your work be?",
            es="¿Qué tan amplio debe ser el alcance de su trabajo?",
        ),
        pole_a=Text(
            en="A narrow focus on one or a few community health topics",
            es="Un enfoque acotado en uno o pocos temas de salud comunitaria",
        ),
        pole_z=Text(
            en="A broad equity agenda for the whole community",
            es="Una agenda amplia de equidad para toda la comunidad",
        ),
        consideration=Text(
            en="A narrow focus might be maternal and infant health or violence prevention; "
            "a broad one spans many equity goals at once.",
            es="Un enfoque acotado podría ser la salud materno-infantil o la prevención de la "
            "violencia; uno amplio abarca muchas metas de equidad a la vez.",
        ),
    ),
    DecisionPoint(
        id="upstream",
        order=2,
        name=Text(
            en="Upstream root causes vs. downstream effects",
            es="Causas de fondo o efectos inmediatos",
        ),
        question=Text(
            en="Will you tackle the causes of inequities or ease their immediate effects?",
            es="¿Abordará las causas de las inequidades o aliviará sus efectos inmediatos?",
        ),
        pole_a=Text(
            en="Work on the upstream causes of health inequities",
            es="Trabajar sobre las causas estructurales de las inequidades en salud",
        ),
        pole_z=Text(
            en="Deliver services that relieve the inequities people face today",
            es="Prestar servicios que alivien las inequidades que las personas enfrentan hoy",
        ),
        consideration=Text(
            en="Root-cause work tends to be more complex and often calls for advocacy "
            "partners and sectors beyond health care.",
            es="El trabajo sobre las causas de fondo suele ser más complejo y a menudo "
            "requiere aliados de incidencia y sectores ajenos a la atención médica.",
        ),
    ),
    DecisionPoint(
        id="geography",
        order=3,
        name=Text(
            en="Local vs. regional systems change",
            es="Cambio de sistemas local o regional",
        ),
        question=Text(
            en="At what geographic scale will you work?",
            es="¿A qué escala geográfica trabajará?",
        ),
        pole_a=Text(
            en="Deep, hyper-local work and partnerships",
            es="Trabajo y alianzas a fondo a nivel de barrio",
        ),
        pole_z=Text(
            en="Systems change across a large area or several regions",
            es="Cambio de sistemas en un territorio extenso o en varias regiones",
        ),
        consideration=Text(
            en="Which scale is easier depends on the connections and skills your "
            "organization already has.",
            es="La escala más viable depende de las conexiones y habilidades con las que ya "
            "cuenta su organización.",
        ),
    ),
    DecisionPoint(
        id="partnership_depth",
        order=4,
        name=Text(
            en="Depth vs. breadth of partnerships",
            es="Profundidad o amplitud de las alianzas",
        ),
        question=Text(
            en="Will you invest in a few close partners or in a wide network?",
            es="¿Invertirá en pocos socios cercanos o en una red amplia?",
        ),
        pole_a=Text(
            en="Fewer, deeper relationships",
            es="Menos relaciones, pero más profundas",
        ),
        pole_z=Text(
            en="A wide network of partners",
            es="Una red amplia de socios",
        ),
        consideration=Text(
            en="A broader network can bring more varied actors to the table, but it is also "
            "harder to manage.",
            es="Una red más amplia puede sumar actores más variados, pero también es más "
            "difícil de gestionar.",
        ),
    ),
    DecisionPoint(
        id="ideology",
        order=5,
        name=Text(
            en="Partnership ideology",
            es="Afinidad ideológica de las alianzas",
        ),
        question=Text(
            en="Will you partner mainly with like-minded groups, or also across political "
            "and ideological lines?",
            es="¿Se aliará principalmente con grupos afines o también con quienes tienen "
            "otras posturas políticas e ideológicas?",
        ),
        pole_a=Text(
            en="Partners who share your views and priorities",
            es="Socios que comparten sus puntos de vista y prioridades",
        ),
        pole_z=Text(
            en="Partners across the aisle, with different priorities",
            es="Socios de otras corrientes, con prioridades distintas",
        ),
        consideration=Text(
            en="Where politics are tense, bridging divides takes extra intention and care.",
            es="Donde el ambiente político es tenso, tender puentes requiere más intención y "
            "cuidado.",
        ),
    ),
    DecisionPoint(
        id="time_allocation",
        order=6,
        name=Text(
            en="Time allocation and bandwidth",
            es="Distribución del tiempo y la capacidad",
        ),
        question=Text(
            en="How will you split limited time between building partnerships and your own "
            "mission?",
            es="¿Cómo repartirá su tiempo limitado entre construir alianzas y cumplir su "
            "propia misión?",
        ),
        pole_a=Text(
            en="Time spent building and tending partnerships",
            es="Tiempo dedicado a construir y cuidar alianzas",
        ),
        pole_z=Text(
            en="Time spent delivering on your internal mission",
            es="Tiempo dedicado a cumplir su misión interna",
        ),
        consideration=Text(
            en="When staff, time or money is tight, internal demands may have to come first.",
            es="Cuando el personal, el tiempo o el dinero escasean, puede ser necesario "
            "priorizar las exigencias internas.",
        ),
    ),
)

# ---------------------------------------------------------------------------
# Domains of action: the strategic choice cascade, each with the questions a
# coalition answers for itself.
# ---------------------------------------------------------------------------

DOMAINS: Final[tuple[Domain, ...]] = (
    Domain(
        id="strengths_capabilities",
        order=1,
        name=Text(en="Our strengths and capabilities", es="Nuestras fortalezas y capacidades"),
        summary=Text(
            en="What the organization or coalition brings, and what it needs in order to "
            "serve its partners well.",
            es="Lo que aporta la organización o coalición y lo que necesita para servir bien "
            "a sus socios.",
        ),
        questions=(
            Item(
                id="strengths_capabilities_q_unique_strengths",
                text=Text(
                    en="Which strengths and capabilities set us apart?",
                    es="¿Qué fortalezas y capacidades nos distinguen?",
                ),
            ),
            Item(
                id="strengths_capabilities_q_partner_support",
                text=Text(
                    en="What do our partners need from us, and how should we organize to "
                    "deliver it?",
                    es="¿Qué necesitan de nosotros nuestros socios y cómo debemos organizarnos "
                    "para brindarlo?",
                ),
            ),
            Item(
                id="strengths_capabilities_q_representative_staff",
                text=Text(
                    en="How do we hire and keep staff who reflect the communities we serve?",
                    es="¿Cómo contratamos y retenemos a personal que refleje a las comunidades "
                    "que atendemos?",
                ),
            ),
        ),
    ),
    Domain(
        id="reach_and_role",
        order=2,
        name=Text(
            en="Where we serve and the role we play",
            es="Dónde servimos y qué papel cumplimos",
        ),
        summary=Text(
            en="Which communities the work reaches and what part the organization takes on "
            "when it collaborates.",
            es="A qué comunidades llega el trabajo y qué papel asume la organización cuando "
            "colabora.",
        ),
        questions=(
            Item(
                id="reach_and_role_q_communities",
                text=Text(
                    en="Which communities will we serve, and how many?",
                    es="¿A qué comunidades atenderemos y a cuántas?",
                ),
            ),
            Item(
                id="reach_and_role_q_services_investments",
                text=Text(
                    en="Which services, investments and perspectives does each site need?",
                    es="¿Qué servicios, inversiones y perspectivas necesita cada lugar?",
                ),
            ),
            Item(
                id="reach_and_role_q_roles",
                text=Text(
                    en="Which of the eight roles do we want to take on when we collaborate?",
                    es="¿Cuáles de los ocho roles queremos asumir al colaborar?",
                ),
            ),
        ),
    ),
    Domain(
        id="community_partnership",
        order=3,
        name=Text(
            en="How we collaborate with and elevate communities",
            es="Cómo colaboramos con las comunidades y elevamos su voz",
        ),
        summary=Text(
            en="How residents and partners shape the work and are heard in it.",
            es="Cómo los residentes y los socios dan forma al trabajo y son escuchados en él.",
        ),
        questions=(
            Item(
                id="community_partnership_q_elevate_voice",
                text=Text(
                    en="How will we work alongside the communities where we recruit, operate "
                    "and invest, and give their voices more weight?",
                    es="¿Cómo trabajaremos junto a las comunidades donde reclutamos, operamos e "
                    "invertimos, y cómo daremos más peso a su voz?",
                ),
            ),
            Item(
                id="community_partnership_q_partners_needed",
                text=Text(
                    en="Which partners, and how many, should be at the table in each community?",
                    es="¿Qué socios, y cuántos, deben participar en cada comunidad?",
                ),
            ),
            Item(
                id="community_partnership_q_partner_strengths",
                text=Text(
                    en="What distinct strengths does each partner bring?",
                    es="¿Qué fortalezas particulares aporta cada socio?",
                ),
            ),
        ),
    ),
    Domain(
        id="systems_change",
        order=4,
        name=Text(
            en="How we push for systems change",
            es="Cómo impulsamos el cambio de sistemas",
        ),
        summary=Text(
            en="How partnerships across sectors move from programs toward policy and lasting "
            "change.",
            es="Cómo las alianzas entre sectores pasan de los programas a las políticas y a "
            "cambios duraderos.",
        ),
        questions=(
            Item(
                id="systems_change_q_lasting_partnerships",
                text=Text(
                    en="How do we build cross-sector partnerships that last and press for "
                    "systems change?",
                    es="¿Cómo construimos alianzas intersectoriales duraderas que presionen por "
                    "el cambio de sistemas?",
                ),
            ),
            Item(
                id="systems_change_q_movement_building",
                text=Text(
                    en="How do we strengthen policy advocacy and movement building for equity?",
                    es="¿Cómo fortalecemos la incidencia en políticas y la construcción de "
                    "movimientos a favor de la equidad?",
                ),
            ),
            Item(
                id="systems_change_q_root_causes",
                text=Text(
                    en="Which root causes and policies should our influence target first?",
                    es="¿Sobre qué causas de fondo y qué políticas debemos influir primero?",
                ),
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------
# Roadmap chapters: with whom, how and why to collaborate, in four steps.
# ---------------------------------------------------------------------------

CHAPTERS: Final[tuple[Chapter, ...]] = (
    Chapter(
        id="understand_health_equity",
        order=1,
        name=Text(
            en="Understand health equity in the community",
            es="Comprender la equidad en salud en la comunidad",
        ),
        summary=Text(
            en="Assess where the community stands today so that every partner can align on a "
            "shared vision.",
            es="Evaluar la situación actual de la comunidad para que todos los socios se "
            "alineen en torno a una visión compartida.",
        ),
        steps=(
            Item(
                id="understand_health_equity_step_ecosystem_map",
                text=Text(
                    en="Map the local health ecosystem, including informal actors such as "
                    "corner stores, churches and salons.",
                    es="Mapear el ecosistema local de salud, incluidos actores informales como "
                    "tiendas de barrio, iglesias y salones de belleza.",
                ),
            ),
            Item(
                id="understand_health_equity_step_health_status",
                text=Text(
                    en="Describe current health, economic, environmental and quality-of-life "
                    "outcomes, for example with a community health needs assessment.",
                    es="Describir los resultados actuales de salud, económicos, ambientales y "
                    "de calidad de vida, por ejemplo con una evaluación de necesidades de salud "
                    "de la comunidad.",
                ),
            ),
            Item(
                id="understand_health_equity_step_barriers",
                text=Text(
                    en="Learn about barriers from lived experience, through resident "
                    "interviews and input from community health workers.",
                    es="Conocer las barreras a partir de la experiencia vivida, mediante "
                    "entrevistas con residentes y aportes de los promotores de salud.",
                ),
            ),
            Item(
                id="understand_health_equity_step_focus_areas",
                text=Text(
                    en="Rank the most pressing needs and choose focus areas for resources and "
                    "effort.",
                    es="Priorizar las necesidades más urgentes y elegir áreas de enfoque para "
                    "dirigir recursos y esfuerzos.",
                ),
            ),
            Item(
                id="understand_health_equity_step_future_vision",
                text=Text(
                    en="Describe the future in which everyone has a fair chance at good health.",
                    es="Describir el futuro en el que todas las personas tengan una oportunidad "
                    "justa de gozar de buena salud.",
                ),
            ),
        ),
    ),
    Chapter(
        id="define_your_role",
        order=2,
        name=Text(en="Define your role", es="Definir su papel"),
        summary=Text(
            en="Choose focus areas and the roles you will take on, knowing that time and "
            "resources are finite.",
            es="Elegir las áreas de enfoque y los roles que asumirá, teniendo en cuenta que el "
            "tiempo y los recursos son limitados.",
        ),
        steps=(
            Item(
                id="define_your_role_step_current_roles",
                text=Text(
                    en="List the roles you play today.",
                    es="Identificar los roles que desempeña actualmente.",
                ),
            ),
            Item(
                id="define_your_role_step_future_roles",
                text=Text(
                    en="Pick the roles to concentrate on, based on your equity vision and your "
                    "limits.",
                    es="Elegir los roles en los que se concentrará, según su visión de equidad "
                    "y sus limitaciones.",
                ),
            ),
            Item(
                id="define_your_role_step_gaps",
                text=Text(
                    en="Note the gaps that other partners could fill.",
                    es="Señalar las brechas que otros socios podrían cubrir.",
                ),
            ),
        ),
    ),
    Chapter(
        id="focus_collaborative_efforts",
        order=3,
        name=Text(
            en="Focus collaborative efforts",
            es="Enfocar los esfuerzos de colaboración",
        ),
        summary=Text(
            en="Decide which partners are needed to cover the remaining roles, and weigh the "
            "tradeoffs.",
            es="Decidir qué socios se necesitan para cubrir los demás roles y sopesar las "
            "ventajas y desventajas de cada opción.",
        ),
        steps=(
            Item(
                id="focus_collaborative_efforts_step_functions",
                text=Text(
                    en="Define the functions the vision requires.",
                    es="Definir las funciones que requiere la visión.",
                ),
            ),
            Item(
                id="focus_collaborative_efforts_step_role_matrix",
                text=Text(
                    en="For each role, mark whether it is needed, whether you can cover it "
                    "yourselves and whether it needs an external partner.",
                    es="Para cada rol, indicar si se necesita, si se puede cubrir internamente "
                    "y si requiere un socio externo.",
                ),
            ),
            Item(
                id="focus_collaborative_efforts_step_tradeoffs",
                text=Text(
                    en="Place your strategy on each decision point and write down why.",
                    es="Ubicar su estrategia en cada punto de decisión y anotar el motivo.",
                ),
            ),
            Item(
                id="focus_collaborative_efforts_step_partners",
                text=Text(
                    en="Name the partners you need and invite them.",
                    es="Nombrar a los socios que necesita e invitarlos.",
                ),
            ),
            Item(
                id="focus_collaborative_efforts_step_revisit",
                text=Text(
                    en="Repeat the exercise on a set schedule, such as every quarter or year.",
                    es="Repetir el ejercicio con una frecuencia establecida, por ejemplo cada "
                    "trimestre o cada año.",
                ),
            ),
        ),
    ),
    Chapter(
        id="sustain_collaboration_capacity",
        order=4,
        name=Text(
            en="Achieve and sustain collaboration capacity",
            es="Lograr y mantener la capacidad de colaboración",
        ),
        summary=Text(
            en="Help the coalition mature with collaboration tactics suited to its stage and "
            "its challenges.",
            es="Ayudar a que la coalición madure con tácticas de colaboración adecuadas a su "
            "etapa y a sus desafíos.",
        ),
        steps=(
            Item(
                id="sustain_collaboration_capacity_step_stage",
                text=Text(
                    en="Identify the stage the coalition is in.",
                    es="Identificar la etapa en la que se encuentra la coalición.",
                ),
            ),
            Item(
                id="sustain_collaboration_capacity_step_pillar_challenges",
                text=Text(
                    en="Rate the challenges you face under each pillar.",
                    es="Calificar los desafíos que enfrenta en cada pilar.",
                ),
            ),
            Item(
                id="sustain_collaboration_capacity_step_tactics",
                text=Text(
                    en="Choose the capacity tactics and tools that fit your stage and challenges.",
                    es="Elegir las tácticas y herramientas de capacidad que correspondan a su "
                    "etapa y sus desafíos.",
                ),
            ),
            Item(
                id="sustain_collaboration_capacity_step_metrics_governance",
                text=Text(
                    en="Agree on shared impact metrics and a governance structure.",
                    es="Acordar métricas de impacto compartidas y una estructura de gobernanza.",
                ),
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------
# Capacity tactics (chapter 4), with the kind of tool that helps and the
# pillars each one strengthens.
# ---------------------------------------------------------------------------

TACTICS: Final[tuple[Tactic, ...]] = (
    Tactic(
        id="build_trusted_partnerships",
        order=1,
        name=Text(en="Build trusted partnerships", es="Construir alianzas de confianza"),
        summary=Text(
            en="Let trust set the pace, and keep communication with varied partners steady "
            "and open.",
            es="Avanzar al ritmo que permita la confianza y mantener una comunicación "
            "constante y abierta con socios diversos.",
        ),
        tool=Text(
            en="A decision and agreement log that shows what the group agreed and who follows up",
            es="Un registro de decisiones y acuerdos que muestre lo que acordó el grupo y "
            "quién da seguimiento",
        ),
        pillar_ids=("trust", "power_redistribution"),
    ),
    Tactic(
        id="create_shared_measurement",
        order=2,
        name=Text(en="Create shared measurement", es="Crear un sistema de medición compartido"),
        summary=Text(
            en="Collect data on common metrics and use it to make decisions and report progress.",
            es="Recopilar datos sobre métricas comunes y usarlos para tomar decisiones y "
            "comunicar los avances.",
        ),
        tool=Text(
            en="A metrics framework with agreed indicators, definitions and targets",
            es="Un marco de métricas con indicadores, definiciones y metas acordados",
        ),
        pillar_ids=("data_metrics", "narratives_objectives"),
    ),
    Tactic(
        id="promote_common_agenda",
        order=3,
        name=Text(en="Promote a common agenda", es="Promover una agenda común"),
        summary=Text(
            en="Build shared narratives so that partners stay aligned on goals and pull in "
            "the same direction.",
            es="Construir narrativas compartidas para que los socios se mantengan alineados en "
            "sus metas y trabajen en la misma dirección.",
        ),
        tool=Text(
            en="A worksheet for setting a shared vision and goals",
            es="Una hoja de trabajo para definir una visión y metas compartidas",
        ),
        pillar_ids=("narratives_objectives", "call_to_action"),
    ),
    Tactic(
        id="invest_in_capacity_sharing",
        order=4,
        name=Text(
            en="Invest in capacity sharing",
            es="Invertir en el intercambio de capacidades",
        ),
        summary=Text(
            en="Combine partners' specialties so that, learning together, they produce "
            "knowledge, tools and skills that none of them had alone.",
            es="Combinar las especialidades de los socios para que, aprendiendo juntos, "
            "generen conocimientos, herramientas y habilidades que ninguno tenía por separado.",
        ),
        tool=Text(
            en="A technical assistance and peer-learning plan",
            es="Un plan de asistencia técnica y aprendizaje entre pares",
        ),
        pillar_ids=("capacity", "resources"),
    ),
    Tactic(
        id="support_community_led_activities",
        order=5,
        name=Text(
            en="Support community-led, mutually reinforcing activities",
            es="Apoyar actividades lideradas por la comunidad que se refuercen entre sí",
        ),
        summary=Text(
            en="Share power by following agendas the community sets, linking activities for "
            "greater impact and respecting each partner's expertise, autonomy and leadership.",
            es="Compartir el poder siguiendo las agendas que define la comunidad, vinculando "
            "las actividades para lograr mayor impacto y respetando la experiencia, la "
            "autonomía y el liderazgo de cada socio.",
        ),
        tool=Text(en="A power map", es="Un mapa de poder"),
        pillar_ids=("power_redistribution", "trust"),
    ),
    Tactic(
        id="promote_accountability",
        order=6,
        name=Text(en="Promote accountability", es="Promover la rendición de cuentas"),
        summary=Text(
            en="Move from awareness to action and set up feedback loops so that partners "
            "hold one another to their commitments.",
            es="Pasar de la toma de conciencia a la acción y crear mecanismos de "
            "retroalimentación para que los socios se exijan mutuamente cumplir sus "
            "compromisos.",
        ),
        tool=Text(
            en="Feedback mechanisms such as partner surveys and regular report-backs to the "
            "community",
            es="Mecanismos de retroalimentación, como encuestas a los socios e informes "
            "periódicos a la comunidad",
        ),
        pillar_ids=("trust", "data_metrics"),
    ),
    Tactic(
        id="governance_funding_model",
        order=7,
        name=Text(
            en="Put a governance and funding model in place",
            es="Establecer un modelo de gobernanza y financiamiento",
        ),
        summary=Text(
            en="Name one or more backbone organizations and a governance structure that "
            "align and coordinate the group's work.",
            es="Designar una o más organizaciones coordinadoras y una estructura de "
            "gobernanza que alineen y coordinen el trabajo del grupo.",
        ),
        tool=Text(
            en="A governance charter that names the backbone and sets out trust-based "
            "funding terms",
            es="Un acta de gobernanza que designe a la organización coordinadora y establezca "
            "condiciones de financiamiento basadas en la confianza",
        ),
        pillar_ids=("resources", "capacity", "power_redistribution"),
    ),
    Tactic(
        id="elevate_narratives_of_success",
        order=8,
        name=Text(
            en="Elevate narratives of success",
            es="Dar visibilidad a las historias de éxito",
        ),
        summary=Text(
            en="Use new or existing communication channels to celebrate health equity work "
            "and lift up community voices.",
            es="Usar canales de comunicación nuevos o existentes para celebrar el trabajo por "
            "la equidad en salud y dar más fuerza a las voces de la comunidad.",
        ),
        tool=Text(
            en="A narrative and communications guide",
            es="Una guía de narrativa y comunicación",
        ),
        pillar_ids=("narratives_objectives", "call_to_action"),
    ),
)

# ---------------------------------------------------------------------------
# Features of multi-sector collaboration.
# ---------------------------------------------------------------------------

FEATURES: Final[tuple[Feature, ...]] = (
    Feature(
        id="interdependence",
        order=1,
        group="process",
        name=Text(en="Interdependence", es="Interdependencia"),
        summary=Text(
            en="Partners rely on one another because none of them can reach its goals alone.",
            es="Los socios dependen unos de otros porque ninguno puede alcanzar sus metas por "
            "sí solo.",
        ),
    ),
    Feature(
        id="shared_problem_definition",
        order=2,
        group="process",
        name=Text(en="Shared problem definition", es="Definición compartida del problema"),
        summary=Text(
            en="Everyone involved understands the problem and agrees on how to describe it.",
            es="Todas las partes entienden el problema y coinciden en cómo describirlo.",
        ),
    ),
    Feature(
        id="leaders_and_sponsors",
        order=3,
        group="process",
        name=Text(en="Leaders and sponsors", es="Líderes y patrocinadores"),
        summary=Text(
            en="Champions and sponsors get the work started and bring others on board.",
            es="Líderes y patrocinadores ponen en marcha el trabajo y animan a otros a sumarse.",
        ),
    ),
    Feature(
        id="incentives",
        order=4,
        group="process",
        name=Text(en="Incentives", es="Incentivos"),
        summary=Text(
            en="Pressing problems, resource needs or new funding give partners reasons to "
            "join and to stay.",
            es="Los problemas urgentes, la necesidad de recursos o las nuevas oportunidades "
            "de financiamiento dan a los socios motivos para sumarse y permanecer.",
        ),
    ),
    Feature(
        id="governance",
        order=5,
        group="process",
        name=Text(en="Good governance", es="Buena gobernanza"),
        summary=Text(
            en="Structures and routines let partners make decisions together.",
            es="Las estructuras y los procedimientos permiten a los socios tomar decisiones "
            "en conjunto.",
        ),
    ),
    Feature(
        id="diverse_stakeholders",
        order=6,
        group="process",
        name=Text(en="Diverse stakeholders", es="Diversidad de actores"),
        summary=Text(
            en="People from many sectors and viewpoints take part, including those living "
            "with the problem.",
            es="Participan personas de muchos sectores y puntos de vista, incluidas las que "
            "viven el problema de cerca.",
        ),
    ),
    Feature(
        id="internal_legitimacy",
        order=7,
        group="process",
        name=Text(en="Internal legitimacy", es="Legitimidad interna"),
        summary=Text(
            en="Decisions are made openly and inclusively, so partners trust the process and "
            "see it the same way.",
            es="Las decisiones se toman de forma abierta e inclusiva, de modo que los socios "
            "confían en el proceso y lo entienden de la misma manera.",
        ),
    ),
    Feature(
        id="accountability",
        order=8,
        group="process",
        name=Text(en="Accountability", es="Rendición de cuentas"),
        summary=Text(
            en="Partners answer to each other and to the shared process, which keeps the "
            "work moving.",
            es="Los socios responden entre sí y ante el proceso común, lo que mantiene el "
            "trabajo en marcha.",
        ),
    ),
    Feature(
        id="adaptiveness",
        order=9,
        group="process",
        name=Text(
            en="Adaptiveness and ambidexterity",
            es="Adaptabilidad y manejo de tensiones",
        ),
        summary=Text(
            en="The collaboration adjusts as new facts emerge and circumstances shift, and "
            "handles tension and conflict well.",
            es="La colaboración se ajusta a medida que surgen datos nuevos y cambian las "
            "circunstancias, y maneja bien las tensiones y los conflictos.",
        ),
    ),
    Feature(
        id="tracking_decisions_and_agreements",
        order=10,
        group="process",
        name=Text(
            en="Tracking decisions and agreements",
            es="Registro de decisiones y acuerdos",
        ),
        summary=Text(
            en="Writing decisions and agreements down makes the process transparent and "
            "gives everyone a record to hold one another to.",
            es="Dejar por escrito las decisiones y los acuerdos hace más transparente el "
            "proceso y da a todos una base para pedirse cuentas.",
        ),
    ),
    Feature(
        id="collecting_and_sharing_data",
        order=11,
        group="process",
        name=Text(
            en="Collecting and sharing data",
            es="Recopilación e intercambio de datos",
        ),
        summary=Text(
            en="Partners gather and share data on agreed indicators to see progress and spot gaps.",
            es="Los socios recopilan y comparten datos sobre indicadores acordados para ver el "
            "avance y detectar brechas.",
        ),
    ),
    Feature(
        id="celebrating_small_wins",
        order=12,
        group="process",
        name=Text(en="Celebrating small wins", es="Celebración de pequeños logros"),
        summary=Text(
            en="Marking short-term progress builds momentum and shows partners that their "
            "joint effort is paying off.",
            es="Reconocer los avances a corto plazo genera impulso y muestra a los socios que "
            "su esfuerzo conjunto está dando frutos.",
        ),
    ),
    Feature(
        id="adequate_funding",
        order=13,
        group="context",
        name=Text(en="Adequate funding", es="Financiamiento suficiente"),
        summary=Text(
            en="Stable, flexible funding keeps collaborative work going over the long run.",
            es="Un financiamiento estable y flexible permite sostener el trabajo colaborativo "
            "a largo plazo.",
        ),
    ),
    Feature(
        id="supportive_policies",
        order=14,
        group="context",
        name=Text(en="Supportive policies", es="Políticas que favorecen la colaboración"),
        summary=Text(
            en="Federal, state and local policies encourage and enable collaboration.",
            es="Las políticas federales, estatales y locales fomentan y facilitan la colaboración.",
        ),
    ),
    Feature(
        id="messaging_and_health_literacy",
        order=15,
        group="context",
        name=Text(
            en="Messaging and health literacy",
            es="Mensajes y alfabetización en salud",
        ),
        summary=Text(
            en="Each sector sees how its own work shapes health, and so finds value in "
            "collaborating.",
            es="Cada sector entiende cómo su propio trabajo influye en la salud y, por eso, ve "
            "valor en colaborar.",
        ),
    ),
    Feature(
        id="equity_vision",
        order=16,
        group="context",
        name=Text(en="Vision to promote equity", es="Visión de equidad"),
        summary=Text(
            en="The partnership commits to equity in how it works as well as in what it achieves.",
            es="La alianza se compromete con la equidad tanto en su forma de trabajar como en "
            "los resultados que busca.",
        ),
    ),
    Feature(
        id="long_term_commitment",
        order=17,
        group="context",
        name=Text(en="Long-term commitment", es="Compromiso a largo plazo"),
        summary=Text(
            en="Leaders, partners and funders accept that closing health gaps takes years and "
            "commit to staying the course.",
            es="Líderes, socios y financiadores aceptan que cerrar las brechas de salud toma "
            "años y se comprometen a perseverar.",
        ),
    ),
)
