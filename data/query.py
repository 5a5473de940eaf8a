"""Filtering, facet counts and the URL form of a view.

A :class:`ViewState` is everything a link must carry to reopen the same view:
the filters and the selected initiative. Filtering is AND across facets and OR
within one facet (two forms selected = either form). Facet counts follow the
usual faceted-search rule: an option's count is how many initiatives the view
would keep if that option were chosen in its facet, the other facets unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd

from data import taxonomy
from data.catalog import MULTI_FACETS, Catalog
from data.taxonomy import fold

#: URL parameter → (ViewState field, vocabulary for slugs or None for codes).
URL_PARAMS: dict[str, tuple[str, dict[str, str] | None]] = {
    "region": ("regions", None),
    "departement": ("departements", None),
    "nature": ("natures", taxonomy.NATURES),
    "forme": ("forms", taxonomy.FORMS),
    "theme": ("themes", taxonomy.THEMES),
    "acteur": ("actor_types", taxonomy.ACTOR_TYPES),
}
MAX_QUERY = 200


@dataclass(frozen=True)
class ViewState:
    """Filters and selection of the explorer; hashable, so usable as a cache key."""

    regions: tuple[str, ...] = ()
    departements: tuple[str, ...] = ()
    natures: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    actor_types: tuple[str, ...] = ()
    q: str = ""
    selected: str = ""

    @property
    def filters(self) -> ViewState:
        """The same state without the selection (what filtering depends on)."""
        return replace(self, selected="")

    def is_filtered(self) -> bool:
        return any(getattr(self.filters, f.name) for f in fields(self))


def to_query_params(state: ViewState) -> dict[str, str]:
    """Encode a view as URL parameters (empty ones left out).

    Examples
    --------
    >>> to_query_params(ViewState(regions=("84",), forms=("patronage",), q="vélo"))
    {'region': '84', 'forme': 'mecenat', 'q': 'vélo'}
    """
    params: dict[str, str] = {}
    for name, (attr, vocab) in URL_PARAMS.items():
        values = getattr(state, attr)
        if values:
            params[name] = taxonomy.to_slugs(vocab, values) if vocab else ",".join(values)
    if state.q:
        params["q"] = state.q
    if state.selected:
        params["id"] = state.selected
    return params


def from_query_params(
    params: Mapping[str, str | list[str]],
    *,
    regions: set[str] | frozenset[str] = frozenset(),
    departements: set[str] | frozenset[str] = frozenset(),
) -> ViewState:
    """Decode URL parameters; unknown values are dropped, never trusted.

    Parameters
    ----------
    params
        e.g. ``st.query_params`` or ``{"region": "84", "forme": "mecenat"}``.
    regions, departements
        Known INSEE codes; other codes are ignored.
    """
    known_codes = {"regions": regions, "departements": departements}
    values: dict[str, object] = {}
    for name, (attr, vocab) in URL_PARAMS.items():
        raw = params.get(name, "")
        if isinstance(raw, list):
            raw = ",".join(raw)
        if vocab:
            values[attr] = taxonomy.from_slugs(vocab, str(raw))
        else:
            codes = (p.strip().upper() for p in str(raw).split(","))
            values[attr] = tuple(dict.fromkeys(c for c in codes if c in known_codes[attr]))
    return ViewState(q=param(params, "q")[:MAX_QUERY].strip(), selected=param(params, "id")[:80], **values)


def param(params: Mapping[str, str | list[str]], name: str) -> str:
    """One URL parameter's value, stripped ("" when absent; the first one when repeated)."""
    raw = params.get(name, "")
    return str(raw[0] if isinstance(raw, list) and raw else raw or "").strip()


