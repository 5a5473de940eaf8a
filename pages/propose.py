"""Proposer une initiative, or signal a correction of one (layout only)."""

import streamlit as st

from components import datasets, html, proposal_form

source = datasets.current_source()
inventory = datasets.get_inventory(source)
target_id = st.query_params.get("corriger", "")
st.title("Signaler une correction" if target_id else "Proposer une initiative")
st.caption(
    "Faites connaître une alliance d'intérêt général ou corrigez une fiche. Chaque proposition est relue "
    "par l'équipe de modération avant d'apparaître sur la carte. Les champs marqués * sont obligatoires."
)
proposal_form.show_confirmation()
repo = datasets.repository_or_none(source)
down = repo is None or inventory.current().read_only
if down:  # the form stays: what is typed is kept, and sending says plainly if it failed
    st.error(
        "La base de données ne répond pas : une proposition envoyée maintenant sera refusée, avec un "
        "message, et votre saisie restera dans le formulaire pour la renvoyer dès son retour."
    )
target = None
if target_id and not down:
    target = repo.get(target_id)
    if target is None:
        st.warning("Cette initiative n'existe pas : vous pouvez en proposer une nouvelle.")
if target is not None:
    st.markdown(f"Fiche concernée : **{html.markdown_text(target.item.name)}**")
if not (target_id and down):  # a correction needs the fiche, read from the database
    proposal_form.show_form(
        lambda: datasets.repository_or_none(source),
        datasets.get_commune_search(source.cache_dir),
        target=target,
        read_only=False,
    )
