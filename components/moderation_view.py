"""The moderation page's widgets: queue with diffs, decisions, conflicts, history, archives.

Every decision is a repository call with the logged-in actor; the repository checks the
role again and records the history. A stale edit comes back as a conflict that shows
both versions side by side, never as a silent overwrite.
"""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd
import streamlit as st

from components import html
from components.proposal_form import commune_picker, record_fields
from data import changes
from data.catalog import Catalog
from data.db import Conflict, StoreError
from data.repository import ACTIONS, PROPOSAL_KINDS, Actor, Proposal, Repository, Stored
from data.schema import validate
from geo.commune_search import CommuneSearch

_EDITING = "_mod_editing"
_DONE = "_mod_done"


def diff_table(before: dict | None, after: dict) -> pd.DataFrame:
    """The fields a change touches: « Champ », « Actuel », « Proposé »."""
    return pd.DataFrame(changes.changes(before, after), columns=["Champ", "Actuel", "Proposé"])


def _conflict(error: Conflict) -> None:
    st.error(html.markdown_text(error), icon="⚠️")
    st.markdown("**Version enregistrée entre-temps** et **votre version**, champ par champ :")
    both = pd.DataFrame(
        changes.changes(error.current, error.proposed),
        columns=["Champ", "Version enregistrée", "Votre version"],
    )
    st.dataframe(both, hide_index=True, width="stretch")


def _run(done: str, action, *args, **kwargs) -> None:
    """Call a repository action; on success rerun with ``done``, else show why in French."""
    try:
        action(*args, **kwargs)
    except Conflict as error:
        _conflict(error)
        return
    except StoreError as error:
        st.error(f"Action refusée : {html.markdown_text(error)}.")
        return
    st.session_state[_DONE] = done
    st.session_state.pop(_EDITING, None)
    st.rerun()


def _edit_form(key: str, search: CommuneSearch, record: dict) -> object | None:
    """An editable copy of ``record``; returns the validated initiative once saved."""
    code = commune_picker(search, record.get("commune_code", ""))
    with st.form(f"edit_form_{key}", enter_to_submit=False):
        values = record_fields(record)
        saved = st.form_submit_button("Enregistrer", type="primary")
    if not saved:
        return None
    item, problems = validate({**record, **values, "commune_code": code}, commune_exists=lambda c: True)
    if problems:
        st.error("Corrigez ces champs :\n\n" + "\n".join(f"- {html.markdown_text(p)}" for p in problems))
        return None
    return item


def _proposal_block(repo: Repository, actor: Actor, proposal: Proposal, search: CommuneSearch) -> None:
    current = repo.get(proposal.initiative_id) if proposal.kind != "new" else None
    name = proposal.record.get("name", "")
    kind = PROPOSAL_KINDS[proposal.kind]
    title = f"{proposal.reference} — {kind} — {name} — reçue le {proposal.submitted_at[:10]}"
    with st.container(border=True, key=f"proposal_{proposal.id}"):
        st.markdown(f"**{html.markdown_text(title)}**")
        if proposal.comment:
            st.markdown(f"Message : {html.markdown_text(proposal.comment)}")
        if proposal.contact:
            st.caption(f"Contact : {html.markdown_text(proposal.contact)}")
        if current is not None and current.version != proposal.base_version:
            st.warning(
                f"La fiche a été modifiée depuis cette proposition (version {proposal.base_version} → "
                f"{current.version}) : la valider telle quelle sera refusée ; « Modifier puis valider » "
                "part de la version actuelle."
            )
        if proposal.kind == "ended":
            st.warning(
                "Signalée comme n'existant plus : valider archive la fiche "
                "(masquée de la carte, restaurable)."
            )
        else:
            before = asdict(current.item) if current else None
            st.dataframe(diff_table(before, proposal.record), hide_index=True, width="stretch")
        _decisions(repo, actor, proposal, current, search)


