"""Cached access to the reference geography and the initiatives shown.

Both live in ``st.cache_resource``: loaded once per server process, shared by
every session and never mutated. The initiatives come from the database through an
:class:`data.inventory.Inventory`, which holds one catalog per revision and swaps to
the next in one step. Every derived cache is keyed by a :class:`DataSource` that
carries that revision, so a change never mixes old and new rows; old entries are
evicted (``max_entries``). Filter results are cached per ``(DataSource, ViewState)``,
both plain hashable values.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from components import static_map
from components.map_view import PointPayload, point_payload
from components.settings import Settings, from_env
from data import brief, nearby, query
from data.catalog import BUNDLED_PATH, Catalog
from data.db import StoreError
from data.demo import demo_catalog
from data.inventory import Inventory
from data.nearby import NearbyState, Origin
from data.repository import Repository
from geo import reference as geo_reference
from geo.commune_search import CommuneSearch
from geo.distance import PlanarPoints
from geo.geocode import Geocoder
from geo.reference import Reference


@dataclass(frozen=True)
class DataSource:
    """Which initiatives are shown (hashable: the key of every cache below)."""

    cache_dir: str
    demo_n: int = 0
    data_file: str = str(BUNDLED_PATH)
    database_url: str = ""
    refresh_seconds: float = 2.0
    revision: int = 0  # the database revision whose catalog this source shows

    @classmethod
    def from_settings(cls, settings: Settings) -> DataSource:
        """The source as of the newest revision this instance has loaded."""
        source = cls(
            cache_dir=str(settings.cache_dir),
            demo_n=settings.demo_n,
            data_file=str(settings.data_file or BUNDLED_PATH),
            database_url=settings.database_url if settings.demo_n == 0 else "",
            refresh_seconds=settings.refresh_seconds,
        )
        if source.demo_n > 0:
            return source
        return replace(source, revision=get_inventory(source).current().revision)


def _base(source: DataSource) -> DataSource:
    return replace(source, revision=0)


@st.cache_resource(show_spinner=False)
def get_repository(database_url: str) -> Repository:
    """The store (schema created or migrated on first use)."""
    return Repository(database_url)


@st.cache_resource(show_spinner="Chargement des initiatives…")
def _inventory(source: DataSource) -> Inventory:
    reference = get_reference(source.cache_dir)
    return Inventory(
        lambda: get_repository(source.database_url),
        reference,
        Path(source.data_file),
        refresh_seconds=source.refresh_seconds,
    )


def get_inventory(source: DataSource) -> Inventory:
    """The instance's inventory for this source (one per process)."""
    return _inventory(_base(source))


def repository_or_none(source: DataSource) -> Repository | None:
    """The store, or None in demo mode or while the database cannot be opened."""
    if source.demo_n > 0:
        return None
    try:
        return get_repository(source.database_url)
    except StoreError:
        return None


def store_notice(source: DataSource) -> str:
    """A French notice when the database cannot be read (the map shows the last good data)."""
    return "" if source.demo_n > 0 else get_inventory(source).current().notice


@st.cache_resource(show_spinner=False)
def get_reference(cache_dir: str) -> Reference:
    """The reference geography, built at set-up (``make setup``), never by a running app.

    Raises :class:`geo.reference.GeographyError` (French) when it is missing or damaged.
    """
    return geo_reference.load(Path(cache_dir))


@st.cache_resource(show_spinner="Génération des données fictives…", max_entries=2)
def _demo(source: DataSource) -> Catalog:
    return demo_catalog(source.demo_n, get_reference(source.cache_dir))


def get_catalog(source: DataSource) -> Catalog:
    """Synthetic initiatives when ``demo_n > 0``; otherwise the published initiatives of
    the database at the source's revision."""
    if source.demo_n > 0:
        return _demo(source)
    return get_inventory(source).catalog_at(source.revision)


def current_source(settings: Settings | None = None) -> DataSource:
    """The source of this run or request, from the environment's settings unless given."""
    return DataSource.from_settings(settings if settings is not None else from_env())


