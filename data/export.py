"""CSV exports that open safely in Excel and LibreOffice.

A cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return is a
formula there (OWASP « CSV injection »): such text cells get a leading
apostrophe. Files are UTF-8 with a BOM and ``;``-separated, as French Excel
expects.
"""

from __future__ import annotations

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Prefix a text that a spreadsheet would run as a formula (once, never twice)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(frame: pd.DataFrame) -> bytes:
    """The frame as CSV bytes (UTF-8 with BOM, ``;``), formulas neutralised."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or str(safe[column].dtype).startswith("str"):
            safe[column] = safe[column].map(neutralise)
    return safe.to_csv(index=False, sep=";").encode("utf-8-sig")
