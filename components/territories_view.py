"""The « Territoires » page: choropleths, coverage gaps (« zones blanches ») and charts."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from components import html, map_view, wording
from components.map_widget import draw_map
from components.settings import Settings
from components.table import heading_with_download
from data import taxonomy, territories
from data.catalog import Catalog
from data.query import number_param, param
from geo.reference import Reference

MAP_KEY = "carte_territoires"
LEVEL_LABELS = {"regions": "Régions", "departements": "Départements", "epci": "EPCI"}
MEASURES = {
    "count": "Nombre d'initiatives",
    "per_100k": "Pour 100 000 habitants",
    "far": "Zones blanches (loin d'un catalyseur)",
}


_URL_LEVELS = {"regions": "regions", "departements": "departements", "epci": "epci"}
_URL_MEASURES = {"count": "nombre", "per_100k": "pour-100000", "far": "zones-blanches"}


def territory_params(level: str, measure: str, threshold: int) -> dict[str, str]:
    """URL parameters of a territories view (filters are added by the filters' own code).

    Examples
    --------
    >>> territory_params("epci", "far", 40)
    {'niveau': 'epci', 'mesure': 'zones-blanches', 'distance': '40'}
    """
    params = {"niveau": _URL_LEVELS[level], "mesure": _URL_MEASURES[measure]}
    if measure == "far":
        params["distance"] = str(threshold)
    return params


def territory_from_params(params: dict) -> tuple[str, str, int, str]:
    """Decode a territories view; unknown values fall back to régions / count / 30 km.

    The last value is a French notice when the distance could not be kept as given.
    """
    level = next((k for k, v in _URL_LEVELS.items() if v == param(params, "niveau")), "regions")
    measure = next((k for k, v in _URL_MEASURES.items() if v == param(params, "mesure")), "count")
    threshold, notice = number_param(params, "distance", low=5, high=100, default=30)
    return level, measure, int(min(100, max(5, round(threshold / 5) * 5))), notice


def init_from_url() -> None:
    """Take the URL's view when it is not the one this page last wrote."""
    params = st.query_params.to_dict()
    if params == st.session_state.get("_t_written"):
        return
    level, measure, threshold, notice = territory_from_params(params)
    if notice:
        st.warning(html.markdown_text(notice))
    st.session_state.update({"t_level": level, "t_measure": measure, "t_threshold": threshold})
    st.session_state["_t_written"] = params


def write_url(level: str, measure: str, threshold: int, filter_params: dict[str, str]) -> None:
    params = {**filter_params, **territory_params(level, measure, threshold)}
    st.query_params.from_dict(params)
    st.session_state["_t_written"] = params


def controls() -> tuple[str, str, int]:
    """Level, measure and (for coverage) the distance threshold in km."""
    left, middle, right = st.columns([1.2, 2.2, 1.6], vertical_alignment="bottom")
    level = left.radio(
        "Niveau", list(LEVEL_LABELS), format_func=LEVEL_LABELS.get, key="t_level", horizontal=True
    )
    measure = middle.radio(
        "Mesure", list(MEASURES), format_func=MEASURES.get, key="t_measure", horizontal=True
    )
    if measure != "far":  # shown only where it means something (a disabled slider reads poorly)
        return level, measure, int(st.session_state.get("t_threshold", 30))
    threshold = right.slider(
        "Distance à un catalyseur (km)",
        5,
        100,
        step=5,
        key="t_threshold",
        help="Pour les zones blanches : au-delà de cette distance du catalyseur le plus proche.",
    )
    return level, measure, threshold


def coverage_caveat(catalog: Catalog) -> None:
    """Say what « zones blanches » are measured from."""
    catalysts = int((catalog.frame["nature"] == "ecosystem").sum())
    st.caption(
        f"Distances mesurées depuis la mairie de chaque commune jusqu'au plus proche des "
        f"{wording.number(catalysts)} écosystèmes territoriaux de la carte : un territoire « blanc » "
        "peut compter des catalyseurs que le référentiel ne recense pas encore."
    )


def _legend(breaks: list[float], *, percent: bool, zero_label: str, digits: int = 2) -> list[list]:
    palette = territories.PALETTE[-len(breaks) :] if breaks else ()
    rows, low = [], 0.0
    for upper, color in zip(breaks, palette, strict=True):
        shown_low = wording.decimal(low * 100, 0) + " %" if percent else wording.decimal(low, digits)
        shown_up = wording.decimal(upper * 100, 0) + " %" if percent else wording.decimal(upper, digits)
        rows.append([f"{shown_low} – {shown_up}", color, True])
        low = upper
    rows.insert(0, [zero_label, territories.EMPTY_COLOR, True])
    rows.append(["population non renseignée", territories.UNKNOWN_COLOR, True])
    return rows


def measure_table(
    catalog: Catalog,
    kept: np.ndarray,
    reference: Reference,
    level: str,
    measure: str,
    catalyst_km: np.ndarray,
    threshold: int,
    places: tuple[tuple[str, ...], tuple[str, ...]] = ((), ()),
) -> tuple[pd.DataFrame, pd.Series, str, bool]:
    """The figures per territory, the value mapped, its title and whether it is a share.

    ``places`` are the Région and Département filters: only the territories inside them are kept.
    """
    density = territories.restrict(
        territories.density_table(catalog, kept, reference, level), reference, level, *places
    )
    if measure == "far":
        cover = territories.coverage_table(reference, catalyst_km, threshold, level)
        table = density.join(cover[["communes", "far", "far_share", "far_population_share"]], how="left")
        values = table["far_population_share"].where(table["population"] > 0)
        return table, values, f"Population à plus de {threshold} km d'un catalyseur", True
    column = "count" if measure == "count" else "per_100k"
    return density, density[column], MEASURES[measure], False


def _tooltip_lines(row: pd.Series, measure: str, threshold: int) -> list[str]:
    lines = [wording.initiatives(int(row["count"]))]
    if row["population"] > 0:
        people = wording.number(int(row["population"]))
        lines.append(f"{wording.decimal(row['per_100k'], 2)} pour 100 000 habitants ({people} hab.)")
    else:
        lines.append("population non renseignée")
    if measure == "far" and not pd.isna(row.get("far_share")):
        lines.append(
            f"{wording.decimal(row['far_share'] * 100, 0)} % des communes à plus de {threshold} km "
            "d'un catalyseur"
        )
        if row["population"] > 0:
            lines.append(f"{wording.decimal(row['far_population_share'] * 100, 0)} % de la population")
    return lines


def show_map(
    table: pd.DataFrame,
    values: pd.Series,
    title: str,
    percent: bool,
    level: str,
    measure: str,
    threshold: int,
    reference: Reference,
    settings: Settings,
    count_label: str,
    fit: list | None = None,
) -> None:
    """The choropleth of ``values`` over the level's territories (zoomed on ``fit`` when given)."""
    breaks = territories.class_breaks(values)
    colors = territories.colors(values, breaks)
    tooltips = {
        code: html.territory_tooltip(row["name"], _tooltip_lines(row, measure, threshold))
        for code, row in table.iterrows()
    }
    zero = "aucune zone blanche" if measure == "far" else "aucune initiative"
    view = map_view.choropleth_view(
        level,
        colors.to_dict(),
        tooltips,
        _legend(breaks, percent=percent, zero_label=zero, digits=0 if measure == "count" else 2),
        title,
        fit=fit or reference.bounds(),
        view_key=f"{level}|{fit}",
        count_label=count_label,
        empty_color=territories.EMPTY_COLOR,
    )
    draw_map(view, reference, settings, key=MAP_KEY, height=600, returned=[])


def region_figures(table: pd.DataFrame, measure: str, threshold: int) -> pd.DataFrame:
    """The downloadable table, with French column names."""
    out = pd.DataFrame(
        {
            "Code": table.index,
            "Territoire": table["name"].to_numpy(),
            "Population": table["population"].to_numpy(),
            "Initiatives": table["count"].to_numpy(),
            "Pour 100 000 hab.": table["per_100k"].round(2).to_numpy(),
        }
    )
    if measure == "far":
        out[f"Communes à plus de {threshold} km (%)"] = (table["far_share"] * 100).round(1).to_numpy()
        out[f"Population à plus de {threshold} km (%)"] = (
            (table["far_population_share"] * 100).round(1).to_numpy()
        )
    return out


def show_figures(figures: pd.DataFrame, level: str) -> None:
    """The table per territory and its CSV download."""
    title = f"#### Chiffres par {LEVEL_LABELS[level][:-1].lower()}"
    heading_with_download(title, figures, f"alliances-{level}.csv", key="t_download")
    st.dataframe(figures, hide_index=True, width="stretch", height=min(420, 38 + 35 * len(figures)))


def charts(catalog: Catalog, kept: np.ndarray) -> None:
    """Forms, natures and themes per région (Altair)."""
    frame = catalog.frame.iloc[kept]
    if frame.empty:
        st.info("Aucune initiative ne correspond aux filtres.")
        return
    tabs = st.tabs(["Formes", "Natures", "Thèmes"])
    specs = [
        ("forms", taxonomy.FORMS, "Forme de partenariat"),
        ("nature", taxonomy.NATURES, "Nature"),
        ("themes", taxonomy.THEMES, "Thème / fragilité"),
    ]
    for tab, (column, vocab, title) in zip(tabs, specs, strict=True):
        data = frame[["region", column]].explode(column).dropna()
        data[title] = data[column].map(vocab)
        counts = data.groupby(["region", title]).size().reset_index(name="Initiatives")
        chart = (
            alt.Chart(counts)
            .mark_bar()
            .encode(
                y=alt.Y("region:N", title="Région", sort="-x"),
                x=alt.X("Initiatives:Q", title="Initiatives"),
                color=alt.Color(f"{title}:N", title=title, sort=list(vocab.values())),
                tooltip=["region", title, "Initiatives"],
            )
            .properties(height=max(220, 22 * counts["region"].nunique()))
        )
        tab.altair_chart(chart, width="stretch")


BRIEF_LEVELS = {"regions": "region", "departements": "departement", "epci": "epci"}


def brief_link(table, level: str) -> None:
    """Open the « Fiche territoire » of one of the territories listed."""
    names = table["name"].dropna().sort_values(key=lambda s: s.map(str.casefold))
    code = st.selectbox(
        "Ouvrir la fiche d'un territoire",
        list(names.index),
        index=None,
        format_func=lambda c: str(names[c]),
        placeholder="Choisir…",
    )
    if code:
        st.page_link(
            "pages/brief.py",
            label=f"Fiche territoire : {names[code]}",
            query_params={"niveau": BRIEF_LEVELS[level], "code": code},
        )
