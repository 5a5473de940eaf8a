"""Embedding the map in another site: a locked view and its « Intégrer cette carte » snippet.

An embed is the permalink plus ``integrer=1``: the same filters, locked (no sidebar, no
navigation, no filter widgets), Streamlit's own chrome hidden (``embed=true``), and a link
« Voir la carte complète » that opens the full map on the same view.
"""

from __future__ import annotations

import html as _html
from urllib.parse import urlencode

import streamlit as st

from data.query import param

PARAM = "integrer"
_HIDE = """<style>
[data-testid="stSidebar"], [data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stSidebarNav"], header[data-testid="stHeader"], .alliances-filtres { display: none !important; }
.block-container, [data-testid="stMainBlockContainer"] { padding: 0.5rem 0.75rem !important; }
</style>"""


def active() -> bool:
    """Whether this page is shown embedded in another site."""
    return param(st.query_params.to_dict(), PARAM) == "1"


def url_params() -> dict[str, str]:
    """The parameter that keeps an embed embedded when the page rewrites its URL (Streamlit keeps
    its own ``embed=true`` by itself and refuses to have it set)."""
    return {PARAM: "1"} if active() else {}


def lock() -> None:
    """Hide everything but the map, its detail and list (call once, early, in embed mode)."""
    st.html(_HIDE)


def _base_url() -> str:
    return (st.context.url or "").rstrip("/") or "http://localhost:8501"


def full_map_link(view_params: dict[str, str]) -> None:
    """« Voir la carte complète », on the same view, in a new tab."""
    query = urlencode(view_params)
    st.link_button("Voir la carte complète ↗", f"{_base_url()}/{'?' + query if query else ''}")


def snippet(base_url: str, view_params: dict[str, str], *, height: int = 720) -> str:
    """The ``<iframe>`` another site pastes to show this view.

    >>> code = snippet("https://carte.example.org", {"region": "53"})
    >>> code.startswith('<iframe src="https://carte.example.org/?region=53&amp;integrer=1&amp;embed=true"')
    True
    """
    src = f"{base_url}/?{urlencode({**view_params, PARAM: '1', 'embed': 'true'})}"
    return (
        f'<iframe src="{_html.escape(src)}" title="Carte des alliances" width="100%" height="{height}" '
        'style="border:0; max-width:100%;" loading="lazy"></iframe>'
    )


def show_panel(view_params: dict[str, str]) -> None:
    """« Intégrer cette carte »: the snippet of the current view, and a preview on demand."""
    with st.expander("Intégrer cette carte sur un autre site"):
        code = snippet(_base_url(), view_params)
        st.caption(
            "Copiez ce code dans votre page : la carte garde les filtres choisis ici, sans barre "
            "latérale, avec un lien vers la carte complète. Elle s'adapte dès 320 pixels de large."
        )
        st.code(code, language="html")
        if st.toggle("Aperçu", key="embed_preview"):
            st.iframe(code.split('src="')[1].split('"')[0].replace("&amp;", "&"), height=520)
