"""Proposer une initiative, or signal a correction of one (layout only)."""

import streamlit as st

from components import datasets, html, proposal_form
from components.settings import from_env

settings = from_env()
source = datasets.DataSource.from_settings(settings)
inventory = datasets.get_inventory(source)
target_id = st.query_params.get("corriger", "")
st.title("Signaler une correction" if target_id else "Proposer une initiative")
st.caption(
    "Faites connaître une alliance d'intérêt général ou corrigez une fiche. Chaque proposition est relue "
    "par l'équipe de modération avant d'apparaître sur la carte. Les champs marqués * sont obligatoires."
)
proposal_form.show_confirmation()
read_only = inventory.current().read_only
if read_only:
    st.error("La base de données ne répond pas : les propositions sont refusées pour l'instant.")
repo = None if read_only else datasets.repository_or_none(source)
target = repo.get(target_id) if repo and target_id else None
if target_id and target is None and repo:
    st.warning("Cette initiative n'existe pas : vous pouvez en proposer une nouvelle.")
if target is not None:
    st.markdown(f"Fiche concernée : **{html.markdown_text(target.item.name)}**")
if repo is not None:
    proposal_form.show_form(
        repo, datasets.get_commune_search(source.cache_dir), target=target, read_only=False
    )
