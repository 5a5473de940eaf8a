"""Split a free-text French address line into a postcode and the words that may name the commune.

Why a parser and not a full address matcher: the geocoder only needs the commune,
and in a French address the commune sits right after the postcode (« 12 rue X 54290
St-Boingt CEDEX »), or at the end of the line when the postcode is missing or comes
last (« 12 rue X, Saint-Boingt 54290 »). Postal boxes (« BP 12 », « CS 30001 »,
« TSA 1234 »), CEDEX numbers and a trailing « France » are removed first so that
their numbers are never read as a postcode.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_BOXES = re.compile(r"\b(?:b\.?\s?p|c\.?\s?s|t\.?\s?s\.?\s?a|case\s+postale)\.?\s*\d+\b", re.IGNORECASE)
_CEDEX = re.compile(r"\bcedex\b(?:\s*\d{1,3}\b)?", re.IGNORECASE)
_POSTCODE = re.compile(r"(?<![\d,.])(\d{2})\s?(\d{3})(?![\d,.])")
_COUNTRY = re.compile(r"[\s,;-]*\bfrance\s*$", re.IGNORECASE)
_SEGMENTS = re.compile(r"[,;\n]+")


class AddressParts(NamedTuple):
    """What an address line tells about its commune."""

    postcode: str
    #: Text right after the postcode (the usual place of the commune), may be empty.
    after: str
    #: Text before the postcode (or the whole line without postcode).
    before: str


def _plausible_postcode(code: str) -> bool:
    department = int(code[:2])
    return 1 <= department <= 95 or department in (97, 98)


def split(address: str) -> AddressParts:
    """Find the postcode of an address line and the text around it.

    The last plausible postcode wins (a street number never has five digits in
    practice, a postcode usually comes last).

    Examples
    --------
    >>> split("12 rue X 54290 St-Boingt")
    AddressParts(postcode='54290', after='St-Boingt', before='12 rue X')
    >>> split("BP 12345, 69441 LYON CEDEX 03")
    AddressParts(postcode='69441', after='LYON', before='')
    >>> split("3 place de la Mairie, Saint-Boingt")
    AddressParts(postcode='', after='', before='3 place de la Mairie, Saint-Boingt')
    """
    cleaned = _COUNTRY.sub("", _CEDEX.sub(" ", _BOXES.sub(" ", address))).strip(" ,;-")
    found = [m for m in _POSTCODE.finditer(cleaned) if _plausible_postcode(m.group(1) + m.group(2))]
    if not found:
        return AddressParts("", "", " ".join(cleaned.split()))
    match = found[-1]
    after = _SEGMENTS.split(cleaned[match.end() :].strip(" ,;-"))[0]
    before = cleaned[: match.start()].strip(" ,;-")
    return AddressParts(match.group(1) + match.group(2), " ".join(after.split()), " ".join(before.split()))


def tail_candidates(text: str, *, longest: int = 6) -> list[str]:
    """Possible commune names at the end of ``text``, longest first.

    The last comma-separated segment comes first; then the last ``longest`` … 1 words
    (each guess once).

    Examples
    --------
    >>> tail_candidates("3 place de la Mairie, Le Havre", longest=3)
    ['Le Havre', 'Mairie, Le Havre', 'Havre']
    """
    if not text:
        return []
    segments = [s.strip() for s in _SEGMENTS.split(text) if s.strip()]
    result = [segments[-1]] if segments else []
    tokens = text.split()
    for size in range(min(longest, len(tokens)), 0, -1):
        result.append(" ".join(tokens[-size:]))
    return list(dict.fromkeys(result))
