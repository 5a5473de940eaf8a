"""Distances, peer ranking and its reasons, similar initiatives, URL round trips."""

import numpy as np
import pytest
from pyproj import Geod

from data import nearby
from data.nearby import NearbyState
from geo.distance import PlanarPoints, distance_km, zone_of_region

GEOD = Geod(ellps="WGS84")


@pytest.mark.parametrize(
    ("a", "b", "reg"),
    [
        ((45.7640, 4.8357), (45.7719, 4.8902), "84"),  # Lyon – Villeurbanne
        ((48.8566, 2.3522), (43.2965, 5.3698), "84"),  # Paris – Marseille
        ((41.9192, 8.7386), (42.6973, 9.4509), "94"),  # Ajaccio – Bastia
        ((-20.8789, 55.4481), (-21.3393, 55.4781), "04"),  # Saint-Denis – Saint-Pierre (La Réunion)
        ((16.2411, -61.5331), (15.9985, -61.7255), "01"),  # Pointe-à-Pitre – Basse-Terre
        ((4.9372, -52.3260), (5.1599, -52.6503), "03"),  # Cayenne – Kourou
        ((-12.7806, 45.2278), (-12.9593, 45.1570), "06"),  # Mamoudzou – Bandrélé area
    ],
)
def test_planar_distances_match_geodesic_within_one_percent(a, b, reg):
    geodesic = GEOD.inv(a[1], a[0], b[1], b[0])[2] / 1000
    assert distance_km(*a, *b, reg) == pytest.approx(geodesic, rel=0.01)


def test_known_distances():
    assert distance_km(45.7640, 4.8357, 45.7719, 4.8902) == pytest.approx(4.33, abs=0.05)
    assert distance_km(48.8566, 2.3522, 43.2965, 5.3698) == pytest.approx(660.5, rel=0.01)


def test_zones_keep_overseas_apart():
    assert zone_of_region("94") == "metro" and zone_of_region("04") == "04"
    pts = PlanarPoints.from_degrees([45.76, -20.88], [4.84, 55.45], ["84", "04"])
    d = pts.distances_from("metro", pts.x[0], pts.y[0])
    assert d[0] == 0 and np.isinf(d[1])


def test_within_and_nearest():
    pts = PlanarPoints.from_degrees(
        [45.7640, 45.7719, 45.4397, 43.2965], [4.8357, 4.8902, 4.3872, 5.3698], ["84"] * 4
    )
    positions, dist = pts.within("metro", pts.x[0], pts.y[0], 60_000)
    assert positions.tolist() == [0, 1, 2] and dist[0] == 0 and dist[1] < dist[2]
    queries = PlanarPoints.from_degrees([45.70, -21.0], [4.85, 55.5], ["84", "04"])
    best, d = pts.nearest_to(queries)
    assert best.tolist() == [0, -1] and np.isinf(d[1])


def names(catalog, ranked):
    return list(catalog.frame["id"].iloc[ranked["position"]])


def test_ranking_explains_itself(small_catalog, reference):
    points = nearby.catalog_points(small_catalog)
    origin = nearby.origin_from_initiative(small_catalog, "lyon")
    ranked = nearby.rank_peers(small_catalog, points, origin, 30)
    assert names(small_catalog, ranked) == ["villeurbanne"]  # itself left out, Rennes too far
    reasons = ranked["reasons"][0]
    assert reasons[0] == "à 3,4 km"  # between the two town halls
    assert "même EPCI" in reasons and "même département" in reasons
    origin = nearby.origin_from_commune(reference, "69123")
    catalyst = small_catalog.position("villeurbanne")
    ranked = nearby.rank_peers(small_catalog, points, origin, 30, nearest_catalyst=catalyst)
    assert names(small_catalog, ranked) == ["lyon", "villeurbanne"]
    assert "catalyseur le plus proche" in ranked["reasons"][1]


