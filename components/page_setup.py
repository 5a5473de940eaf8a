"""What every page shares in the browser: French language, a distinct title, readable contrast.

Streamlit writes ``lang="en"`` and one title for every page, greys its captions below the
4.5:1 contrast ratio, and titles the map frame « streamlit_folium.st_folium ». This module
fixes what the app can: one small script (our own text, no user data) and one style sheet.
"""

from __future__ import annotations

import streamlit as st

APP_TITLE = "Carte des alliances"
MAP_FRAME_TITLE = "Carte interactive des alliances"

_STYLE = """<style>
[data-testid="stCaptionContainer"] { opacity: 1; color: #5a5958; }
[data-testid="stCaptionContainer"] p, [data-testid="stMarkdownContainer"] small { color: #5a5958; }
[data-testid="stMarkdownContainer"] code { color: #1d5446; }
</style>"""

_SCRIPT = f"""<script>
(function () {{
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  doc.documentElement.lang = "fr";
  const retitle = () => doc.querySelectorAll('iframe[title="streamlit_folium.st_folium"]')
    .forEach((frame) => frame.setAttribute("title", "{MAP_FRAME_TITLE}"));
  retitle();
  if (!window.__alliancesRetitle) {{
    window.__alliancesRetitle = new MutationObserver(retitle);
    window.__alliancesRetitle.observe(doc.body, {{ childList: true, subtree: true }});
  }}
}})();
</script>"""


def title(page_title: str) -> str:
    """The browser tab's title of a page: « À proximité — Carte des alliances »."""
    return APP_TITLE if page_title in ("", "Carte") else f"{page_title} — {APP_TITLE}"


def apply(page_title: str) -> None:
    """Set the page's title, French language, map frame title and contrast (call once per run)."""
    st.set_page_config(page_title=title(page_title), page_icon="🤝", layout="wide")
    st.html(_STYLE)
    st.html(_SCRIPT, unsafe_allow_javascript=True)
