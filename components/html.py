"""The one place that builds HTML from data; it escapes everything it is given.

Why so strict: folium popups and tooltips insert raw HTML, and their text sits
inside JavaScript template literals where ``${...}`` runs; the map iframe may
reach the app. So every text from data or users goes through :func:`escape`,
which HTML-escapes and also neutralises ``$``, backtick and backslash, and links
go through :func:`safe_url`, which keeps only http(s).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from components import wording
from data import taxonomy

_EXTRA = str.maketrans({"$": "&#36;", "`": "&#96;", "\\": "&#92;", "{": "&#123;", "}": "&#125;"})


def escape(text: object) -> str:
    """Escape text for HTML, attributes and template literals.

    Examples
    --------
    >>> escape("${alert(1)}<img src=x>")
    '&#36;&#123;alert(1)&#125;&lt;img src=x&gt;'
    """
    import html

    return html.escape("" if text is None else str(text), quote=True).translate(_EXTRA)


_MARKDOWN_SPECIALS = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|<>$~"})


def markdown_text(text: object) -> str:
    r"""Escape text for ``st.markdown`` (no link, image, emphasis or LaTeX from data).

    Examples
    --------
    >>> print(markdown_text("[x](javascript:alert(1)) *a* $b$"))
    \[x\]\(javascript:alert\(1\)\) \*a\* \$b\$
    """
    return ("" if text is None else str(text)).translate(_MARKDOWN_SPECIALS)


def safe_url(url: str) -> str | None:
    """Return the URL if it is a plain http(s) link, else ``None``.

    ``javascript:``, ``data:``, relative and malformed URLs are refused.
    """
    if not isinstance(url, str):
        return None
    candidate = url.strip()
    if any(ord(c) < 33 for c in candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return candidate


def link(url: str, text: str | None = None) -> str:
    """An external link (new tab, no referrer), or the escaped text if the URL is unsafe."""
    target = safe_url(url)
    label = escape(text if text is not None else url)
    if target is None:
        return label
    return f'<a href="{escape(target)}" target="_blank" rel="noopener noreferrer">{label}</a>'


def markdown_link(url: str, text: str) -> str:
    r"""A link for ``st.markdown``, or the escaped text alone if the URL is unsafe.

    >>> print(markdown_link("https://exemple.fr/a_(b)", "source [1]"))
    [source \[1\]](<https://exemple.fr/a_(b)>)
    >>> print(markdown_link("javascript:alert(1)", "site"))
    site
    """
    target = safe_url(url)
    if target is None:
        return markdown_text(text)
    return f"[{markdown_text(text)}](<{target.replace('<', '%3C').replace('>', '%3E')}>)"


def tooltip(name: str, commune: str) -> str:
    """Marker tooltip: the initiative's name and commune."""
    return f"<b>{escape(name)}</b><br>{escape(commune)}"


def _chips(values: Iterable[str], css: str) -> str:
    return "".join(f'<span class="chip {css}">{escape(v)}</span>' for v in values)


def _row(label: str, value_html: str) -> str:
    if not value_html:
        return ""
    return f"<dt>{escape(label)}</dt><dd>{value_html}</dd>"


def _known(value: object) -> bool:
    return isinstance(value, str) and bool(value)


def _territory(item: dict) -> str:
    """« Quimper (29232) · Finistère (29) · Bretagne », or for an initiative attached to a
    territory « échelle départementale : Finistère (29) · Bretagne »."""
    parts = []
    if item.get("territory_level"):
        parts.append(f"{escape(item['place'])} ({escape(item['territory_code'])})")
    else:
        parts.append(f"{escape(item['commune'])} ({escape(item['commune_code'])})")
    if _known(item.get("departement")) and item.get("territory_level") != "departement":
        parts.append(f"{escape(item['departement'])} ({escape(item['dep_code'])})")
    if _known(item.get("region")) and item.get("territory_level") != "region":
        parts.append(escape(item["region"]))
    return " · ".join(parts)


def _year(item: dict) -> str:
    year = item.get("year")
    if year is None or year != year or str(year) in ("", "<NA>"):
        return ""
    return f'<p class="year">Situation en {escape(int(year))}</p>'


def detail_panel(item: dict, *, synthetic: bool = False) -> str:
    """The detail panel of one initiative: every field, its territory, sources.

    Parameters
    ----------
    item
        A row of the catalog as a dict (see :mod:`data.catalog`).
    synthetic
        Whether the data are synthetic (shows a warning instead of sources).
    """
    color = taxonomy.NATURE_COLORS.get(item["nature"], "#555")
    nature = taxonomy.label(taxonomy.NATURE_LONG, item["nature"])
    territory = _territory(item)
    sources = "".join(f"<li>{link(url)}</li>" for url in item["sources"])
    rows = [
        _row("Catalyseur", escape(item["catalyst"])),
        _row("Métiers du catalyseur", _chips(taxonomy.labels(taxonomy.TRADES, item["trades"]), "trade")),
        _row("Formes de partenariat", _chips(taxonomy.labels(taxonomy.FORMS, item["forms"]), "form")),
        _row("Thèmes / fragilités", _chips(taxonomy.labels(taxonomy.THEMES, item["themes"]), "theme")),
        _row("Types d'acteurs", _chips(taxonomy.labels(taxonomy.ACTOR_TYPES, item["actor_types"]), "actor")),
        _row("Partenaires", "<br>".join(escape(p) for p in item["partners"])),
        _row("Échelle", escape(taxonomy.label(taxonomy.SCALES, item["scale"])) if item["scale"] else ""),
        _row("Territoire", territory),
        _row("Site web", link(item["website"]) if item["website"] else ""),
        _row("Sources", f"<ul>{sources}</ul>" if sources else ""),
        _row("Vérifié le", escape(_french_date(item["verified_on"]))),
    ]
    warning = (
        '<p class="synthetic">Donnée fictive de démonstration : cette initiative n’existe pas.</p>'
        if synthetic
        else ""
    )
    return (
        '<div class="detail-panel">'
        f'<p class="nature" style="color:{color}">● {escape(nature)}</p>'
        f"<h3>{escape(item['name'])}</h3>{warning}{_year(item)}"
        f'<p class="description">{escape(item["description"])}</p>'
        f"<dl>{''.join(rows)}</dl></div>"
    )


def territory_tooltip(name: str, lines: list[str]) -> str:
    """Tooltip of a territory on a choropleth: its name, then one line per figure."""
    return f"<b>{escape(name)}</b>" + "".join(f"<br>{escape(line)}" for line in lines)


def _french_date(iso: str) -> str:
    if not iso or len(iso) != 10:
        return iso or ""
    try:
        return wording.date(dt.date.fromisoformat(iso))
    except ValueError:  # not a date: shown as written
        return iso


PANEL_CSS = """
<style>
.detail-panel h3 {margin: 0.1rem 0 0.4rem 0; font-size: 1.25rem;}
.detail-panel .nature {margin: 0; font-weight: 600; font-size: 0.9rem;}
.detail-panel .synthetic {background:#fff3cd; padding:0.3rem 0.5rem; border-radius:4px;}
.detail-panel dl {display:grid; grid-template-columns: max-content 1fr; gap:0.25rem 0.8rem; font-size:0.9rem;}
.detail-panel dt {font-weight:600; color:#444;}
.detail-panel dd {margin:0; overflow-wrap:anywhere;}
.detail-panel ul {margin:0; padding-left:1.1rem;}
.detail-panel .chip {display:inline-block; background:#eef2f7; border-radius:10px;
  padding:0 0.5rem; margin:0 0.25rem 0.2rem 0;}
</style>
"""
