"""« Par où commencer ? »: three questions, one screen each, then the answer and its PDF.

The steps live in the URL (``?etape=2&qui=entreprise&commune=69123``), so the browser's
back button goes back one question and the answer has a permalink. The rule that turns
the answers into partnership forms is :mod:`data.guide`'s table, shown under the answer.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import streamlit as st

from components import commune_picker, html, wording
from components.pdf import Document
from data import guide, taxonomy
from data.catalog import Catalog
from data.guide import Answer, Profile
from geo.commune_search import CommuneSearch
from geo.reference import Reference

PAGE = "par-ou-commencer"


def profile_from_url(reference: Reference) -> tuple[Profile, int]:
    """The answers so far and the step to show (1, 2, 3, or 4 for the answer)."""
    params = st.query_params.to_dict()
    profile = guide.from_params(params, frozenset(reference.communes.index))
    if not profile.who:
        return profile, 1
    if not profile.commune:
        return profile, 2
    if not profile.objective:
        return profile, 3
    return profile, 4


def permalink(page_url: str, profile: Profile) -> str:
    """The answer's address (absolute when the page's own address is known)."""
    base = page_url.rstrip("/") if page_url.rstrip("/").endswith(PAGE) else f"{page_url.rstrip('/')}/{PAGE}"
    return f"{base}?{urlencode(guide.to_params(profile), safe=',')}"


def _go(profile: Profile) -> None:
    st.query_params.from_dict(guide.to_params(profile))
    st.rerun()


def step_who(profile: Profile) -> None:
    st.subheader("1. Qui êtes-vous ?")
    who = st.radio("Je représente…", list(guide.PROFILES), format_func=guide.PROFILES.get, index=None)
    if st.button("Continuer", type="primary", disabled=who is None):
        _go(Profile(who=who))


def step_where(profile: Profile, search: CommuneSearch) -> None:
    st.subheader("2. Où agissez-vous ?")
    code = commune_picker.pick(search, "Votre commune", "guide_commune")
    back, ahead = st.columns(2)
    if back.button("Retour"):
        _go(Profile())
    if ahead.button("Continuer", type="primary", disabled=not code):
        _go(Profile(who=profile.who, commune=code))


def step_what(profile: Profile) -> None:
    st.subheader("3. Que cherchez-vous ?")
    objective = st.radio(
        "Mon objectif principal", list(guide.OBJECTIVES), format_func=guide.OBJECTIVES.get, index=None
    )
    themes = st.multiselect(
        "Les fragilités qui me concernent (facultatif)",
        list(taxonomy.THEMES),
        format_func=taxonomy.THEMES.get,
        placeholder="Choisir…",
        select_all=False,
    )
    back, ahead = st.columns(2)
    if back.button("Retour"):
        _go(Profile(who=profile.who))
    if ahead.button("Voir ma feuille de route", type="primary", disabled=objective is None):
        _go(Profile(profile.who, profile.commune, objective, tuple(themes)))


def summary(profile: Profile, reference: Reference) -> str:
    commune = reference.communes.at[profile.commune, "name"]
    themes = ", ".join(taxonomy.THEMES[t].lower() for t in profile.fragilities)
    text = (
        f"{guide.PROFILES[profile.who]} à {commune}, pour « {guide.OBJECTIVES[profile.objective].lower()} »"
    )
    return text + (f" ; fragilités : {themes}" if themes else "")


def _place(catalog: Catalog, position: int) -> str:
    row = catalog.frame.iloc[position]
    return f"{row['place']} ({row['departement']})" if isinstance(row["departement"], str) else row["place"]


def example_lines(catalog: Catalog, answer: Answer) -> list[tuple[str, str]]:
    """``(name, place and reasons)`` of the examples nearby."""
    frame = catalog.frame
    return [
        (
            str(frame["name"].iat[r.position]),
            f"{_place(catalog, r.position)} — " + ", ".join(r.reasons),
        )
        for r in answer.nearby.itertuples()
    ]


def elsewhere_lines(catalog: Catalog, answer: Answer) -> list[tuple[str, str]]:
    frame = catalog.frame
    return [(str(frame["name"].iat[p]), _place(catalog, p)) for p in answer.elsewhere]


def catalyst_lines(catalog: Catalog, answer: Answer) -> list[tuple[str, str, str]]:
    """``(catalyst, what it does and how far, website)`` of the nearest catalysts."""
    frame = catalog.frame
    lines = []
    for position, km in answer.catalysts:
        row = frame.iloc[position]
        trades = ", ".join(taxonomy.TRADES[t] for t in row["trades"]).lower() or "métiers non renseignés"
        where = "dans votre commune" if km < 0.05 else f"à {wording.km(km)}"
        detail = f"{where} ; anime « {row['name']} » ; {trades}"
        lines.append((row["catalyst"] or row["name"], detail, row["website"] or (row["sources"] or ("",))[0]))
    return lines


def first_step(catalog: Catalog, answer: Answer) -> str:
    """The profile's first step, naming the nearest catalyst."""
    if not answer.catalysts:
        return answer.first_step
    row = catalog.frame.iloc[answer.catalysts[0][0]]
    return f"{answer.first_step} Le plus proche : {row['catalyst'] or row['name']}."


