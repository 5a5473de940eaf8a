"""What makes the explorer usable with a thumb on a 390 px phone.

Streamlit cannot tell the server how wide the screen is, so everything here is decided in
the browser with CSS media queries (below :data:`NARROW` pixels) and one small script of
our own: a labelled « Filtres » button that opens the sidebar, the sidebar closing after a
choice, and a Carte / Liste switch. On a wide screen none of it shows and both are drawn.
"""

from __future__ import annotations

import streamlit as st

NARROW = 640
SWITCH_KEY = "vue_telephone"
_CLOSE = "_close_filters"

_FILTERS_BUTTON = (
    f"""
<style>
.alliances-filtres {{ display: none; }}
@media (max-width: {NARROW}px) {{
  .alliances-filtres {{ display: inline-flex; align-items: center; gap: 0.4rem; font: inherit;
    padding: 0.45rem 0.9rem; border: 1px solid #1f6fb2; border-radius: 0.5rem; background: #1f6fb2;
    color: #ffffff; font-weight: 600; min-height: 44px; }}
}}
@media (min-width: {NARROW + 1}px) {{ .st-key-{SWITCH_KEY} {{ display: none; }} }}
</style>
<button type="button" class="alliances-filtres" aria-label="Ouvrir les filtres">☰ Filtres</button>
"""
    + """<script>
(function () {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const wire = () => doc.querySelectorAll(".alliances-filtres").forEach((button) => {
    button.onclick = () => {
      const open = doc.querySelector('[data-testid="stExpandSidebarButton"]');
      if (open) open.click();
    };
  });
  wire();
  setTimeout(wire, 300);
})();
</script>
"""
)

_CLOSE_SCRIPT = f"""<script>
(function () {{
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const view = doc.defaultView || window;
  if (view.innerWidth > {NARROW}) return;
  const button = doc.querySelector('[data-testid="stSidebarCollapseButton"] button')
    || doc.querySelector('[data-testid="stSidebarCollapseButton"]');
  if (button) button.click();
}})();
</script>"""


def filters_changed() -> None:
    """On a phone, close the filters once a choice is made (widget callback)."""
    st.session_state[_CLOSE] = True


def filters_button() -> None:
    """A labelled « Filtres » button, on narrow screens only (the sidebar icon alone is not enough)."""
    st.html(_FILTERS_BUTTON, unsafe_allow_javascript=True)
    # Always one element in this slot: the map below keeps its place in the page, so a filter
    # change never re-creates (reloads) its frame.
    close = st.session_state.pop(_CLOSE, False)
    st.html(_CLOSE_SCRIPT if close else "<span hidden></span>", unsafe_allow_javascript=True)


def view_switch() -> str:
    """« Carte » or « Liste » on a phone; hides the other with a media query (both show when wide)."""
    choice = (
        st.segmented_control(
            "Afficher", ["Carte", "Liste"], default="Carte", key=SWITCH_KEY, label_visibility="collapsed"
        )
        or "Carte"
    )
    hidden = "zone_liste" if choice == "Carte" else "zone_carte"
    st.html(f"<style>@media (max-width: {NARROW}px) {{ .st-key-{hidden} {{ display: none; }} }}</style>")
    return choice
