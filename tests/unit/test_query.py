"""Filtering semantics, facet counts and the URL round trip of a view."""

import pytest

from data import query
from data.query import ViewState


def ids(catalog, state):
    return sorted(catalog.frame["id"].iloc[query.apply(catalog, state)])


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (ViewState(), ["ajaccio", "lyon", "rennes", "reunion", "villeurbanne"]),
        (ViewState(regions=("84",)), ["lyon", "villeurbanne"]),
        (ViewState(regions=("84", "04")), ["lyon", "reunion", "villeurbanne"]),
        (ViewState(departements=("2A",)), ["ajaccio"]),
        (ViewState(natures=("ecosystem",)), ["reunion", "villeurbanne"]),
        (ViewState(forms=("patronage",)), ["lyon", "reunion"]),
        (ViewState(forms=("patronage", "responsible_practices")), ["lyon", "rennes", "reunion"]),
        (ViewState(forms=("patronage",), regions=("84",)), ["lyon"]),
        (ViewState(themes=("food",)), ["rennes"]),
        (ViewState(actor_types=("company",)), ["lyon"]),
        (ViewState(q="velo"), ["lyon"]),
        (ViewState(q="ÉLAN"), ["ajaccio"]),
        (ViewState(q="cantines réemploi"), ["rennes"]),
        (ViewState(q="exemple fondation"), ["lyon"]),
        (ViewState(q="introuvable"), []),
    ],
)
def test_filters(small_catalog, state, expected):
    assert ids(small_catalog, state) == expected


def test_selection_does_not_filter(small_catalog):
    assert ids(small_catalog, ViewState(selected="lyon")) == ids(small_catalog, ViewState())


def test_facet_counts_ignore_their_own_facet(small_catalog):
    counts = query.facet_counts(small_catalog, ViewState(regions=("84",), forms=("patronage",)))
    # Régions: counted with the form filter only (lyon, reunion).
    assert counts["regions"] == {"84": 1, "04": 1}
    # Forms: counted within the région only (lyon, villeurbanne).
    assert counts["forms"]["patronage"] == 1
    assert counts["forms"]["economic_cooperation"] == 1
    assert counts["forms"]["responsible_practices"] == 0
    # Other facets: both filters apply (lyon only).
    assert counts["natures"] == {"partnership": 1}
    assert counts["themes"]["mobility"] == 1 and counts["themes"]["employment"] == 0


def test_facet_counts_match_filtering(small_catalog):
    counts = query.facet_counts(small_catalog, ViewState())
    for form, n in counts["forms"].items():
        assert n == len(ids(small_catalog, ViewState(forms=(form,))))


KNOWN = {"regions": {"84", "04", "11"}, "departements": {"69", "2A", "974"}}


@pytest.mark.parametrize(
    "state",
    [
        ViewState(),
        ViewState(regions=("84",), forms=("patronage",), q="vélo & co", selected="atelier-velo"),
        ViewState(
            regions=("84", "04"),
            departements=("2A",),
            natures=("ecosystem",),
            themes=("employment", "food"),
            actor_types=("local_authority",),
        ),
    ],
)
def test_url_round_trip(state):
    params = query.to_query_params(state)
    assert query.from_query_params(params, **KNOWN) == state


def test_url_uses_french_slugs():
    params = query.to_query_params(ViewState(regions=("84",), forms=("patronage", "economic_cooperation")))
    assert params == {"region": "84", "forme": "mecenat,cooperation-economique"}


def test_url_drops_unknown_values():
    params = {"region": "84,99,<script>", "forme": "mecenat,nimporte", "departement": "2a", "q": "x" * 500}
    state = query.from_query_params(params, **KNOWN)
    assert state.regions == ("84",)
    assert state.forms == ("patronage",)
    assert state.departements == ("2A",)
    assert len(state.q) == query.MAX_QUERY


def test_url_accepts_internal_keys_and_lists():
    state = query.from_query_params({"forme": ["patronage", "innovation-societale"]}, **KNOWN)
    assert state.forms == ("patronage", "societal_innovation")


def test_search_covers_labels_and_places(reference):
    """« emploi » finds every initiative whose theme is Emploi; « bretagne » those of Bretagne."""
    from data.catalog import load_bundled

    catalog = load_bundled(reference)
    by_theme = set(query.apply(catalog, query.ViewState(themes=("employment",))))
    assert by_theme <= set(query.apply(catalog, query.ViewState(q="emploi")))
    in_brittany = set(query.apply(catalog, query.ViewState(regions=("53",))))
    assert in_brittany <= set(query.apply(catalog, query.ViewState(q="bretagne")))
    assert set(query.apply(catalog, query.ViewState(q="mecenat"))) >= set(
        query.apply(catalog, query.ViewState(forms=("patronage",)))
    )


@pytest.mark.parametrize("raw", ["inf", "-inf", "1e999", "9" * 400, "nan", "abc"])
def test_number_parameters_never_overflow(raw):
    value, notice = query.number_param({"rayon": raw}, "rayon", low=5, high=200, default=30)
    assert value == 30 and notice.startswith("Paramètre « rayon » :") and "30 retenu" in notice
