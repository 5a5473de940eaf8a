"""Map the column headers people write onto the schema's fields.

« Nom de l'initiative », « CP », « Ville », « Forme de partenariat »… are matched
ignoring case, accents and punctuation. Unknown columns are reported, never fatal.
"""

from __future__ import annotations

import re

from data.taxonomy import fold

#: Field → accepted headers (already folded: lower case, no accents, single spaces).
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "identifiant", "ref", "reference"),
    "name": ("nom", "nom de l initiative", "initiative", "intitule", "titre", "name", "nom initiative"),
    "nature": ("nature", "type", "type d initiative", "nature de l initiative"),
    "catalyst": ("catalyseur", "structure catalyseur", "catalyseur territorial", "structure animatrice"),
    "forms": ("forme", "formes", "forme de partenariat", "formes de partenariat", "forme du partenariat"),
    "trades": ("metier", "metiers", "metiers du catalyseur", "metier du catalyseur"),
    "actor_types": ("types d acteurs", "type d acteurs", "acteurs", "type d acteur", "types d acteur"),
    "partners": ("partenaires", "partenaire", "partenaires nommes"),
    "themes": (
        "themes",
        "theme",
        "fragilites",
        "fragilite",
        "thematiques",
        "thematique",
        "themes fragilites",
        "theme fragilite",
    ),
    "scale": ("echelle", "echelle d action", "perimetre"),
    "description": ("description", "resume", "presentation"),
    "website": ("site", "site web", "site internet", "url", "web"),
    "sources": ("source", "sources", "lien source", "url source", "sources publiques"),
    "verified_on": ("date de verification", "verifie le", "date verification", "verification"),
    "year": ("annee des faits", "annee", "situation en"),
    "territory_level": ("echelle de rattachement", "rattachement"),
    "territory_code": ("code du territoire", "code territoire"),
    "code_insee": (
        "code insee",
        "insee",
        "code commune",
        "cog",
        "code insee commune",
        "code commune insee",
        "codeinsee",
        "depcom",
    ),
    "code_postal": ("cp", "code postal", "codepostal", "code post", "postcode"),
    "commune": ("commune", "ville", "localite", "nom commune", "nom de la commune", "libelle commune"),
    "departement": ("departement", "dept", "dep", "code departement", "num departement"),
    "adresse": ("adresse", "adresse postale", "adresse complete", "address"),
    "latitude": ("latitude", "lat", "y"),
    "longitude": ("longitude", "lon", "lng", "long", "x"),
}
_BY_HEADER = {alias: field for field, aliases in ALIASES.items() for alias in aliases}


def fold_header(header: str) -> str:
    """``"Nom de l'initiative"`` → ``"nom de l initiative"``."""
    return re.sub(r"[^a-z0-9]+", " ", fold(header)).strip()


def map_headers(headers: list[str]) -> tuple[dict[int, str], list[str], list[str]]:
    """Match headers to fields.

    Returns
    -------
    (mapping, unknown, duplicates)
        ``mapping``: column position → field; ``unknown``: headers matching no field;
        ``duplicates``: fields claimed by two columns (the first one is kept).

    Examples
    --------
    >>> map_headers(["Nom de l'initiative", "CP", "Ville", "Couleur"])
    ({0: 'name', 1: 'code_postal', 2: 'commune'}, ['Couleur'], [])
    """
    mapping: dict[int, str] = {}
    unknown: list[str] = []
    duplicates: list[str] = []
    for position, header in enumerate(headers):
        field = _BY_HEADER.get(fold_header(header))
        if field is None:
            if header:
                unknown.append(header)
        elif field in mapping.values():
            duplicates.append(header)
        else:
            mapping[position] = field
    return mapping, unknown, duplicates
