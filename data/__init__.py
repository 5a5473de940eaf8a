"""Initiatives: schema, taxonomy, catalog, queries and synthetic demo data. Uses ``geo``."""
