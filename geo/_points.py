"""Find the commune that contains a point, with an STRtree over the commune polygons.

Why apart: the polygons are the heaviest layer of the reference (tens of MB), so the
geocoder builds this locator only when a row actually has coordinates. Queries are
vectorised (one STRtree query for a whole column of points); a single point costs a
few tens of microseconds.

A point is tried as written, then with latitude and longitude swapped (a frequent
spreadsheet mistake: France's latitudes and longitudes never overlap, so a swapped
point lands far out at sea or outside any commune and the swap is unambiguous).
A point within :data:`NEAR` degrees of the coast or of a border (a pin on a beach,
a harbour, GPS noise) is given the nearest commune.
"""

from __future__ import annotations

from typing import NamedTuple

import geopandas as gpd
import numpy as np
import shapely

#: Farthest a point may lie outside every commune and still be given the nearest (degrees, ~2 km).
NEAR = 0.02

INSIDE, NEAR_BY, OUTSIDE = "inside", "near", "outside"


class Located(NamedTuple):
    """Where a point fell: commune position (``-1`` if none), how, and whether it was swapped."""

    position: int
    how: str
    swapped: bool


def valid_range(lat: float, lon: float) -> bool:
    """Tell whether a latitude/longitude pair is within the Earth's ranges.

    Examples
    --------
    >>> valid_range(45.7, 4.8), valid_range(4.8, 245.0)
    (True, False)
    """
    return -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0


class PointLocator:
    """Point-in-commune queries over the commune polygons.

    Parameters
    ----------
    shapes
        Commune polygons (EPSG:4326) indexed by INSEE code.
    positions
        Position of each INSEE code in the geocoder's commune table.
    """

    def __init__(self, shapes: gpd.GeoDataFrame, positions: dict[str, int]) -> None:
        known = shapes[shapes.index.isin(list(positions)) & shapes.geometry.notna()]
        known = known[~known.geometry.is_empty]
        self._geometries = np.asarray(known.geometry.values, dtype=object)
        self._positions = np.array([positions[code] for code in known.index], dtype=np.int64)
        self._by_position = dict(zip(self._positions.tolist(), self._geometries, strict=True))
        self._tree = shapely.STRtree(self._geometries)
        shapely.prepare(self._geometries)

    def _inside(self, points: np.ndarray) -> np.ndarray:
        found = np.full(len(points), -1, dtype=np.int64)
        if len(points) == 0:
            return found
        source, target = self._tree.query(points, predicate="intersects")
        # A point exactly on a shared border touches two communes: keep the first.
        first = np.unique(source, return_index=True)[1]
        found[source[first]] = self._positions[target[first]]
        return found

    def _nearest(self, points: np.ndarray) -> np.ndarray:
        found = np.full(len(points), -1, dtype=np.int64)
        if len(points) == 0:
            return found
        source, target = self._tree.query_nearest(points, max_distance=NEAR, all_matches=False)
        found[source] = self._positions[target]
        return found

    def locate_many(self, lat: np.ndarray, lon: np.ndarray) -> list[Located]:
        """Locate many points at once (NaN coordinates are reported as outside).

        Parameters
        ----------
        lat, lon
            Arrays of decimal degrees (WGS 84).
        """
        lat = np.asarray(lat, dtype=float)
        lon = np.asarray(lon, dtype=float)
        count = len(lat)
        position = np.full(count, -1, dtype=np.int64)
        how = np.full(count, OUTSIDE, dtype=object)
        swapped = np.zeros(count, dtype=bool)
        finite = np.isfinite(lat) & np.isfinite(lon)
        attempts = (
            (False, self._inside, INSIDE),
            (True, self._inside, INSIDE),
            (False, self._nearest, NEAR_BY),
            (True, self._nearest, NEAR_BY),
        )
        for swap, query, label in attempts:
            y, x = (lon, lat) if swap else (lat, lon)
            todo = np.flatnonzero(finite & (position < 0) & (np.abs(y) <= 90) & (np.abs(x) <= 180))
            if len(todo) == 0:
                continue
            found = query(shapely.points(x[todo], y[todo]))
            hit = found >= 0
            position[todo[hit]] = found[hit]
            how[todo[hit]] = label
            swapped[todo[hit]] = swap
        return [Located(int(p), str(h), bool(s)) for p, h, s in zip(position, how, swapped, strict=True)]

    def locate(self, lat: float, lon: float) -> Located:
        """Locate one point."""
        return self.locate_many(np.array([lat]), np.array([lon]))[0]

    def distance_to(self, position: int, lat: float, lon: float) -> float:
        """Distance in degrees from a point to a commune polygon (``inf`` if it has none)."""
        geometry = self._by_position.get(position)
        if geometry is None:
            return float("inf")
        return float(shapely.distance(geometry, shapely.Point(lon, lat)))
