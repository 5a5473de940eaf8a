"""Peers nearby: who to ally with around a commune, an initiative or a point, and why.

Ranking (« pertinence »), documented here because users see its reasons:

    score = 0.5 × proximité + 0.5 × affinité
    proximité = 1 − distance / rayon                       (1 at the origin, 0 at the edge)
    affinité  = 0.30 × [même EPCI] + 0.10 × [même département]
              + 0.35 × part de formes communes (Jaccard)
              + 0.25 × part de thèmes communs  (Jaccard)

Forms and themes count only when the origin has some (an initiative, or the
filters chosen). Each result lists its reasons in French: distance, « même
EPCI », « même département », shared forms and themes, « catalyseur le plus
proche » for the catalyst nearest to the origin. Users can also sort by distance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data import taxonomy
from data.catalog import Catalog
from data.query import number_param, param
from geo.distance import PlanarPoints, project, zone_of_region
from geo.reference import Reference

WEIGHTS = {"distance": 0.5, "fit": 0.5, "epci": 0.30, "departement": 0.10, "forms": 0.35, "themes": 0.25}
MIN_RADIUS_KM, MAX_RADIUS_KM = 5, 200


@dataclass(frozen=True)
class Origin:
    """Where a search starts: a commune, an initiative or a clicked point."""

    label: str
    latitude: float
    longitude: float
    reg_code: str
    commune_code: str = ""
    epci_code: str = ""
    dep_code: str = ""
    forms: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    initiative_id: str = ""

    @property
    def zone(self) -> str:
        return zone_of_region(self.reg_code)

    def xy(self) -> tuple[float, float]:
        zones = np.array([self.zone], dtype=object)
        x, y = project(np.array([self.latitude]), np.array([self.longitude]), zones)
        return float(x[0]), float(y[0])


def catalog_points(catalog: Catalog) -> PlanarPoints:
    """Projected points of a catalog (compute once per catalog and keep)."""
    frame = catalog.frame
    return PlanarPoints.from_degrees(frame["latitude"], frame["longitude"], frame["reg_code"])


def commune_points(reference: Reference) -> PlanarPoints:
    """Projected points of every commune (NaN for the few without a location)."""
    communes = reference.communes
    return PlanarPoints.from_degrees(communes["latitude"], communes["longitude"], communes["reg_code"])


def origin_from_commune(reference: Reference, code: str) -> Origin | None:
    """The origin of a search from a commune (its town-hall point)."""
    if code not in reference.communes.index:
        return None
    row = reference.communes.loc[code]
    if np.isnan(row["latitude"]):
        return None
    return Origin(
        label=f"{row['name']} ({row['dep_code']})",
        latitude=float(row["latitude"]),
        longitude=float(row["longitude"]),
        reg_code=row["reg_code"],
        commune_code=code,
        epci_code=row["epci_code"],
        dep_code=row["dep_code"],
    )


def origin_from_initiative(catalog: Catalog, initiative_id: str) -> Origin | None:
    """The origin of a search from an initiative: its place, forms and themes."""
    position = catalog.position(initiative_id)
    if position is None:
        return None
    row = catalog.frame.iloc[position]
    label = row["name"]
    if row["territory_level"]:  # measured from the territory's seat, and said so
        seat = "chef-lieu" if row["territory_level"] != "epci" else "commune la plus peuplée"
        label = f"{label} ({row['place']}, distances mesurées depuis son {seat})"
    return Origin(
        label=label,
        latitude=float(row["latitude"]),
        longitude=float(row["longitude"]),
        reg_code=row["reg_code"],
        commune_code=row["anchor_code"],
        epci_code=row["epci_code"],
        dep_code=row["dep_code"],
        forms=tuple(row["forms"]),
        themes=tuple(row["themes"]),
        initiative_id=initiative_id,
    )


def origin_from_point(reference: Reference, lat: float, lng: float) -> Origin | None:
    """The origin of a search from a clicked point, attached to the nearest town hall.

    Returns None when no town hall lies within about 30 km (a point outside France).
    """
    communes = reference.communes
    lat0, lng0 = communes["latitude"].to_numpy(), communes["longitude"].to_numpy()
    d2 = (lat0 - lat) ** 2 + ((lng0 - lng) * np.cos(np.radians(lat))) ** 2
    d2 = np.where(np.isnan(d2), np.inf, d2)
    best = int(np.argmin(d2))
    if d2[best] > 0.27**2:  # about 30 km
        return None
    near = origin_from_commune(reference, communes.index[best])
    if near is None:
        return None
    place = f"{lat:.4f}, {lng:.4f}".replace(".", "·").replace(",", " ;").replace("·", ",")
    return Origin(
        label=f"Point ({place}), près de {near.label}",
        latitude=lat,
        longitude=lng,
        reg_code=near.reg_code,
        commune_code=near.commune_code,
        epci_code=near.epci_code,
        dep_code=near.dep_code,
    )


def _km(metres: float) -> str:
    return f"{metres / 1000:.1f} km".replace(".", ",")


def _distance_reason(metres: float) -> str:
    """« à 3,4 km », or « même commune » for an initiative at the origin's own point."""
    return "même commune" if metres < 50 else f"à {_km(metres)}"


