"""The detail panel of the selected initiative, with its neighbours and look-alikes."""

from __future__ import annotations

import streamlit as st

from components import html
from data import nearby
from data.catalog import Catalog

NEARBY_PAGE = "pages/nearby.py"
BRIEF_PAGE = "pages/brief.py"
PROPOSE_PAGE = "pages/propose.py"


def _select(state_key: str, initiative_id: str, *, focus: bool) -> None:
    st.session_state[state_key] = initiative_id
    if focus:
        st.session_state["focus"] = initiative_id


def _territory_links(item: dict) -> None:
    """Links to the briefs of the initiative's commune, EPCI (when attached to one),
    département and région."""
    links = []
    if item.get("commune_code"):
        links.append(("commune", item["commune_code"], item["commune"]))
    if item.get("territory_level") == "epci":
        links.append(("epci", item["territory_code"], item["territory_name"]))
    for level, code, name in (("departement", "dep_code", "departement"), ("region", "reg_code", "region")):
        if isinstance(item.get(code), str) and item[code]:
            links.append((level, item[code], item[name]))
    if links:
        st.markdown("**Fiches territoire**")
        for column, (level, code, name) in zip(st.columns(len(links)), links, strict=True):
            column.page_link(BRIEF_PAGE, label=str(name), query_params={"niveau": level, "code": code})


def show_detail(catalog: Catalog, selected_id: str, *, state_key: str = "selected") -> None:
    """Show every field of the selected initiative, or a hint when none is selected.

    Parameters
    ----------
    catalog
        The initiatives shown.
    selected_id
        The selected initiative's id ("" for none).
    state_key
        Session-state key holding the selection on this page (cleared by « Fermer »).
    """
    explorer = state_key == "selected"
    position = catalog.position(selected_id) if selected_id else None
    if position is None:
        if selected_id:
            st.warning(f"Aucune initiative n'a l'identifiant « {html.markdown_text(selected_id)} ».")
        if explorer:
            st.info(
                "Cliquez sur un point de la carte ou sur une ligne de la liste "
                "pour voir le détail d'une initiative."
            )
        return
    item = catalog.frame.iloc[position].to_dict()
    st.html(html.PANEL_CSS + html.detail_panel(item, synthetic=catalog.synthetic))
    left, middle, right = st.columns(3)
    left.page_link(
        NEARBY_PAGE,
        label="Voir à proximité",
        query_params={"initiative": item["id"]},
    )
    if not catalog.synthetic:
        middle.page_link(
            PROPOSE_PAGE,
            label="Signaler une correction",
            query_params={"corriger": item["id"]},
        )
    right.button(
        "Fermer la fiche",
        on_click=_select,
        args=(state_key, ""),
        kwargs={"focus": explorer},
        key=f"close_{state_key}",
    )
    _territory_links(item)
    alike = nearby.similar(catalog, position, k=5)
    if alike:
        st.markdown("**Initiatives similaires ailleurs** (mêmes formes et thèmes, autres départements)")
        frame = catalog.frame
        for other in alike:
            # Button labels render Markdown: data text is escaped.
            label = html.markdown_text(f"{frame['name'].iat[other]} — {frame['place'].iat[other]}")
            st.button(
                label,
                key=f"similar_{state_key}_{other}",
                on_click=_select,
                args=(state_key, frame["id"].iat[other]),
                kwargs={"focus": explorer},
                type="tertiary",
            )
