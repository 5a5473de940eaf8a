"""The « Intégrer cette carte » snippet, pasted in a page of another origin, in Debian's Chromium."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from bench.server import free_port
from components.embed import snippet
from tests.browser.conftest import MAP_FRAME, shot


@pytest.fixture
def host_site(tmp_path, server):
    """Another origin (another port) serving a page that embeds the map at 320 px wide."""
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Site partenaire</title></head>'
        '<body style="margin:0"><h1>Nos alliances en Bretagne</h1><div style="width:320px">'
        + snippet(server, {"region": "53"}, height=700)
        + "</div></body></html>",
        encoding="utf-8",
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/index.html"
    httpd.shutdown()


def test_snippet_shows_the_locked_view_on_another_site(page, host_site):
    page.goto(host_site)
    embedded = page.frame_locator('iframe[title="Carte des alliances"]')
    embedded.get_by_text("Carte des alliances — ").wait_for(timeout=60_000)
    embedded.frame_locator(MAP_FRAME).first.locator(".alliances-cluster, .alliances-point").first.wait_for(
        timeout=60_000
    )
    assert embedded.get_by_role("link", name="Voir la carte complète").count() == 1
    assert embedded.locator('[data-testid="stSidebar"]').count() == 0 or not embedded.locator(
        '[data-testid="stSidebar"]'
    ).is_visible()
    assert embedded.get_by_text("Filtres", exact=True).count() == 0
    width = embedded.locator("body").evaluate("b => [b.scrollWidth, b.clientWidth]")
    assert width[0] <= width[1]  # usable at 320 px: no sideways scrolling
    shot(page, "integration")
