"""Normalise French place names the way people write them, for matching.

Why a module of its own: commune names reach us in every spelling a spreadsheet can
hold (« ST-BOINGT », « Le-Havre », « HAVRE (LE) », « Villeneuve d Ascq », « LYON CEDEX
03 »). Matching them against the reference needs one folding, applied identically to
the reference names and to the query, and cheap enough to run on every row.

The folding keeps only what tells communes apart:

- case, accents and ligatures (« Œ » → « oe ») are dropped;
- hyphens, apostrophes, dots, commas, slashes and spaces all separate words, and
  the *key* glues the words together, so « Le-Havre », « le havre » and « LEHAVRE »
  have the same key;
- abbreviations are spelled out: « St » → « saint », « Ste » → « sainte », « s/ » → « sur »;
- house-keeping words are removed: « CEDEX » and its number, arrondissement numbers
  (« Lyon 3e », « PARIS 11 »), a final « France »;
- a leading article (Le, La, Les, L', Aux, Las, Los) is kept in the *full* key and
  removed from the *bare* key, and an article written at the end (« Havre (Le) »,
  « Havre, Le ») is moved back to the front.

Typo matching uses the optimal-string-alignment distance (Damerau-Levenshtein
without repeated edits), bounded so that it stops as soon as the bound is exceeded.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Articles INSEE stores apart from the name (type_nom), once folded.
ARTICLES = frozenset({"le", "la", "les", "l", "aux", "las", "los"})

_ABBREVIATIONS = {
    "st": "saint",
    "ste": "sainte",
    "sts": "saints",
    "stes": "saintes",
    "mt": "mont",
}

_SEPARATORS = "-‐‑‒–—'’`´ʼ.,;:/\\()[]{}_\"«»!?*+&|#"


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {ord(ch): " " for ch in _SEPARATORS}
    table.update({ord("œ"): "oe", ord("æ"): "ae", ord("ß"): "ss", 0xA0: " ", 0x202F: " "})
    for code in range(0xC0, 0x250):
        char = chr(code)
        if code in table or not char.isalpha():
            continue
        base = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        if base:
            table[code] = base.lower()
    return table


_FOLD = _fold_table()
_SUR = re.compile(r"\bs/\s*")
_ORDINAL = re.compile(r"^\d+(?:er|re|e|eme|ieme|em|me)?$")
_NOISE_AFTER_NUMBER = frozenset({"arrondissement", "arrondissements", "arrdt", "arr", "ardt"})


def fold(text: str) -> str:
    """Lower-case ``text``, drop accents and turn punctuation into spaces.

    Parameters
    ----------
    text
        Any text.

    Returns
    -------
    str
        ASCII words separated by single spaces.

    Examples
    --------
    >>> fold("L'Île-Saint-Denis")
    'l ile saint denis'
    >>> fold("  CHÂLONS-EN-CHAMPAGNE ")
    'chalons en champagne'
    """
    lowered = _SUR.sub("sur ", text.lower()).translate(_FOLD)
    if not lowered.isascii():
        lowered = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode()
    return " ".join(lowered.split())


@lru_cache(maxsize=200_000)
def words(text: str) -> tuple[str, ...]:
    """Split a commune name into normalised words (see the module docstring).

    Examples
    --------
    >>> words("ST-BOINGT")
    ('saint', 'boingt')
    >>> words("Havre (Le)")
    ('le', 'havre')
    >>> words("LYON CEDEX 03")
    ('lyon',)
    >>> words("Marseille 8e arrondissement")
    ('marseille',)
    """
    raw = text.strip()
    tokens = [_ABBREVIATIONS.get(t, t) for t in fold(raw).split()]
    kept: list[str] = []
    dropped_number = False  # « arrondissement » is noise only after a number or « CEDEX »
    for token in tokens:
        if token == "cedex" or _ORDINAL.match(token):
            dropped_number = True
        elif not (dropped_number and token in _NOISE_AFTER_NUMBER):
            kept.append(token)
    if len(kept) > 1 and kept[-1] == "france":
        kept.pop()
    # An article written after the name, « Havre (Le) » or « Havre, Le », goes back in front.
    moved_article = raw.endswith(")") or "," in raw
    if moved_article and len(kept) > 1 and kept[-1] in ARTICLES and kept[0] not in ARTICLES:
        kept.insert(0, kept.pop())
    return tuple(kept)


def keys(text: str) -> tuple[str, str]:
    """Return the *full* and *bare* (article-less) matching keys of a name.

    Examples
    --------
    >>> keys("Le Havre")
    ('lehavre', 'havre')
    >>> keys("villeneuve d'ascq")
    ('villeneuvedascq', 'villeneuvedascq')
    >>> keys("Les")
    ('les', 'les')
    """
    tokens = words(text)
    full = "".join(tokens)
    if len(tokens) > 1 and tokens[0] in ARTICLES:
        return full, "".join(tokens[1:])
    return full, full


_SHORT = {"saint": "st", "sainte": "ste", "saints": "sts", "saintes": "stes"}


@lru_cache(maxsize=100_000)
def typo_keys(text: str) -> frozenset[str]:
    """Keys to compare when looking for typos: full, bare, and with « Saint » abbreviated.

    A typo often hits the abbreviation itself (« STT-MALO », « SN MALO »): against « st »
    it is one letter off, against « saint » three.

    Examples
    --------
    >>> sorted(typo_keys("Le Saint-Malo"))
    ['lesaintmalo', 'lestmalo', 'saintmalo', 'stmalo']
    """
    tokens = words(text)
    short = tuple(_SHORT.get(t, t) for t in tokens)
    found = {"".join(tokens), "".join(short)}
    if len(tokens) > 1 and tokens[0] in ARTICLES:
        found.update(("".join(tokens[1:]), "".join(short[1:])))
    return frozenset(found)


def deletions(key: str) -> set[str]:
    """Every string obtained by deleting one character of ``key``.

    Examples
    --------
    >>> sorted(deletions("abc"))
    ['ab', 'ac', 'bc']
    """
    return {key[:i] + key[i + 1 :] for i in range(len(key))}


def distance(a: str, b: str, bound: int = 2) -> int:
    """Optimal-string-alignment distance between ``a`` and ``b``, capped at ``bound + 1``.

    Insertions, deletions, substitutions and swaps of two neighbouring letters each
    count one.

    Parameters
    ----------
    a, b
        Strings to compare.
    bound
        Largest distance of interest: any larger distance is reported as ``bound + 1``.

    Examples
    --------
    >>> distance("villeurbane", "villeurbanne")
    1
    >>> distance("lyon", "loyn")
    1
    >>> distance("paris", "lyon")
    3
    """
    if a == b:
        return 0
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        row_min = i
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            row_min = min(row_min, value)
        if row_min > bound:
            return bound + 1
        previous2, previous = previous, current
    return min(previous[-1], bound + 1)
