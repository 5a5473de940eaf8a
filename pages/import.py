"""Importer: load a spreadsheet of initiatives into the inventory (layout only; administrators)."""

import streamlit as st

from components import auth, datasets, import_view
from components.settings import from_env

settings = from_env()
source = datasets.DataSource.from_settings(settings)
repo = datasets.repository_or_none(source)
actor = auth.require_role(repo, "admin", "L'import est réservé aux administrateurs : connectez-vous.")
st.title("Importer des initiatives")
st.caption(
    "Chaque ligne est rattachée à sa commune par le géocodeur hors ligne, puis vérifiée ; les lignes "
    "valides sont enregistrées ensemble, les autres reviennent dans le rapport avec leur numéro et la "
    "raison du refus. Réimporter le même fichier ne crée pas de doublon ; un import ne remplace jamais "
    "une fiche du référentiel ou validée par la modération."
)
import_view.show_import(datasets.get_geocoder(str(settings.cache_dir)), repo, actor)
datasets.get_inventory(source).refresh()
