"""Par où commencer ? Three questions, then forms, examples, catalysts and a first step (layout only)."""

import streamlit as st

from components import datasets, guide_view
from data import guide

source, reference, catalog = datasets.page_data()

st.title("Par où commencer ?")
st.caption(
    "Trois questions pour savoir quelles formes d'alliance vous correspondent, qui agit déjà près de "
    "chez vous et quel catalyseur contacter."
)
profile, step = guide_view.profile_from_url(reference)
if step == 1:
    guide_view.step_who(profile)
elif step == 2:
    guide_view.step_where(profile, datasets.get_commune_search(source.cache_dir))
elif step == 3:
    guide_view.step_what(profile)
else:
    answer = guide.answer(catalog, reference, datasets.get_catalog_points(source), profile)
    guide_view.show_answer(catalog, reference, profile, answer)
    link = guide_view.permalink(st.context.url or "", profile)
    st.download_button(
        "Télécharger ma feuille de route (PDF)",
        data=lambda: guide_view.pdf(catalog, reference, profile, answer, link),
        file_name="feuille-de-route-alliances.pdf",
        mime="application/pdf",
    )
    st.markdown(f"[Lien permanent vers cette feuille de route]({link})")
    if st.button("Recommencer"):
        st.query_params.clear()
        st.rerun()
    guide_view.show_rule()
