"""The map's data files and its one script file: servable by every instance.

Why not files under ``static/``: behind a reverse proxy, the request for a page's points
may reach another app instance than the one that drew the page, and instances share
nothing but the database. So the files (named by their content's hash) are kept in this
process's memory and in the database; the ``/donnees/…`` route of ``serve.py`` answers
from memory, then from the database, then by computing this instance's own current
files (which is how demo data, not stored, are served by any instance).
"""

from __future__ import annotations

import gzip
import logging
import re
import threading

from components import datasets
from components.map_view import PointFiles, script_bundle
from data.db import StoreError

LOG = logging.getLogger(__name__)
NAME = re.compile(r"(points|labels)-[0-9a-f]{16}\.json|carte-[0-9a-f]{16}\.js")
#: How many files this process keeps in memory (two per catalog).
MEMORY_FILES = 16

_lock = threading.Lock()
_memory: dict[str, bytes] = {}


def _remember(contents: dict[str, bytes]) -> None:
    with _lock:
        _memory.update(contents)
        while len(_memory) > MEMORY_FILES:
            _memory.pop(next(iter(_memory)))


def publish(source: datasets.DataSource) -> PointFiles:
    """The URLs of the shown catalog's data files, after making them servable anywhere."""
    payload = datasets.get_point_payload(source)
    if all(name in _memory for name in payload.contents):
        return payload.files
    repository = datasets.repository_or_none(source)
    if repository is not None:
        try:
            for name, content in payload.contents.items():
                repository.publish_map_file(name, content)
        except StoreError as error:  # read-only store: this instance still serves them
            LOG.warning("fichiers de la carte non partagés : %s", error)
    _remember(payload.contents)
    return payload.files


def lookup(name: str, source: datasets.DataSource) -> bytes | None:
    """The gzip bytes of a data file, or None when no instance published it."""
    if not NAME.fullmatch(name):
        return None
    bundle_name, bundle = script_bundle()
    if name == bundle_name:
        return bundle
    content = _memory.get(name)
    if content is not None:
        return content
    repository = datasets.repository_or_none(source)
    if repository is not None:
        try:
            content = repository.map_file(name)
        except StoreError:
            content = None
        if content is not None:
            _remember({name: content})
            return content
    publish(source)  # this instance's own current files (demo data are never stored)
    return _memory.get(name)


def plain(content: bytes) -> bytes:
    """The JSON text of a gzip file, for the rare client that does not accept gzip."""
    return gzip.decompress(content)
