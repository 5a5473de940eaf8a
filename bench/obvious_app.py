"""Benchmark baseline: the obvious streamlit-folium pattern, for comparison only.

One ``folium.Marker`` with popup and tooltip per initiative inside a
``MarkerCluster``, rebuilt on every rerun. Leaflet and markercluster are served
locally (the CDN defaults would leave the map blank offline), so that the
comparison measures the pattern, not the network. Run by bench/run.py with
PYTHONPATH set to the project root.
"""

import folium
import streamlit as st
from folium.plugins import MarkerCluster
from streamlit_folium import st_folium

from components import html, wording
from components.datasets import DataSource, get_catalog
from components.settings import from_env
from data import query, taxonomy

VENDOR = "/app/static/vendor"
catalog = get_catalog(DataSource.from_settings(from_env()))
forms = st.sidebar.multiselect("Forme de partenariat", list(taxonomy.FORMS), format_func=taxonomy.FORMS.get)
kept = query.apply(catalog, query.ViewState(forms=tuple(forms)))
st.markdown(f"### {wording.count_label(len(kept), len(catalog))}")

fmap = folium.Map(location=[46.6, 2.4], zoom_start=6, tiles=None, maxZoom=18)
fmap.default_js = [("jquery", f"{VENDOR}/jquery/jquery.min.js"), ("leaflet", f"{VENDOR}/leaflet/leaflet.js")]
fmap.default_css = [("leaflet_css", f"{VENDOR}/leaflet/leaflet.css")]
cluster = MarkerCluster()
cluster.default_js = [("markercluster", f"{VENDOR}/markercluster/leaflet.markercluster.js")]
cluster.default_css = [
    ("markercluster_css", f"{VENDOR}/markercluster/MarkerCluster.css"),
    ("markercluster_default_css", f"{VENDOR}/markercluster/MarkerCluster.Default.css"),
]
cluster.add_to(fmap)
for row in catalog.frame.iloc[kept].itertuples():
    folium.Marker(
        [row.latitude, row.longitude],
        popup=folium.Popup(html.escape(row.name)),
        tooltip=html.escape(row.name),
    ).add_to(cluster)
st_folium(fmap, height=620, use_container_width=True)
