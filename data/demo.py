"""Synthetic initiatives for benchmarks and tests — never presented as real.

``ALLIANCES_DEMO_N=<N>`` makes the app show N of these instead of the bundled
referential, under a visible "Données fictives de démonstration" banner. They are
placed in real communes, drawn with probability proportional to population, so
that density looks like the country's; every name says « fictive ».
"""

from __future__ import annotations

import numpy as np

from data import taxonomy
from data.catalog import Catalog, build_catalog
from data.schema import Initiative
from geo.reference import Reference

DEMO_BANNER = "Données fictives de démonstration"


def _subset(rng: np.random.Generator, keys: tuple[str, ...], most: int) -> tuple[str, ...]:
    count = int(rng.integers(1, most + 1))
    picked = rng.choice(len(keys), size=count, replace=False)
    return tuple(keys[i] for i in sorted(picked))


def synthetic_initiatives(n: int, reference: Reference, *, seed: int = 0) -> list[Initiative]:
    """Generate ``n`` synthetic initiatives in real communes.

    Parameters
    ----------
    n
        How many to generate.
    reference
        Reference geography; communes are drawn weighted by population.
    seed
        Random seed: the same ``(n, seed)`` gives the same initiatives.
    """
    rng = np.random.default_rng(seed)
    communes = reference.communes[reference.communes["latitude"].notna()]
    weights = communes["population"].to_numpy(dtype=float) + 1.0
    drawn = rng.choice(len(communes), size=n, p=weights / weights.sum())
    codes = communes.index.to_numpy()[drawn]
    names = communes["name"].to_numpy()[drawn]
    # A small spread around the commune's point, so that one city's markers can be told apart.
    lat = communes["latitude"].to_numpy()[drawn] + rng.normal(0, 0.004, n)
    lng = communes["longitude"].to_numpy()[drawn] + rng.normal(0, 0.006, n)
    forms, themes, actors = tuple(taxonomy.FORMS), tuple(taxonomy.THEMES), tuple(taxonomy.ACTOR_TYPES)
    trades, scales = tuple(taxonomy.TRADES), tuple(taxonomy.SCALES)
    items = []
    for i in range(n):
        ecosystem = rng.random() < 0.35
        nature = "ecosystem" if ecosystem else "partnership"
        items.append(
            Initiative(
                id=f"demo-{i + 1}",
                name=f"Initiative fictive n° {i + 1} – {names[i]}",
                nature=nature,
                commune_code=str(codes[i]),
                forms=_subset(rng, forms, 2),
                description=f"{DEMO_BANNER} : cette initiative n'existe pas.",
                catalyst=f"Catalyseur fictif n° {i + 1}" if ecosystem else "",
                trades=_subset(rng, trades, 2) if ecosystem else (),
                actor_types=_subset(rng, actors, 3),
                partners=(),
                themes=_subset(rng, themes, 3),
                scale=scales[int(rng.integers(0, len(scales)))],
                latitude=round(float(lat[i]), 5),
                longitude=round(float(lng[i]), 5),
                synthetic=True,
            )
        )
    return items


def demo_catalog(n: int, reference: Reference, *, seed: int = 0) -> Catalog:
    """Build a catalog of ``n`` synthetic initiatives (flagged ``synthetic``)."""
    return build_catalog(synthetic_initiatives(n, reference, seed=seed), reference, synthetic=True)
