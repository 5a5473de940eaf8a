"""Carte des alliances — entry point: page setup and navigation.

Run with ``make run`` (or ``streamlit run app.py``). Settings come from the
environment (see ``components/settings.py``). Pages that change data are listed
only for a logged-in account with the right role; each page and the data layer
check the role again.
"""

import streamlit as st

from components import auth, datasets, embed, html, page_setup
from components.settings import from_env
from geo.reference import GeographyError

st.set_page_config(page_title=page_setup.APP_TITLE, page_icon="🤝", layout="wide")
settings = from_env()
try:
    source = datasets.DataSource.from_settings(settings)
except GeographyError as error:  # built by `make setup`, never by a running app
    st.error(f"La carte ne peut pas s'afficher : {error}")
    st.stop()
notice = datasets.store_notice(source)
repo = datasets.repository_or_none(source)
actor = auth.current_actor(repo) if repo is not None else None
pages = [
    st.Page("pages/explorer.py", title="Carte", default=True),
    st.Page("pages/guide.py", title="Par où commencer ?", url_path="par-ou-commencer"),
    st.Page("pages/nearby.py", title="À proximité", url_path="a-proximite"),
    st.Page("pages/territories.py", title="Territoires", url_path="territoires"),
    st.Page("pages/brief.py", title="Fiche territoire", url_path="fiche-territoire"),
    st.Page(
        "pages/propose.py",
        title="Proposer une initiative",
        url_path="proposer",
    ),
]
pages.append(
    st.Page(
        "pages/accessibility.py",
        title="Accessibilité",
        url_path="accessibilite",
    )
)
if auth.has_role(actor, "moderator"):
    pages.append(
        st.Page(
            "pages/moderation.py", title="Modération", url_path="moderation"
        )
    )
if auth.has_role(actor, "admin"):
    pages.append(
        st.Page("pages/import.py", title="Importer", url_path="importer")
    )
if actor is None and repo is not None:
    pages.append(st.Page("pages/login.py", title="Connexion", url_path="connexion"))
page = st.navigation(pages, position="hidden" if embed.active() else "sidebar")
page_setup.apply(page.title)
auth.sync_cookie()
if notice:
    st.warning(html.markdown_text(notice), icon="⚠️")
if actor is not None:
    auth.logout_button(repo)
page.run()
