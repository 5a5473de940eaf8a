"""The list of filtered initiatives under the map; selecting a row opens its detail."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from components import wording
from data import taxonomy
from data.catalog import Catalog

TABLE_KEY = "liste"


def table_frame(catalog: Catalog, kept: np.ndarray, limit: int) -> pd.DataFrame:
    """The rows shown in the list, with French column names."""
    rows = catalog.frame.iloc[kept[:limit]]
    return pd.DataFrame(
        {
            "Nom": rows["name"].to_numpy(),
            "Nature": rows["nature"].map(taxonomy.NATURES).to_numpy(),
            "Formes de partenariat": [", ".join(taxonomy.labels(taxonomy.FORMS, f)) for f in rows["forms"]],
            "Commune": rows["commune"].to_numpy(),
            "Département": rows["departement"].to_numpy(),
            "Région": rows["region"].to_numpy(),
        },
        index=rows["id"].to_numpy(),
    )


def _on_select(ids: list[str]) -> None:
    selection = st.session_state.get(TABLE_KEY)
    rows = selection.selection.rows if selection is not None else []
    if rows and rows[0] < len(ids):
        st.session_state["selected"] = ids[rows[0]]
        st.session_state["focus"] = ids[rows[0]]


def show_table(catalog: Catalog, kept: np.ndarray, limit: int) -> None:
    """Draw the list of kept initiatives (at most ``limit`` rows)."""
    frame = table_frame(catalog, kept, limit)
    if len(kept) > limit:
        st.caption(
            f"Les {wording.number(limit)} premières sont listées ; affinez les filtres pour voir les autres."
        )
    ids = list(frame.index)
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        height=min(400, 38 + 35 * max(len(frame), 1)),
        on_select=lambda: _on_select(ids),
        selection_mode="single-row",
        key=TABLE_KEY,
    )