def number_param(
    params: Mapping[str, str | list[str]], name: str, *, low: float, high: float, default: float
) -> tuple[float, str]:
    """A numeric URL parameter kept within ``[low, high]``, and a French notice when it was not.

    ``inf``, ``nan``, ``1e999`` or 400 nines never reach a computation: they are replaced
    by the default (or the nearest bound) and the notice says so.

    >>> number_param({"rayon": "1e999"}, "rayon", low=5, high=200, default=30)
    (30, "Paramètre « rayon » : « 1e999 » n'est pas un nombre entre 5 et 200 ; 30 retenu.")
    >>> number_param({"rayon": "500"}, "rayon", low=5, high=200, default=30)[0]
    200
    """
    raw = param(params, name)
    if not raw:
        return default, ""
    shown = raw if len(raw) <= 20 else raw[:20] + "…"
    try:
        value = float(raw)
    except (ValueError, OverflowError):
        value = math.nan
    if not math.isfinite(value):
        return (
            default,
            f"Paramètre « {name} » : « {shown} » n'est pas un nombre entre {low:g} et {high:g} ; "
            f"{default:g} retenu.",
        )
    kept = min(high, max(low, value))
    if kept != value:
        return (
            kept,
            f"Paramètre « {name} » : « {shown} » hors de l'intervalle {low:g} à {high:g} ; {kept:g} retenu.",
        )
    return value, ""


def _text_mask(catalog: Catalog, q: str) -> np.ndarray:
    words = fold(q).split()
    mask = np.ones(len(catalog), dtype=bool)
    if not words:
        return mask
    haystack = pd.Series(catalog.haystack, dtype="string[pyarrow]")
    for word in words:
        mask &= haystack.str.contains(word, regex=False).to_numpy(dtype=bool, na_value=False)
    return mask


def _bits(vocabulary: tuple[str, ...], keys: tuple[str, ...]) -> int:
    return sum(1 << vocabulary.index(k) for k in keys if k in vocabulary)


def facet_masks(catalog: Catalog, state: ViewState) -> dict[str, np.ndarray]:
    """One boolean mask per active facet (inactive facets are left out)."""
    frame = catalog.frame
    masks: dict[str, np.ndarray] = {}
    if state.regions:
        masks["regions"] = frame["reg_code"].isin(state.regions).to_numpy()
    if state.departements:
        masks["departements"] = frame["dep_code"].isin(state.departements).to_numpy()
    if state.natures:
        masks["natures"] = frame["nature"].isin(state.natures).to_numpy()
    for attr, vocab in MULTI_FACETS.items():
        chosen = getattr(state, attr)
        if chosen:
            masks[attr] = (catalog.masks[attr] & _bits(vocab, chosen)) != 0
    if state.q:
        masks["q"] = _text_mask(catalog, state.q)
    return masks


def _combine(masks: dict[str, np.ndarray], size: int, *, without: str = "") -> np.ndarray:
    result = np.ones(size, dtype=bool)
    for name, mask in masks.items():
        if name != without:
            result &= mask
    return result


def apply(catalog: Catalog, state: ViewState) -> np.ndarray:
    """Return the row positions kept by the view's filters, in catalog order."""
    return np.flatnonzero(_combine(facet_masks(catalog, state), len(catalog)))


def facet_counts(catalog: Catalog, state: ViewState) -> dict[str, dict[str, int]]:
    """For each facet, how many initiatives each option would keep.

    Returns
    -------
    dict
        ``{"regions": {"84": 12, …}, "forms": {"patronage": 3, …}, …}``.
    """
    frame = catalog.frame
    masks = facet_masks(catalog, state)
    size = len(catalog)
    counts: dict[str, dict[str, int]] = {}
    for attr, column in (("regions", "reg_code"), ("departements", "dep_code"), ("natures", "nature")):
        base = _combine(masks, size, without=attr)
        counts[attr] = frame.loc[base, column].value_counts().to_dict()
    for attr, vocab in MULTI_FACETS.items():
        base = _combine(masks, size, without=attr)
        bits = catalog.masks[attr][base]
        counts[attr] = {key: int(((bits >> i) & 1).sum()) for i, key in enumerate(vocab)}
    return counts
