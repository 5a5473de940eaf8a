"""The map's data files are shared through the database: any instance serves any page's files."""

from __future__ import annotations

import gzip
import json

from components import map_data
from components.map_view import point_payload


def test_a_file_published_by_one_instance_is_served_by_another(repo, small_catalog, monkeypatch):
    payload = point_payload(small_catalog)
    for name, content in payload.contents.items():
        repo.publish_map_file(name, content)
        repo.publish_map_file(name, content)  # the same name twice: no error, one row
    monkeypatch.setattr(map_data, "_memory", {})  # « another instance »: nothing in memory
    monkeypatch.setattr(map_data.datasets, "repository_or_none", lambda source: repo)
    name = payload.files.points.rsplit("/", 1)[1]
    served = map_data.lookup(name, source=None)
    assert json.loads(gzip.decompress(served))["id"] == list(small_catalog.frame["id"])
    assert map_data.lookup("../../etc/passwd", source=None) is None


def test_only_the_newest_files_are_kept(repo):
    names = [f"points-{k:016x}.json" for k in range(5)]
    for name in names:
        repo.publish_map_file(name, b"x", keep=2)
    kept = [name for name in names if repo.map_file(name) is not None]
    assert len(kept) == 2 and names[-1] in kept
