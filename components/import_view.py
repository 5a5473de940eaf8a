"""The import page's widgets: upload, progress bar, report (logic in data.importer)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import html, wording
from data.importer import import_file
from data.readers import MAX_FILE_BYTES, UnreadableFile
from geo.geocode import Geocoder


def show_import(geocoder: Geocoder, db_path) -> None:
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
            db_path=db_path,
            dry_run=dry_run,
            progress=lambda done, total: bar.progress(done / total, text=f"Géocodage : {done}/{total}"),
        )
    except UnreadableFile as error:
        bar.empty()
        st.error(f"Import refusé, rien n'a été enregistré : {html.markdown_text(error)}")
        return
    bar.progress(1.0, text="Terminé")
    (st.success if not report.rejected else st.warning)(report.summary())
    for note in report.notes:  # notes quote the file's column headers: escaped
        st.caption(html.markdown_text(note))
    if report.rejected:
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
    if report.counts is not None:
        st.info(f"{wording.initiatives(report.counts.added)} ajoutée(s) à la carte.")
