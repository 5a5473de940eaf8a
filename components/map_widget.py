"""Streamlit glue of the map: draws it and turns a marker click into a selection."""

from __future__ import annotations

import numpy as np
import streamlit as st
from streamlit_folium import st_folium

from components import map_view, wording
from components.map_view import PointFiles
from components.settings import Settings
from data import query
from data.catalog import Catalog
from geo.reference import Reference

MAP_KEY = "carte"
MAP_HEIGHT = 620


@st.fragment(run_every=2.5)
def wait_for_map() -> None:
    """Fallback for a map that never reports: after 2.5 s, rerun the page anyway.

    Drawn only on a session's first run. The map's ready signal normally reruns the
    page first; then this fragment is no longer drawn and its timer stops.
    """
    if st.session_state.get("_waited_for_map"):
        st.rerun(scope="app")
    st.session_state["_waited_for_map"] = True


def _on_click(catalog: Catalog) -> None:
    value = st.session_state.get(MAP_KEY) or {}
    tooltip = value.get("last_object_clicked_tooltip")
    if map_view.is_ready_signal(tooltip):
        return  # the rerun this triggers is what the page waited for
    ident = map_view.clicked_id(tooltip)
    if ident and catalog.position(ident) is not None:
        st.session_state["selected"] = ident
        st.session_state["focus"] = ""  # the user is looking at it already: do not move the map


def draw_map(
    view: dict,
    reference: Reference,
    settings: Settings,
    *,
    key: str,
    height: int,
    returned: list[str],
    on_change=None,
    files: PointFiles | None = None,
    signal_ready: bool = False,
    legend_extra: list[list] | None = None,
) -> None:
    """Draw the offline base map with a view; the one place that calls ``st_folium``."""
    fmap = map_view.base_map(
        files,
        reference,
        tiles_url=settings.tiles_url,
        tiles_attribution=settings.tiles_attribution,
        signal_ready=signal_ready,
        legend_extra=legend_extra,
    )
    st_folium(
        fmap,
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=returned,
        feature_group_to_add=map_view.view_layer(view),
        on_change=on_change,
    )


def show_map(
    catalog: Catalog,
    reference: Reference,
    files: PointFiles,
    kept: np.ndarray,
    state: query.ViewState,
    settings: Settings,
) -> None:
    """Draw the map for the kept initiatives, the selection and the zoom target."""
    selected = catalog.position(state.selected) if state.selected else None
    focus_id = st.session_state.get("focus", "")
    focus_pos = catalog.position(focus_id) if focus_id else None
    focus = None
    if focus_pos is not None:
        row = catalog.frame.iloc[focus_pos]
        focus = [float(row["latitude"]), float(row["longitude"])]
    fit = reference.bounds(regions=state.regions, departements=state.departements)
    view_key = "|".join((",".join(state.regions), ",".join(state.departements), focus_id))
    view = map_view.explorer_view(
        kept,
        len(catalog),
        selected=selected,
        fit=fit,
        focus=focus,
        view_key=view_key,
        count_label=wording.count_label(len(kept), len(catalog)),
    )
    draw_map(
        view,
        reference,
        settings,
        key=MAP_KEY,
        height=MAP_HEIGHT,
        returned=["last_object_clicked_tooltip"],
        on_change=lambda: _on_click(catalog),
        files=files,
        signal_ready=True,
    )
