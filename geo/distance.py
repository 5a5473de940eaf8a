"""Distances in metres, in the projection that fits each part of France.

Why projections rather than great circles everywhere: a radius query over
100,000 points must take milliseconds, and squared planar distances in NumPy do
that; the projections below distort lengths by well under 1 % over their areas.

| zone | région(s) | CRS |
|---|---|---|
| ``metro`` | the 13 metropolitan régions (Corsica included) | EPSG:2154 (Lambert-93) |
| ``01``, ``02`` | Guadeloupe, Martinique | EPSG:5490 (RGAF09 / UTM 20N) |
| ``03`` | Guyane | EPSG:2972 (RGFG95 / UTM 22N) |
| ``04`` | La Réunion | EPSG:2975 (RGR92 / UTM 40S) |
| ``06`` | Mayotte | EPSG:4471 (RGM04 / UTM 38S) |

Points in different zones are never "near" each other: the distance between
them is infinite here, which is what a catalyst looking for peers wants.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import numpy as np
import shapely
from pyproj import Transformer

ZONE_CRS: dict[str, str] = {
    "metro": "EPSG:2154",
    "01": "EPSG:5490",
    "02": "EPSG:5490",
    "03": "EPSG:2972",
    "04": "EPSG:2975",
    "06": "EPSG:4471",
}


def zone_of_region(reg_code: str) -> str:
    """The distance zone of a région code (``"84"`` → ``"metro"``, ``"04"`` → ``"04"``)."""
    return reg_code if reg_code in ZONE_CRS else "metro"


@cache
def _transformer(zone: str) -> Transformer:
    return Transformer.from_crs("EPSG:4326", ZONE_CRS[zone], always_xy=True)


def project(lat: np.ndarray, lng: np.ndarray, zones: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Project WGS84 points to metres, each in its zone's CRS.

    Parameters
    ----------
    lat, lng
        Coordinates in degrees.
    zones
        Zone of each point (see :func:`zone_of_region`).

    Returns
    -------
    (x, y)
        Metres; NaN where the input is NaN.
    """
    lat = np.asarray(lat, dtype=float)
    lng = np.asarray(lng, dtype=float)
    zones = np.asarray(zones, dtype=object)
    x = np.full(lat.shape, np.nan)
    y = np.full(lat.shape, np.nan)
    for zone in set(zones.tolist()):
        mask = zones == zone
        x[mask], y[mask] = _transformer(zone).transform(lng[mask], lat[mask])
    return x, y


@dataclass(frozen=True)
class PlanarPoints:
    """Points projected in their zone, for radius and nearest-neighbour queries."""

    zone: np.ndarray  # object array of zone names
    x: np.ndarray
    y: np.ndarray

    @classmethod
    def from_degrees(
        cls, lat: Iterable[float], lng: Iterable[float], reg_codes: Iterable[str]
    ) -> PlanarPoints:
        zones = np.array([zone_of_region(c) for c in reg_codes], dtype=object)
        x, y = project(np.asarray(list(lat), float), np.asarray(list(lng), float), zones)
        return cls(zone=zones, x=x, y=y)

    def __len__(self) -> int:
        return len(self.x)

    def distances_from(self, zone: str, x0: float, y0: float) -> np.ndarray:
        """Distance in metres from ``(x0, y0)`` to every point (inf in other zones)."""
        d = np.hypot(self.x - x0, self.y - y0)
        d[(self.zone != zone) | np.isnan(d)] = np.inf
        return d

    def within(self, zone: str, x0: float, y0: float, radius_m: float) -> tuple[np.ndarray, np.ndarray]:
        """Positions and distances (m) of the points within ``radius_m``, nearest first."""
        d = self.distances_from(zone, x0, y0)
        inside = np.flatnonzero(d <= radius_m)
        order = np.argsort(d[inside], kind="stable")
        return inside[order], d[inside][order]

    def nearest_to(self, queries: PlanarPoints) -> tuple[np.ndarray, np.ndarray]:
        """For each query point, the position of the nearest point here and its distance (m).

        Queries with no point in their zone get position -1 and distance inf.
        """
        best = np.full(len(queries), -1, dtype=np.int64)
        dist = np.full(len(queries), np.inf)
        for zone in set(queries.zone.tolist()):
            here = np.flatnonzero((self.zone == zone) & ~np.isnan(self.x))
            asked = np.flatnonzero((queries.zone == zone) & ~np.isnan(queries.x))
            if len(here) == 0 or len(asked) == 0:
                continue
            tree = shapely.STRtree(shapely.points(self.x[here], self.y[here]))
            (q, t), d = tree.query_nearest(
                shapely.points(queries.x[asked], queries.y[asked]), return_distance=True, all_matches=False
            )
            best[asked[q]] = here[t]
            dist[asked[q]] = d
        return best, dist


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float, reg_code: str = "84") -> float:
    """Planar distance in km between two points of the same zone.

    Examples
    --------
    >>> round(distance_km(45.7640, 4.8357, 45.7719, 4.8902), 1)  # Lyon – Villeurbanne
    4.3
    """
    zone = zone_of_region(reg_code)
    x, y = project(np.array([lat1, lat2]), np.array([lng1, lng2]), np.array([zone, zone], dtype=object))
    return float(np.hypot(x[1] - x[0], y[1] - y[0]) / 1000)
