"""AppTest fixtures: the app with the bundled referential (no demo data, no other file)."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "app.py")


@pytest.fixture
def app(monkeypatch, reference):
    monkeypatch.delenv("ALLIANCES_DEMO_N", raising=False)
    monkeypatch.delenv("ALLIANCES_DATA", raising=False)
    return AppTest.from_file(APP, default_timeout=60)
