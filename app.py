"""Carte des alliances — entry point: page setup and navigation.

Run with ``make run`` (or ``streamlit run app.py``). Settings come from the
environment (see ``components/settings.py``).
"""

import streamlit as st

st.set_page_config(page_title="Carte des alliances", page_icon="🤝", layout="wide")
page = st.navigation([st.Page("pages/explorer.py", title="Carte", icon="🗺️", default=True)])
page.run()
