"""axe-core (installed from the npm registry at a pinned version) on every page and inside the map frame.

Goal: zero « serious » or « critical » violations; French language and a distinct title per page.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import MAP_FRAME
from tests.conftest import ROOT

AXE = ROOT / "static" / "vendor" / "axe-core" / "axe.min.js"
_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations
    .filter((v) => ["serious", "critical"].includes(v.impact))
    .map((v) => `${v.id} (${v.impact}) : ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}"""
PAGES = [
    ("/", "Carte des alliances", True),
    ("/a-proximite?commune=69123", "À proximité — Carte des alliances", True),
    ("/territoires?niveau=departements&mesure=zones-blanches", "Territoires — Carte des alliances", True),
    ("/fiche-territoire?niveau=departement&code=23", "Fiche territoire — Carte des alliances", False),
    (
        "/par-ou-commencer?qui=association&commune=23079&objectif=coconstruire&fragilites=lien-social",
        "Par où commencer ? — Carte des alliances",
        False,
    ),
    ("/proposer", "Proposer une initiative — Carte des alliances", False),
    ("/connexion", "Connexion — Carte des alliances", False),
    ("/accessibilite", "Accessibilité — Carte des alliances", False),
]


@pytest.mark.parametrize(("path", "title", "has_map"), PAGES)
def test_no_serious_or_critical_violation(page, server, path, title, has_map):
    page.goto(server + path)
    page.locator("h1").first.wait_for(timeout=60_000)
    if has_map:
        page.frame_locator(MAP_FRAME).first.locator(".alliances-legend").wait_for(timeout=60_000)
    page.wait_for_timeout(2_000)  # the filters and list follow the map
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.title() == title
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(_RUN) == []
    if has_map:
        frame = page.frame_locator(MAP_FRAME).first
        frame.locator("body").evaluate(
            "(body, source) => { const s = document.createElement('script');"
            " s.textContent = source; body.appendChild(s); }",
            AXE.read_text(),
        )
        handle = page.locator(MAP_FRAME).first.element_handle().content_frame()
        assert handle.evaluate("document.documentElement.lang") == "fr"
        assert handle.evaluate(_RUN) == []
        assert page.locator(MAP_FRAME).first.get_attribute("title") == "Carte interactive des alliances"
