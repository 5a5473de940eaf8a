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
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

MAX_FILE_BYTES = 20 * 1024 * 1024  # « 20 Mo » in every message (binary megabytes)
_MB = 1024 * 1024
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
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
    rows: list[list[str] | tuple[str, ...] | None]
    lines: list[int]
    notes: list[str] = field(default_factory=list)
    #: Line → why that row cannot be trusted (merged by a stray quote, wrong separator…).
    problems: dict[int, str] = field(default_factory=dict)
    #: Line → what to add when the row cannot be placed (e.g. « géométrie Polygon non prise en charge »).
    hints: dict[int, str] = field(default_factory=dict)


def _decode(data: bytes, name: str) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's « texte Unicode »
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as error:
            raise UnreadableFile(f"« {name} » : UTF-16 illisible, octet {error.start}.") from error
    if b"\x00" in data[:4096]:
        raise UnreadableFile(f"« {name} » n'est pas un fichier texte (contenu binaire) : attendu un CSV.")
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    try:
        return body.decode("utf-8"), "UTF-8 (avec BOM)" if bom else "UTF-8"
    except UnicodeDecodeError as error:
        if bom or _UTF8_SEQUENCE.search(body):  # some real UTF-8 too: two encodings mixed
            line = body[: error.start].count(b"\n") + 1
            raise UnreadableFile(
                f"« {name} », ligne {line} : octet 0x{body[error.start]:02X} invalide en UTF-8 alors que "
                "le reste du fichier est en UTF-8 (deux encodages mélangés ?) : corrigez cette ligne ou "
                "réenregistrez le fichier en UTF-8."
            ) from error
    try:
        return body.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as error:
        line = body[: error.start].count(b"\n") + 1
        raise UnreadableFile(
            f"« {name} », ligne {line} : encodage illisible (ni UTF-8 ni Windows-1252), octet {error.start}."
        ) from error


def _delimiter(text: str) -> str:
    """The separator that splits the first lines into the most consistent, widest rows.

    Quotes are honoured, so a first cell holding commas does not make a ``;`` file look
    comma-separated.
    """
    sample = text[:65536].splitlines()[:50]

    def score(candidate: str) -> tuple[int, int]:
        try:
            rows = [r for r in csv.reader(sample, delimiter=candidate) if r]
        except csv.Error:
            return (0, 0)
        if not rows or len(rows[0]) < 2:
            return (0, 0)
        width = len(rows[0])
        return (sum(len(r) == width for r in rows), width)

    return max(";,\t", key=score)


def _compact(row: list[str], width: int) -> tuple[str, ...]:
    """A row as a tuple of stripped cells; short cells (codes, natures, forms…) are interned, so a
    200,000-row file repeating the same values keeps one copy of each."""
    cells = [cell.strip() for cell in row[:width]] + [""] * (width - len(row))
    return tuple(sys.intern(cell) if len(cell) < 40 else cell for cell in cells)


def _row_problem(row: list[str], width: int, delimiter: str, first: int, last: int) -> str:
    """Why a parsed CSV row cannot be trusted, or ""."""
    if last > first and any("\n" in cell and delimiter in cell for cell in row):
        return f"lignes {first} à {last} fusionnées : un guillemet ouvert ligne {first} n'est pas fermé"
    if len(row) > width and any(cell.strip() for cell in row[width:]):
        return f"{len(row)} valeurs pour {width} colonnes (séparateur en trop, ou guillemets manquants ?)"
    filled = [cell for cell in row if cell.strip()]
    others = [d for d in ";,\t" if d != delimiter]
    if width > 1 and len(filled) == 1 and any(d in filled[0] for d in others):
        shown = {";": "point-virgule", ",": "virgule", "\t": "tabulation"}
        used = next(shown[d] for d in others if d in filled[0])
        return (
            f"une seule valeur : cette ligne semble séparée par des {used}s, pas par des {shown[delimiter]}s"
        )
    return ""


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
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows, lines, problems = [], [], {}
    headers: list[str] = []
    last = 0
    try:
        for row in reader:
            first, last = last + 1, reader.line_num
            if not headers:
                headers = _check_headers(row, name)
                continue
            if len(rows) >= MAX_ROWS:
                raise UnreadableFile(f"« {name} » dépasse {MAX_ROWS} lignes.")
            if any(cell.strip() for cell in row):
                problem = _row_problem(row, len(headers), delimiter, first, last)
                if problem:
                    problems[first] = problem
                rows.append(_compact(row, len(headers)))
                lines.append(first)
    except csv.Error as error:
        raise UnreadableFile(
            f"« {name} », ligne {last + 1} : CSV mal formé ({error}) — un guillemet ouvert n'est pas fermé ?"
        ) from error
    shown = {";": "point-virgule", ",": "virgule", "\t": "tabulation"}[delimiter]
    return Table(headers, rows, lines, [f"encodage {encoding}, séparateur {shown}"], problems)


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
                f"« {name} » se décompresse en {expanded / _MB:.0f} Mo : trop gros pour être importé "
                f"(au plus {MAX_XLSX_EXPANDED // _MB} Mo)."
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
        rows, lines = _xlsx_rows(rows_iter, headers, name)
    except UnreadableFile:
        raise
    except Exception as error:  # the sheet's XML is broken from the start
        raise UnreadableFile(f"« {name} » : feuille illisible ({type(error).__name__}).") from error
    finally:
        book.close()
    return Table(headers, rows, lines, [f"feuille « {sheet.title} »"])


