"""Coverage of the bundled referential against the inventory's targets, and the rules code can check.

Why: the referential grows towards the national inventory (1,000 examples: 650 partnership
dynamics, 350 territorial ecosystems) without inventing anything, so its size and spread
are measured, and every entry is held to the rules learned from checking entries by hand
(dated, sourced once per page, ecosystems naming their catalyst, no near-duplicate in the
same place). Command line: ``python -m data.referentiel [--fichier initiatives.json]``.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from data import taxonomy
from data.catalog import BUNDLED_PATH, Catalog, CatalogError, load_bundled
from geo.reference import DEFAULT_CACHE, OVERSEAS_REGIONS, Reference

#: The inventory's targets (issue « 1 000 exemples »).
TARGETS = {
    "total": 1000,
    "partnership": 650,
    "ecosystem": 350,
    "metropolitan_region": 35,
    "overseas_region": 6,
    "departements": 90,
    "form": 100,
    "theme": 40,
    "catalyst_share": 0.85,
}
_WORD = re.compile(r"[a-z0-9]+")
_STOP = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "a", "en", "pour", "au", "aux", "sur"}


@dataclass(frozen=True)
class Line:
    """One line of the coverage table."""

    what: str
    count: float
    target: float

    @property
    def met(self) -> bool:
        return self.count >= self.target


def source_key(url: str) -> str:
    """The same page written twice: ``http``/``https``, ``www.`` and a trailing slash ignored.

    >>> source_key("http://www.example.org/a/") == source_key("https://example.org/a")
    True
    """
    text = re.sub(r"^https?://(www\.)?", "", url.strip().lower())
    return text.rstrip("/")


def coverage(catalog: Catalog, reference: Reference) -> list[Line]:
    """The coverage table: totals, natures, régions, départements, forms, themes, catalysts."""
    frame = catalog.frame
    natures = Counter(frame["nature"])
    regions = Counter(frame["reg_code"].dropna())
    lines = [
        Line("initiatives", len(frame), TARGETS["total"]),
        Line("dynamiques partenariales", natures["partnership"], TARGETS["partnership"]),
        Line("écosystèmes territoriaux", natures["ecosystem"], TARGETS["ecosystem"]),
    ]
    for code, name in reference.regions["name"].items():
        overseas = code in OVERSEAS_REGIONS
        target = TARGETS["overseas_region"] if overseas else TARGETS["metropolitan_region"]
        lines.append(Line(f"région {name}", regions[code], target))
    lines.append(
        Line("départements représentés", frame["dep_code"].dropna().nunique(), TARGETS["departements"])
    )
    for key, label in taxonomy.FORMS.items():
        lines.append(Line(f"forme « {label} »", sum(key in f for f in frame["forms"]), TARGETS["form"]))
    for key, label in taxonomy.THEMES.items():
        lines.append(Line(f"thème « {label} »", sum(key in t for t in frame["themes"]), TARGETS["theme"]))
    ecosystems = frame[frame["nature"] == "ecosystem"]
    share = (ecosystems["catalyst"].str.strip() != "").mean() if len(ecosystems) else 0.0
    lines.append(
        Line(
            "part des écosystèmes qui nomment leur catalyseur",
            round(float(share), 3),
            TARGETS["catalyst_share"],
        )
    )
    return lines


def _words(name: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(taxonomy.fold(name)) if w not in _STOP)


def rule_breaks(catalog: Catalog) -> list[str]:
    """Entries that break a rule code can check, one French line each."""
    frame = catalog.frame
    breaks = []
    for row in frame.itertuples():
        keys = [source_key(u) for u in row.sources]
        if len(keys) != len(set(keys)):
            breaks.append(f"{row.id} : la même source apparaît deux fois")
        if pd.isna(row.year):
            breaks.append(f"{row.id} : année des faits manquante")
        if row.nature == "ecosystem" and not row.catalyst.strip():
            breaks.append(f"{row.id} : écosystème sans catalyseur nommé")
        if re.search(r"depuis plus de \w+ ans", row.description) and not re.search(
            r"\b(19|20)\d\d\b", row.description
        ):
            breaks.append(f"{row.id} : « depuis plus de … ans » sans année")
    for _, group in frame.groupby("anchor_code"):
        words = [(ident, _words(name)) for ident, name in zip(group["id"], group["name"], strict=True)]
        for k, (first, a) in enumerate(words):
            for second, b in words[k + 1 :]:
                if a and b and len(a & b) / len(a | b) >= 0.8:
                    breaks.append(f"{first} ~ {second} : noms presque identiques au même endroit")
    return breaks


def _french(value: float) -> str:
    return f"{value:.0%}".replace("%", " %") if value < 1 else f"{value:,.0f}".replace(",", "\u202f")


def report(catalog: Catalog, reference: Reference) -> tuple[str, bool]:
    """The printed report and whether every target is met and no rule is broken."""
    lines = coverage(catalog, reference)
    breaks = rule_breaks(catalog)
    out = ["Couverture du référentiel (cible entre parenthèses)"]
    out += [
        f"  {'✓' if line.met else '✗'} {line.what} : {_french(line.count)} ({_french(line.target)})"
        for line in lines
    ]
    missed = sum(not line.met for line in lines)
    out.append(f"{missed} cible(s) non atteinte(s) sur {len(lines)}.")
    out.append(f"{len(breaks)} entrée(s) enfreignent une règle vérifiable :")
    out += [f"  - {text}" for text in breaks]
    return "\n".join(out), missed == 0 and not breaks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data.referentiel", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--fichier", type=Path, default=BUNDLED_PATH, help="référentiel (défaut : %(default)s)"
    )
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    args = parser.parse_args(argv)
    from geo import reference as geo_reference

    reference = geo_reference.load(args.cache)
    try:
        catalog = load_bundled(reference, args.fichier)
    except CatalogError as error:
        print(error, file=sys.stderr)
        return 2
    text, complete = report(catalog, reference)
    print(text)
    return 0 if complete else 1


if __name__ == "__main__":
    raise SystemExit(main())