def rank_peers(
    catalog: Catalog,
    points: PlanarPoints,
    origin: Origin,
    radius_km: float,
    *,
    candidates: np.ndarray | None = None,
    sort: str = "score",
    nearest_catalyst: int | None = None,
) -> pd.DataFrame:
    """Initiatives within ``radius_km`` of ``origin``, ranked, with their reasons.

    Parameters
    ----------
    catalog, points
        The initiatives and their projected points (:func:`catalog_points`).
    origin
        Where the search starts; an initiative origin is left out of its own results.
    radius_km
        Search radius, clamped to 5–200 km.
    candidates
        Row positions allowed (the filters' result); all when None.
    sort
        ``"score"`` (pertinence) or ``"distance"``.
    nearest_catalyst
        Row position of the origin's nearest catalyst, flagged in the reasons.

    Returns
    -------
    pandas.DataFrame
        One row per result: ``position``, ``distance_km``, ``score``, ``reasons``.
    """
    radius_m = float(np.clip(radius_km, MIN_RADIUS_KM, MAX_RADIUS_KM)) * 1000
    x0, y0 = origin.xy()
    positions, dist = points.within(origin.zone, x0, y0, radius_m)
    if candidates is not None:
        keep = np.isin(positions, candidates)
        positions, dist = positions[keep], dist[keep]
    frame = catalog.frame
    if origin.initiative_id:
        keep = frame["id"].to_numpy()[positions] != origin.initiative_id
        positions, dist = positions[keep], dist[keep]
    same_epci = (frame["epci_code"].to_numpy()[positions] == origin.epci_code) & (origin.epci_code != "")
    same_dep = (frame["dep_code"].to_numpy()[positions] == origin.dep_code) & (origin.dep_code != "")
    shared_forms, forms_fit = _shared(catalog, "forms", positions, origin.forms, taxonomy.FORMS)
    shared_themes, themes_fit = _shared(catalog, "themes", positions, origin.themes, taxonomy.THEMES)
    fit = (
        WEIGHTS["epci"] * same_epci
        + WEIGHTS["departement"] * same_dep
        + WEIGHTS["forms"] * forms_fit
        + WEIGHTS["themes"] * themes_fit
    )
    score = WEIGHTS["distance"] * (1 - dist / radius_m) + WEIGHTS["fit"] * fit
    reasons = []
    for k, pos in enumerate(positions.tolist()):
        why = [_distance_reason(dist[k])]
        if same_epci[k]:
            why.append("même EPCI")
        if same_dep[k]:
            why.append("même département")
        if shared_forms[k]:
            why.append("formes communes : " + shared_forms[k])
        if shared_themes[k]:
            why.append("thèmes communs : " + shared_themes[k])
        if nearest_catalyst is not None and pos == nearest_catalyst:
            why.append("catalyseur le plus proche")
        reasons.append(why)
    result = pd.DataFrame(
        {"position": positions, "distance_km": dist / 1000, "score": score, "reasons": reasons}
    )
    by = ["distance_km"] if sort == "distance" else ["score", "distance_km"]
    ascending = [True] if sort == "distance" else [False, True]
    return result.sort_values(by, ascending=ascending, kind="stable").reset_index(drop=True)


