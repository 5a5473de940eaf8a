"""The import page's widgets: upload, progress bar, report (logic in data.importer)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import html, wording
from data.db import StoreError
from data.importer import import_file
from data.readers import MAX_FILE_BYTES, UnreadableFile
from data.repository import Actor, Repository
from geo.geocode import Geocoder


def show_import(geocoder: Geocoder, repo: Repository, actor: Actor) -> None:
    """Upload a file, check it (optionally store it) and show what happened to every row."""
    upload = st.file_uploader(
        "Fichier d'initiatives (CSV, XLSX ou GeoJSON)",
        type=["csv", "tsv", "txt", "xlsx", "geojson", "json"],
        help=f"Au plus {MAX_FILE_BYTES // 1024 // 1024} Mo. Colonnes reconnues : nom, nature, forme de "
        "partenariat, thèmes, code INSEE, code postal, commune, département, adresse, latitude, longitude, "
        "sources…",
    )
    dry_run = st.checkbox("Vérifier seulement (ne rien enregistrer)", value=True)
    if upload is None or not st.button("Importer", type="primary"):
        return
    bar = st.progress(0.0, text="Géocodage…")
    try:
        report = import_file(
            upload.getvalue(),
            upload.name,
            geocoder=geocoder,
            repo=repo,
            actor=actor,
            dry_run=dry_run,
            progress=lambda done, total: bar.progress(done / total, text=f"Géocodage : {done}/{total}"),
        )
    except (UnreadableFile, StoreError) as error:
        bar.empty()
        st.error(f"Import refusé, rien n'a été enregistré : {html.markdown_text(error)}")
        return
    bar.progress(1.0, text="Terminé")
    (st.success if not report.rejected_count else st.warning)(report.summary())
    for note in report.notes:  # notes quote the file's column headers: escaped
        st.caption(html.markdown_text(note))
    if report.warnings:
        with st.expander(f"Avertissements du géocodeur ({len(report.warnings)})"):
            st.dataframe(pd.DataFrame({"Avertissement": report.warnings}), hide_index=True, width="stretch")
    if report.rejected_count:
        if report.rejected_count > len(report.rejected):
            st.caption(
                f"{len(report.rejected)} premiers rejets affichés sur {report.rejected_count} ; "
                "le fichier ci-dessous les contient tous."
            )
        st.dataframe(
            pd.DataFrame(
                [
                    {"Ligne": r.line, "Champ": r.field, "Valeur": r.value, "Message": r.message}
                    for r in report.rejected
                ]
            ),
            hide_index=True,
            width="stretch",
        )
        st.download_button(
            "Télécharger les lignes rejetées (CSV)",
            report.rejected_csv(),
            file_name=f"rejets-{upload.name}.csv",
            mime="text/csv",
        )
    if report.outcome is not None:
        st.info(f"{wording.initiatives(report.outcome.added)} ajoutée(s) à la carte.")
