"""The one HTML builder escapes everything and keeps only http(s) links."""

import pytest

from components import html

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "${alert(1)}",
    "`backtick`",
    "</script><script>alert(1)</script>",
    "\"'><svg onload=alert(1)>",
    "back\\slash",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_neutralises_markup_and_template_literals(text):
    out = html.escape(text)
    for dangerous in ("<", ">", "${", "`", "\\", '"', "'"):
        assert dangerous not in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Éco-lieu « Les Tilleuls » 🌳", "Éco-lieu « Les Tilleuls » 🌳"), ("A & B", "A &amp; B"), (None, "")],
)
def test_escape_keeps_ordinary_text(text, expected):
    assert html.escape(text) == expected


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "data:text/html,<b>x</b>",
        "/relative",
        "http://",
        "ftp://x.fr",
        "https://exa mple.fr",
        "\x01https://x.fr",
    ],
)
def test_safe_url_refuses(url):
    assert html.safe_url(url) is None


@pytest.mark.parametrize("url", ["https://www.tzcld.fr/", "http://example.org/a?b=c&d=e#f"])
def test_safe_url_accepts_http(url):
    assert html.safe_url(url) == url


def test_link_of_unsafe_url_is_plain_text():
    assert html.link("javascript:alert(1)") == "javascript:alert(1)"
    assert 'rel="noopener noreferrer"' in html.link("https://example.org")


def test_tooltip_escapes_name_and_commune():
    out = html.tooltip("${alert(1)}<img src=x onerror=alert(2)>", "<b>Lyon</b>")
    assert "<img" not in out and "${" not in out and "<b>Lyon</b>" not in out
    assert out.startswith("<b>&#36;&#123;alert(1)&#125;&lt;img")


def _item(**over):
    item = {
        "id": "x",
        "name": "Nom",
        "nature": "ecosystem",
        "catalyst": "",
        "forms": ("patronage",),
        "trades": (),
        "actor_types": (),
        "partners": (),
        "themes": (),
        "scale": "",
        "description": "",
        "website": "",
        "sources": ("https://example.org",),
        "verified_on": "2026-11-27",
        "commune": "Lyon",
        "commune_code": "69123",
        "departement": "Rhône",
        "dep_code": "69",
        "region": "Auvergne-Rhône-Alpes",
    }
    item.update(over)
    return item


def test_detail_panel_shows_every_field_in_french():
    out = html.detail_panel(
        _item(
            catalyst="Pôle",
            trades=("support",),
            themes=("employment",),
            scale="local",
            partners=("A", "B"),
            website="https://site.fr",
        )
    )
    for text in (
        "Écosystème territorial animé par un catalyseur",
        "Accompagnements",
        "Mécénat",
        "Emploi",
        "Local (commune, intercommunalité)",
        "Lyon (69123)",
        "Rhône (69)",
        "Auvergne-Rhône-Alpes",
        "27 novembre 2026",
        "https://site.fr",
        "https://example.org",
    ):
        assert text in out


@pytest.mark.parametrize("text", HOSTILE)
def test_detail_panel_escapes_every_data_field(text):
    out = html.detail_panel(
        _item(
            name=text,
            description=text,
            catalyst=text,
            partners=(text,),
            commune=text,
            sources=("javascript:alert(1)",),
            website=text,
        )
    )
    assert "<img" not in out and "<svg" not in out and "<script" not in out and "${" not in out
    assert 'href="javascript' not in out


def test_detail_panel_flags_synthetic_data():
    assert "Donnée fictive" in html.detail_panel(_item(), synthetic=True)
    assert "Donnée fictive" not in html.detail_panel(_item())
