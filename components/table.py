"""The list of filtered initiatives under the map, a page at a time.

Paging keeps the page light: sending thousands of rows with every rerun delays
the map (measured: about 0.4 s at 1,000 rows). Selecting a row opens its detail.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import streamlit as st

from components import wording
from data import taxonomy
from data.export import to_csv

TABLE_KEY = "liste"
PAGE_KEY = "liste_page"
PAGE_SIZE = 100
PICKER_KEY = "liste_clavier"


def table_frame(catalog, kept: np.ndarray) -> pd.DataFrame:
    """The rows shown in the list, with French column names, indexed by id."""
    rows = catalog.frame.iloc[kept]
    return pd.DataFrame(
        {
            "Nom": rows["name"].to_numpy(),
            "Nature": rows["nature"].map(taxonomy.NATURES).to_numpy(),
            "Formes de partenariat": [", ".join(taxonomy.labels(taxonomy.FORMS, f)) for f in rows["forms"]],
            "Commune": rows["place"].to_numpy(),
            "Département": rows["departement"].to_numpy(),
            "Région": rows["region"].to_numpy(),
        },
        index=rows["id"].to_numpy(),
    )


def page_bounds(count: int, page: int, size: int = PAGE_SIZE) -> tuple[int, int, int]:
    """Clamp ``page`` (1-based) and return ``(page, start, stop)`` for ``count`` rows."""
    pages = max(1, math.ceil(count / size))
    page = min(max(1, page), pages)
    return page, (page - 1) * size, min(page * size, count)


def selectable_table(frame: pd.DataFrame, ids: list[str], *, key: str, on_pick, **options) -> None:
    """A list whose row selection calls ``on_pick(initiative_id)``."""

    def picked() -> None:
        selection = st.session_state.get(key)
        rows = selection.selection.rows if selection is not None else []
        if rows and rows[0] < len(ids):
            on_pick(ids[rows[0]])

    # Streamlit's own « Download as CSV » would write formula cells raw: our downloads neutralise them.
    st.html(f'<style>.st-key-{key} [data-testid="stElementToolbar"] {{display: none;}}</style>')
    pinned = {"Nom": st.column_config.TextColumn("Nom", pinned=True)} if "Nom" in frame else {}
    options = {"column_config": pinned, **options}  # the name stays in view when a phone scrolls sideways
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        height=min(420, 38 + 35 * max(len(frame), 1)),
        on_select=picked,
        selection_mode="single-row",
        key=key,
        **options,
    )


def heading_with_download(title_markdown: str, frame: pd.DataFrame, file_name: str, *, key: str) -> None:
    """A heading line with a « Télécharger (CSV) » button for ``frame`` beside it."""
    head, download = st.columns([3, 1], vertical_alignment="bottom")
    head.markdown(title_markdown)
    download.download_button(
        "Télécharger (CSV)",
        to_csv(frame),
        file_name=file_name,
        mime="text/csv",
        key=key,
        disabled=frame.empty,
    )


def _pick(initiative_id: str) -> None:
    st.session_state["selected"] = initiative_id
    st.session_state["focus"] = initiative_id


def _picked_from_keyboard() -> None:
    ident = st.session_state.get(PICKER_KEY)
    if ident:
        _pick(ident)


def keyboard_picker(frame: pd.DataFrame) -> None:
    """The list's text alternative for the keyboard (RGAA 7.2): Tab, type a few letters, Enter."""
    labels = {
        ident: f"{name} — {place}"
        for ident, name, place in zip(frame.index, frame["Nom"], frame["Commune"], strict=True)
    }
    st.selectbox(
        "Ouvrir la fiche de… (clavier : tapez quelques lettres puis Entrée)",
        list(labels),
        index=None,
        format_func=labels.get,
        placeholder="Choisir une initiative de cette page de la liste",
        key=PICKER_KEY,
        on_change=_picked_from_keyboard,
    )


def show_table(catalog, kept: np.ndarray) -> None:
    """Draw one page of the list of kept initiatives."""
    count = len(kept)
    if count == 0:
        st.info("Aucune initiative ne correspond à ces filtres : retirez-en un ou réinitialisez-les.")
        return
    pages = max(1, math.ceil(count / PAGE_SIZE))
    page, start, stop = page_bounds(count, st.session_state.get(PAGE_KEY, 1))
    head, pager = st.columns([3, 1], vertical_alignment="bottom")
    shown = f"{wording.number(start + 1)} à {wording.number(stop)} sur {wording.initiatives(count)}"
    head.markdown(f"**Liste** — {shown}")
    if pages > 1:
        st.session_state[PAGE_KEY] = page
        pager.number_input(f"Page (sur {wording.number(pages)})", 1, pages, key=PAGE_KEY, step=1)
    frame = table_frame(catalog, kept[start:stop])
    selectable_table(frame, list(frame.index), key=TABLE_KEY, on_pick=_pick)
    keyboard_picker(frame)