def test_shared_forms_and_themes_raise_the_score(small_catalog, reference):
    points = nearby.catalog_points(small_catalog)
    base = nearby.origin_from_commune(reference, "69123")
    plain = nearby.rank_peers(small_catalog, points, base, 30)
    fitting = nearby.rank_peers(
        small_catalog, points, nearby.Origin(**{**base.__dict__, "forms": ("economic_cooperation",)}), 30
    )
    villeurbanne = small_catalog.position("villeurbanne")
    before = plain.set_index("position").loc[villeurbanne, "score"]
    after = fitting.set_index("position").loc[villeurbanne]
    assert after["score"] > before
    assert "formes communes : coopération économique" in after["reasons"]


def test_sort_by_distance_and_candidates(small_catalog, reference):
    points = nearby.catalog_points(small_catalog)
    origin = nearby.origin_from_commune(reference, "69266")  # Villeurbanne
    ranked = nearby.rank_peers(small_catalog, points, origin, 50, sort="distance")
    assert list(ranked["distance_km"]) == sorted(ranked["distance_km"])
    only = np.array([small_catalog.position("lyon")])
    assert names(small_catalog, nearby.rank_peers(small_catalog, points, origin, 50, candidates=only)) == [
        "lyon"
    ]


def test_overseas_search_stays_overseas(small_catalog, reference):
    points = nearby.catalog_points(small_catalog)
    origin = nearby.origin_from_commune(reference, "97415")  # Saint-Paul (La Réunion)
    ranked = nearby.rank_peers(small_catalog, points, origin, 200)
    assert names(small_catalog, ranked) == ["reunion"]
    found = nearby.nearest_catalysts(small_catalog, points, origin)
    assert [small_catalog.frame["id"].iat[p] for p, _ in found] == ["reunion"]


def test_origin_from_point(reference):
    origin = nearby.origin_from_point(reference, 45.76, 4.84)
    assert origin.commune_code == "69123" and "Lyon" in origin.label
    assert nearby.origin_from_point(reference, 46.0, -12.0) is None  # Atlantic


def test_similar_initiatives_are_elsewhere(small_catalog):
    lyon = small_catalog.position("lyon")
    similar = [small_catalog.frame["id"].iat[p] for p in nearby.similar(small_catalog, lyon)]
    assert "villeurbanne" not in similar  # same département
    # Ajaccio shares 1 of 2 forms (Jaccard 1/2), La Réunion 1 of 3 (1/3); Rennes none.
    assert similar == ["ajaccio", "reunion"]


def test_commune_catalyst_distances(small_catalog, reference):
    d = nearby.commune_catalyst_distances(
        small_catalog, nearby.catalog_points(small_catalog), nearby.commune_points(reference)
    )
    codes = list(reference.communes.index)
    assert d[codes.index("69266")] == 0
    lyon, villeurbanne = reference.communes.loc["69123"], reference.communes.loc["69266"]
    expected = distance_km(
        lyon["latitude"], lyon["longitude"], villeurbanne["latitude"], villeurbanne["longitude"]
    )
    assert d[codes.index("69123")] == pytest.approx(expected) and 3 < expected < 4
    assert np.isinf(d[codes.index("97209")])  # Martinique: no catalyst there


@pytest.mark.parametrize(
    "state",
    [
        NearbyState(commune="69123", radius=30),
        NearbyState(
            initiative="atelier-velo", radius=50, forms=("patronage",), sort="distance", selected="x"
        ),
        NearbyState(lat=45.76, lng=4.84, radius=5, natures=("ecosystem",), themes=("employment", "food")),
    ],
)
def test_nearby_url_round_trip(state):
    assert nearby.nearby_from_params(nearby.nearby_params(state), communes={"69123"}) == state


def test_nearby_url_drops_bad_values():
    state = nearby.nearby_from_params(
        {"commune": "99999", "rayon": "5000", "lat": "abc", "forme": "x,mecenat"}
    )
    assert state.commune == "" and state.radius == 200 and state.lat is None and state.forms == ("patronage",)
