"""The « À proximité » page's controls and results.

The search starts from a commune (typed, accents optional), an initiative
(« voir à proximité » in its detail panel) or a point clicked on the map. The
state lives in the URL; arriving with new URL parameters (a shared link, or the
link from a detail panel) restarts the search from them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from components import html, map_view, wording
from components.map_widget import draw_map
from components.settings import Settings
from components.table import heading_with_download, selectable_table
from data import nearby, taxonomy
from data.catalog import Catalog
from data.nearby import NearbyState, Origin
from geo.commune_search import CommuneSearch
from geo.distance import PlanarPoints
from geo.reference import Reference

MAP_KEY = "carte_proximite"
TABLE_KEY = "liste_proximite"
MAX_SHOWN = 300  # results drawn on the map
MAX_LISTED = 1000  # results listed under it (the CSV has them all)
_K = {  # session-state keys of this page
    "text": "n_text",
    "commune": "n_commune",
    "kind": "n_kind",
    "initiative": "n_initiative",
    "lat": "n_lat",
    "lng": "n_lng",
    "radius": "n_radius",
    "natures": "n_natures",
    "forms": "n_forms",
    "themes": "n_themes",
    "sort": "n_sort",
    "selected": "n_selected",
}
ORIGIN_COLOR = "#d62728"  # the starting point's marker (see alliances-map.js)
_SORT_LABELS = {"score": "Pertinence (distance et affinités)", "distance": "Distance seule"}


def init_from_url(reference: Reference, search: CommuneSearch) -> None:
    """Take the URL's search when it is not the one this page last wrote."""
    params = st.query_params.to_dict()
    if params and params == st.session_state.get("_n_written"):
        return
    if not params and st.session_state.get("_n_written") is not None:
        return
    state = nearby.nearby_from_params(params, communes=set(reference.communes.index))
    for notice in state.notices:
        st.warning(html.markdown_text(notice), icon="⚠️")
    kind = "initiative" if state.initiative else "commune" if state.commune else "point" if state.lat else ""
    st.session_state.update(
        {
            _K["kind"]: kind,
            _K["initiative"]: state.initiative,
            _K["commune"]: state.commune or None,
            _K["text"]: reference.communes.at[state.commune, "name"] if state.commune else "",
            _K["lat"]: state.lat,
            _K["lng"]: state.lng,
            _K["radius"]: state.radius,
            _K["natures"]: list(state.natures),
            _K["forms"]: list(state.forms),
            _K["themes"]: list(state.themes),
            _K["sort"]: state.sort,
            _K["selected"]: state.selected,
        }
    )
    st.session_state["_n_written"] = params


def current_state() -> NearbyState:
    """The search described by the widgets."""
    kind = st.session_state.get(_K["kind"], "")
    return NearbyState(
        commune=(st.session_state.get(_K["commune"]) or "") if kind == "commune" else "",
        initiative=st.session_state.get(_K["initiative"], "") if kind == "initiative" else "",
        lat=st.session_state.get(_K["lat"]) if kind == "point" else None,
        lng=st.session_state.get(_K["lng"]) if kind == "point" else None,
        radius=int(st.session_state.get(_K["radius"], 30)),
        natures=tuple(st.session_state.get(_K["natures"], ())),
        forms=tuple(st.session_state.get(_K["forms"], ())),
        themes=tuple(st.session_state.get(_K["themes"], ())),
        sort=st.session_state.get(_K["sort"], "score"),
        selected=st.session_state.get(_K["selected"], ""),
    )


def write_url(state: NearbyState) -> None:
    params = nearby.nearby_params(state)
    st.query_params.from_dict(params)
    st.session_state["_n_written"] = params


def _choose_commune() -> None:
    st.session_state[_K["kind"]] = "commune"
    st.session_state[_K["selected"]] = ""


def _typed_commune(search: CommuneSearch) -> None:
    """A name was typed: start from its best match (the list below offers the others)."""
    matches = search.search(st.session_state.get(_K["text"], ""))
    if matches and st.session_state.get(_K["commune"]) not in matches:
        st.session_state[_K["commune"]] = matches[0]
    _choose_commune()


