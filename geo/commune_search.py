"""Find a commune from what a person types: « st etienne », « havre », « eveque ».

Matching ignores case, accents, hyphens and apostrophes, expands St/Ste, and
tolerates a leading article; exact names come first, then names starting with
the text, then names containing it, larger communes first within each group.
"""

from __future__ import annotations

import re
from functools import cached_property

import numpy as np
import pandas as pd

from geo.names import words

_ARTICLE = re.compile(r"^(le|la|les|l) ")


def fold_name(text: str) -> str:
    """``"L'Haÿ-les-Roses"`` → ``"l hay les roses"``; ``"St-Denis"`` → ``"saint denis"``."""
    return " ".join(words(text))


class CommuneSearch:
    """Search over the communes of a reference (build once, query many times)."""

    def __init__(self, communes: pd.DataFrame):
        self._codes = communes.index.to_numpy()
        self._population = communes["population"].to_numpy()
        self._names = communes["name"].to_numpy()
        self._deps = communes["dep_code"].to_numpy()

    @cached_property
    def _folded(self) -> pd.Series:
        folded = [fold_name(n) for n in self._names]
        return pd.Series([_ARTICLE.sub("", f) for f in folded], dtype="string[pyarrow]")

    def search(self, text: str, limit: int = 15) -> list[str]:
        """INSEE codes of the communes matching ``text``, best first.

        Examples
        --------
        >>> from pathlib import Path
        >>> from geo import reference
        >>> search = CommuneSearch(reference.load(Path("cache/reference")).communes)
        >>> [search.label(code) for code in search.search("st etienne", limit=2)]
        ['Saint-Étienne (42)', 'Saint-Étienne-du-Rouvray (76)']
        """
        query = _ARTICLE.sub("", fold_name(text))
        if len(query) < 2:
            return []
        names = self._folded
        exact = (names == query).to_numpy(dtype=bool)
        starts = names.str.startswith(query).to_numpy(dtype=bool)
        contains = names.str.contains(query, regex=False).to_numpy(dtype=bool)
        group = np.where(exact, 0, np.where(starts, 1, np.where(contains, 2, 3)))
        hits = np.flatnonzero(group < 3)
        order = np.lexsort((-self._population[hits], group[hits]))
        return [str(c) for c in self._codes[hits[order][:limit]]]

    def label(self, code: str) -> str:
        """« Saint-Étienne (42) »."""
        pos = int(np.flatnonzero(self._codes == code)[0])
        return f"{self._names[pos]} ({self._deps[pos]})"
