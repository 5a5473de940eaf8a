"""French wording of numbers and counts (narrow no-break space between thousands)."""

from __future__ import annotations

import datetime as dt

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def number(n: int) -> str:
    """``12345`` → ``"12 345"`` (with a narrow no-break space)."""
    return f"{n:,}".replace(",", "\u202f")


def initiatives(n: int) -> str:
    """``1`` → ``"1 initiative"``, ``3`` → ``"3 initiatives"``."""
    return f"{number(n)} initiative" + ("s" if n > 1 else "")


def count_label(kept: int, total: int) -> str:
    """``(12, 247)`` → ``"12 initiatives sur 247"``."""
    return f"{initiatives(kept)} sur {number(total)}"


def decimal(value: float, digits: int = 1) -> str:
    """``1234.56`` → ``"1 234,6"`` (decimal comma, narrow no-break space between thousands)."""
    return f"{value:,.{digits}f}".replace(",", "\u202f").replace(".", ",")


def km(value: float) -> str:
    """``3.44`` → ``"3,4 km"``."""
    return f"{value:.1f} km".replace(".", ",")


def date(day: dt.date) -> str:
    """``2026-11-30`` → « 30 novembre 2026 »."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
