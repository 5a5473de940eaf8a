"""Benchmark baseline: an empty Streamlit page (its shell and one heading)."""

import streamlit as st

st.markdown("### Page vide")
