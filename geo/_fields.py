"""Read the raw values of a row (codes, postcodes, départements, coordinates) strictly.

Why apart from the geocoder: spreadsheets damage codes in a few well-known ways
(« 1001 » for « 01001 » once Excel has read it as a number, « 69001.0 » after a
float conversion, « 2a004 », « 69 001 »). Repairing those, and telling a damaged
value from a wrong one, is the same job for every field; the geocoder then only
deals with clean values or with a French message naming the bad one.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

_INSEE = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")
_POSTCODE = re.compile(r"^\d{5}$")
_FLOAT_TAIL = re.compile(r"\.0+$")


class Parsed(NamedTuple):
    """A cleaned value (``""`` when absent or invalid) and a French remark (``""`` if none)."""

    value: str
    error: str = ""
    note: str = ""


def text(value: object) -> str:
    """Return ``value`` as stripped text; ``None``, NaN and « nan » become ``""``.

    Examples
    --------
    >>> text(None), text(float("nan")), text("  Lyon "), text(69123)
    ('', '', 'Lyon', '69123')
    """
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else str(value)
    result = str(value).strip()
    return "" if result.lower() in {"nan", "none", "null", "<na>"} else result


def _digits_repaired(raw: str, label: str) -> Parsed:
    # A code that lost its leading zero (a spreadsheet read « 01001 » as a number) has four
    # digits and nothing else; « 69 12 » is not one.
    bare = _FLOAT_TAIL.sub("", raw)
    compact = bare.replace(" ", "").replace("\u00a0", "").upper()
    if bare.isdigit() and len(bare) == 4:
        return Parsed("0" + compact, note=f"{label} « {raw} » complété en « 0{compact} »")
    return Parsed(compact)


def insee_code(value: object) -> Parsed:
    """Check and repair an INSEE commune code.

    Returns
    -------
    Parsed
        The code in upper case (``"2A004"``), or ``""`` with a French error naming the
        value when it cannot be a code.

    Examples
    --------
    >>> insee_code("2a004").value
    '2A004'
    >>> insee_code(1001.0).value
    '01001'
    >>> insee_code("1A001").error
    'code INSEE « 1A001 » invalide : attendu 5 chiffres, ou 2A/2B suivi de 3 chiffres'
    """
    raw = text(value)
    if not raw:
        return Parsed("")
    repaired = _digits_repaired(raw, "code INSEE")
    if _INSEE.match(repaired.value):
        return repaired
    return Parsed(
        "", error=f"code INSEE « {raw} » invalide : attendu 5 chiffres, ou 2A/2B suivi de 3 chiffres"
    )


def postcode(value: object) -> Parsed:
    """Check and repair a French postcode (five digits).

    Examples
    --------
    >>> postcode("69 001").value, postcode("1000").value
    ('69001', '01000')
    >>> postcode("69OO1").error
    'code postal « 69OO1 » invalide : attendu 5 chiffres'
    """
    raw = text(value)
    if not raw:
        return Parsed("")
    repaired = _digits_repaired(raw, "code postal")
    if _POSTCODE.match(repaired.value):
        return repaired
    return Parsed("", error=f"code postal « {raw} » invalide : attendu 5 chiffres")


def departements_of_postcode(code: str) -> tuple[str, ...]:
    """Départements a postcode points to, by its leading digits.

    Examples
    --------
    >>> departements_of_postcode("69441"), departements_of_postcode("20090")
    (('69',), ('2A', '2B'))
    >>> departements_of_postcode("97490")
    ('974',)
    """
    if code.startswith("20"):
        return ("2A", "2B")
    if code.startswith(("97", "98")):
        return (code[:3],)
    return (code[:2],)


_DEP_CODE = re.compile(r"(?<![\dA-Za-z])(\d{1,3}|2[AaBb])(?![\dA-Za-z])")


def departement_code_in(raw: str) -> str:
    """The département code written in ``raw`` (« 69 », « Rhône (69) », « 1 », « 2a »), or ``""``.

    Examples
    --------
    >>> departement_code_in("Rhône (69)"), departement_code_in("1"), departement_code_in("2a")
    ('69', '01', '2A')
    >>> departement_code_in("Rhône")
    ''
    """
    found = _DEP_CODE.search(raw)
    if not found:
        return ""
    code = found.group(1).upper()
    return code.zfill(2) if code.isdigit() and len(code) < 2 else code


def coordinate(value: object) -> tuple[float | None, str]:
    """Parse a latitude or longitude (decimal point or comma).

    Returns
    -------
    tuple
        The number, or ``None`` with a French error naming the value.

    Examples
    --------
    >>> coordinate("45,76")
    (45.76, '')
    >>> coordinate("45°N")
    (None, 'coordonnée « 45°N » illisible : attendu un nombre décimal')
    """
    raw = text(value)
    if not raw:
        return None, ""
    try:
        number = float(raw.replace(",", ".").replace(" ", ""))
    except ValueError:
        return None, f"coordonnée « {raw} » illisible : attendu un nombre décimal"
    if not math.isfinite(number):
        return None, f"coordonnée « {raw} » illisible : attendu un nombre décimal"
    return number, ""
