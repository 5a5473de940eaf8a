"""Initiatives joined to the reference geography, in a shape built for fast filtering.

A :class:`Catalog` holds one row per initiative in a pandas DataFrame (for the
table and the detail panel) and, beside it, bit masks per facet as NumPy
arrays: filtering 100,000 initiatives is then a handful of vectorised
operations, not a loop over Python objects.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from data import taxonomy
from data.schema import Initiative, Problem, validate
from data.taxonomy import fold
from geo.reference import Reference

#: Facets stored as bit masks: field → ordered vocabulary keys.
MULTI_FACETS: dict[str, tuple[str, ...]] = {
    "forms": tuple(taxonomy.FORMS),
    "themes": tuple(taxonomy.THEMES),
    "actor_types": tuple(taxonomy.ACTOR_TYPES),
}
BUNDLED_PATH = Path(__file__).parent / "referentiel" / "initiatives.json"


class CatalogError(ValueError):
    """Raised when a data file cannot be loaded; carries every problem found."""

    def __init__(self, problems: Sequence[Problem | str]):
        self.problems = list(problems)
        shown = "\n".join(str(p) for p in self.problems[:20])
        more = f"\n… et {len(self.problems) - 20} autres" if len(self.problems) > 20 else ""
        super().__init__(f"{len(self.problems)} problème(s) :\n{shown}{more}")


_MISSING = object()
T = TypeVar("T")


@dataclass(frozen=True)
class Catalog:
    """Validated initiatives with their geography; treat as read-only."""

    frame: pd.DataFrame
    masks: dict[str, np.ndarray] = field(repr=False)
    haystack: np.ndarray = field(repr=False)
    synthetic: bool = False

    def __len__(self) -> int:
        return len(self.frame)

    def position(self, initiative_id: str) -> int | None:
        """Row position of an initiative id, or None."""
        positions = self._positions
        return positions.get(initiative_id)

    def memo(self, name: str, compute: Callable[[], T]) -> T:
        """A value derived from this catalog, computed on first use (a catalog never changes,
        and every rerun of every session reads the same one)."""
        cached = self.__dict__.get(f"_memo_{name}", _MISSING)
        if cached is _MISSING:
            cached = compute()
            object.__setattr__(self, f"_memo_{name}", cached)
        return cached

    @property
    def _positions(self) -> dict[str, int]:
        cached = self.__dict__.get("_pos")
        if cached is None:
            cached = {ident: i for i, ident in enumerate(self.frame["id"])}
            object.__setattr__(self, "_pos", cached)
        return cached


def _bits(values: Iterable[tuple[str, ...]], vocabulary: tuple[str, ...]) -> np.ndarray:
    index = {key: 1 << i for i, key in enumerate(vocabulary)}
    return np.fromiter((sum(index[v] for v in row) for row in values), dtype=np.int64)


def _anchor(item: Initiative, reference: Reference) -> str:
    """The commune an initiative is drawn at: its own, or its territory's seat."""
    if item.territory_level:
        return reference.territory_seat(item.territory_level, item.territory_code)
    return item.commune_code


def place_label(level: str, territory_name: str, commune: str) -> str:
    """Where an initiative sits, as read: « Quimper » or « échelle départementale : Finistère ».

    >>> place_label("departement", "Finistère", "")
    'échelle départementale : Finistère'
    """
    if level:
        return f"échelle {taxonomy.TERRITORY_LEVELS[level]} : {territory_name}"
    return commune


def _places(initiatives: Sequence[Initiative], reference: Reference) -> dict[str, list]:
    """Commune, département, région and EPCI of each initiative (a territory's own for attached ones)."""
    communes = reference.communes
    anchors = [_anchor(item, reference) for item in initiatives]
    geo = communes.loc[anchors] if anchors else communes.iloc[:0]
    columns = {
        "anchor_code": anchors,
        "commune": list(geo["name"]),
        "dep_code": list(geo["dep_code"]),
        "reg_code": list(geo["reg_code"]),
        "epci_code": list(geo["epci_code"]),
        "territory_name": [""] * len(anchors),
    }
    for row, item in enumerate(initiatives):
        level = item.territory_level
        if not level:
            continue
        columns["territory_name"][row] = reference.territory_name(level, item.territory_code)
        columns["commune"][row] = ""
        if level == "region":
            columns["dep_code"][row] = None
            columns["reg_code"][row] = item.territory_code
        if level != "epci":
            columns["epci_code"][row] = None
        else:
            columns["epci_code"][row] = item.territory_code
    columns["latitude"] = geo["latitude"].to_numpy(dtype=float)
    columns["longitude"] = geo["longitude"].to_numpy(dtype=float)
    return columns


def _searchable(item: Initiative, row) -> str:
    """What the text search looks in: the initiative's words, the French labels of its forms,
    themes and actor types, and the names of its commune (or territory), département and région."""
    labels = (
        *taxonomy.labels(taxonomy.FORMS, item.forms),
        *taxonomy.labels(taxonomy.THEMES, item.themes),
        *taxonomy.labels(taxonomy.ACTOR_TYPES, item.actor_types),
        taxonomy.NATURES[item.nature],
    )
    places = (row.place, row.departement, row.region)
    words = (
        item.name,
        item.description,
        item.catalyst,
        *item.partners,
        *labels,
        *(p for p in places if isinstance(p, str)),
    )
    return fold(" ".join(words))


