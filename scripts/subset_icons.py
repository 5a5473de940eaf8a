"""Write a small copy of Streamlit's icon font holding only the icons Streamlit can show here.

Why: Streamlit draws its few interface icons (sidebar arrows, expander chevron, password
eye…) with the Material Symbols font, a 375 kB file that a visitor downloads before the
map on a slow link. The app itself uses no icon. The reverse proxy serves this copy
(about 1 % of the size) in place of the original (deploy/nginx/alliances.conf).

Kept: every ligature whose name appears as a quoted word in Streamlit's front-end scripts
(the icons it can draw), plus a safety list. Usage (run by ``make setup``):
``python scripts/subset_icons.py [--out var/fonts/material-symbols-subset.woff2]``.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import streamlit
from fontTools import subset
from fontTools.ttLib import TTFont

STATIC = Path(streamlit.__file__).parent / "static" / "static"
ALWAYS = {
    "expand_more",
    "expand_less",
    "keyboard_arrow_right",
    "keyboard_arrow_down",
    "keyboard_arrow_up",
    "keyboard_double_arrow_left",
    "keyboard_double_arrow_right",
    "visibility",
    "visibility_off",
    "close",
    "check",
    "error",
    "warning",
    "info",
    "search",
    "upload",
    "download",
    "menu",
    "more_vert",
}


def source_font() -> Path:
    """Streamlit's Material Symbols file (its name carries a hash that changes with versions)."""
    return next(STATIC.glob("media/MaterialSymbols-Rounded*.woff2"))


def ligatures(font: TTFont) -> dict[str, str]:
    """Icon name → glyph name, from the font's ligature substitutions."""
    chars = {glyph: chr(code) for code, glyph in font.getBestCmap().items()}
    names: dict[str, str] = {}
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for table in lookup.SubTable:
            table = getattr(table, "ExtSubTable", table)
            for first, rules in getattr(table, "ligatures", {}).items():
                for rule in rules:
                    text = "".join(chars.get(g, "\0") for g in (first, *rule.Component))
                    names.setdefault(text, rule.LigGlyph)
    return names


def wanted_names() -> set[str]:
    words: set[str] = set(ALWAYS)
    for script in STATIC.glob("js/*.js"):
        words.update(re.findall(r'["\'`:/]([a-z][a-z0-9_]{1,40})["\'`]', script.read_text(errors="ignore")))
    return words


def build(out: Path) -> tuple[int, int]:
    """Write the subset; return (icons kept, bytes)."""
    font = TTFont(source_font())
    table = ligatures(font)
    keep = sorted(name for name in wanted_names() if name in table)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_closure = False
    options.layout_features = ["liga", "rlig", "calt", "ccmp"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    letters = "abcdefghijklmnopqrstuvwxyz0123456789_"
    subsetter.populate(glyphs=[table[name] for name in keep], text=letters)
    subsetter.subset(font)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    font.flavor = "woff2"
    font.save(tmp)
    tmp.replace(out)
    return len(keep), out.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("var/fonts/material-symbols-subset.woff2"))
    args = parser.parse_args(argv)
    kept, size = build(args.out)
    print(f"Icônes : {kept} gardées, {size / 1000:.1f} ko ({args.out})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
