"""Name index of the communes and their old names, with exact, article-free, typo and prefix matching.

Why an index of its own: matching must be fast (tens of thousands of rows a second)
and prudent (never pick one of several homonyms). Both come from precomputing, once,
the keys of every name (see :mod:`geo.names`) and, for typos, a *symmetric-deletion*
index: every key minus one letter. When two keys are one edit apart (insertion,
deletion, substitution or swap of neighbours), one is the other minus a letter or both
give the same key minus a letter, so a typo lookup costs a few dozen dictionary reads
instead of a scan of 37,000 names.

Matches are searched in a *scope* (the communes of a postcode, of a département, or
all of France) and in order of strictness; the first level that finds anything
decides, and its hits are returned all together, so that the caller can refuse to
choose between homonyms:

1. written with an article, the full key (« Les Montils » is Les Montils, not Montils);
2. the key without article: written without one, « Montils » is Montils *or* Les
   Montils, and both are returned;
3. any key, article glued on or « St » kept (« LEHAVRE »);
4. one edit away (two for long names among a postcode's few communes), also against
   the abbreviated forms (« STT ETIENNE » is one letter from « St Étienne »); together
   with the names whose first words are the written ones (« Boulogne » is one letter
   from Coulogne and the start of Boulogne-sur-Mer: both are returned). Such a start
   of a name is accepted alone within a postcode or a département, never nationally;
   among a postcode's communes, a name that starts the written words is accepted too
   (« St Boingt Lorraine »).

An entry is a commune (today's) or an alias: a delegated or associated commune, or an
arrondissement, that points to today's commune.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Set
from typing import NamedTuple

from geo import names

EXACT, BARE, TYPO, PREFIX = "exact", "sans_article", "approche", "debut"

#: Shortest key (letters, article left out) that a typo may be corrected on.
MIN_TYPO_LENGTH = 4
#: The same, when searching all of France (short names have too many neighbours).
MIN_TYPO_LENGTH_NATIONAL = 5
#: Longest key looked up for typos (the longest commune name has 45 letters; longer text is not a name).
MAX_TYPO_LENGTH = 60
#: Shortest key that may be two edits away, inside a postcode's communes.
MIN_TWO_EDITS_LENGTH = 9
#: Shortest first words (letters) that may stand for a longer name (« Boulogne »).
MIN_PREFIX_LENGTH = 4
#: Largest scope searched by scanning rather than through the deletion index.
SMALL_SCOPE = 200


class Match(NamedTuple):
    """Communes (positions) found for a name, how, and whether only through old names."""

    positions: tuple[int, ...]
    quality: str
    via_alias: bool
    #: For a single alias match, the old name that matched.
    alias_name: str = ""
    #: False when even a single commune found is only a guess (a name's first words, all France).
    certain: bool = True


class NameIndex:
    """Exact, article-free, typo and prefix lookup of commune names.

    Parameters
    ----------
    entries
        ``(name, commune_position, is_alias)`` for every commune and alias.
    """

    def __init__(self, entries: Iterable[tuple[str, int, bool]]) -> None:
        self._owner: list[int] = []
        self._alias: list[bool] = []
        self._label: list[str] = []
        self._typo_keys: list[frozenset[str]] = []
        self._full: dict[str, list[int]] = {}
        self._bare: dict[str, list[int]] = {}
        #: Full and bare keys together, for typos (« Laa Chaise » is one letter from « La Chaise »).
        self._any: dict[str, list[int]] = {}
        self._of_position: dict[int, list[int]] = {}
        self._starts: dict[str, list[int]] = {}
        self._full_key: list[str] = []
        for entry, (name, position, is_alias) in enumerate(entries):
            full, bare = names.keys(name)
            words = names.words(name)
            if len(words) > 1 and words[0] in names.ARTICLES:
                words = words[1:]
            self._owner.append(position)
            self._alias.append(is_alias)
            self._label.append(name)
            self._typo_keys.append(names.typo_keys(name))
            self._full_key.append(full)
            self._full.setdefault(full, []).append(entry)
            self._bare.setdefault(bare, []).append(entry)
            for key in self._typo_keys[-1]:
                self._any.setdefault(key, []).append(entry)
            self._of_position.setdefault(position, []).append(entry)
            for size in range(1, len(words)):
                start = "".join(words[:size])
                if len(start) >= MIN_PREFIX_LENGTH:
                    self._starts.setdefault(start, []).append(entry)
        self._deletions_index: dict[str, list[str]] | None = None

    @property
    def _deletions(self) -> dict[str, list[str]]:
        """The symmetric-deletion index, built on the first typo looked up in a large scope."""
        if self._deletions_index is None:
            index: dict[str, list[str]] = defaultdict(list)
            for key in self._any:
                if len(key) >= MIN_TYPO_LENGTH:
                    for deleted in names.deletions(key):
                        index[deleted].append(key)
            self._deletions_index = dict(index)
        return self._deletions_index

    # -- helpers -------------------------------------------------------------------------------------

    def _hits(self, entries: Iterable[int], scope: Set[int] | None, quality: str) -> Match | None:
        positions: list[int] = []
        through_commune: set[int] = set()
        alias_names: list[str] = []
        for entry in entries:
            owner = self._owner[entry]
            if scope is not None and owner not in scope:
                continue
            if owner not in positions:
                positions.append(owner)
            if self._alias[entry]:
                alias_names.append(self._label[entry])
            else:
                through_commune.add(owner)
        if not positions:
            return None
        via_alias = not through_commune
        label = alias_names[0] if via_alias and len(positions) == 1 else ""
        return Match(tuple(positions), quality, via_alias, label)

    def _one_edit_keys(self, key: str) -> set[str]:
        found = set(self._deletions.get(key, ()))
        for deleted in names.deletions(key):
            if deleted in self._any:
                found.add(deleted)
            found.update(self._deletions.get(deleted, ()))
        return {k for k in found if names.distance(key, k, 1) <= 1}

    def _scan(self, scope: Set[int]) -> Iterable[int]:
        for position in scope:
            yield from self._of_position.get(position, ())

    def _typo(self, text: str, scope: Set[int] | None) -> Match | None:
        shortest = MIN_TYPO_LENGTH if scope is not None else MIN_TYPO_LENGTH_NATIONAL
        queries = {q for q in names.typo_keys(text) if shortest <= len(q) <= MAX_TYPO_LENGTH}
        if not queries:
            return None
        if scope is not None and len(scope) <= SMALL_SCOPE:
            bound = 2 if max(map(len, queries)) >= MIN_TWO_EDITS_LENGTH else 1
            best: dict[int, list[int]] = {}
            for entry in self._scan(scope):
                gap = min(names.distance(q, k, bound) for q in queries for k in self._typo_keys[entry])
                if gap <= bound:
                    best.setdefault(gap, []).append(entry)
            if not best:
                return None
            return self._hits(best[min(best)], scope, TYPO)
        entries = [e for q in queries for key in self._one_edit_keys(q) for e in self._any[key]]
        return self._hits(entries, scope, TYPO)

    def _prefix(self, text: str, bare: str, scope: Set[int] | None) -> Match | None:
        """Names that start with the written words, or (small scope) that the written words start with."""
        found = self._hits(self._starts.get(bare, ()), scope, PREFIX)
        if found or scope is None or len(scope) > SMALL_SCOPE:
            return found
        written = names.words(text)
        if len(written) > 1 and written[0] in names.ARTICLES:
            written = written[1:]
        entries = [e for size in range(1, len(written)) for e in self._bare.get("".join(written[:size]), ())]
        return self._hits(entries, scope, PREFIX)

    # -- public --------------------------------------------------------------------------------------

    def match(self, text: str, scope: Set[int] | None = None, *, fuzzy: bool = True) -> Match | None:
        """Find the communes a written name designates within ``scope``.

        Parameters
        ----------
        text
            The name as written.
        scope
            Positions allowed (``None``: all of France).
        fuzzy
            Also try typos (and, in a small scope, prefixes) when nothing matches exactly.

        Returns
        -------
        Match or None
            All the communes found at the strictest level that found any.
        """
        full, bare = names.keys(text)
        if not bare:
            return None
        if full != bare:
            # Written with its article: « Les Montils » is not Montils.
            found = self._hits(self._full.get(full, ()), scope, EXACT)
            if found:
                return found
        # Written without article: « Montils » may be Montils or Les Montils, and is then ambiguous.
        found = self._hits(self._bare.get(bare, ()), scope, BARE)
        if found:
            exact = len(found.positions) == 1 and any(
                self._full_key[e] == full for e in self._of_position[found.positions[0]]
            )
            return found._replace(quality=EXACT) if exact else found
        # Written with its article glued on (« LEHAVRE »), or « St » kept (« STETIENNE »).
        found = self._hits(self._any.get(bare, ()), scope, BARE)
        if found:
            return found
        if not fuzzy:
            return None
        typo = self._typo(text, scope)
        prefix = self._prefix(text, bare, scope)
        if typo and prefix and set(typo.positions) != set(prefix.positions):
            # « Boulogne » is one letter from Coulogne and the start of Boulogne-sur-Mer: don't choose.
            both = tuple(dict.fromkeys(typo.positions + prefix.positions))
            return Match(both, TYPO, typo.via_alias and prefix.via_alias)
        if typo:
            return typo
        if prefix and scope is None:
            return prefix._replace(certain=False)
        return prefix

    def fits(self, position: int, text: str) -> bool:
        """Tell whether ``text`` is a plausible spelling of commune ``position`` or one of its old names."""
        return self.match(text, {position}) is not None
