"""Login, logout and « who is logged in » for the pages (accounts live in data.accounts).

A login opens a session token in the database and puts it in a cookie (``SameSite=Strict``,
``SESSION_HOURS`` long) so that a page reload keeps the person logged in; the cookie
holds no name or role, only the random token. Pages use :func:`current_actor` to decide
what to show, but the data layer checks the role again on every change.
"""

from __future__ import annotations

import contextlib

import streamlit as st

from components import html
from data import accounts
from data.db import StoreError
from data.repository import ROLE_LABELS, ROLES, Actor, Repository

COOKIE = "alliances_session"
_ACTOR = "_actor"
_TOKEN = "_token"
_COOKIE_DUE = "_cookie_due"


def _set_cookie(token: str, max_age: int) -> None:
    # The token is URL-safe base64 (letters, digits, - and _): nothing to escape.
    st.html(
        f"<script>document.cookie = '{COOKIE}={token}; Path=/; Max-Age={max_age}; SameSite=Strict';</script>",
        unsafe_allow_javascript=True,
    )


def current_actor(repo: Repository | None) -> Actor | None:
    """The logged-in account of this browser session, if any (from the session or the cookie)."""
    if _ACTOR in st.session_state:
        return st.session_state[_ACTOR]
    actor = None
    token = st.context.cookies.get(COOKIE, "") if repo is not None else ""
    if isinstance(token, str) and token:
        try:
            actor = accounts.session_actor(repo, token)
        except StoreError:
            actor = None
    st.session_state[_ACTOR] = actor
    st.session_state[_TOKEN] = token if actor else ""
    return actor


def login_form(repo: Repository) -> None:
    """The login form; on success the page reruns with the account's pages."""
    with st.form("connexion"):
        username = st.text_input("Nom de compte", autocomplete="username", max_chars=40)
        password = st.text_input(
            "Mot de passe", type="password", autocomplete="current-password", max_chars=200
        )
        sent = st.form_submit_button("Se connecter", type="primary")
    if not sent:
        return
    try:
        actor = accounts.authenticate(repo, username, password)
        token = accounts.open_session(repo, actor)
    except StoreError as error:
        st.error(f"Connexion refusée : {html.markdown_text(error)}.")
        return
    st.session_state[_ACTOR] = actor
    st.session_state[_TOKEN] = token
    st.session_state[_COOKIE_DUE] = (token, accounts.SESSION_HOURS * 3600)
    st.rerun()


def sync_cookie() -> None:
    """After a login or logout, write (or clear) the browser's cookie (called by app.py)."""
    due = st.session_state.pop(_COOKIE_DUE, None)
    if due is not None:
        _set_cookie(*due)
    else:  # always one element here, so the page below keeps its place (its map is not re-created)
        st.html("<span hidden></span>")


def logout_button(repo: Repository) -> None:
    """« Se déconnecter » in the sidebar, with who is logged in."""
    actor = st.session_state.get(_ACTOR)
    if actor is None:
        return
    st.sidebar.caption(
        f"Connecté : {html.markdown_text(actor.username)} ({ROLE_LABELS.get(actor.role, actor.role)})"
    )
    if st.sidebar.button("Se déconnecter", key="logout"):
        with contextlib.suppress(StoreError):  # the cookie is cleared anyway; the token expires
            accounts.close_session(repo, st.session_state.get(_TOKEN, ""))
        st.session_state[_ACTOR] = None
        st.session_state[_TOKEN] = ""
        st.session_state[_COOKIE_DUE] = ("", 0)
        st.rerun()


def has_role(actor: Actor | None, role: str) -> bool:
    """Whether ``actor`` may see a page for ``role`` (the data layer checks again)."""
    return actor is not None and ROLES.get(actor.role, 0) >= ROLES[role]


def require_role(repo: Repository | None, role: str, refusal: str) -> Actor:
    """The logged-in actor of a page reserved to ``role``; otherwise say why and stop the page.

    The page is also absent from the navigation, and the data layer checks the role again.
    """
    if repo is None:
        st.error("La base de données ne répond pas pour l'instant : réessayez dans un moment.")
        st.stop()
    actor = current_actor(repo)
    if not has_role(actor, role):
        st.error(refusal)
        st.stop()
    return actor
