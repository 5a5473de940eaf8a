"""« À propos des données »: what the map shows, counted, and how to check it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import wording
from data import taxonomy
from data.catalog import Catalog


def coverage_tables(catalog: Catalog) -> dict[str, pd.DataFrame]:
    """Counts of the shown initiatives by nature, form and région (French labels),
    computed once per catalog (not on every rerun)."""
    return catalog.memo("coverage_tables", lambda: _coverage_tables(catalog))


def _coverage_tables(catalog: Catalog) -> dict[str, pd.DataFrame]:
    frame = catalog.frame

    def table(values: pd.Series, labels: dict[str, str] | None, title: str) -> pd.DataFrame:
        counts = values.value_counts()
        if labels is not None:
            counts = counts.reindex(list(labels), fill_value=0).rename(index=labels)
        return counts.rename_axis(title).reset_index(name="Initiatives")

    return {
        "Nature": table(frame["nature"], taxonomy.NATURES, "Nature"),
        "Forme": table(frame["forms"].explode().dropna(), taxonomy.FORMS, "Forme de partenariat"),
        "Région": table(frame["region"], None, "Région"),
    }


def show_about(catalog: Catalog) -> None:
    """An expander describing the data shown and its provenance."""
    with st.expander("À propos des données"):
        if catalog.synthetic:
            st.write("Données fictives générées par programme pour les bancs d'essai : aucune n'existe.")
        else:
            st.write(
                f"Référentiel de {wording.initiatives(len(catalog))} réelles, chacune tirée d'une page "
                "publique citée dans sa fiche (« Sources ») avec la date de lecture. Aucune n'est "
                "inventée ; un champ inconnu reste vide. Méthode et corrections : "
                "`data/referentiel/PROVENANCE.md`."
            )
        for column, (name, table) in zip(st.columns(3), coverage_tables(catalog).items(), strict=True):
            column.dataframe(table, hide_index=True, width="stretch", key=f"about_{name}")
