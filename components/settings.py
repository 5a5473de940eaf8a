"""Every setting of the app, read once from the environment and passed down.

| variable | meaning | default |
|---|---|---|
| ``ALLIANCES_DEMO_N`` | show N synthetic initiatives instead of the real referential (benchmarks and tests only; a banner says so) | unset |
| ``ALLIANCES_DB`` | SQLite database of imported initiatives, shown with the referential | ``var/alliances.sqlite3`` |
| ``ALLIANCES_ADMIN`` | ``1`` shows the import page (no authentication yet: only on a trusted, local instance) | unset |
| ``ALLIANCES_CACHE_DIR`` | folder of the reference geography cache | ``cache/reference`` |
| ``ALLIANCES_TILES_URL`` | opt-in tile layer URL template (needs network); none by default, the map works offline | unset |
| ``ALLIANCES_TILES_ATTRIBUTION`` | attribution of that tile layer | unset |
| ``ALLIANCES_DATA`` | JSON file of initiatives to show instead of the bundled referential | bundled file |
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """The app's settings (see the module docstring for each variable)."""

    demo_n: int = 0
    cache_dir: Path = ROOT / "cache" / "reference"
    static_dir: Path = ROOT / "static"
    tiles_url: str = ""
    tiles_attribution: str = ""
    data_file: Path | None = None
    db_path: Path = ROOT / "var" / "alliances.sqlite3"
    admin: bool = False


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
        db_path=Path(env["ALLIANCES_DB"]) if env.get("ALLIANCES_DB", "").strip() else Settings.db_path,
        admin=env.get("ALLIANCES_ADMIN", "").strip() == "1",
    )