def show_answer(catalog: Catalog, reference: Reference, profile: Profile, answer: Answer) -> None:
    st.subheader("Votre feuille de route")
    st.markdown(html.markdown_text(summary(profile, reference)))
    st.markdown("**Les formes de partenariat qui vous correspondent**")
    for label, role in guide.roles(profile):
        st.markdown(f"- **{label}** : {role}")
    st.caption(guide.OBJECTIVE_WHY[profile.objective])
    st.markdown(f"**Exemples près de chez vous** (dans un rayon de {answer.radius_km} km)")
    st.markdown(
        "\n".join(
            f"- **{html.markdown_text(n)}** — {html.markdown_text(d)}"
            for n, d in example_lines(catalog, answer)
        )
        or "Aucun dans ce rayon."
    )
    st.markdown("**Des initiatives semblables ailleurs**")
    st.markdown(
        "\n".join(
            f"- **{html.markdown_text(n)}** — {html.markdown_text(d)}"
            for n, d in elsewhere_lines(catalog, answer)
        )
        or "Aucune."
    )
    st.markdown("**Les catalyseurs les plus proches**")
    for name, detail, site in catalyst_lines(catalog, answer):
        st.markdown(
            f"- **{html.markdown_text(name)}** — {html.markdown_text(detail)}"
            + (f" — {html.markdown_link(site, 'site')}" if site else "")
        )
    st.markdown("**Un premier pas**")
    st.success(first_step(catalog, answer))


def show_rule() -> None:
    """The whole objective → forms table, as data/guide.py writes it."""
    with st.expander("Comment ces formes sont-elles choisies ?"):
        st.markdown(
            "Chaque objectif mène aux formes de partenariat qui le servent, la plus adaptée d'abord ; "
            "rien d'autre n'entre en compte. Les exemples sont classés comme dans « À proximité » "
            "(distance, même intercommunalité ou département, formes et thèmes communs)."
        )
        st.table(
            {
                "Objectif": list(guide.OBJECTIVES.values()),
                "Formes proposées": [
                    ", ".join(taxonomy.FORMS[f] for f in guide.OBJECTIVE_FORMS[k]) for k in guide.OBJECTIVES
                ],
                "Pourquoi": [guide.OBJECTIVE_WHY[k] for k in guide.OBJECTIVES],
            }
        )


def pdf(
    catalog: Catalog,
    reference: Reference,
    profile: Profile,
    answer: Answer,
    link: str,
    today: dt.date | None = None,
) -> bytes:
    """« Ma feuille de route » on one page (examples shortened if needed)."""
    today = today or dt.date.today()
    for examples in range(len(answer.nearby), -1, -1):
        subtitle = f"{summary(profile, reference)} · {wording.date(today)}"
        doc = Document("Ma feuille de route pour faire alliance", subtitle)
        doc.heading("Les formes de partenariat qui vous correspondent")
        for label, role in guide.roles(profile):
            doc.bullet(f"{label} : {role}")
        doc.paragraph(guide.OBJECTIVE_WHY[profile.objective], 8, color=(90, 90, 90))
        doc.heading(f"Exemples près de chez vous (rayon de {answer.radius_km} km)")
        for name, detail in example_lines(catalog, answer)[:examples]:
            doc.bullet(name, detail=detail)
        doc.heading("Des initiatives semblables ailleurs")
        for name, detail in elsewhere_lines(catalog, answer):
            doc.bullet(name, detail=detail)
        doc.heading("Les catalyseurs les plus proches")
        for name, detail, site in catalyst_lines(catalog, answer):
            doc.bullet(name, detail=detail, link=site)
        doc.heading("Un premier pas")
        doc.paragraph(first_step(catalog, answer))
        doc.paragraph(f"Retrouver cette feuille de route en ligne : {link}", 7.5, color=(90, 90, 90))
        if doc.page_no() == 1:
            break
    return doc.bytes()
