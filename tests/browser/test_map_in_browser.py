"""The explorer as a person uses it, in Debian's Chromium, with no network beyond localhost."""

import re

import pytest

from components import wording
from components.table import PAGE_SIZE
from data.catalog import load_bundled
from tests.browser.conftest import MAP_FRAME, shot, start_server, wait_for_map, warm_up
from tests.conftest import DATA


def heading(page) -> str:
    return page.locator("h3").filter(has_text=re.compile(r"initiatives? sur")).first.inner_text()


def test_map_shows_markers_from_local_files_only(page, server):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server)
    frame = wait_for_map(page)
    assert frame.locator(".alliances-legend").inner_text().startswith("Nature de l'initiative")
    page.wait_for_timeout(500)
    outside = [u for u in requests if not u.startswith(server) and not u.startswith("data:")]
    assert outside == []
    assert any("/donnees/carte-" in u for u in requests)  # Leaflet and our script, one local file
    shot(page, "accueil")


def test_filter_changes_the_count(page, server, reference):
    catalog = load_bundled(reference)
    page.goto(server)
    frame = wait_for_map(page)
    total = len(catalog)
    assert heading(page).startswith(f"{wording.number(total)} initiatives sur {wording.number(total)}")
    page.get_by_text("Liste —").first.wait_for(timeout=30_000)
    page.locator(MAP_FRAME).first.evaluate("f => { f.dataset.same = 'oui'; }")
    box = page.get_by_label("Forme de partenariat", exact=False).first
    box.click()
    page.get_by_role("option", name=re.compile(r"^Mécénat \(")).click()
    page.keyboard.press("Escape")
    kept = sum("patronage" in forms for forms in catalog.frame["forms"])
    page.wait_for_function(
        "n => [...document.querySelectorAll('h3')].some(h => h.innerText.startsWith(n + ' initiative'))",
        arg=str(kept),
        timeout=15_000,
    )
    frame.locator("#alliances-count").filter(has_text=f"{kept} initiative").wait_for(timeout=10_000)
    assert "forme=mecenat" in page.url
    # The same map frame, updated in place: a filter change never reloads the map.
    assert page.locator(MAP_FRAME).count() == 1
    assert page.locator(MAP_FRAME).get_attribute("data-same") == "oui"
    shot(page, "filtre-mecenat")


def test_clicking_a_marker_opens_the_detail_panel(page, server):
    page.goto(server + "/?region=53")
    frame = wait_for_map(page)
    point = frame.locator("path.alliances-point").filter(visible=True).first  # one in view
    point.wait_for(timeout=10_000)
    point.click(force=True)
    panel = page.locator(".detail-panel")
    panel.wait_for(timeout=15_000)
    assert "Bretagne" in panel.inner_text()
    assert "id=" in page.url
    frame.locator("path.alliances-selected").wait_for(state="attached", timeout=10_000)
    shot(page, "fiche-apres-clic")


def test_permalink_restores_the_view(page, server, reference):
    catalog = load_bundled(reference)
    target = catalog.frame[catalog.frame["reg_code"] == "84"].iloc[0]
    page.goto(f"{server}/?region=84&forme=&id={target['id']}")
    frame = wait_for_map(page)
    panel = page.locator(".detail-panel")
    panel.wait_for(timeout=15_000)
    assert panel.locator("h3").inner_text() == target["name"]
    kept = int((catalog.frame["reg_code"] == "84").sum())
    assert heading(page).startswith(f"{kept} initiative")
    regions = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first
    regions.get_by_text("Auvergne-Rhône-Alpes").wait_for(timeout=15_000)  # the filters follow the map
    assert regions.inner_text().count("Auvergne-Rhône-Alpes") == 1
    frame.locator("path.alliances-selected").wait_for(state="attached", timeout=10_000)
    shot(page, "lien-permanent")


def test_overseas_region_zooms_there(page, server):
    page.goto(server + "/?region=04")
    frame = wait_for_map(page)
    page.wait_for_timeout(800)
    center = frame.locator("body").evaluate("() => [window.map.getCenter().lat, window.map.getCenter().lng]")
    assert -21.5 < center[0] < -20.8 and 55.1 < center[1] < 56.0
    shot(page, "la-reunion")