def _xlsx_rows(rows_iter, headers: list[str], name: str) -> tuple[list[list[str]], list[int]]:
    rows: list[list[str]] = []
    lines: list[int] = []
    line = 1
    try:
        for line, values in enumerate(rows_iter, start=2):
            if line > MAX_ROWS + 1:
                raise UnreadableFile(f"« {name} » dépasse {MAX_ROWS} lignes.")
            cells = [_cell(v) for v in values][: len(headers)]
            if any(cells):
                rows.append(cells + [""] * (len(headers) - len(cells)))
                lines.append(line)
    except UnreadableFile:
        raise
    except Exception as error:  # a sheet whose XML breaks part-way: openpyxl raises while iterating
        raise UnreadableFile(
            f"« {name} » : classeur endommagé après la ligne {line} ({type(error).__name__}) : "
            "rien n'a été importé."
        ) from error
    return rows, lines


def _feature(feature: object, number: int) -> tuple[dict, str, str]:
    """A feature's properties (with its point as latitude/longitude), a problem and a hint.

    A missing or non-point geometry is only a hint: the properties may still locate the
    row (a code INSEE, a commune); it is said when they do not.
    """
    if not isinstance(feature, dict):
        return {}, f"entité {number} : un objet GeoJSON « Feature » est attendu", ""
    properties = feature.get("properties")
    problem = ""
    if properties is None:
        properties = {}
    elif not isinstance(properties, dict):
        kind = type(properties).__name__
        return {}, f"entité {number} : « properties » devrait être un objet, pas {kind}", ""
    properties = dict(properties)
    geometry = feature.get("geometry")
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    hint = ""
    if kind == "Point":
        coordinates = geometry.get("coordinates")
        if isinstance(coordinates, list) and len(coordinates) >= 2:
            properties.setdefault("longitude", coordinates[0])
            properties.setdefault("latitude", coordinates[1])
        else:
            problem = (
                f"entité {number} : « coordinates » d'un Point doit être une liste [longitude, latitude]"
            )
    elif geometry is None:
        hint = f"entité {number} : pas de géométrie (geometry: null)"
    else:
        hint = f"entité {number} : géométrie {kind or 'inconnue'} non prise en charge (un Point est attendu)"
    return properties, problem, hint


def read_geojson(data: bytes, name: str = "fichier.geojson") -> Table:
    """Read a GeoJSON FeatureCollection of points: properties become columns."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UnreadableFile(f"« {name} » n'est pas un GeoJSON lisible ({error}).") from error
    except RecursionError as error:
        raise UnreadableFile(f"« {name} » : GeoJSON trop profondément imbriqué pour être lu.") from error
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        raise UnreadableFile(f"« {name} » : une FeatureCollection GeoJSON est attendue.")
    records, problems, hints = [], {}, {}
    for number, feature in enumerate(features, start=1):
        properties, problem, hint = _feature(feature, number)
        records.append(properties)
        if problem:
            problems[number] = problem
        if hint:
            hints[number] = hint
    headers = list(dict.fromkeys(str(key) for record in records for key in record))
    if not headers:
        raise UnreadableFile(
            f"« {name} » ne contient aucune initiative lisible : "
            + (next(iter(problems.values())) if problems else "aucune entité")
            + "."
        )
    rows = [[_cell(_flatten(record.get(h))) for h in headers] for record in records]
    notes = ["GeoJSON (numéro d'entité)"]
    return Table(headers, rows, list(range(1, len(rows) + 1)), notes, problems, hints)


def _flatten(value: object) -> object:
    return "; ".join(str(v) for v in value) if isinstance(value, list) else value


def read_file(data: bytes, name: str) -> Table:
    """Read any supported file, chosen by its extension; refuse anything else."""
    if len(data) == 0:
        raise UnreadableFile(f"« {name} » est vide.")
    if len(data) > MAX_FILE_BYTES:
        size = f"{len(data) / _MB:.1f}".replace(".", ",")
        raise UnreadableFile(f"« {name} » pèse {size} Mo : au plus {MAX_FILE_BYTES // _MB} Mo.")
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