def build_catalog(
    initiatives: Sequence[Initiative], reference: Reference, *, synthetic: bool = False
) -> Catalog:
    """Join initiatives to their commune, département and région.

    Rows are sorted by name (ignoring case and accents), the list's order.
    Coordinates given by the initiative win; otherwise the commune's point is used, or,
    for an initiative attached to a territory, its seat's (chief town).
    """
    initiatives = sorted(initiatives, key=lambda item: (fold(item.name), item.id))
    places = _places(initiatives, reference)
    dep_names = reference.departements["name"]
    reg_names = reference.regions["name"]
    lat = np.array([item.latitude for item in initiatives], dtype=float)
    lng = np.array([item.longitude for item in initiatives], dtype=float)
    lat = np.where(np.isnan(lat), places["latitude"], lat)
    lng = np.where(np.isnan(lng), places["longitude"], lng)
    levels = [i.territory_level for i in initiatives]
    frame = pd.DataFrame(
        {
            "id": [i.id for i in initiatives],
            "name": [i.name for i in initiatives],
            "nature": [i.nature for i in initiatives],
            "catalyst": [i.catalyst for i in initiatives],
            "forms": [i.forms for i in initiatives],
            "trades": [i.trades for i in initiatives],
            "actor_types": [i.actor_types for i in initiatives],
            "partners": [i.partners for i in initiatives],
            "themes": [i.themes for i in initiatives],
            "scale": [i.scale for i in initiatives],
            "description": [i.description for i in initiatives],
            "website": [i.website for i in initiatives],
            "sources": [i.sources for i in initiatives],
            "verified_on": [i.verified_on for i in initiatives],
            "year": pd.array([i.year for i in initiatives], dtype="Int64"),
            "commune_code": [i.commune_code for i in initiatives],
            "territory_level": levels,
            "territory_code": [i.territory_code for i in initiatives],
            "territory_name": places["territory_name"],
            "anchor_code": places["anchor_code"],
            "commune": places["commune"],
            "place": [
                place_label(level, name, commune)
                for level, name, commune in zip(
                    levels, places["territory_name"], places["commune"], strict=True
                )
            ],
            "dep_code": places["dep_code"],
            "departement": pd.Series(places["dep_code"], dtype=object).map(dep_names).to_numpy(),
            "reg_code": places["reg_code"],
            "region": pd.Series(places["reg_code"], dtype=object).map(reg_names).to_numpy(),
            "epci_code": places["epci_code"],
            "latitude": lat,
            "longitude": lng,
        }
    )
    masks = {name: _bits(frame[name], vocab) for name, vocab in MULTI_FACETS.items()}
    haystack = np.array(
        [_searchable(i, row) for i, row in zip(initiatives, frame.itertuples(), strict=True)], dtype=object
    )
    return Catalog(frame=frame, masks=masks, haystack=haystack, synthetic=synthetic)


def read_records(path: Path) -> list[dict]:
    """Read a JSON file holding a list of initiative records."""
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise CatalogError([f"{path.name} : JSON invalide ligne {error.lineno} ({error.msg})"]) from error
    if not isinstance(records, list):
        raise CatalogError([f"{path.name} : une liste d'initiatives est attendue"])
    return records


def validate_records(
    records: Sequence[dict], reference: Reference, *, require_sources: bool = True
) -> list[Initiative]:
    """Validate every record; raise :class:`CatalogError` listing all problems.

    Record numbers in messages start at 1 (the n-th initiative of the file).
    """
    known = reference.communes.index
    located = reference.communes["latitude"].notna().to_dict()
    initiatives: list[Initiative] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            problems.append(Problem("id", str(record)[:30], "une initiative doit être un objet", number))
            continue
        item, found = validate(
            record,
            line=number,
            commune_exists=known.__contains__,
            require_sources=require_sources,
            territory_exists=reference.territory_exists,
        )
        problems.extend(found)
        anchor = _anchor(item, reference) if item is not None else ""
        if item is not None and item.latitude is None and not located.get(anchor, False):
            name = reference.communes.at[anchor, "name"]
            problems.append(
                Problem(
                    "commune_code",
                    anchor,
                    f"la commune « {name} » ({anchor}) n'a pas de position connue : "
                    "indiquez latitude et longitude",
                    number,
                )
            )
        elif item is not None:
            if item.id in seen:
                problems.append(Problem("id", item.id, f"« {item.id} » est en double", number))
            seen.add(item.id)
            initiatives.append(item)
    if problems:
        raise CatalogError(problems)
    return initiatives


def load_bundled(reference: Reference, path: Path = BUNDLED_PATH) -> Catalog:
    """Load and validate a file of initiatives (the bundled referential by default).

    The app reads the database (see :mod:`data.inventory`); this is for checks and tests
    of the file itself.
    """
    return build_catalog(validate_records(read_records(path), reference), reference)