def controls(search: CommuneSearch) -> None:
    """Origin, radius, sort (main area) and filters (sidebar)."""
    left, middle, right = st.columns([2, 2, 1.4], vertical_alignment="bottom")
    with left:
        text = st.text_input(
            "Commune de départ",
            key=_K["text"],
            placeholder="Tapez un nom : st etienne, havre, eveque…",
            on_change=_typed_commune,
            args=(search,),
            help="Sans tenir compte des accents ni des majuscules. Vous pouvez aussi cliquer sur la carte.",
        )
        options = search.search(text) if text else []
        chosen = st.session_state.get(_K["commune"])
        if chosen and chosen not in options:
            options = [chosen, *options]
        if options:
            st.selectbox(
                "Commune trouvée",
                options,
                key=_K["commune"],
                format_func=search.label,
                on_change=_choose_commune,
            )
        elif text:
            st.warning(f"Aucune commune ne correspond à « {html.markdown_text(text)} ».")
    with middle:
        st.slider("Rayon (km)", nearby.MIN_RADIUS_KM, nearby.MAX_RADIUS_KM, key=_K["radius"], step=5)
    with right:
        st.radio("Classer par", list(_SORT_LABELS), key=_K["sort"], format_func=_SORT_LABELS.get)
    with st.sidebar:
        st.header("Affiner")
        for label, vocab, key, everything in (
            ("Nature", taxonomy.NATURES, "natures", "Toutes"),
            ("Forme de partenariat", taxonomy.FORMS, "forms", "Toutes"),
            ("Thème / fragilité", taxonomy.THEMES, "themes", "Tous"),
        ):
            st.multiselect(
                label,
                list(vocab),
                key=_K[key],
                format_func=vocab.get,
                placeholder=everything,
                select_all=False,
            )
        st.caption(
            "Classement par pertinence : moitié proximité (1 au centre, 0 au bord du cercle), "
            "moitié affinité (même EPCI 30 %, même département 10 %, formes communes 35 %, "
            "thèmes communs 25 %)."
        )


def resolve_origin(state: NearbyState, reference: Reference, catalog: Catalog) -> Origin | None:
    """The search's origin, or None when none is chosen (or it is unknown)."""
    if state.initiative:
        origin = nearby.origin_from_initiative(catalog, state.initiative)
        if origin is None:
            st.warning(f"Aucune initiative n'a l'identifiant « {html.markdown_text(state.initiative)} ».")
        return origin
    if state.commune:
        return nearby.origin_from_commune(reference, state.commune)
    if state.lat is not None and state.lng is not None:
        origin = nearby.origin_from_point(reference, state.lat, state.lng)
        if origin is None:
            st.warning("Ce point est hors de France : cliquez sur le territoire.")
        return origin
    return None


def empty_ranking() -> pd.DataFrame:
    """A ranking with no result (before an origin is chosen)."""
    return pd.DataFrame(columns=["position", "distance_km", "score", "reasons"])


def results_frame(catalog: Catalog, ranked: pd.DataFrame) -> pd.DataFrame:
    """The ranked list with French column names (for display and CSV)."""
    rows = catalog.frame.iloc[ranked["position"].to_numpy()]
    return pd.DataFrame(
        {
            "Rang": np.arange(1, len(ranked) + 1),
            "Nom": rows["name"].to_numpy(),
            "Distance": [wording.km(km) for km in ranked["distance_km"]],  # « 4,2 km », as read in French
            "Pourquoi": ["; ".join(r) for r in ranked["reasons"]],
            "Nature": rows["nature"].map(taxonomy.NATURES).to_numpy(),
            "Formes de partenariat": [", ".join(taxonomy.labels(taxonomy.FORMS, f)) for f in rows["forms"]],
            "Commune": rows["place"].to_numpy(),
            "Département": rows["departement"].to_numpy(),
            "Identifiant": rows["id"].to_numpy(),
        }
    )


def _on_map(catalog: Catalog) -> None:
    value = st.session_state.get(MAP_KEY) or {}
    ident = map_view.clicked_id(value.get("last_object_clicked_tooltip"))
    clicked = value.get("last_clicked")
    marker = (ident, value.get("last_object_clicked_tooltip"))
    if ident and catalog.position(ident) is not None and marker != st.session_state.get("_n_last_marker"):
        st.session_state["_n_last_marker"] = marker
        st.session_state[_K["selected"]] = ident
        return
    if clicked and clicked != st.session_state.get("_n_last_click"):
        st.session_state["_n_last_click"] = clicked
        st.session_state.update(
            {
                _K["kind"]: "point",
                _K["lat"]: round(clicked["lat"], 5),
                _K["lng"]: round(clicked["lng"], 5),
                _K["selected"]: "",
            }
        )


