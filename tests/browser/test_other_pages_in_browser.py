"""« À proximité » and « Territoires » in Debian's Chromium."""

import re

from data.catalog import load_bundled
from tests.browser.conftest import MAP_FRAME, shot


def wait_nearby(page):
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.alliances-point").first.wait_for(timeout=30_000)
    return frame


def test_nearby_from_a_commune_link(page, server, reference):
    page.goto(server + "/a-proximite?commune=69123&rayon=30")
    frame = wait_nearby(page)
    assert frame.locator("path.alliances-origin").count() == 1
    assert re.search(r"\d+ initiatives? à moins de 30 km", frame.locator("#alliances-count").inner_text())
    page.get_by_text("Mon catalyseur").wait_for()
    page.get_by_text(re.compile(r"à moins de 30 km de Lyon \(69\)")).wait_for()
    # A result marker opens the detail panel beside the map (click once the map has settled).
    page.wait_for_timeout(1_000)
    box = frame.locator("path.alliances-point").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.locator(".detail-panel").wait_for(timeout=15_000)
    assert "id=" in page.url and "commune=69123" in page.url
    shot(page, "a-proximite-lyon")


def test_clicking_the_map_starts_from_that_point(page, server):
    page.goto(server + "/a-proximite?commune=69123&rayon=10")
    frame = wait_nearby(page)
    box = page.locator(MAP_FRAME).first.bounding_box()
    page.mouse.click(box["x"] + 60, box["y"] + box["height"] - 80)  # an empty corner of the map
    page.wait_for_url(re.compile(r"lat=.*lon="), timeout=15_000)
    assert "commune=" not in page.url
    frame.locator("path.alliances-origin").wait_for(state="attached")
    shot(page, "a-proximite-point")


def test_detail_panel_links_to_nearby(page, server, reference):
    catalog = load_bundled(reference)
    target = catalog.frame.iloc[0]
    page.goto(f"{server}/?id={target['id']}")
    page.locator(".detail-panel").wait_for(timeout=30_000)
    page.get_by_role("link", name=re.compile("Voir à proximité")).click()
    page.wait_for_url(re.compile(r"a-proximite\?initiative="), timeout=15_000)
    page.get_by_text("Mon catalyseur").wait_for(timeout=30_000)
    assert page.get_by_text("Page not found").count() == 0


def test_territories_choropleth_and_coverage(page, server):
    page.goto(server + "/territoires")
    frame = page.frame_locator(MAP_FRAME)
    legend = frame.locator(".alliances-legend")
    legend.filter(has_text="Nombre d'initiatives").wait_for(timeout=30_000)
    page.get_by_text("Zones blanches (loin d'un catalyseur)").click()
    legend.filter(has_text="Population à plus de 30 km d'un catalyseur").wait_for(timeout=30_000)
    page.get_by_text("Départements", exact=True).click()
    page.get_by_text("Chiffres par département").wait_for(timeout=30_000)
    page.wait_for_timeout(1_500)
    shot(page, "territoires-zones-blanches")