def _decisions(
    repo: Repository, actor: Actor, proposal: Proposal, current: Stored | None, search: CommuneSearch
) -> None:
    key = str(proposal.id)
    left, middle, right = st.columns([1, 1.4, 3], vertical_alignment="bottom")
    if left.button("Valider", key=f"ok_{key}", type="primary"):
        _run(f"{proposal.reference} validée.", repo.approve, actor, proposal.id)
    if proposal.kind != "ended" and middle.button("Modifier puis valider", key=f"edit_{key}"):
        st.session_state[_EDITING] = (proposal.id, current.version if current else None)
    with right:
        reason = st.text_input("Raison du refus", key=f"reason_{key}", max_chars=500)
        if st.button("Refuser", key=f"no_{key}"):
            _run(f"{proposal.reference} refusée.", repo.reject, actor, proposal.id, reason)
    editing = st.session_state.get(_EDITING)
    if editing and editing[0] == proposal.id:
        item = _edit_form(key, search, proposal.record)
        if item is not None:
            _run(
                f"{proposal.reference} modifiée puis validée.",
                repo.approve,
                actor,
                proposal.id,
                item=item,
                base_version=editing[1],
            )


def show_queue(repo: Repository, actor: Actor, search: CommuneSearch) -> None:
    """Pending proposals, oldest first, each with what it changes and the decisions."""
    done = st.session_state.pop(_DONE, "")
    if done:
        st.success(html.markdown_text(done))
    pending = repo.proposals("pending")
    st.subheader(f"Propositions en attente ({len(pending)})")
    if not pending:
        st.info("Aucune proposition en attente.")
    for proposal in pending:
        _proposal_block(repo, actor, proposal, search)


def history_frame(rows) -> pd.DataFrame:
    """An initiative's history as a table a person reads."""
    return pd.DataFrame(
        {
            "Date (UTC)": [r.at.replace("T", " ")[:16] for r in rows],
            "Action": [ACTIONS.get(r.action, r.action) for r in rows],
            "Par": [r.actor for r in rows],
            "Version": [r.version if r.version is not None else "" for r in rows],
            "Note": [r.note for r in rows],
        }
    )


def _pick_initiative(catalog: Catalog, archived: list[Stored]) -> str:
    frame = catalog.frame
    labels = {i: f"{n} — {c}" for i, n, c in zip(frame["id"], frame["name"], frame["place"], strict=True)}
    labels |= {s.item.id: f"{s.item.name} (archivée)" for s in archived}
    chosen = st.query_params.get("initiative", "")
    options = ["", *labels]
    return st.selectbox(
        "Initiative",
        options,
        index=options.index(chosen) if chosen in labels else 0,
        format_func=lambda i: labels.get(i, "— choisir —"),
        key="hist_pick",
    )


def show_history(repo: Repository, actor: Actor, catalog: Catalog, search: CommuneSearch) -> None:
    """One initiative's history, with edit, archive and restore."""
    archived = repo.archived()
    ident = _pick_initiative(catalog, archived)
    stored = repo.get(ident) if ident else None
    if stored is None:
        return
    rows = repo.history(ident)
    st.dataframe(history_frame(rows), hide_index=True, width="stretch")
    for row in rows:
        if row.after is not None and row.before is not None:
            with st.expander(
                f"Changements de la version {row.version} ({ACTIONS.get(row.action, row.action)})"
            ):
                st.dataframe(diff_table(row.before, row.after), hide_index=True, width="stretch")
    state = "archivée (masquée de la carte)" if stored.status == "archived" else "publiée"
    st.caption(f"Version actuelle : {stored.version} — {state}.")
    if stored.status == "archived":
        if st.button("Restaurer sur la carte", key="restore"):
            _run("Initiative restaurée.", repo.restore, actor, ident, stored.version)
        return
    with st.expander("Modifier cette fiche"):
        item = _edit_form(f"hist_{ident}_{stored.version}", search, asdict(stored.item))
        if item is not None:
            _run("Fiche modifiée.", repo.edit, actor, item, stored.version)
    reason = st.text_input("Pourquoi l'archiver ?", key="archive_reason", max_chars=500)
    if st.button("Archiver (l'initiative a pris fin)", key="archive"):
        _run("Initiative archivée.", repo.archive, actor, ident, stored.version, note=reason)
