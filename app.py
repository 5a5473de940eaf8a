"""Carte des alliances — entry point: page setup and navigation.

Run with ``make run`` (or ``streamlit run app.py``). Settings come from the
environment (see ``components/settings.py``).
"""

import streamlit as st

st.set_page_config(page_title="Carte des alliances", page_icon="🤝", layout="wide")
page = st.navigation(
    [
        st.Page("pages/explorer.py", title="Carte", icon=":material/map:", default=True),
        st.Page("pages/nearby.py", title="À proximité", icon=":material/near_me:", url_path="a-proximite"),
        st.Page(
            "pages/territories.py", title="Territoires", icon=":material/insights:", url_path="territoires"
        ),
    ]
)
page.run()