def show_map(
    catalog: Catalog,
    reference: Reference,
    origin: Origin | None,
    state: NearbyState,
    ranked: pd.DataFrame,
    settings: Settings,
) -> None:
    """The map: the circle and the results, or France to click on."""
    shown = ranked.head(MAX_SHOWN)
    frame = catalog.frame
    selected_at = None
    position = catalog.position(state.selected) if state.selected else None
    if position is not None:
        selected_at = [float(frame["latitude"].iat[position]), float(frame["longitude"].iat[position])]
    if origin is None:
        view = {"selected": -1, "fit": reference.bounds(), "viewKey": "none", "countLabel": ""}
    else:
        rows = frame.iloc[shown["position"].to_numpy()]
        results = [
            {"pos": int(p), "id": i, "lat": la, "lng": lo, "nature": n, "name": na, "commune": c}
            for p, i, la, lo, n, na, c in zip(
                shown["position"],
                rows["id"],
                rows["latitude"],
                rows["longitude"],
                rows["nature"],
                rows["name"],
                rows["place"],
                strict=True,
            )
        ]
        view = map_view.nearby_view(
            (origin.latitude, origin.longitude),
            state.radius,
            results,
            selected_at=selected_at,
            selected=position,
            view_key=f"{origin.latitude},{origin.longitude},{state.radius}",
            count_label=f"{wording.initiatives(len(ranked))} à moins de {state.radius} km",
        )
    draw_map(
        view,
        reference,
        settings,
        key=MAP_KEY,
        height=560,
        returned=["last_object_clicked_tooltip", "last_clicked"],
        on_change=lambda: _on_map(catalog),
        legend_extra=[["Point de départ", ORIGIN_COLOR]],
    )


def show_catalysts(catalog: Catalog, points: PlanarPoints, origin: Origin) -> None:
    """« Mon catalyseur »: the nearest catalysts; a click opens the detail and shows it on the map."""
    st.subheader("Mon catalyseur")
    found = nearby.nearest_catalysts(catalog, points, origin, k=3)
    if not found:
        st.info("Aucun catalyseur connu dans ce territoire.")
        return
    frame = catalog.frame
    for position, km in found:
        catalyst = frame["catalyst"].iat[position] or frame["name"].iat[position]
        label = (
            f"{wording.km(km)} — {catalyst} · {frame['name'].iat[position]} · {frame['place'].iat[position]}"
        )
        st.button(
            html.markdown_text(label),  # button labels render Markdown: data text is escaped
            key=f"n_catalyst_{position}",
            on_click=_pick,
            args=(frame["id"].iat[position],),
            type="tertiary",
            help="Ouvrir sa fiche et le montrer sur la carte",
        )


def _pick(initiative_id: str) -> None:
    st.session_state[_K["selected"]] = initiative_id


def show_list(catalog: Catalog, origin: Origin, ranked: pd.DataFrame, state: NearbyState) -> None:
    """The ranked list, with its CSV download."""
    table = results_frame(catalog, ranked)
    where = html.markdown_text(origin.label)
    title = f"**{wording.initiatives(len(table))}** à moins de {state.radius} km de {where}"
    heading_with_download(title, table, "alliances-a-proximite.csv", key="n_download")
    if table.empty:
        st.info("Aucune initiative dans ce rayon : élargissez-le ou retirez un filtre.")
        return
    if len(table) > MAX_LISTED:
        st.caption(
            f"Les {wording.number(MAX_LISTED)} premières sont listées ; le fichier CSV les contient toutes."
        )
    shown = table.head(MAX_LISTED)
    selectable_table(
        shown.drop(columns=["Identifiant"]),
        list(shown["Identifiant"]),
        key=TABLE_KEY,
        on_pick=_pick,
        column_config={"Pourquoi": st.column_config.TextColumn(width="large")},
    )
