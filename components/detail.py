"""The detail panel of the selected initiative."""

from __future__ import annotations

import streamlit as st

from components import html
from data.catalog import Catalog


def _close() -> None:
    st.session_state["selected"] = ""
    st.session_state["focus"] = ""


def show_detail(catalog: Catalog, selected_id: str) -> None:
    """Show every field of the selected initiative, or a hint when none is selected."""
    position = catalog.position(selected_id) if selected_id else None
    if position is None:
        if selected_id:
            st.warning(f"Aucune initiative n'a l'identifiant « {selected_id} ».")
        st.info(
            "Cliquez sur un point de la carte ou sur une ligne de la liste "
            "pour voir le détail d'une initiative."
        )
        return
    item = catalog.frame.iloc[position].to_dict()
    st.html(html.PANEL_CSS + html.detail_panel(item, synthetic=catalog.synthetic))
    st.button("Fermer la fiche", on_click=_close, key="close_detail")
