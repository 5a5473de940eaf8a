"""Fiche territoire: a commune, EPCI, département or région summed up, and its PDF (layout only)."""

import streamlit as st

from components import brief_view, datasets

source, reference, catalog = datasets.page_data()

st.title("Fiche territoire")
st.caption(
    "Ce que le référentiel compte dans un territoire, rapporté à sa population et comparé à la France "
    "et aux territoires de même nature et de population proche ; à imprimer pour une réunion."
)
level, code = brief_view.from_url(reference)
level, code = brief_view.picker(reference, datasets.get_commune_search(source.cache_dir), level, code)
if code:
    figures = datasets.get_brief(source, level, code)
    png = datasets.get_brief_map(source, level, code)
    st.download_button(
        "Télécharger la fiche territoire (PDF)",
        data=lambda: brief_view.pdf(catalog, figures, png),
        file_name=f"fiche-territoire-{level}-{code}.pdf",
        mime="application/pdf",
    )
    brief_view.show(catalog, figures, png)
