"""« Proposer une initiative » and « Signaler une correction »: the public proposal form.

Anyone may propose; nothing reaches the map before a moderator approves it. The form has
every field with the taxonomy's French labels, a commune search that suggests as one
types, French messages per field, and on success a reference number. Anti-spam without
any third-party service: a hidden honeypot field, length caps (in the widgets and again
in the schema) and a per-session rate limit.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict

import streamlit as st

from components import commune_picker as commune_picker_field
from components import html
from data import taxonomy
from data.db import StoreError
from data.repository import PROPOSAL_KINDS, Repository, Stored
from data.schema import MAX_TEXT, Problem, validate
from geo.commune_search import CommuneSearch

RATE_LIMIT = 5
RATE_WINDOW_S = 600
MAX_COMMENT = 2000
MAX_CONTACT = 200
_HONEYPOT = "pf_site_pro"
_GEN = "_pf_generation"
_SENT = "_pf_sent"
HIDE_HONEYPOT = f"<style>.st-key-{_HONEYPOT} {{ position: absolute; left: -10000px; }}</style>"


def _key(name: str) -> str:
    return f"pf_{name}_{st.session_state.get(_GEN, 0)}"


def _lines(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", "\n").splitlines() if part.strip()]


def rate_limited(now: float | None = None) -> int:
    """Seconds to wait before this session may send another proposal (0: it may)."""
    now = time.time() if now is None else now
    recent = [t for t in st.session_state.get(_SENT, []) if now - t < RATE_WINDOW_S]
    st.session_state[_SENT] = recent
    return 0 if len(recent) < RATE_LIMIT else int(RATE_WINDOW_S - (now - recent[0])) + 1


def commune_picker(search: CommuneSearch, default_code: str = "") -> str:
    """The proposal's commune (the shared search field, with this form's keys)."""
    label = "Commune où agit l'initiative *"
    return commune_picker_field.pick(
        search, label, _key("commune"), default_code, text_key=_key("commune_text")
    )


def record_fields(item: dict) -> dict:
    """The form's widgets, pre-filled from ``item``; returns the raw values."""
    vocab = taxonomy
    values = {
        "name": st.text_input(
            "Nom de l'initiative *", item.get("name", ""), max_chars=MAX_TEXT["name"], key=_key("name")
        ),
        "nature": st.radio(
            "Nature *",
            list(vocab.NATURES),
            format_func=vocab.NATURE_LONG.get,
            key=_key("nature"),
            index=list(vocab.NATURES).index(item.get("nature", "partnership")),
        ),
        "forms": st.multiselect(
            "Formes de partenariat *",
            list(vocab.FORMS),
            item.get("forms", []),
            format_func=vocab.FORMS.get,
            placeholder="Choisir…",
            key=_key("forms"),
            select_all=False,
        ),
        "themes": st.multiselect(
            "Thèmes / fragilités",
            list(vocab.THEMES),
            item.get("themes", []),
            format_func=vocab.THEMES.get,
            placeholder="Choisir…",
            key=_key("themes"),
            select_all=False,
        ),
        "actor_types": st.multiselect(
            "Types d'acteurs",
            list(vocab.ACTOR_TYPES),
            item.get("actor_types", []),
            format_func=vocab.ACTOR_TYPES.get,
            placeholder="Choisir…",
            key=_key("actors"),
            select_all=False,
        ),
        "partners": st.text_area(
            "Partenaires (un par ligne)",
            "\n".join(item.get("partners", [])),
            max_chars=5000,
            key=_key("partners"),
        ),
        "catalyst": st.text_input(
            "Catalyseur territorial (pour un écosystème)",
            item.get("catalyst", ""),
            max_chars=MAX_TEXT["catalyst"],
            key=_key("catalyst"),
        ),
        "trades": st.multiselect(
            "Métiers du catalyseur",
            list(vocab.TRADES),
            item.get("trades", []),
            format_func=vocab.TRADES.get,
            placeholder="Choisir…",
            key=_key("trades"),
            select_all=False,
        ),
        "scale": st.selectbox(
            "Échelle",
            ["", *vocab.SCALES],
            format_func=lambda k: vocab.SCALES.get(k, "—"),
            index=(["", *vocab.SCALES]).index(item.get("scale", "")),
            key=_key("scale"),
        ),
        "description": st.text_area(
            "Description (vos mots, une ou deux phrases)",
            item.get("description", ""),
            max_chars=MAX_TEXT["description"],
            key=_key("description"),
        ),
        "website": st.text_input(
            "Site web", item.get("website", ""), max_chars=MAX_TEXT["website"], key=_key("website")
        ),
        "sources": st.text_area(
            "Sources publiques * (une adresse http(s) par ligne)",
            "\n".join(item.get("sources", [])),
            max_chars=5000,
            key=_key("sources"),
        ),
    }
    values["partners"] = _lines(values["partners"])
    values["sources"] = _lines(values["sources"])
    return values