@pytest.fixture(scope="module")
def hostile_server(browser, tmp_path_factory):
    db = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'alliances.sqlite3'}"
    proc, url = start_server({"ALLIANCES_DATA": str(DATA / "hostile.json"), "ALLIANCES_DATABASE_URL": db})
    warm_up(browser, url)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_hostile_text_is_shown_literally(page, hostile_server):
    name = "${alert(1)}<img src=x onerror=alert(2)>"
    page.goto(hostile_server + "/?id=hostile")
    frame = wait_for_map(page)
    panel = page.locator(".detail-panel")
    panel.wait_for(timeout=15_000)
    assert panel.locator("h3").inner_text() == name
    assert "</script><script>alert(3)</script>" in panel.inner_text()
    assert panel.locator("img, svg, script").count() == 0
    # Zoom to the point and hover it: the tooltip shows the name as text.
    frame.locator("body").evaluate("() => { window.map.setView([45.7640, 4.8357], 15); }")
    point = frame.locator("path.alliances-point").first
    point.wait_for(timeout=10_000)
    point.hover(force=True)
    tooltip = frame.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=5_000)
    assert name in tooltip.inner_text()
    assert tooltip.locator("img").count() == 0
    point.click(force=True)
    page.wait_for_timeout(1_500)
    assert page.dialogs == []
    shot(page, "texte-hostile")


def test_list_follows_the_map_and_a_row_opens_the_detail(page, server, reference):
    catalog = load_bundled(reference)
    page.goto(server + "/?region=84")
    wait_for_map(page)
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.wait_for(timeout=15_000)  # filled once the map has reported its markers
    kept = int((catalog.frame["reg_code"] == "84").sum())
    shown = wording.number(min(kept, PAGE_SIZE))  # the list shows 100 rows a page
    assert page.get_by_text(f"1 à {shown} sur {wording.initiatives(kept)}").count() == 1
    page.wait_for_timeout(500)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # first row's selection cell
    panel = page.locator(".detail-panel")
    panel.wait_for(timeout=15_000)
    first = catalog.frame[catalog.frame["reg_code"] == "84"].iloc[0]
    assert panel.locator("h3").inner_text() == first["name"]
    assert f"id={first['id']}" in page.url
    shot(page, "fiche-depuis-liste")


def test_download_exactly_what_is_shown_and_reimport_it(page, server, reference, tmp_path):
    import datetime as dt

    from data.importer import check_rows
    from data.readers import read_file
    from geo.geocode import Geocoder
    from tests.conftest import CACHE

    catalog = load_bundled(reference)
    frame = catalog.frame
    expected = int(((frame["reg_code"] == "53") & frame["forms"].map(lambda f: "patronage" in f)).sum())
    page.goto(server + "/?region=53&forme=mecenat")
    wait_for_map(page)
    page.get_by_role("button", name=f"Télécharger ({expected} initiative").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="Excel (XLSX)").click()
    download = info.value
    assert download.suggested_filename == f"alliances-bretagne-mecenat-{dt.date.today().isoformat()}.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    report = check_rows(read_file(path.read_bytes(), path.name), Geocoder.from_cache(CACHE))
    assert report.rows == expected and report.accepted_count == expected
    shot(page, "telecharger")


def test_scale_is_metric_only(page, server):
    page.goto(server)
    frame = wait_for_map(page)
    lines = frame.locator(".leaflet-control-scale-line")
    assert lines.count() == 1
    assert lines.first.inner_text().endswith(("km", " m"))


def test_the_map_does_not_move_under_the_pointer_while_the_page_fills(page, server):
    """A laptop's first click must land where the person aimed: the map stays put while the
    filters and the list appear after it."""
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(server)
    wait_for_map(page)
    frame = page.locator(MAP_FRAME).first
    first = frame.bounding_box()["y"]
    page.get_by_text("Liste —").first.wait_for(timeout=30_000)  # the list follows the map
    page.wait_for_timeout(500)
    assert abs(frame.bounding_box()["y"] - first) <= 2
