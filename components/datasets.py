"""Cached access to the reference geography and the initiatives shown.

Both live in ``st.cache_resource``: loaded once per server process, shared by
every session and never mutated. Filter results are cached per
``(DataSource, ViewState)``, both plain hashable values.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from components.map_view import PointFiles, write_point_files
from components.settings import Settings
from data import nearby, query, store
from data.catalog import BUNDLED_PATH, Catalog, load_bundled
from data.demo import demo_catalog
from data.nearby import NearbyState, Origin
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
    static_dir: str = ""
    db_path: str = ""
    db_version: str = ""  # changes when an import changes the database

    @classmethod
    def from_settings(cls, settings: Settings) -> DataSource:
        return cls(
            cache_dir=str(settings.cache_dir),
            demo_n=settings.demo_n,
            data_file=str(settings.data_file or BUNDLED_PATH),
            static_dir=str(settings.static_dir),
            db_path=str(settings.db_path),
            db_version=store.version(settings.db_path) if settings.demo_n == 0 else "",
        )


@st.cache_resource(show_spinner=False)
def get_reference(cache_dir: str) -> Reference:
    """The reference geography, building the cache first if it is missing."""
    path = Path(cache_dir)
    geo_reference.ensure_built(path)
    return geo_reference.load(path)


@st.cache_resource(show_spinner="Chargement des initiatives…")
def get_catalog(source: DataSource) -> Catalog:
    """Synthetic initiatives when ``demo_n > 0``; otherwise those of ``data_file`` and
    the imported ones (an imported initiative replaces a bundled one with its id)."""
    reference = get_reference(source.cache_dir)
    if source.demo_n > 0:
        return demo_catalog(source.demo_n, reference)
    imported = store.read_all(Path(source.db_path)) if source.db_path else []
    return load_bundled(reference, Path(source.data_file), imported=imported)


@st.cache_resource(show_spinner="Chargement du géocodeur…")
def get_geocoder(cache_dir: str) -> Geocoder:
    """The offline geocoder (indexes built once)."""
    return Geocoder.from_cache(Path(cache_dir))


@st.cache_resource(show_spinner=False)
def get_point_files(source: DataSource) -> PointFiles:
    """Static files of the shown dataset's points (written once per dataset)."""
    return write_point_files(get_catalog(source), Path(source.static_dir))


@st.cache_data(show_spinner=False, max_entries=256)
def filtered(source: DataSource, state: query.ViewState) -> np.ndarray:
    """Row positions kept by a view's filters."""
    return query.apply(get_catalog(source), state.filters)


@st.cache_data(show_spinner=False, max_entries=256)
def counts(source: DataSource, state: query.ViewState) -> dict:
    """Facet counts of a view."""
    return query.facet_counts(get_catalog(source), state.filters)


@st.cache_resource(show_spinner=False)
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


@st.cache_resource(show_spinner="Calcul des distances aux catalyseurs…")
def get_catalyst_distances(source: DataSource) -> np.ndarray:
    """Distance (km) from every commune to its nearest catalyst (computed once)."""
    reference = get_reference(source.cache_dir)
    return nearby.commune_catalyst_distances(
        get_catalog(source), get_catalog_points(source), nearby.commune_points(reference)
    )