def _shared(
    catalog: Catalog, facet: str, positions: np.ndarray, wanted: tuple[str, ...], vocab: dict[str, str]
) -> tuple[list[str], np.ndarray]:
    """For each position: the French labels shared with ``wanted`` and their Jaccard index."""
    keys = tuple(vocab)
    bits = catalog.masks[facet][positions]
    b0 = sum(1 << keys.index(k) for k in wanted if k in keys)
    if b0 == 0:
        return [""] * len(positions), np.zeros(len(positions))
    inter = bits & b0
    union = np.bitwise_count(bits | b0).astype(float)
    jaccard = np.divide(
        np.bitwise_count(inter).astype(float), union, out=np.zeros(len(bits)), where=union > 0
    )
    labels: dict[int, str] = {}
    for value in np.unique(inter).tolist():
        labels[value] = ", ".join(vocab[k] for i, k in enumerate(keys) if value >> i & 1).lower()
    return [labels[v] for v in inter.tolist()], jaccard


def catalyst_positions(catalog: Catalog) -> np.ndarray:
    """Row positions of the ecosystems (each animated by a catalyst)."""
    return np.flatnonzero(catalog.frame["nature"].to_numpy() == "ecosystem")


def nearest_catalysts(
    catalog: Catalog, points: PlanarPoints, origin: Origin, k: int = 3
) -> list[tuple[int, float]]:
    """The ``k`` catalysts nearest to ``origin``: ``[(position, km), …]`` (same zone only)."""
    catalysts = catalyst_positions(catalog)
    x0, y0 = origin.xy()
    d = points.distances_from(origin.zone, x0, y0)[catalysts]
    order = np.argsort(d, kind="stable")[:k]
    return [(int(catalysts[i]), float(d[i] / 1000)) for i in order if np.isfinite(d[i])]


def commune_catalyst_distances(catalog: Catalog, points: PlanarPoints, communes: PlanarPoints) -> np.ndarray:
    """Distance (km) from every commune to its nearest catalyst (inf when none in its zone)."""
    catalysts = catalyst_positions(catalog)
    subset = PlanarPoints(zone=points.zone[catalysts], x=points.x[catalysts], y=points.y[catalysts])
    _, dist = subset.nearest_to(communes)
    return dist / 1000


def similar(catalog: Catalog, position: int, k: int = 5) -> list[int]:
    """Initiatives elsewhere (another département) sharing the most forms and themes.

    Ranked by ``Jaccard(forms) + Jaccard(themes)``; ties keep the catalog order.
    """
    row = catalog.frame.iloc[position]
    return similar_to(catalog, row["forms"], row["themes"], row["dep_code"], k=k)


