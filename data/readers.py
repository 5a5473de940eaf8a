"""Read a spreadsheet of initiatives (CSV, XLSX, GeoJSON) into rows of text, safely.

Why so defensive: the files come from many hands. A CSV may be UTF-8, UTF-8 with a
BOM or cp1252, separated by ``;``, ``,`` or tabs; an « .xlsx » may be an executable
renamed, or a zip whose sheets expand to hundreds of megabytes. Every bad file gets
one clear French :class:`UnreadableFile` error and nothing is imported.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

MAX_FILE_BYTES = 20 * 1024 * 1024
#: Largest total uncompressed size accepted inside an XLSX (checked before parsing).
MAX_XLSX_EXPANDED = 100 * 1024 * 1024
MAX_XLSX_RATIO = 100
MAX_ROWS = 200_000


class UnreadableFile(ValueError):
    """The file cannot be read at all; the message is for the person who sent it."""


@dataclass
class Table:
    """Rows of text read from a file, with the line number of each row in that file."""

    headers: list[str]
    rows: list[list[str]]
    lines: list[int]
    notes: list[str] = field(default_factory=list)


def _decode(data: bytes, name: str) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's « texte Unicode »
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as error:
            raise UnreadableFile(f"« {name} » : UTF-16 illisible, octet {error.start}.") from error
    if b"\x00" in data[:4096]:
        raise UnreadableFile(f"« {name} » n'est pas un fichier texte (contenu binaire) : attendu un CSV.")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "UTF-8 (avec BOM)"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError as error:
            raise UnreadableFile(
                f"« {name} » : encodage illisible (ni UTF-8 ni Windows-1252), octet {error.start}."
            ) from error


def _delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        first = text.splitlines()[0] if text else ""
        return max(";,\t", key=first.count)


def _check_headers(headers: list[str], name: str) -> list[str]:
    cleaned = [h.strip() for h in headers]
    if not any(cleaned):
        raise UnreadableFile(f"« {name} » : la première ligne doit porter les noms des colonnes.")
    seen: dict[str, int] = {}
    for position, header in enumerate(cleaned, start=1):
        key = header.casefold()
        if key and key in seen:
            raise UnreadableFile(
                f"« {name} » : la colonne « {header} » apparaît deux fois "
                f"(colonnes {seen[key]} et {position})."
            )
        seen[key] = position
    return cleaned


def read_csv(data: bytes, name: str = "fichier.csv") -> Table:
    """Read CSV bytes whatever their encoding and separator."""
    text, encoding = _decode(data, name)
    if not text.strip():
        raise UnreadableFile(f"« {name} » est vide.")
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        all_rows = list(reader)
    except csv.Error as error:
        raise UnreadableFile(f"« {name} » : CSV mal formé ({error}).") from error
    headers = _check_headers(all_rows[0], name)
    rows, lines = [], []
    for line, row in enumerate(all_rows[1:], start=2):
        if any(cell.strip() for cell in row):
            rows.append([cell.strip() for cell in row] + [""] * (len(headers) - len(row)))
            lines.append(line)
    shown = {";": "point-virgule", ",": "virgule", "\t": "tabulation"}[delimiter]
    return Table(headers, rows, lines, [f"encodage {encoding}, séparateur {shown}"])


def _check_zip(data: bytes, name: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise UnreadableFile(f"« {name} » n'est pas un classeur Excel (.xlsx) valide.") from error
    with archive:
        names = archive.namelist()
        if "xl/workbook.xml" not in names:
            raise UnreadableFile(
                f"« {name} » n'est pas un classeur Excel (.xlsx) : pas de feuille de calcul."
            )
        expanded = sum(info.file_size for info in archive.infolist())
        if expanded > MAX_XLSX_EXPANDED or expanded > MAX_XLSX_RATIO * max(len(data), 1) + 5_000_000:
            raise UnreadableFile(
                f"« {name} » se décompresse en {expanded / 1e6:.0f} Mo : trop gros pour être importé "
                f"(au plus {MAX_XLSX_EXPANDED / 1e6:.0f} Mo)."
            )


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx(data: bytes, name: str = "fichier.xlsx") -> Table:
    """Read the first sheet of an XLSX (read-only, after checking its expanded size)."""
    _check_zip(data, name)
    import defusedxml  # noqa: F401  (openpyxl uses it for its XML parsing when installed)
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of errors on broken files
        raise UnreadableFile(f"« {name} » : classeur illisible ({type(error).__name__}).") from error
    try:
        sheet = book.worksheets[0]
        rows_iter = sheet.iter_rows(values_only=True)
        first = next(rows_iter, None)
        if first is None:
            raise UnreadableFile(f"« {name} » est vide.")
        headers = _check_headers([_cell(v) for v in first], name)
        rows, lines = [], []
        for line, values in enumerate(rows_iter, start=2):
            if line > MAX_ROWS + 1:
                raise UnreadableFile(f"« {name} » dépasse {MAX_ROWS} lignes.")
            cells = [_cell(v) for v in values][: len(headers)]
            if any(cells):
                rows.append(cells + [""] * (len(headers) - len(cells)))
                lines.append(line)
    finally:
        book.close()
    return Table(headers, rows, lines, [f"feuille « {sheet.title} »"])


def read_geojson(data: bytes, name: str = "fichier.geojson") -> Table:
    """Read a GeoJSON FeatureCollection of points: properties become columns."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UnreadableFile(f"« {name} » n'est pas un GeoJSON lisible ({error}).") from error
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        raise UnreadableFile(f"« {name} » : une FeatureCollection GeoJSON est attendue.")
    records = []
    for feature in features:
        properties = dict(feature.get("properties") or {}) if isinstance(feature, dict) else {}
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if isinstance(geometry, dict) and geometry.get("type") == "Point":
            coordinates = geometry.get("coordinates") or []
            if len(coordinates) >= 2:
                properties.setdefault("longitude", coordinates[0])
                properties.setdefault("latitude", coordinates[1])
        records.append(properties)
    headers = list(dict.fromkeys(key for record in records for key in record))
    if not headers:
        raise UnreadableFile(f"« {name} » ne contient aucune initiative.")
    rows = [[_cell(_flatten(record.get(h))) for h in headers] for record in records]
    return Table(headers, rows, list(range(1, len(rows) + 1)), ["GeoJSON (numéro d'entité)"])


def _flatten(value: object) -> object:
    return "; ".join(str(v) for v in value) if isinstance(value, list) else value


def read_file(data: bytes, name: str) -> Table:
    """Read any supported file, chosen by its extension; refuse anything else."""
    if len(data) == 0:
        raise UnreadableFile(f"« {name} » est vide.")
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(
            f"« {name} » pèse {len(data) / 1e6:.1f} Mo : au plus {MAX_FILE_BYTES / 1e6:.0f} Mo."
        )
    suffix = Path(name).suffix.casefold()
    if suffix in (".csv", ".txt", ".tsv"):
        table = read_csv(data, name)
    elif suffix == ".xlsx":
        table = read_xlsx(data, name)
    elif suffix in (".geojson", ".json"):
        table = read_geojson(data, name)
    else:
        raise UnreadableFile(f"« {name} » : format non pris en charge (CSV, XLSX ou GeoJSON).")
    if not table.rows:
        raise UnreadableFile(f"« {name} » ne contient que la ligne d'en-tête : aucune initiative à importer.")
    if len(table.rows) > MAX_ROWS:
        raise UnreadableFile(f"« {name} » dépasse {MAX_ROWS} lignes.")
    return table
