"""The map: offline assets only, compact view payloads, safe scripts, click decoding."""

import base64
import gzip
import json

import numpy as np
import pytest
from streamlit_folium import _get_map_string

from components import map_view
from components.map_view import PointFiles


def decode(mask, size):
    """Python mirror of decodeMask() in static/js/alliances-map.js."""
    raw = base64.b64decode(mask)
    return [i for i in range(size) if raw[i >> 3] & (1 << (i & 7))]


@pytest.mark.parametrize(
    ("kept", "size"), [([0], 2), ([1, 7, 8, 15], 17), ([], 5), (list(range(0, 1000, 3)), 1000)]
)
def test_mask_round_trip(kept, size):
    mask = map_view.encode_mask(np.array(kept, dtype=int), size)
    assert decode(mask, size) == kept


def test_mask_is_none_when_everything_is_kept():
    assert map_view.encode_mask(np.arange(4), 4) is None


def test_mask_is_compact_at_100k():
    mask = map_view.encode_mask(np.arange(0, 100_000, 2), 100_000)
    assert len(mask) <= 17_000


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("§tzcld-paris-13e§Nom#3", "tzcld-paris-13e"),
        ("  §a1§", "a1"),
        ("Nom §a1§", ""),
        ("§X Y§", ""),
        ("§<img>§", ""),
        (None, ""),
        ("", ""),
    ],
)
def test_clicked_id(text, expected):
    assert map_view.clicked_id(text) == expected


def test_base_map_uses_only_local_assets(reference):
    fmap = map_view.base_map(PointFiles("/app/static/gen/p.json", "/app/static/gen/l.json"), reference)
    links = [src for _, src in fmap.default_js + fmap.default_css]
    links += [src for child in fmap._children.values() for _, src in getattr(child, "default_js", [])]
    assert links and all(link.startswith(("/app/static/", "/donnees/")) for link in links)
    name, content = map_view.script_bundle()
    assert f"/donnees/{name}" in links and b"AlliancesMap" in gzip.decompress(content)
    script = _get_map_string(fmap)
    assert "http://" not in script and "https://" not in script
    assert '"maxZoom": 18' in script and '"minZoom": 3' in script


def test_base_map_is_identical_across_reruns(reference):
    files = PointFiles("/app/static/gen/p.json", "/app/static/gen/l.json")
    first = _get_map_string(map_view.base_map(files, reference))
    second = _get_map_string(map_view.base_map(files, reference))
    assert first == second


def test_view_layer_script_cannot_close_the_script_element():
    view = map_view.explorer_view(
        np.arange(3),
        5,
        selected=1,
        fit=None,
        focus=None,
        view_key="</script><script>alert(1)</script>",
        count_label="x",
    )
    layer = map_view.view_layer(view)
    child = next(iter(layer._children.values()))
    assert "</script>" not in child.view_json
    assert json.loads(child.view_json)["viewKey"].startswith("</script>")


def test_point_files_hold_escaped_tooltips(small_catalog):
    payload = map_view.point_payload(small_catalog)
    files = payload.files
    assert files.points.startswith("/donnees/points-") and files.labels.startswith("/donnees/labels-")
    labels = json.loads(gzip.decompress(payload.contents[files.labels.rsplit("/", 1)[1]]))
    points = json.loads(gzip.decompress(payload.contents[files.points.rsplit("/", 1)[1]]))
    assert len(labels) == len(points["lat"]) == len(small_catalog)
    assert labels[0] == "<b>Atelier vélo solidaire</b><br>Lyon"
    names = list(small_catalog.frame["name"])
    assert names == sorted(names, key=str.casefold)
    assert points["nature"] == [0 if n == "partnership" else 1 for n in small_catalog.frame["nature"]]


def test_ready_signal_is_not_a_click():
    assert map_view.is_ready_signal(map_view.READY_SIGNAL)
    assert map_view.clicked_id(map_view.READY_SIGNAL) == ""
    assert not map_view.is_ready_signal("§3§Nom")


def test_ready_signal_matches_the_client_code():
    from tests.conftest import ROOT

    script = (ROOT / "static" / "js" / "alliances-map.js").read_text(encoding="utf-8")
    assert f'const READY = "{map_view.READY_SIGNAL}";' in script


def test_nearby_view_escapes_names_and_frames_the_circle():
    results = [
        {
            "pos": 4,
            "id": "x-4",
            "lat": 45.76,
            "lng": 4.84,
            "nature": "ecosystem",
            "name": "${x}<b>",
            "commune": "Lyon",
        }
    ]
    view = map_view.nearby_view((45.76, 4.84), 10, results, selected_at=None, view_key="k", count_label="1")
    assert view["nearby"]["labels"] == ["<b>&#36;&#123;x&#125;&lt;b&gt;</b><br>Lyon"]
    assert view["nearby"]["nature"] == [1] and view["nearby"]["radius"] == 10_000
    assert view["nearby"]["ids"] == ["x-4"]
    (south, west), (north, east) = view["fit"]
    assert south < 45.76 < north and west < 4.84 < east
    assert abs((north - south) * 111.2 - 20) < 0.1


def test_choropleth_view_points_to_the_level_layer():
    view = map_view.choropleth_view(
        "epci",
        {"1": "#fff"},
        {"1": "x"},
        [["a", "#fff", True]],
        "t",
        fit=None,
        view_key="k",
        count_label="c",
        empty_color="#eee",
    )
    assert view["choropleth"]["url"] == "/app/static/gen/epci.geojson"


def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("background", ["#dde8f0", "#f7f4ec"])  # the sea (map CSS) and the land (boundaries)
def test_marker_colours_have_non_text_contrast(background):
    from data import taxonomy

    for colour in taxonomy.NATURE_COLORS.values():
        high, low = sorted((_luminance(colour), _luminance(background)), reverse=True)
        assert (high + 0.05) / (low + 0.05) >= 3.0, colour
