"""Explorateur: the filterable map of alliances with its detail panel and list (layout only).

The map is drawn first; the filters (whose values already sit in the session state)
and the list follow as soon as the map reports its first markers.
"""

import streamlit as st

from components import (
    about,
    datasets,
    detail,
    embed,
    export_view,
    filters,
    map_data,
    map_widget,
    phone,
    table,
    wording,
)
from components.settings import from_env
from data import query
from data.demo import DEMO_BANNER

settings = from_env()
source, reference, catalog = datasets.page_data(settings)

filters.init_from_url(filters.url_state(reference))
filters.clear_stale_choices(reference)
state = filters.current_state()
kept = datasets.filtered(source, state.filters)
view_params = query.to_query_params(state)
st.query_params.from_dict({**view_params, **embed.url_params()})
embedded = embed.active()

if catalog.synthetic:
    st.warning(
        f"**{DEMO_BANNER}** : {wording.initiatives(len(catalog))} générées par programme, "
        "qui n'existent pas.",
        icon="⚠️",
    )
if embedded:  # another site shows this view: filters locked, no sidebar, a way back to the full map
    embed.lock()
    heading, back = st.columns([3, 2], vertical_alignment="bottom")
    heading.markdown(f"#### Carte des alliances — {wording.count_label(len(kept), len(catalog))}")
    with back:
        embed.full_map_link(view_params)
else:
    st.title("Carte des alliances")
    heading, download = st.columns([3, 1], vertical_alignment="bottom")
    heading.markdown(f"### {wording.count_label(len(kept), len(catalog))}")
    with download:
        export_view.show_downloads(catalog, kept, state.filters, reference)
    phone.filters_button()
phone.view_switch()
col_map, col_detail = st.columns([3, 2], gap="medium")
with col_map, st.container(key="zone_carte"):
    map_widget.show_map(catalog, reference, map_data.publish(source), kept, state, settings)
with col_detail:
    detail.show_detail(catalog, state.selected)
# The map comes first: on a session's first run, the filters and the list (about 0.4 s
# of rendering) wait for the rerun that the map triggers once its markers are shown
# (or, failing that, the one wait_for_map triggers after 2.5 s).
if filters.first_run():
    if not embedded:
        filters.sidebar_placeholder()
    st.caption("La liste des initiatives s'affiche dès que la carte est prête…")
    map_widget.wait_for_map()
else:
    if not embedded:
        filters.sidebar(reference, datasets.counts(source, state.filters))
    with st.container(key="zone_liste"):
        table.show_table(catalog, kept)
    if not embedded:
        embed.show_panel(view_params)
        about.show_about(catalog)
