"""Streamlit building blocks (map, filters, detail panel, table) and the one HTML builder."""