def page_data(settings: Settings | None = None) -> tuple[DataSource, Reference, Catalog]:
    """What every page that shows initiatives reads first: its source, the reference
    geography and the catalog."""
    source = current_source(settings)
    return source, get_reference(source.cache_dir), get_catalog(source)


@st.cache_resource(show_spinner="Chargement du géocodeur…")
def get_geocoder(cache_dir: str) -> Geocoder:
    """The offline geocoder (indexes built once)."""
    return Geocoder.from_cache(Path(cache_dir))


@st.cache_resource(show_spinner=False, max_entries=4)
def get_point_payload(source: DataSource) -> PointPayload:
    """The shown dataset's points and tooltips as compressed files (built once per revision)."""
    return point_payload(get_catalog(source))


@st.cache_data(show_spinner=False, max_entries=256)
def filtered(source: DataSource, state: query.ViewState) -> np.ndarray:
    """Row positions kept by a view's filters."""
    return query.apply(get_catalog(source), state.filters)


@st.cache_data(show_spinner=False, max_entries=256)
def counts(source: DataSource, state: query.ViewState) -> dict:
    """Facet counts of a view."""
    return query.facet_counts(get_catalog(source), state.filters)


@st.cache_resource(show_spinner=False, max_entries=4)
def get_catalog_points(source: DataSource) -> PlanarPoints:
    """The shown initiatives' points, projected for distance queries."""
    return nearby.catalog_points(get_catalog(source))


@st.cache_resource(show_spinner=False)
def get_commune_search(cache_dir: str) -> CommuneSearch:
    """Accent-insensitive search over every commune (index built once)."""
    return CommuneSearch(get_reference(cache_dir).communes)


@st.cache_data(show_spinner=False, max_entries=128)
def ranked_peers(source: DataSource, origin: Origin, state: NearbyState) -> pd.DataFrame:
    """Initiatives near ``origin`` within the state's radius and filters, ranked."""
    catalog, points = get_catalog(source), get_catalog_points(source)
    allowed = query.apply(
        catalog, query.ViewState(natures=state.natures, forms=state.forms, themes=state.themes)
    )
    fit_origin = Origin(
        **{
            **origin.__dict__,
            "forms": tuple(dict.fromkeys((*origin.forms, *state.forms))),
            "themes": tuple(dict.fromkeys((*origin.themes, *state.themes))),
        }
    )
    nearest = nearby.nearest_catalysts(catalog, points, origin, k=1)
    return nearby.rank_peers(
        catalog,
        points,
        fit_origin,
        state.radius,
        candidates=allowed,
        sort=state.sort,
        nearest_catalyst=nearest[0][0] if nearest else None,
    )


@st.cache_resource(show_spinner="Calcul des distances aux catalyseurs…", max_entries=2)
def get_catalyst_distances(source: DataSource) -> np.ndarray:
    """Distance (km) from every commune to its nearest catalyst (computed once)."""
    reference = get_reference(source.cache_dir)
    return nearby.commune_catalyst_distances(
        get_catalog(source), get_catalog_points(source), nearby.commune_points(reference)
    )


@st.cache_resource(show_spinner="Chargement des contours des communes…")
def get_commune_shapes(cache_dir: str):
    """Commune polygons (for the static maps of the territory brief; loaded on first use)."""
    return geo_reference.load_commune_shapes(Path(cache_dir))


@st.cache_resource(show_spinner=False, max_entries=32)
def get_brief(source: DataSource, level: str, code: str) -> brief.Brief:
    """A territory's brief at the source's revision (computed once, not on every rerun)."""
    return brief.territory_brief(
        get_catalog(source), get_reference(source.cache_dir), level, code, get_catalyst_distances(source)
    )


@st.cache_data(show_spinner="Dessin de la carte du territoire…", max_entries=32)
def get_brief_map(source: DataSource, level: str, code: str) -> bytes:
    """The brief's static map (PNG), drawn once per territory and revision."""
    figures = get_brief(source, level, code)
    reference = get_reference(source.cache_dir)
    shapes = get_commune_shapes(source.cache_dir)
    return static_map.draw(get_catalog(source), reference, shapes, level, code, figures.positions)