def similar_to(
    catalog: Catalog, forms: tuple[str, ...], themes: tuple[str, ...], dep_code: str, *, k: int = 5
) -> list[int]:
    """Row positions outside ``dep_code`` that share the most of ``forms`` and ``themes``
    (``Jaccard(forms) + Jaccard(themes)``; ties keep the catalog order)."""
    frame = catalog.frame

    def jaccard(bits: np.ndarray, wanted: tuple[str, ...], vocab: dict[str, str]) -> np.ndarray:
        keys = tuple(vocab)
        b0 = sum(1 << keys.index(w) for w in wanted if w in keys)
        inter = np.bitwise_count(bits & b0).astype(float)
        union = np.bitwise_count(bits | b0).astype(float)
        return np.divide(inter, union, out=np.zeros(len(bits)), where=union > 0)

    score = jaccard(catalog.masks["forms"], forms, taxonomy.FORMS) + jaccard(
        catalog.masks["themes"], themes, taxonomy.THEMES
    )
    elsewhere = frame["dep_code"].to_numpy() != dep_code
    score = np.where(elsewhere & (score > 0), score, -1.0)
    order = np.argsort(-score, kind="stable")
    return [int(i) for i in order[:k] if score[i] > 0]


@dataclass(frozen=True)
class NearbyState:
    """Everything a link to a nearby search carries (hashable)."""

    commune: str = ""
    initiative: str = ""
    lat: float | None = None
    lng: float | None = None
    radius: int = 30
    natures: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    sort: str = "score"
    selected: str = ""
    #: What the URL carried that could not be kept, in French (not part of the state's identity).
    notices: tuple[str, ...] = field(default=(), compare=False, hash=False)


_SORTS = {"score": "pertinence", "distance": "distance"}
_FACETS = {
    "nature": ("natures", taxonomy.NATURES),
    "forme": ("forms", taxonomy.FORMS),
    "theme": ("themes", taxonomy.THEMES),
}


def nearby_params(state: NearbyState) -> dict[str, str]:
    """URL parameters of a nearby search, e.g. ``{"commune": "69123", "rayon": "30"}``."""
    params: dict[str, str] = {}
    if state.initiative:
        params["initiative"] = state.initiative
    elif state.commune:
        params["commune"] = state.commune
    elif state.lat is not None and state.lng is not None:
        params["lat"], params["lon"] = f"{state.lat:.5f}", f"{state.lng:.5f}"
    params["rayon"] = str(state.radius)
    for name, (attr, vocab) in _FACETS.items():
        values = getattr(state, attr)
        if values:
            params[name] = taxonomy.to_slugs(vocab, values)
    if state.sort != "score":
        params["tri"] = _SORTS[state.sort]
    if state.selected:
        params["id"] = state.selected
    return params


def _float(raw: str, low: float, high: float) -> float | None:
    try:
        value = float(raw)
    except (TypeError, ValueError, OverflowError):
        return None
    return value if math.isfinite(value) and low <= value <= high else None


def nearby_from_params(params: dict, *, communes: set[str] | frozenset[str] = frozenset()) -> NearbyState:
    """Decode URL parameters; unknown or out-of-range values are dropped."""

    def one(name: str) -> str:
        return param(params, name)

    facets = {attr: taxonomy.from_slugs(vocab, one(name)) for name, (attr, vocab) in _FACETS.items()}
    radius, radius_notice = number_param(params, "rayon", low=MIN_RADIUS_KM, high=MAX_RADIUS_KM, default=30)
    lat, lng = _float(one("lat"), -90, 90), _float(one("lon"), -180, 180)
    notices = [radius_notice] if radius_notice else []
    if (one("lat") or one("lon")) and (lat is None or lng is None):
        notices.append(
            f"Paramètres « lat » et « lon » : « {one('lat')[:20]} ; {one('lon')[:20]} » "
            "ne sont pas un point ; ignorés."
        )
        lat = lng = None
    commune = one("commune").upper()
    if commune and commune not in communes:
        notices.append(f"Paramètre « commune » : « {commune[:20]} » n'est pas un code commune ; ignoré.")
    return NearbyState(
        commune=commune if commune in communes else "",
        initiative=one("initiative")[:80],
        lat=lat,
        lng=lng,
        radius=round(radius),
        notices=tuple(notices),
        sort="distance" if one("tri") == "distance" else "score",
        selected=one("id")[:80],
        **facets,
    )
