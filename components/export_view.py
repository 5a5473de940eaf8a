"""« Télécharger »: the whole filtered set, every field, as CSV, XLSX, GeoJSON or GeoPackage.

Files are built only when a format is chosen (deferred download data), so drawing the page
costs nothing; their names say what they hold (``alliances-bretagne-mecenat-2026-11-30.xlsx``).
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from components import wording
from data import export, taxonomy
from data.catalog import Catalog
from data.query import ViewState
from geo.reference import Reference

FORMATS = {
    "csv": ("CSV (tableur, « ; »)", "text/csv", export.to_csv),
    "xlsx": (
        "Excel (XLSX)",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        export.to_xlsx,
    ),
    "geojson": ("GeoJSON (carte web)", "application/geo+json", export.to_geojson),
    "gpkg": ("GeoPackage (SIG)", "application/geopackage+sqlite3", export.to_gpkg),
}


def name_parts(state: ViewState, reference: Reference) -> list[str]:
    """Words that say what a filtered set holds: places, natures, forms, themes, actors, search."""
    parts = [reference.regions["name"].get(code, code) for code in state.regions]
    parts += [reference.departements["name"].get(code, code) for code in state.departements]
    parts += taxonomy.labels(taxonomy.NATURES, state.natures) + taxonomy.labels(taxonomy.FORMS, state.forms)
    parts += taxonomy.labels(taxonomy.THEMES, state.themes) + taxonomy.labels(
        taxonomy.ACTOR_TYPES, state.actor_types
    )
    return [*parts, state.q]


def show_downloads(catalog: Catalog, kept: np.ndarray, state: ViewState, reference: Reference) -> None:
    """A « Télécharger » menu with one button per format, for exactly what the filters keep."""
    rows = catalog.frame.iloc[kept]
    parts = name_parts(state, reference)
    with st.popover(f"Télécharger ({wording.initiatives(len(rows))})", disabled=rows.empty):
        st.caption(
            "Toutes les initiatives filtrées, avec tous leurs champs (description, partenaires, "
            "sources, commune, département, région, coordonnées). Réimportables telles quelles."
        )
        for extension, (label, mime, writer) in FORMATS.items():
            st.download_button(
                label,
                data=lambda writer=writer: writer(export.initiatives_frame(rows)),
                file_name=export.file_name(parts, extension),
                mime=mime,
                key=f"export_{extension}",
                width="stretch",
            )
