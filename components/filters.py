"""The sidebar filters, kept in step with the URL.

On a session's first run the widgets take their values from the URL (so a copied
link reopens the same view); afterwards the widgets lead and the URL follows.
Each option shows how many initiatives it would keep.
"""

from __future__ import annotations

import re

import streamlit as st

from components import phone, wording
from data import query, taxonomy
from geo.reference import OVERSEAS_REGIONS, Reference

_KEYS = {
    "q": "f_q",
    "regions": "f_regions",
    "departements": "f_departements",
    "natures": "f_natures",
    "forms": "f_forms",
    "themes": "f_themes",
    "actor_types": "f_actor_types",
}


def url_state(reference: Reference) -> query.ViewState:
    """The view encoded in the page's URL."""
    return query.from_query_params(
        st.query_params.to_dict(),
        regions=set(reference.regions.index),
        departements=set(reference.departements.index),
    )


def first_run() -> bool:
    """Whether this is the session's first run of the page (its very first paint)."""
    return not st.session_state.get("_filters_reran")


def init_from_url(state: query.ViewState) -> None:
    """Give the widgets the URL's values, once per session."""
    if st.session_state.get("_filters_ready"):
        st.session_state["_filters_reran"] = True
        return
    for attr, key in _KEYS.items():
        st.session_state[key] = list(getattr(state, attr)) if attr != "q" else state.q
    st.session_state["selected"] = state.selected
    st.session_state["focus"] = state.selected
    st.session_state["_filters_ready"] = True


def _reset() -> None:
    for attr, key in _KEYS.items():
        st.session_state[key] = "" if attr == "q" else []
    st.session_state["selected"] = ""
    st.session_state["focus"] = ""


def _with_count(label: str, count: int) -> str:
    return f"{label} ({wording.number(count)})"


def _region_order(reference: Reference) -> list[str]:
    names = reference.regions["name"]
    metro = sorted(
        (c for c in names.index if c not in OVERSEAS_REGIONS), key=lambda c: taxonomy.slug(names[c])
    )
    return metro + list(OVERSEAS_REGIONS)


_COUNT = re.compile(r"\s*\(\d[\d\u202f ]*\)$")


def _names(attr: str, reference: Reference) -> dict[str, str]:
    """Option → its label without count, for each multi-choice filter."""
    if attr == "regions":
        return reference.regions["name"].to_dict()
    if attr == "departements":
        return {c: f"{c} · {n}" for c, n in reference.departements["name"].items()}
    return dict(taxonomy.VOCABULARIES[attr][0]) if attr in taxonomy.VOCABULARIES else {}


def normalise_choices(values: list, attr: str, reference: Reference) -> list[str]:
    """Options chosen in a filter, whatever form the browser sent them back in.

    A filter whose labels carry counts (« Bretagne (24) ») can come back as that label when
    the sidebar was closed while the counts changed: it is mapped back to its option (« 53 »)
    instead of becoming a value that matches nothing.
    """
    names = _names(attr, reference)
    by_label = {taxonomy.fold(label): option for option, label in names.items()}
    kept: list[str] = []
    for value in values:
        option = value if value in names else by_label.get(taxonomy.fold(_COUNT.sub("", str(value))))
        if option is not None and option not in kept:
            kept.append(option)
    return kept


def clear_stale_choices(reference: Reference) -> None:
    """Map choices back to options, then drop chosen départements outside the chosen régions
    (before reading the state)."""
    for attr, key in _KEYS.items():
        if attr != "q" and key in st.session_state:
            values = list(st.session_state[key])
            clean = normalise_choices(values, attr, reference)
            if clean != values:
                st.session_state[key] = clean
    regions = st.session_state.get(_KEYS["regions"], [])
    if regions:
        deps = reference.departements["reg_code"]
        chosen = st.session_state.get(_KEYS["departements"], [])
        st.session_state[_KEYS["departements"]] = [d for d in chosen if deps.get(d) in regions]


def _multiselect(
    label: str, attr: str, options: list[str], names: dict[str, str], counts: dict, **kw
) -> None:
    st.multiselect(
        label,
        options,
        key=_KEYS[attr],
        format_func=lambda v: _with_count(names.get(v, v), counts.get(attr, {}).get(v, 0)),
        placeholder="Tous",
        on_change=phone.filters_changed,
        # No bulk « Select N matches » entry: it is in English, and with the fuzzy match
        # « Bret » then Enter chose Bretagne and Bourgogne-Franche-Comté (issue 10, defect 4).
        select_all=False,
        **kw,
    )


def current_state() -> query.ViewState:
    """The view described by the widgets and the current selection."""
    values = {attr: tuple(st.session_state.get(key, ())) for attr, key in _KEYS.items() if attr != "q"}
    q = str(st.session_state.get(_KEYS["q"], "")).strip()[: query.MAX_QUERY]
    return query.ViewState(q=q, selected=st.session_state.get("selected", ""), **values)


def sidebar_placeholder() -> None:
    """What the sidebar shows until the map is on screen (the filters follow at once)."""
    with st.sidebar:
        st.header("Filtres")
        st.caption("Les filtres s'affichent dès que la carte est prête…")


def sidebar(reference: Reference, counts: dict) -> None:
    """Draw the filters in the sidebar (values are read with :func:`current_state`)."""
    with st.sidebar:
        st.header("Filtres")
        st.text_input(
            "Recherche",
            key=_KEYS["q"],
            placeholder="nom, description, partenaires…",
            on_change=phone.filters_changed,
            help="Sans tenir compte des accents ni des majuscules ; tous les mots doivent figurer.",
        )
        region_names = reference.regions["name"].to_dict()
        _multiselect("Région", "regions", _region_order(reference), region_names, counts)
        chosen = st.session_state.get(_KEYS["regions"], [])
        deps = reference.departements
        if chosen:
            deps = deps[deps["reg_code"].isin(chosen)]
        dep_names = {c: f"{c} · {n}" for c, n in deps["name"].items()}
        _multiselect("Département", "departements", list(deps.index), dep_names, counts)
        _multiselect("Nature", "natures", list(taxonomy.NATURES), taxonomy.NATURES, counts)
        _multiselect("Forme de partenariat", "forms", list(taxonomy.FORMS), taxonomy.FORMS, counts)
        _multiselect("Thème / fragilité", "themes", list(taxonomy.THEMES), taxonomy.THEMES, counts)
        _multiselect(
            "Types d'acteurs", "actor_types", list(taxonomy.ACTOR_TYPES), taxonomy.ACTOR_TYPES, counts
        )
        st.button("Réinitialiser les filtres", on_click=_reset, width="stretch")
        st.caption(
            "Dans un même filtre, les choix s'additionnent (l'un ou l'autre) ; "
            "entre filtres, ils se cumulent. Le nombre entre parenthèses est celui "
            "des initiatives que ce choix afficherait."
        )
