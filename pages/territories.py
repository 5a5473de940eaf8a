"""Territoires: alliances per territory, per inhabitant, and where catalysts are missing (layout only)."""

import streamlit as st

from components import datasets, filters, territories_view, wording
from components.settings import from_env
from data import query

settings = from_env()
source, reference, catalog = datasets.page_data(settings)

filters.init_from_url(filters.url_state(reference))
filters.clear_stale_choices(reference)
state = filters.current_state()
filters.sidebar(reference, datasets.counts(source, state.filters))
kept = datasets.filtered(source, state.filters)

st.title("Territoires")
st.caption(
    "Où sont les alliances, rapportées à la population, et quels territoires sont loin de tout "
    "catalyseur (« zones blanches »). Tous les filtres s'appliquent aux nombres d'initiatives ; "
    "Région et Département limitent aussi les territoires affichés, le tableau et la carte. Les "
    "zones blanches se mesurent toujours par rapport à tous les catalyseurs de la carte."
)
territories_view.init_from_url()
level, measure, threshold = territories_view.controls()
territories_view.write_url(level, measure, threshold, query.to_query_params(state.filters))
if measure == "far":
    territories_view.coverage_caveat(catalog)
table, values, title, percent = territories_view.measure_table(
    catalog,
    kept,
    reference,
    level,
    measure,
    datasets.get_catalyst_distances(source),
    threshold,
    places=(state.filters.regions, state.filters.departements),
)
territories_view.show_map(
    table,
    values,
    title,
    percent,
    level,
    measure,
    threshold,
    reference,
    settings,
    wording.count_label(len(kept), len(catalog)),
    fit=reference.bounds(regions=state.filters.regions, departements=state.filters.departements),
)
territories_view.brief_link(table, level)
territories_view.show_figures(territories_view.region_figures(table, measure, threshold), level)
st.subheader("Formes, natures et thèmes par région")
territories_view.charts(catalog, kept)
