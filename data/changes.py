"""Readable differences between two versions of an initiative, in French.

Why: moderators decide on a correction by reading what it changes, and the history
shows what each step changed; both need the same field-by-field comparison with the
taxonomy's French labels rather than internal keys.
"""

from __future__ import annotations

from collections.abc import Mapping

from data import taxonomy

#: Fields compared and shown, in reading order: every field of an initiative but its id
#: (the taxonomy's table of French field labels is the one list of them).
SHOWN = tuple(name for name in taxonomy.FIELD_LABELS if name != "id")


def field_text(name: str, value: object) -> str:
    """A field's value as a person reads it (French labels, lists joined).

    >>> field_text("forms", ["patronage", "societal_innovation"])
    'Innovation sociétale, Mécénat'
    >>> field_text("partners", ["A", "B"])
    'A ; B'
    >>> field_text("territory_level", "departement")
    'départementale'
    """
    if value is None or value == "" or value == () or value == []:
        return ""
    if name in taxonomy.VOCABULARIES:
        vocabulary = taxonomy.VOCABULARIES[name][0]
        keys = [value] if isinstance(value, str) else list(value)
        return ", ".join(taxonomy.labels(vocabulary, keys)) or ", ".join(map(str, keys))
    if isinstance(value, (list, tuple)):
        return " ; ".join(str(v) for v in value)
    return str(value)


def changes(before: Mapping | None, after: Mapping) -> list[tuple[str, str, str]]:
    """``(French field label, before, after)`` for each field that differs.

    With no ``before`` (a new initiative) every filled field is listed.

    >>> changes({"name": "A", "forms": ["patronage"]}, {"name": "B", "forms": ["patronage"]})
    [('nom', 'A', 'B')]
    """
    rows = []
    for name in SHOWN:
        old = field_text(name, (before or {}).get(name))
        new = field_text(name, after.get(name))
        if old != new:
            rows.append((taxonomy.FIELD_LABELS.get(name, name), old, new))
    return rows
