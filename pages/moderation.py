"""Modération: proposals queue, history, edits and archives (layout only; roles checked below too)."""

import streamlit as st

from components import auth, datasets, moderation_view

source = datasets.current_source()
repo = datasets.repository_or_none(source)
actor = auth.require_role(
    repo, "moderator", "Cette page est réservée à l'équipe de modération : connectez-vous."
)
st.title("Modération")
search = datasets.get_commune_search(source.cache_dir)
queue, history = st.tabs(["Propositions", "Historique et fiches"])
with queue:
    moderation_view.show_queue(repo, actor, search)
with history:
    moderation_view.show_history(repo, actor, datasets.get_catalog(source), search)
datasets.get_inventory(source).refresh()
