"""Carte des alliances — entry point: page setup and navigation.

Run with ``make run`` (or ``streamlit run app.py``). Settings come from the
environment (see ``components/settings.py``).
"""

import streamlit as st

from components.settings import from_env

st.set_page_config(page_title="Carte des alliances", page_icon="🤝", layout="wide")
# The import page changes data: listed only on an instance that opted in (no login yet).
admin = [st.Page("pages/import.py", title="Importer", icon=":material/upload_file:", url_path="importer")]
page = st.navigation(
    [
        st.Page("pages/explorer.py", title="Carte", icon=":material/map:", default=True),
        st.Page("pages/nearby.py", title="À proximité", icon=":material/near_me:", url_path="a-proximite"),
        st.Page(
            "pages/territories.py", title="Territoires", icon=":material/insights:", url_path="territoires"
        ),
        *(admin if from_env().admin else []),
    ]
)
page.run()
