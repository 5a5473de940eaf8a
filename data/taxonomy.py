"""The one mapping from internal names to the French labels users read.

Internal identifiers are English and stable (they appear in files, URLs and code);
every label shown to a user comes from here, so wording is changed in one place.
Order matters: facets and legends list values in the order given here.
"""

from __future__ import annotations

import re
import unicodedata

NATURES: dict[str, str] = {
    "partnership": "Dynamique partenariale",
    "ecosystem": "Écosystème territorial",
}
NATURE_LONG: dict[str, str] = {
    "partnership": "Dynamique partenariale",
    "ecosystem": "Écosystème territorial animé par un catalyseur",
}
#: Marker colours by nature (colour-blind safe pair: blue / dark orange, each ≥ 3:1 against the sea and land).
NATURE_COLORS: dict[str, str] = {"partnership": "#1f6fb2", "ecosystem": "#b45f06"}

FORMS: dict[str, str] = {
    "responsible_practices": "Pratiques responsables",
    "economic_cooperation": "Coopération économique",
    "societal_innovation": "Innovation sociétale",
    "patronage": "Mécénat",
}

TRADES: dict[str, str] = {
    "territorial_dialogue": "Dialogue territorial",
    "collective_experiments": "Expérimentations collectives",
    "support": "Accompagnements",
    "place_management": "Gestion d'un lieu",
}

ACTOR_TYPES: dict[str, str] = {
    "association": "Associations",
    "company": "Entreprises",
    "social_enterprise": "Entreprises de l'ESS",
    "local_authority": "Collectivités territoriales",
    "public_body": "Acteurs publics (État, agences)",
    "foundation": "Fondations",
    "academic": "Recherche et enseignement",
    "citizens": "Citoyens",
}

THEMES: dict[str, str] = {
    "employment": "Emploi",
    "economic_development": "Développement économique",
    "poverty": "Précarité",
    "social_ties": "Lien social",
    "environment": "Environnement",
    "education": "Éducation",
    "health": "Santé",
    "mobility": "Mobilité",
    "food": "Alimentation",
    "housing": "Logement",
    "culture": "Culture",
    "digital": "Inclusion numérique",
}

SCALES: dict[str, str] = {
    "micro_local": "Micro-local (quartier, village)",
    "local": "Local (commune, intercommunalité)",
    "departmental": "Départemental",
    "regional": "Régional",
    "national": "National",
    "international": "International",
}

#: Territories an initiative may be attached to when its source names no commune.
TERRITORY_LEVELS: dict[str, str] = {
    "epci": "intercommunale",
    "departement": "départementale",
    "region": "régionale",
}

#: French label of every field of an initiative, for forms, tables and messages.
FIELD_LABELS: dict[str, str] = {
    "id": "identifiant",
    "name": "nom",
    "nature": "nature",
    "catalyst": "catalyseur",
    "forms": "formes de partenariat",
    "trades": "métiers du catalyseur",
    "actor_types": "types d'acteurs",
    "partners": "partenaires",
    "themes": "thèmes / fragilités",
    "scale": "échelle",
    "commune_code": "code commune (INSEE)",
    "latitude": "latitude",
    "longitude": "longitude",
    "description": "description",
    "website": "site web",
    "sources": "sources",
    "verified_on": "date de vérification",
    "year": "année des faits",
    "territory_level": "échelle de rattachement",
    "territory_code": "code du territoire",
}

#: Name of each enumerated field's vocabulary, for messages ("… n'est pas une forme …").
VOCABULARIES: dict[str, tuple[dict[str, str], str]] = {
    "nature": (NATURES, "une nature"),
    "forms": (FORMS, "une forme de partenariat"),
    "trades": (TRADES, "un métier du catalyseur"),
    "actor_types": (ACTOR_TYPES, "un type d'acteur"),
    "themes": (THEMES, "un thème"),
    "scale": (SCALES, "une échelle"),
    "territory_level": (TERRITORY_LEVELS, "une échelle de rattachement"),
}


def label(vocabulary: dict[str, str], key: str) -> str:
    """Return the French label of ``key``, or the key itself if unknown."""
    return vocabulary.get(key, key)


def labels(vocabulary: dict[str, str], keys) -> list[str]:
    """Return the French labels of ``keys``, in the vocabulary's order."""
    wanted = set(keys)
    return [text for key, text in vocabulary.items() if key in wanted]


def fold(text: str) -> str:
    """Lower-case and strip accents (accent-insensitive matching and search).

    Examples
    --------
    >>> fold("Écosystème Territorial")
    'ecosysteme territorial'
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slug(text: str) -> str:
    """URL slug of a French label: « Mécénat » → ``mecenat``."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def slugs(vocabulary: dict[str, str]) -> dict[str, str]:
    """Internal key → URL slug, for a vocabulary (``patronage`` → ``mecenat``)."""
    return {key: slug(text) for key, text in vocabulary.items()}


def to_slugs(vocabulary: dict[str, str], keys) -> str:
    """Keys as one URL value: ``("patronage", "economic_cooperation")`` →
    ``"mecenat,cooperation-economique"``."""
    slugged = slugs(vocabulary)
    return ",".join(slugged.get(k, k) for k in keys)


def from_slugs(vocabulary: dict[str, str], text: str) -> tuple[str, ...]:
    """Keys of a URL value (slugs or internal keys); unknown parts are dropped.

    Examples
    --------
    >>> from_slugs(FORMS, "mecenat, nimporte,societal_innovation,mecenat")
    ('patronage', 'societal_innovation')
    """
    by_slug = {s: k for k, s in slugs(vocabulary).items()}
    parts = (p.strip() for p in text.split(","))
    keys = (by_slug.get(p) or (p if p in vocabulary else "") for p in parts if p)
    return tuple(dict.fromkeys(k for k in keys if k))
