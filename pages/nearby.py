"""À proximité: peers around a commune, an initiative or a clicked point (layout only)."""

import streamlit as st

from components import datasets, detail, nearby_view
from components.settings import from_env

settings = from_env()
source, reference, catalog = datasets.page_data(settings)
points = datasets.get_catalog_points(source)
search = datasets.get_commune_search(source.cache_dir)

st.title("À proximité")
st.caption(
    "Trouvez avec qui faire alliance autour d'une commune, d'une initiative ou d'un point cliqué "
    "sur la carte : les initiatives du rayon choisi, classées par distance et affinités, et le "
    "catalyseur le plus proche."
)
nearby_view.init_from_url(reference, search)
nearby_view.controls(search)
state = nearby_view.current_state()
origin = nearby_view.resolve_origin(state, reference, catalog)
ranked = datasets.ranked_peers(source, origin, state) if origin else None
nearby_view.write_url(state)

col_map, col_side = st.columns([3, 2], gap="medium")
with col_map:
    nearby_view.show_map(
        catalog,
        reference,
        origin,
        state,
        ranked if ranked is not None else nearby_view.empty_ranking(),
        settings,
    )
with col_side:
    if origin is None:
        st.info("Choisissez une commune ci-dessus, ou cliquez sur la carte pour partir d'un point.")
    else:
        if state.selected:
            detail.show_detail(catalog, state.selected, state_key="n_selected")
        nearby_view.show_catalysts(catalog, points, origin)
if origin is not None:
    nearby_view.show_list(catalog, origin, ranked, state)
