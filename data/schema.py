"""The initiative schema and its validation, with messages in French.

Validation happens at the edge (bundled file, demo generator, later imports):
everything past it can trust an :class:`Initiative`. Each problem is reported
as a :class:`Problem` naming the row, the field and the bad value, e.g.
``ligne 12, champ « formes de partenariat » : « mecenatt » n'est pas une forme
de partenariat``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from data import taxonomy

_COMMUNE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
#: Control characters (but tab and newline) and bidirectional overrides: refused in text.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
#: Characters shown in messages for a forbidden character.
_NAMES = {"\x00": "NUL", "\u202e": "inversion droite-à-gauche (U+202E)", "\u202d": "forçage gauche-à-droite"}
MULTI_FIELDS = ("forms", "trades", "actor_types", "partners", "themes", "sources")
MAX_TEXT = {"name": 200, "catalyst": 200, "description": 2000, "website": 500}
MAX_ITEM = 500
MAX_ITEMS = 50


@dataclass(frozen=True)
class Initiative:
    """One alliance: a partnership dynamic or a territorial ecosystem."""

    id: str
    name: str
    nature: str
    commune_code: str
    forms: tuple[str, ...]
    description: str = ""
    catalyst: str = ""
    trades: tuple[str, ...] = ()
    actor_types: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    scale: str = ""
    latitude: float | None = None
    longitude: float | None = None
    website: str = ""
    sources: tuple[str, ...] = ()
    verified_on: str = ""
    synthetic: bool = False
    year: int | None = None  # the year the facts describe (« situation en 2023 »)
    territory_level: str = ""  # "", "epci", "departement" or "region": attached to a territory
    territory_code: str = ""  # that territory's code when its source names no commune


@dataclass(frozen=True)
class Problem:
    """A validation problem, worded for the person who must fix it."""

    field: str
    value: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"ligne {self.line}, " if self.line is not None else ""
        label = taxonomy.FIELD_LABELS.get(self.field, self.field)
        return f"{where}champ « {label} » : {self.message}"


@dataclass
class _Checker:
    record: Mapping
    line: int | None
    problems: list[Problem] = field(default_factory=list)

    def add(self, name: str, value, message: str) -> None:
        self.problems.append(Problem(name, str(value), message, self.line))

    def text(self, name: str, *, required: bool = False) -> str:
        value = self.record.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.add(name, value, f"« {value} » devrait être un texte")
            return ""
        value = value.strip()
        self.forbidden(name, value)
        if required and not value:
            self.add(name, value, "valeur obligatoire manquante")
        limit = MAX_TEXT.get(name)
        if limit and len(value) > limit:
            self.add(name, value[:30], f"texte trop long ({len(value)} caractères, {limit} au plus)")
        return value

    def forbidden(self, name: str, value: str) -> None:
        """Refuse control characters and bidirectional overrides, naming the first one."""
        found = _FORBIDDEN.search(value)
        if found:
            char = found.group()
            what = _NAMES.get(char, f"U+{ord(char):04X}")
            self.add(name, value[:30], f"caractère interdit ({what}) en position {found.start() + 1}")

    def items(self, name: str) -> tuple[str, ...]:
        value = self.record.get(name, ())
        if value is None or value == "":
            return ()
        if isinstance(value, str):
            value = [part for part in re.split(r"[;|]", value)]
        if not isinstance(value, (list, tuple)):
            self.add(name, value, f"« {value} » devrait être une liste")
            return ()
        if len(value) > MAX_ITEMS:
            self.add(name, len(value), f"trop d'éléments ({len(value)}, {MAX_ITEMS} au plus)")
            value = value[:MAX_ITEMS]
        cleaned = []
        for item in value:
            if not isinstance(item, str):
                self.add(name, item, f"« {item} » devrait être un texte")
                continue
            item = item.strip()
            self.forbidden(name, item)
            if len(item) > MAX_ITEM:
                self.add(name, item[:30], f"élément trop long ({len(item)} caractères, {MAX_ITEM} au plus)")
                continue
            if item and item not in cleaned:
                cleaned.append(item)
        return tuple(cleaned)

    def vocabulary(self, name: str, values: Iterable[str]) -> tuple[str, ...]:
        vocab, what = taxonomy.VOCABULARIES[name]
        by_label = {taxonomy.fold(text).strip(): key for key, text in vocab.items()}
        kept = []
        for value in values:
            key = value if value in vocab else by_label.get(taxonomy.fold(value).strip())
            if key is None:
                allowed = ", ".join(vocab.values())
                self.add(name, value, f"« {value} » n'est pas {what} (valeurs possibles : {allowed})")
            elif key not in kept:
                kept.append(key)
        return tuple(kept)

    def coordinate(self, name: str, low: float, high: float) -> float | None:
        value = self.record.get(name)
        if value is None or value == "":
            return None
        try:
            number = float(str(value).replace(",", "."))
        except ValueError:
            self.add(name, str(value)[:30], f"« {str(value)[:30]} » n'est pas un nombre")
            return None
        if not math.isfinite(number) or not low <= number <= high:
            self.add(name, value, f"« {value} » est hors de l'intervalle [{low} ; {high}]")
            return None
        return number


def is_http_url(value: str) -> bool:
    """Tell whether ``value`` is an absolute http(s) URL (no ``javascript:``, ``data:``…)."""
    return bool(_URL.match(value.strip())) if isinstance(value, str) else False


def _year(check: _Checker) -> int | None:
    raw = check.record.get("year")
    if raw is None or raw == "":
        return None
    try:
        year = int(str(raw).strip())
    except ValueError:
        check.add("year", raw, f"« {raw} » n'est pas une année")
        return None
    if not 1900 <= year <= dt.date.today().year:
        check.add("year", raw, f"« {raw} » n'est pas une année plausible (1900 à {dt.date.today().year})")
        return None
    return year


def _place(
    check: _Checker,
    commune_exists: Callable[[str], bool] | None,
    territory_exists: Callable[[str, str], bool] | None,
) -> tuple[str, str, str]:
    """The commune code, or the territory (level, code) when the source names no commune."""
    level = check.text("territory_level")
    by_label = {taxonomy.fold(label): key for key, label in taxonomy.TERRITORY_LEVELS.items()}
    level = by_label.get(taxonomy.fold(level), level)  # « départementale » as exported
    territory = check.text("territory_code").upper()
    if level and level not in taxonomy.TERRITORY_LEVELS:
        allowed = ", ".join(taxonomy.TERRITORY_LEVELS)
        check.add("territory_level", level, f"« {level} » n'est pas une échelle de rattachement ({allowed})")
    elif level and not territory:
        check.add("territory_code", "", "valeur obligatoire avec une échelle de rattachement")
    elif level and territory_exists is not None and not territory_exists(level, territory):
        check.add(
            "territory_code", territory, f"« {territory} » n'est pas un territoire {level} du référentiel"
        )
    code = check.text("commune_code", required=not level).upper()
    if code and not _COMMUNE_CODE.match(code):
        check.add("commune_code", code, f"« {code} » n'est pas un code commune")
    elif code and commune_exists is not None and not commune_exists(code):
        check.add("commune_code", code, f"« {code} » n'est pas une commune du référentiel")
    if code and level:
        check.add(
            "territory_level",
            level,
            "une initiative est rattachée à une commune ou à un territoire, pas aux deux",
        )
    return code, level, territory


def validate(
    record: Mapping,
    *,
    line: int | None = None,
    commune_exists: Callable[[str], bool] | None = None,
    require_sources: bool = True,
    territory_exists: Callable[[str, str], bool] | None = None,
) -> tuple[Initiative | None, list[Problem]]:
    """Check one record and build an :class:`Initiative` from it.

    Parameters
    ----------
    record
        Field name → value. Lists may be given as lists or as ``;``-separated text;
        enumerated values as internal keys or as their French labels.
    line
        Line number in the source file, quoted in messages.
    commune_exists
        Callback telling whether an INSEE code is a commune of the reference.
    territory_exists
        Callback telling whether ``(level, code)`` is a territory of the reference.
    require_sources
        Whether at least one http(s) source is required (true for real data).

    Returns
    -------
    (Initiative or None, list of Problem)
        The initiative is ``None`` whenever a problem was found.

    Examples
    --------
    >>> item, problems = validate({"id": "x", "name": "X", "nature": "mécénat"})
    >>> print(problems[0])  # doctest: +ELLIPSIS
    champ « nature » : « mécénat » n'est pas une nature (valeurs possibles : Dynamique partenariale, ...)
    """
    check = _Checker(record, line)
    ident = check.text("id", required=True)
    if ident and not _ID.match(ident):
        check.add("id", ident, f"« {ident} » n'est pas un identifiant (minuscules, chiffres, tirets)")
    name = check.text("name", required=True)
    nature_raw = check.text("nature", required=True)
    nature = check.vocabulary("nature", [nature_raw] if nature_raw else [])
    forms = check.vocabulary("forms", check.items("forms"))
    if not forms and not any(p.field == "forms" for p in check.problems):
        check.add("forms", "", "au moins une forme de partenariat est requise")
    trades = check.vocabulary("trades", check.items("trades"))
    actor_types = check.vocabulary("actor_types", check.items("actor_types"))
    themes = check.vocabulary("themes", check.items("themes"))
    scale_raw = check.text("scale")
    scale = check.vocabulary("scale", [scale_raw] if scale_raw else [])
    code, level, territory = _place(check, commune_exists, territory_exists)
    year = _year(check)
    latitude = check.coordinate("latitude", -90, 90)
    longitude = check.coordinate("longitude", -180, 180)
    if (latitude is None) != (longitude is None):
        check.add("latitude", latitude or longitude, "latitude et longitude vont ensemble")
    website = check.text("website")
    if website and not is_http_url(website):
        check.add("website", website, f"« {website} » n'est pas une adresse http(s)")
    sources = check.items("sources")
    for url in sources:
        if not is_http_url(url):
            check.add("sources", url, f"« {url} » n'est pas une adresse http(s)")
    if require_sources and not sources:
        check.add("sources", "", "au moins une source publique (http ou https) est requise")
    verified_on = check.text("verified_on")
    if verified_on:
        try:
            dt.date.fromisoformat(verified_on)
        except ValueError:
            check.add("verified_on", verified_on, f"« {verified_on} » n'est pas une date AAAA-MM-JJ")
    if check.problems:
        return None, check.problems
    initiative = Initiative(
        id=ident,
        name=name,
        nature=nature[0],
        commune_code=code,
        forms=forms,
        description=check.text("description"),
        catalyst=check.text("catalyst"),
        trades=trades,
        actor_types=actor_types,
        partners=check.items("partners"),
        themes=themes,
        scale=scale[0] if scale else "",
        latitude=latitude,
        longitude=longitude,
        website=website,
        sources=sources,
        verified_on=verified_on,
        synthetic=bool(record.get("synthetic", False)),
        year=year,
        territory_level=level,
        territory_code=territory,
    )
    return initiative, []
