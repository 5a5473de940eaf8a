"""Connexion of moderators and administrators (accounts are created from the command line)."""

import streamlit as st

from components import auth, datasets, html

source = datasets.current_source()
st.title("Connexion")
repo = datasets.repository_or_none(source)
if repo is None:
    st.error("La base de données ne répond pas pour l'instant : réessayez dans un moment.")
    st.stop()
actor = auth.current_actor(repo)
if actor is not None:
    st.success(f"Vous êtes connecté·e en tant que {html.markdown_text(actor.username)}.")
    st.page_link("pages/moderation.py", label="Aller à la modération")
else:
    st.caption(
        "Réservé à l'équipe de modération. Les comptes sont créés par un administrateur "
        "(`python -m data.accounts creer NOM`). Après 5 essais manqués, un compte est verrouillé 15 minutes."
    )
    auth.login_form(repo)
