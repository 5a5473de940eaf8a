"""The commune search field shared by the forms (proposal, guided path, territory brief).

Type a few letters (accents and case ignored), then choose in the list of matches.
"""

from __future__ import annotations

import streamlit as st

from components import html
from geo.commune_search import CommuneSearch


def pick(search: CommuneSearch, label: str, key: str, default_code: str = "", *, text_key: str = "") -> str:
    """A commune search that suggests as one types; returns the chosen INSEE code or ""."""
    text = st.text_input(
        label,
        key=text_key or f"{key}_text",
        placeholder="Tapez un nom : st etienne, havre, eveque…",
        help="Sans tenir compte des accents ni des majuscules ; choisissez ensuite dans la liste.",
    )
    options = search.search(text) if text else []
    if default_code and default_code not in options:
        options = [default_code, *options]
    if not options:
        if text:
            st.warning(f"Aucune commune ne correspond à « {html.markdown_text(text)} ».")
        return ""
    return st.selectbox("Commune trouvée", options, key=key, format_func=search.label)
