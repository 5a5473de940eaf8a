"""Importer: load a spreadsheet of initiatives into the map (layout only)."""

import streamlit as st

from components import datasets, import_view
from components.settings import from_env

settings = from_env()
if not settings.admin:  # not listed in the navigation either; checked here all the same
    st.error("L'import n'est pas activé sur cette instance (ALLIANCES_ADMIN=1).")
    st.stop()
st.title("Importer des initiatives")
st.caption(
    "Chaque ligne est rattachée à sa commune par le géocodeur hors ligne, puis vérifiée ; les lignes "
    "valides sont enregistrées ensemble, les autres reviennent dans le rapport avec leur numéro et la "
    "raison du refus. Réimporter le même fichier ne crée pas de doublon."
)
import_view.show_import(datasets.get_geocoder(str(settings.cache_dir)), settings.db_path)
