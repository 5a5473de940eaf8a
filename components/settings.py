"""Every setting of the app, declared once (name, default, help), read once and passed down.

The README's settings table is generated from :data:`DECLARED` (``settings_table``) and a
test checks that the two agree, so the documentation cannot drift from the code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from data.db import DEFAULT_URL
from geo.reference import DEFAULT_CACHE


@dataclass(frozen=True)
class Setting:
    """One environment variable: its name, its default as shown to people, and its help."""

    name: str
    default: str
    help: str


DECLARED: tuple[Setting, ...] = (
    Setting(
        "ALLIANCES_DATABASE_URL",
        "`sqlite:///var/alliances.sqlite3` (créée au premier lancement)",
        "base des initiatives, propositions, historique et comptes ; par exemple "
        "`postgresql+psycopg://alliances@localhost/alliances` pour plusieurs instances",
    ),
    Setting(
        "ALLIANCES_DATA",
        "`data/referentiel/initiatives.json`",
        "référentiel versé dans la base à chaque démarrage (nouvelles entrées ajoutées, fiches modifiées "
        "par la modération jamais écrasées)",
    ),
    Setting(
        "ALLIANCES_REFRESH_SECONDS",
        "`2`",
        "intervalle (secondes) entre deux vérifications de la révision de la base par une instance",
    ),
    Setting(
        "ALLIANCES_DEMO_N",
        "non défini",
        "remplace le référentiel par N initiatives **fictives** générées par programme (bancs d'essai et "
        "tests uniquement ; un bandeau « Données fictives de démonstration » l'indique)",
    ),
    Setting("ALLIANCES_CACHE_DIR", "`cache/reference`", "emplacement du cache de géographie"),
    Setting(
        "ALLIANCES_TILES_URL",
        "non défini",
        "ajoute un fond de tuiles (optionnel : il faut alors un accès réseau)",
    ),
    Setting("ALLIANCES_TILES_ATTRIBUTION", "non défini", "attribution de ce fond de tuiles"),
)


@dataclass(frozen=True)
class Settings:
    """The app's settings (see :data:`DECLARED` for each variable)."""

    demo_n: int = 0
    cache_dir: Path = DEFAULT_CACHE
    tiles_url: str = ""
    tiles_attribution: str = ""
    data_file: Path | None = None
    database_url: str = DEFAULT_URL
    refresh_seconds: float = 2.0


def settings_table() -> str:
    """The README's Markdown table of settings."""
    lines = ["| variable | défaut | effet |", "|---|---|---|"]
    lines += [f"| `{s.name}` | {s.default} | {s.help} |" for s in DECLARED]
    return "\n".join(lines)


def _int(env: dict, name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw.replace("_", ""))
    except ValueError as error:
        raise ValueError(f"{name} : « {raw} » n'est pas un nombre entier") from error
    if value < 0:
        raise ValueError(f"{name} : « {raw} » doit être positif")
    return value


def from_env(env: dict | None = None) -> Settings:
    """Read the settings from ``env`` (default: the process environment)."""
    env = dict(os.environ if env is None else env)
    cache = env.get("ALLIANCES_CACHE_DIR", "").strip()
    data_file = env.get("ALLIANCES_DATA", "").strip()
    return Settings(
        demo_n=_int(env, "ALLIANCES_DEMO_N", 0),
        cache_dir=Path(cache) if cache else Settings.cache_dir,
        tiles_url=env.get("ALLIANCES_TILES_URL", "").strip(),
        tiles_attribution=env.get("ALLIANCES_TILES_ATTRIBUTION", "").strip(),
        data_file=Path(data_file) if data_file else None,
        database_url=env.get("ALLIANCES_DATABASE_URL", "").strip() or Settings.database_url,
        refresh_seconds=max(0.0, float(_int(env, "ALLIANCES_REFRESH_SECONDS", 2))),
    )