def _extra_problems(comment: str, contact: str, kind: str) -> list[Problem]:
    problems = []
    if len(comment) > MAX_COMMENT:
        problems.append(
            Problem(
                "commentaire",
                comment[:30],
                f"texte trop long ({len(comment)} caractères, {MAX_COMMENT} au plus)",
            )
        )
    if len(contact) > MAX_CONTACT:
        problems.append(
            Problem("contact", contact[:30], f"texte trop long ({MAX_CONTACT} caractères au plus)")
        )
    if kind == "ended" and not comment.strip():
        problems.append(Problem("commentaire", "", "dites comment vous savez que l'initiative a pris fin"))
    return problems


def show_form(
    repo: Callable[[], Repository | None], search: CommuneSearch, *, target: Stored | None, read_only: bool
) -> None:
    """The proposal form: new initiative, or a correction / end of ``target``.

    ``repo`` gives the store when the form is sent (None while the database is down: the
    sending is refused with a message and the typed values stay in the form)."""
    kind = "new"
    if target is not None:
        kind = st.radio(
            "Que signalez-vous ?",
            ["correction", "ended"],
            format_func=PROPOSAL_KINDS.get,
            horizontal=True,
            key=_key("kind"),
        )
    item = {} if target is None else asdict(target.item)
    code = item.get("commune_code", "")
    if kind != "ended":
        code = commune_picker(search, code)
    st.html(HIDE_HONEYPOT)
    with st.form(_key("form"), clear_on_submit=False, enter_to_submit=False):
        values = record_fields(item) if kind != "ended" else {}
        comment = st.text_area(
            "Message pour l'équipe de modération" + (" *" if kind == "ended" else ""),
            max_chars=MAX_COMMENT,
            key=_key("comment"),
        )
        contact = st.text_input(
            "Votre e-mail (facultatif, pour vous répondre)", max_chars=MAX_CONTACT, key=_key("contact")
        )
        trap = st.text_input("Site professionnel (laissez vide)", key=_HONEYPOT)
        sent = st.form_submit_button("Envoyer la proposition", type="primary", disabled=read_only)
    if sent:
        _submit(repo, kind, target, {**item, **values, "commune_code": code}, comment, contact, trap)


def _submit(
    repo: Callable[[], Repository | None],
    kind: str,
    target: Stored | None,
    record: dict,
    comment: str,
    contact: str,
    trap: str,
) -> None:
    if trap:
        st.error("Proposition non enregistrée : un champ caché a été rempli (protection contre les robots).")
        return
    wait = rate_limited()
    if wait:
        st.error(
            f"Trop de propositions envoyées depuis cette session ({RATE_LIMIT} en 10 minutes) : "
            f"réessayez dans {wait // 60 + 1} minute(s)."
        )
        return
    record = {**record, "id": record.get("id") or "a-attribuer"}
    item, problems = validate(record, commune_exists=lambda c: True, require_sources=kind == "new")
    problems += _extra_problems(comment, contact, kind)
    if problems or item is None:
        st.error(
            "La proposition n'est pas envoyée ; corrigez ces champs :\n\n"
            + "\n".join(f"- {html.markdown_text(p)}" for p in problems)
        )
        return
    store = repo()
    if store is None:
        st.error(
            "La proposition n'a pas pu être enregistrée : la base de données ne répond pas. "
            "Rien n'a été perdu de votre saisie : réessayez dans un instant."
        )
        return
    try:
        proposal = store.propose(
            item,
            kind=kind,
            target=target.item.id if target else "",
            base_version=target.version if target else None,
            comment=comment.strip(),
            contact=contact.strip(),
        )
    except StoreError as error:
        st.error(
            f"La proposition n'a pas pu être enregistrée : {html.markdown_text(error)}. "
            "Rien n'a été perdu de votre saisie : réessayez dans un instant."
        )
        return
    st.session_state[_SENT] = [*st.session_state.get(_SENT, []), time.time()]
    st.session_state[_GEN] = st.session_state.get(_GEN, 0) + 1
    st.session_state["_pf_done"] = proposal.reference
    st.rerun()


def show_confirmation() -> None:
    """The thank-you note with the reference number, after a proposal was stored."""
    reference = st.session_state.pop("_pf_done", "")
    if reference:
        st.success(
            f"Merci ! Votre proposition porte le numéro **{reference}**. L'équipe de modération "
            "l'examinera avant qu'elle n'apparaisse sur la carte.",
            icon="✅",
        )
