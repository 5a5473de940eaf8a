"""« Par où commencer ? »: from who I am, where and what I want, to forms, examples, catalysts.

Why a table and not a score: the people who use the answer (a company, an association, a
local authority…) must be able to read why a form was proposed. The table below is the
whole rule, shown on the page as it is written here:

- each of the four reasons why organisations ally (:data:`OBJECTIVES`) points to the
  partnership forms that serve it, most fitting first (:data:`OBJECTIVE_FORMS`);
- for each kind of actor (:data:`PROFILES`), each form is described by what that actor
  does in it (:data:`ROLES`), and a first step is suggested (:data:`FIRST_STEPS`).

The examples reuse the « À proximité » ranking (:func:`data.nearby.rank_peers`: distance,
same EPCI or département, shared forms and themes) from the chosen commune with the
profile's forms and fragilities; the similar examples elsewhere reuse
:func:`data.nearby.similar_to`; catalysts are the nearest ecosystems' animators.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from data import nearby, query, taxonomy
from data.catalog import Catalog
from geo.distance import PlanarPoints
from geo.reference import Reference

PROFILES: dict[str, str] = {
    "entreprise": "Une entreprise",
    "association": "Une association",
    "collectivite": "Une collectivité",
    "fondation": "Une fondation",
    "academique": "Un acteur académique",
    "citoyen": "Un citoyen, une citoyenne",
}
OBJECTIVES: dict[str, str] = {
    "performance": "Concilier performance et engagement",
    "hybrider": "Hybrider mon modèle économique",
    "innover": "Conduire une innovation sociétale",
    "coconstruire": "Co-construire des solutions locales",
}
#: Objective → partnership forms that serve it, most fitting first.
OBJECTIVE_FORMS: dict[str, tuple[str, ...]] = {
    "performance": ("responsible_practices", "patronage"),
    "hybrider": ("economic_cooperation", "patronage"),
    "innover": ("societal_innovation", "economic_cooperation"),
    "coconstruire": ("economic_cooperation", "societal_innovation"),
}
#: Why each objective leads to those forms, in plain French.
OBJECTIVE_WHY: dict[str, str] = {
    "performance": "L'engagement sert l'activité quand il change la façon de travailler (achats, "
    "recrutements, production) et quand il soutient durablement des acteurs du territoire.",
    "hybrider": "Un modèle économique s'hybride en produisant ou en mutualisant avec des partenaires "
    "d'une autre nature, et en diversifiant ses ressources (mécénat, apports en compétences).",
    "innover": "Une réponse nouvelle à un besoin social se conçoit et s'expérimente à plusieurs, puis "
    "se consolide dans une activité économique commune.",
    "coconstruire": "Une solution locale tient quand les acteurs du territoire la portent ensemble : "
    "structure commune, coopération économique, expérimentation animée par un catalyseur.",
}
#: What each kind of actor does in each form.
ROLES: dict[str, dict[str, str]] = {
    "entreprise": {
        "responsible_practices": "acheter au secteur adapté et à l'insertion, ouvrir vos recrutements",
        "economic_cooperation": "créer une activité commune ou mutualiser des moyens avec des acteurs locaux",
        "societal_innovation": "concevoir un service avec une association ou une collectivité",
        "patronage": "soutenir un projet local sur plusieurs années, en argent, en nature ou en compétences",
    },
    "association": {
        "responsible_practices": "accompagner une entreprise qui fait évoluer ses achats ou ses recrutements",
        "economic_cooperation": "coproduire un service, rejoindre une structure commune (PTCE, SCIC)",
        "societal_innovation": "porter une expérimentation avec des partenaires d'autres natures",
        "patronage": "bâtir un partenariat pluriannuel avec des mécènes du territoire",
    },
    "collectivite": {
        "responsible_practices": "inscrire des clauses sociales et environnementales dans vos achats",
        "economic_cooperation": "soutenir un pôle de coopération, entrer au capital d'une SCIC",
        "societal_innovation": "expérimenter avec les acteurs (territoire zéro chômeur, cité éducative)",
        "patronage": "animer un club de mécènes ou une fondation territoriale",
    },
    "fondation": {
        "responsible_practices": "soutenir les partenaires qui transforment leurs pratiques",
        "economic_cooperation": "apporter des fonds propres à une activité commune",
        "societal_innovation": "financer l'expérimentation et son évaluation",
        "patronage": "s'engager sur plusieurs années plutôt que par dons ponctuels",
    },
    "academique": {
        "responsible_practices": "former aux pratiques responsables et les évaluer",
        "economic_cooperation": "monter une chaire partenariale ou un laboratoire commun",
        "societal_innovation": "conduire une recherche-action avec les acteurs du terrain",
        "patronage": "réunir des mécènes autour d'une fondation universitaire",
    },
    "citoyen": {
        "responsible_practices": "choisir des entreprises engagées, proposer vos compétences bénévoles",
        "economic_cooperation": "devenir sociétaire d'une coopérative d'intérêt collectif",
        "societal_innovation": "participer aux expérimentations de votre quartier",
        "patronage": "donner à une fondation territoriale ou à une association locale",
    },
}
FIRST_STEPS: dict[str, str] = {
    "entreprise": "Présentez votre projet au catalyseur le plus proche : il connaît les associations et "
    "les structures d'insertion du territoire et peut organiser une première rencontre.",
    "association": "Prenez rendez-vous avec le catalyseur le plus proche pour présenter votre projet et "
    "repérer les entreprises et collectivités qui agissent déjà sur vos sujets.",
    "collectivite": "Réunissez les acteurs repérés ici autour d'un besoin précis du territoire, avec le "
    "catalyseur le plus proche comme animateur.",
    "fondation": "Demandez au catalyseur le plus proche quels projets collectifs cherchent un soutien "
    "pluriannuel sur vos thèmes.",
    "academique": "Proposez au catalyseur le plus proche un sujet d'étude ou de stage sur une alliance "
    "existante : c'est souvent le début d'une chaire ou d'une recherche-action.",
    "citoyen": "Contactez le catalyseur le plus proche pour savoir où votre temps ou vos compétences "
    "seraient utiles.",
}
#: Search radii tried in turn until enough examples nearby are found.
RADII_KM = (30, 60, 100, 200)
EXAMPLES_NEARBY, EXAMPLES_ELSEWHERE, CATALYSTS = 5, 3, 3


@dataclass(frozen=True)
class Profile:
    """The three answers (hashable: the permalink's content)."""

    who: str = ""
    commune: str = ""
    objective: str = ""
    fragilities: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return bool(self.who and self.commune and self.objective)


@dataclass(frozen=True)
class Answer:
    """The guided answer: forms with their reasons, examples, catalysts, a first step."""

    origin: nearby.Origin
    forms: tuple[str, ...]
    nearby: pd.DataFrame  # rank_peers columns, at most EXAMPLES_NEARBY rows
    radius_km: int
    elsewhere: list[int]  # catalog row positions
    catalysts: list[tuple[int, float]]  # (position, km)
    first_step: str


def roles(profile: Profile) -> list[tuple[str, str]]:
    """``[(form label, what this actor does in it), …]`` for the profile's objective."""
    return [(taxonomy.FORMS[f], ROLES[profile.who][f]) for f in OBJECTIVE_FORMS[profile.objective]]


def answer(catalog: Catalog, reference: Reference, points: PlanarPoints, profile: Profile) -> Answer | None:
    """The answer for a complete profile (None when the commune is unknown)."""
    base = nearby.origin_from_commune(reference, profile.commune)
    if base is None or not profile.complete:
        return None
    forms = OBJECTIVE_FORMS[profile.objective]
    origin = replace(base, forms=forms, themes=profile.fragilities)
    catalysts = distinct_catalysts(catalog, nearby.nearest_catalysts(catalog, points, origin, 4 * CATALYSTS))
    closest = catalysts[0][0] if catalysts else None
    for radius in RADII_KM:
        ranked = nearby.rank_peers(catalog, points, origin, radius, nearest_catalyst=closest)
        if len(ranked) >= EXAMPLES_NEARBY - 2:
            break
    shown = ranked.head(EXAMPLES_NEARBY)
    elsewhere = nearby.similar_to(catalog, forms, profile.fragilities, origin.dep_code, k=EXAMPLES_ELSEWHERE)
    return Answer(origin, forms, shown, radius, elsewhere, catalysts, FIRST_STEPS[profile.who])


def distinct_catalysts(catalog: Catalog, nearest: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """The first :data:`CATALYSTS` of ``nearest`` whose catalysts differ (one organisation
    animating two ecosystems is shown once, at its nearest)."""
    names = catalog.frame["catalyst"].to_numpy()
    seen: set[str] = set()
    kept = []
    for position, km in nearest:
        key = taxonomy.fold(names[position] or str(position))
        if key not in seen:
            seen.add(key)
            kept.append((position, km))
    return kept[:CATALYSTS]


def to_params(profile: Profile) -> dict[str, str]:
    """The profile as URL parameters (the answer's permalink)."""
    params = {"qui": profile.who, "commune": profile.commune, "objectif": profile.objective}
    if profile.fragilities:
        params["fragilites"] = taxonomy.to_slugs(taxonomy.THEMES, profile.fragilities)
    return {k: v for k, v in params.items() if v}


def from_params(params: dict, communes: frozenset[str] | set[str]) -> Profile:
    """A profile from URL parameters; unknown values are dropped."""
    who = query.param(params, "qui")
    objective = query.param(params, "objectif")
    commune = query.param(params, "commune")
    themes = taxonomy.from_slugs(taxonomy.THEMES, query.param(params, "fragilites"))
    return Profile(
        who=who if who in PROFILES else "",
        commune=commune if commune in communes else "",
        objective=objective if objective in OBJECTIVES else "",
        fragilities=tuple(t for t in taxonomy.THEMES if t in themes),
    )
