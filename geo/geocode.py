"""Offline geocoder: find the commune (INSEE code) and a point for whatever a row has.

Why offline and prudent: the map places initiatives by commune, and their lists come
from spreadsheets written by hand. We cannot call a web service, and a wrong commune
misplaces an initiative silently, which is worse than saying we do not know. So every
answer says how it was found (``methode``), how sure we are (``score``, 0–1) and its
``statut``:

- ``ok``: one commune;
- ``ambigu``: several communes fit (``candidats`` lists them, most populated first):
  homonyms are never guessed between, typo corrections must be unique;
- ``introuvable``: nothing fits;
- ``invalide``: the values cannot be read (the French ``message`` names the bad one).

What a row may hold, tried in this order:

1. ``code_insee``: checked and repaired (« 1001 », « 2a004 »); arrondissements of
   Paris, Lyon and Marseille and old codes of delegated or associated communes give
   today's commune; when a name is also given it must fit, otherwise the code is
   tried as the postcode it often is;
2. ``code_postal`` + ``commune``, ``commune`` + ``departement``, ``commune`` alone
   (only when a single commune has that name), a free-text ``adresse``;
3. ``latitude`` / ``longitude``: the commune whose polygon contains the point (swapped
   coordinates are detected, points outside France reported). With a name, a point
   also settles between homonyms and, when it lies in the commune found, is kept as
   the answer's point.

Names are matched as people write them (:mod:`geo.names`, :mod:`geo._index`).

``methode`` says which evidence decided: ``code_insee``, ``arrondissement`` (a Paris,
Lyon or Marseille arrondissement code), ``ancienne_commune`` (old code or name of a
delegated or associated commune), ``code_postal+nom``, ``nom+departement``, ``nom``,
``code_postal`` (a postcode with one commune, or a name unknown everywhere but a
postcode with one commune), ``adresse``, ``coordonnees``, ``coordonnees_inversees``,
or one of these followed by ``+coordonnees`` when a point chose between homonyms.
``score`` is 1 for an exact code or name in a postcode, and lower as the evidence
weakens: article left out (×0.98), typo corrected (×0.85), first words only (×0.8),
old name (×0.95), département only (×0.95), name only (×0.9), address (×0.95).

Usage
-----
>>> from pathlib import Path
>>> geocoder = Geocoder.from_cache(Path("cache/reference"))
>>> geocoder.geocode(code_postal="54290", commune="ST BOINGT").code_insee
'54471'
>>> geocoder.geocode(commune="Saint-Denis").statut
'ambigu'

Command line: ``python -m data.geocode_file IN.csv -o OUT.csv [--cache cache/reference]``
(in the data layer, which reads files through the importer's reader).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import geopandas as gpd
import numpy as np

from geo import _address, _fields, names
from geo import reference as _reference
from geo._index import BARE, EXACT, PREFIX, TYPO, Match, NameIndex
from geo._points import INSIDE, NEAR, Located, PointLocator, valid_range

OK, AMBIGU, INTROUVABLE, INVALIDE = "ok", "ambigu", "introuvable", "invalide"
STATUTS = (OK, AMBIGU, INTROUVABLE, INVALIDE)
#: The fields a row may hold (keyword arguments of :meth:`Geocoder.geocode`).
FIELDS = ("code_insee", "code_postal", "commune", "departement", "adresse", "latitude", "longitude")

_QUALITY = {EXACT: 1.0, BARE: 0.98, TYPO: 0.85, PREFIX: 0.8}
_ALIAS_FACTOR = 0.95
_HAS_POSTCODE = re.compile(r"(?<!\d)\d{2}\s?\d{3}(?!\d)")
_DEP_IN_PARENTHESES = re.compile(r"\(\s*(\d{2,3}|2[AaBb])\s*\)\s*$")
#: INSEE code prefixes of the overseas collectivities, which the reference does not cover.
_OVERSEAS_COLLECTIVITIES = ("975", "977", "978", "98")


@dataclass(frozen=True, slots=True)
class Result:
    """The answer for one row.

    ``code_insee`` and ``commune`` are today's commune (empty unless ``statut`` is
    ``ok``); ``latitude``/``longitude`` the row's own point when it lies in that
    commune, otherwise the commune's town-hall point (NaN for the four Cantal communes
    without a location).
    """

    statut: str
    methode: str = ""
    score: float = 0.0
    code_insee: str = ""
    commune: str = ""
    latitude: float = math.nan
    longitude: float = math.nan
    candidats: tuple[str, ...] = ()
    message: str = ""

    @property
    def ok(self) -> bool:
        """True when one commune was found."""
        return self.statut == OK


def _join(*parts: str) -> str:
    return " ; ".join(p for p in parts if p)


def _decimal(value: float) -> str:
    return f"{value:.6g}".replace(".", ",")


class Geocoder:
    """Resolve communes from codes, postcodes, names, addresses and coordinates.

    Build it once (under a second; the typo index is added on the first typo) and
    reuse it: every index is built here.

    Parameters
    ----------
    ref
        The reference geography (:func:`geo.reference.load`).
    shapes
        Commune polygons, or a function loading them; only used (and, for a function,
        only called) when a row has coordinates.
    """

    def __init__(
        self,
        ref: _reference.Reference,
        *,
        shapes: gpd.GeoDataFrame | Callable[[], gpd.GeoDataFrame] | None = None,
    ) -> None:
        self.reference = ref  # the geography it was built from (territories, for the importer)
        communes = ref.communes
        self._code: list[str] = communes.index.tolist()
        self._name: list[str] = communes["name"].tolist()
        self._dep: list[str] = communes["dep_code"].tolist()
        self._lat: list[float] = communes["latitude"].astype(float).tolist()
        self._lon: list[float] = communes["longitude"].astype(float).tolist()
        self._position = {code: i for i, code in enumerate(self._code)}
        # Candidates are listed most populated first: the likeliest come first to a reader.
        order = np.argsort(-communes["population"].to_numpy(), kind="stable")
        self._rank = {int(position): rank for rank, position in enumerate(order)}
        self._postcodes = [frozenset(p for p in value.split(";") if p) for value in communes["postcodes"]]
        by_postcode: dict[str, set[int]] = {}
        for position, codes in enumerate(self._postcodes):
            for code in codes:
                by_postcode.setdefault(code, set()).add(position)
        self._by_postcode = {code: frozenset(ps) for code, ps in by_postcode.items()}
        by_dep: dict[str, set[int]] = {}
        for position, dep in enumerate(self._dep):
            by_dep.setdefault(dep, set()).add(position)
        self._by_dep = {dep: frozenset(ps) for dep, ps in by_dep.items()}
        self._dep_scopes: dict[tuple[str, ...], frozenset[int]] = {}
        self._dep_codes: list[str] = ref.departements.index.tolist()
        self._dep_names = NameIndex((name, i, False) for i, name in enumerate(ref.departements["name"]))

        aliases = ref.aliases[[parent in self._position for parent in ref.aliases["parent_code"]]]
        parents = [self._position[parent] for parent in aliases["parent_code"]]
        self._alias = {
            code: (parent, kind, name)
            for code, kind, name, parent in zip(
                aliases["code"], aliases["kind"], aliases["name"], parents, strict=True
            )
        }
        entries = [(name, i, False) for i, name in enumerate(self._name)]
        entries += [(name, parent, True) for name, parent in zip(aliases["name"], parents, strict=True)]
        self._names = NameIndex(entries)
        self._shapes = shapes
        self._locator: PointLocator | None = None

    @classmethod
    def from_cache(cls, cache_dir: Path) -> Geocoder:
        """Build a geocoder from a built reference cache (polygons loaded on first use)."""
        ref = _reference.load(cache_dir)
        return cls(ref, shapes=lambda: _reference.load_commune_shapes(cache_dir))

    # -- answers -------------------------------------------------------------------------------------

    def _ok(self, position: int, methode: str, score: float, message: str = "") -> Result:
        return Result(
            OK,
            methode,
            round(score, 3),
            self._code[position],
            self._name[position],
            self._lat[position],
            self._lon[position],
            (),
            message,
        )

    def _ranked(self, positions: Iterable[int]) -> list[int]:
        return sorted(set(positions), key=self._rank.__getitem__)

    def _ambiguous(self, positions: Iterable[int], methode: str, message: str) -> Result:
        codes = tuple(self._code[p] for p in self._ranked(positions))
        return Result(AMBIGU, methode, 0.0, candidats=codes, message=message)

    def _label(self, position: int) -> str:
        return f"{self._name[position]} ({self._code[position]})"

    def _labels(self, positions: Iterable[int], most: int = 5) -> str:
        ranked = self._ranked(positions)
        return ", ".join(self._label(p) for p in ranked[:most]) + ("…" if len(ranked) > most else "")

    def _from_match(self, found: Match, methode: str, factor: float, text: str) -> Result:
        if len(found.positions) > 1:
            message = f"« {text} » désigne {len(found.positions)} communes : {self._labels(found.positions)}"
            return self._ambiguous(found.positions, methode, message)
        if not found.certain:
            message = f"« {text} » n'est pas un nom de commune ; peut-être {self._labels(found.positions)}"
            return self._ambiguous(found.positions, methode, message)
        position = found.positions[0]
        score = _QUALITY[found.quality] * factor
        message = ""
        if found.via_alias:
            methode = "ancienne_commune"
            score *= _ALIAS_FACTOR
            today = f"aujourd'hui {self._label(position)}"
            if names.keys(text) == names.keys(found.alias_name):
                message = f"ancienne commune « {text} », {today}"
            else:
                message = f"« {text} » : ancienne commune {found.alias_name}, {today}"
        elif found.quality in (TYPO, PREFIX):
            message = f"« {text} » lu comme {self._name[position]}"
        return self._ok(position, methode, score, message)

    # -- départements --------------------------------------------------------------------------------

    def _dep_scope(self, deps: tuple[str, ...]) -> frozenset[int]:
        scope = self._dep_scopes.get(deps)
        if scope is None:
            scope = self._dep_scopes[deps] = frozenset().union(*(self._by_dep.get(d, ()) for d in deps))
        return scope

    def _departements(self, raw: str, notes: list[str]) -> tuple[str, ...]:
        code = _fields.departement_code_in(raw)
        if code == "20" or (not code and names.keys(raw)[1] == "corse"):
            return ("2A", "2B")
        if code in self._by_dep:
            return (code,)
        if not code:
            found = self._dep_names.match(raw)
            if found and len(found.positions) == 1:
                return (self._dep_codes[found.positions[0]],)
        notes.append(f"département « {raw} » inconnu")
        return ()

    # -- INSEE code ----------------------------------------------------------------------------------

    def _code_position(self, code: str) -> tuple[int | None, str, float, str]:
        position = self._position.get(code)
        if position is not None:
            return position, "code_insee", 1.0, ""
        if code in self._alias:
            parent, kind, alias_name = self._alias[code]
            if kind == "ARM":
                return parent, "arrondissement", 1.0, f"{alias_name} : commune {self._label(parent)}"
            old = f"{code} : ancienne commune {alias_name}, aujourd'hui {self._label(parent)}"
            return parent, "ancienne_commune", 0.95, old
        if code.startswith("20"):
            # Corsica was « 20 » before 1976, and its postcodes still are.
            corsica = [self._position[c] for c in ("2A" + code[2:], "2B" + code[2:]) if c in self._position]
            if len(corsica) == 1:
                return (
                    corsica[0],
                    "code_insee",
                    0.9,
                    f"code corse « {code} » lu comme {self._code[corsica[0]]}",
                )
        return None, "code_insee", 0.0, ""

    def _by_code(self, code: str, name: str, fields: dict[str, str], notes: list[str]) -> Result | None:
        """Resolve an INSEE code; ``None`` when it is unknown and other fields remain to be tried."""
        position, methode, score, message = self._code_position(code)
        if position is None:
            unknown = f"code INSEE « {code} » inconnu"
            if code.startswith(_OVERSEAS_COLLECTIVITIES):
                unknown += " (collectivité d'outre-mer, hors du référentiel)"
            if name and not fields["code_postal"]:
                # A postcode typed in the INSEE column (« 75011 », « 69001 ») is the usual reason.
                found = self._by_names({**fields, "code_postal": code}, name, [])
                if found is not None and found.ok:
                    return replace(found, message=_join(f"{unknown} : lu comme code postal", found.message))
            if name or any(fields.values()):
                notes.append(unknown)
                return None
            return Result(INTROUVABLE, "code_insee", message=unknown)
        if not name or self._names.fits(position, name):
            return self._ok(position, methode, score, message)
        by_name = self._by_names(fields, name, [])
        if by_name is not None and by_name.ok and by_name.code_insee != self._code[position]:
            other = self._position[by_name.code_insee]
            if code in self._postcodes[other]:
                note = f"« {code} » est un code postal de {self._name[other]}, pas son code INSEE"
                return replace(by_name, message=_join(note, by_name.message))
            return self._ambiguous(
                (position, other),
                "code_insee",
                f"le code INSEE {self._label(position)} ne correspond pas à « {name} » ({self._code[other]})",
            )
        mismatch = f"« {name} » ne correspond pas au code INSEE {self._label(position)}"
        return self._ok(position, methode, score * 0.7, _join(message, mismatch))

    # -- names ---------------------------------------------------------------------------------------

    def _with_postcode(self, postcode: str, name: str, deps: tuple[str, ...]) -> Result | None:
        """A name among a postcode's communes; ``None`` if the postcode is unknown."""
        scope = self._by_postcode.get(postcode)
        if scope is None:
            return None
        found = self._names.match(name, scope)
        if found:
            return self._from_match(found, "code_postal+nom", 1.0, name)
        # Not among the postcode's communes: a name is more specific than a postcode, so an
        # exact name in the same département wins; anywhere else it is a conflict.
        near = tuple(
            sorted({*(deps or _fields.departements_of_postcode(postcode)), *(self._dep[p] for p in scope)})
        )
        elsewhere = self._names.match(name, self._dep_scope(near), fuzzy=False)
        if elsewhere and len(elsewhere.positions) == 1:
            result = self._from_match(elsewhere, "nom+departement", 0.8, name)
            return replace(
                result, message=_join(result.message, f"code postal {postcode} d'une autre commune")
            )
        elsewhere = elsewhere or self._names.match(name, None, fuzzy=False)
        if elsewhere:
            return self._ambiguous(
                [*elsewhere.positions, *(scope if len(scope) == 1 else ())],
                "code_postal+nom",
                f"« {name} » n'est pas une commune du code postal {postcode} ; "
                f"communes de ce nom : {self._labels(elsewhere.positions)}",
            )
        if len(scope) == 1:
            (position,) = scope
            return self._ok(
                position, "code_postal", 0.6, f"« {name} » inconnu : commune déduite du code postal"
            )
        return self._ambiguous(
            scope,
            "code_postal",
            f"« {name} » inconnu parmi les {len(scope)} communes du code postal {postcode}",
        )

    def _with_name(self, postcode: str, name: str, deps: tuple[str, ...], notes: list[str]) -> Result:
        if postcode:
            found = self._with_postcode(postcode, name, deps)
            if found is not None:
                return found
            notes.append(f"code postal « {postcode} » inconnu (CEDEX ?)")
            deps = deps or _fields.departements_of_postcode(postcode)
        if deps:
            found_in = self._names.match(name, self._dep_scope(deps))
            if found_in:
                return self._from_match(found_in, "nom+departement", 0.95, name)
            where = "/".join(deps)
            elsewhere = self._names.match(name, None, fuzzy=False)
            message = f"commune « {name} » introuvable dans le département {where}"
            if elsewhere:
                message += f" ; elle existe ailleurs : {self._labels(elsewhere.positions)}"
            return Result(INTROUVABLE, "nom+departement", message=message)
        found = self._names.match(name, None)
        if found:
            return self._from_match(found, "nom", 0.9, name)
        return Result(INTROUVABLE, "nom", message=f"commune « {name} » introuvable")

    def _by_postcode_only(self, postcode: str) -> Result:
        scope = self._by_postcode.get(postcode)
        if not scope:
            return Result(INTROUVABLE, "code_postal", message=f"code postal « {postcode} » inconnu")
        if len(scope) == 1:
            (position,) = scope
            return self._ok(position, "code_postal", 0.8)
        return self._ambiguous(scope, "code_postal", f"{len(scope)} communes ont le code postal {postcode}")

    def _by_address(self, address: str, deps: tuple[str, ...], notes: list[str]) -> Result:
        parts = _address.split(address)
        postcode = parts.postcode
        scope = self._by_postcode.get(postcode) if postcode else None
        if postcode and scope is None:
            notes.append(f"code postal « {postcode} » inconnu (CEDEX ?)")
            deps = deps or _fields.departements_of_postcode(postcode)
        if postcode and parts.after:
            # The commune follows the postcode: the rules of a postcode + name row.
            found = self._with_postcode(postcode, parts.after, deps)
            return self._as_address(found or self._with_name("", parts.after, deps, []))
        # The commune ends the text (before the postcode, if any): try its last words, longest
        # first, and stop at the first that names any commune (« Ste Colombe » is never « Colombe »).
        where = scope if scope is not None else (self._dep_scope(deps) if deps else None)
        factor = 1.0 if scope is not None else 0.95 if deps else 0.9
        for rank, guess in enumerate(_address.tail_candidates(parts.before)):
            found = self._names.match(guess, where, fuzzy=rank == 0)
            if found:
                return self._as_address(self._from_match(found, "adresse", factor, guess))
        if scope is not None:
            return self._as_address(self._by_postcode_only(postcode))
        return Result(INTROUVABLE, "adresse", message=f"adresse « {address} » : commune introuvable")

    @staticmethod
    def _as_address(found: Result) -> Result:
        methode = found.methode if found.methode == "ancienne_commune" else "adresse"
        return replace(found, methode=methode, score=round(found.score * 0.95, 3))

    def _by_names(self, fields: dict[str, str], name: str, notes: list[str]) -> Result | None:
        """Postcode, name, département and address; ``None`` if the row holds none of them."""
        postcode = _fields.postcode(fields["code_postal"])
        notes.extend(n for n in (postcode.error, postcode.note) if n)
        pc = postcode.value
        deps = self._departements(fields["departement"], notes) if fields["departement"] else ()
        if name:
            inside = _DEP_IN_PARENTHESES.search(name)
            if inside:  # « Saint-Denis (93) »
                deps = deps or self._departements(inside.group(1), notes)
                name = name[: inside.start()].strip()
            if not pc and _HAS_POSTCODE.search(name):  # « 69003 LYON » in the commune column
                parts = _address.split(name)
                pc, name = parts.postcode, parts.after or parts.before
        result = self._with_name(pc, name, deps, notes) if name else None
        if result is not None and result.ok:
            return result
        if fields["adresse"]:
            by_address = self._by_address(fields["adresse"], deps, notes)
            if by_address.ok or result is None:
                return by_address
        if result is None and pc:
            return self._by_postcode_only(pc)
        if result is None and deps:
            return Result(INTROUVABLE, "departement", message="département seul : commune non précisée")
        return result

    # -- coordinates ---------------------------------------------------------------------------------

    def _points(self) -> PointLocator:
        if self._locator is None:
            shapes = self._shapes() if callable(self._shapes) else self._shapes
            if shapes is None:
                raise ValueError(
                    "coordonnées données mais polygones des communes absents : "
                    "construisez le géocodeur avec Geocoder.from_cache(...)"
                )
            self._locator = PointLocator(shapes, self._position)
        return self._locator

    def _locate(self, lat: float, lon: float, located: Mapping[tuple[float, float], Located]) -> Located:
        known = located.get((lat, lon))
        return known if known is not None else self._points().locate(lat, lon)

    @staticmethod
    def _read_point(lat_raw: str, lon_raw: str) -> tuple[float, float, str]:
        lat, lat_error = _fields.coordinate(lat_raw)
        lon, lon_error = _fields.coordinate(lon_raw)
        problem = _join(lat_error, lon_error)
        if not problem and lon is None:
            problem = f"latitude « {lat_raw} » sans longitude"
        elif not problem and lat is None:
            problem = f"longitude « {lon_raw} » sans latitude"
        if problem or lat is None or lon is None:
            return math.nan, math.nan, problem
        if not (valid_range(lat, lon) or valid_range(lon, lat)):
            return (
                math.nan,
                math.nan,
                (
                    f"coordonnées ({lat_raw} ; {lon_raw}) hors bornes : attendu des degrés décimaux "
                    "(WGS 84), pas des mètres (Lambert 93 ?)"
                ),
            )
        return lat, lon, ""

    def _with_point(
        self,
        result: Result | None,
        lat_raw: str,
        lon_raw: str,
        located: Mapping[tuple[float, float], Located],
    ) -> Result:
        lat, lon, problem = self._read_point(lat_raw, lon_raw)
        if problem:
            if result is not None and result.statut in (OK, AMBIGU):
                return replace(result, message=_join(result.message, f"{problem} : coordonnées ignorées"))
            return Result(INVALIDE, "coordonnees", message=_join(result.message if result else "", problem))
        position, how, swapped = self._locate(lat, lon, located)
        point = (lon, lat) if swapped else (lat, lon)
        swap = f"latitude et longitude inversées ({lat_raw} ; {lon_raw})" if swapped else ""
        if result is not None and result.ok:
            own = self._position[result.code_insee]
            if position == own or self._points().distance_to(own, *point) <= NEAR:
                return replace(
                    result, latitude=point[0], longitude=point[1], message=_join(result.message, swap)
                )
            outside = f"point ({lat_raw} ; {lon_raw}) hors de {result.commune} : point de la commune retenu"
            return replace(result, message=_join(result.message, outside))
        if result is not None and result.statut == AMBIGU:
            if position >= 0 and self._code[position] in result.candidats:
                chosen = self._ok(position, f"{result.methode}+coordonnees", 0.9, swap)
                return replace(chosen, latitude=point[0], longitude=point[1])
            return result
        earlier = result.message if result is not None else ""
        if position < 0:
            outside = f"point ({_decimal(lat)} ; {_decimal(lon)}) hors de France"
            return Result(INTROUVABLE, "coordonnees", message=_join(earlier, outside))
        methode = "coordonnees_inversees" if swapped else "coordonnees"
        score = (1.0 if how == INSIDE else 0.8) * (0.9 if swapped else 1.0)
        near = "" if how == INSIDE else f"point hors des communes, à moins de 2 km de {self._name[position]}"
        found = self._ok(position, methode, score, _join(earlier, swap, near))
        return replace(found, latitude=point[0], longitude=point[1])

    # -- public --------------------------------------------------------------------------------------

    def geocode(
        self,
        *,
        code_insee: object = None,
        code_postal: object = None,
        commune: object = None,
        departement: object = None,
        adresse: object = None,
        latitude: object = None,
        longitude: object = None,
    ) -> Result:
        """Geocode one row; every argument is optional and may be messy text (or a number).

        Returns
        -------
        Result
            See the module docstring for ``statut``, ``methode`` and ``score``.
        """
        values = (code_insee, code_postal, commune, departement, adresse, latitude, longitude)
        return self._geocode(tuple(_fields.text(v) for v in values), {})

    def _geocode(self, row: tuple[str, ...], located: Mapping[tuple[float, float], Located]) -> Result:
        """Geocode one row of cleaned texts, in the order of :data:`FIELDS`."""
        code_insee, code_postal, name, departement, adresse, lat_raw, lon_raw = row
        fields = {"code_postal": code_postal, "departement": departement, "adresse": adresse}
        notes: list[str] = []
        result: Result | None = None
        code = _fields.insee_code(code_insee)
        notes.extend(n for n in (code.error, code.note) if n)
        if not code.value and name.upper() in self._position and name not in self._by_postcode:
            code, name = _fields.Parsed(name.upper()), ""  # an INSEE code in the commune column
        if code.value:
            result = self._by_code(code.value, name, fields, notes)
        if result is None and (name or any(fields.values())):
            result = self._by_names(fields, name, notes)
        if lat_raw or lon_raw:
            result = self._with_point(result, lat_raw, lon_raw, located)
        if result is None:
            if notes:
                return Result(INVALIDE, message=_join(*notes))
            return Result(INTROUVABLE, message="ligne vide : ni code, ni commune, ni adresse, ni coordonnées")
        if notes:
            return replace(
                result, message=_join(*[n for n in notes if n not in result.message], result.message)
            )
        return result

    def geocode_many(
        self,
        rows: Sequence[Mapping[str, object]],
        *,
        progress: Callable[[int, int], None] | None = None,
        every: int = 20_000,
    ) -> list[Result]:
        """Geocode many rows (mappings keyed by :data:`FIELDS`), in order.

        Identical rows are geocoded once, and all coordinates are located in one
        vectorised STRtree query.

        Parameters
        ----------
        rows
            One mapping per row; missing keys count as empty.
        progress
            Called with ``(done, total)`` every ``every`` rows.

        Returns
        -------
        list of Result
            One per row, in the order of ``rows``.
        """
        keys = [tuple(_fields.text(row.get(f)) for f in FIELDS) for row in rows]
        points = []
        for lat_raw, lon_raw in {(k[5], k[6]) for k in keys if k[5] and k[6]}:
            lat, lon, problem = self._read_point(lat_raw, lon_raw)
            if not problem:
                points.append((lat, lon))
        located: dict[tuple[float, float], Located] = {}
        if points:
            lat, lon = np.array(points, dtype=float).T
            located = dict(zip(points, self._points().locate_many(lat, lon), strict=True))
        done: dict[tuple[str, ...], Result] = {}
        results: list[Result] = []
        for index, key in enumerate(keys, 1):
            found = done.get(key)
            if found is None:
                found = done[key] = self._geocode(key, located)
            results.append(found)
            if progress is not None and index % every == 0:
                progress(index, len(keys))
        return results
