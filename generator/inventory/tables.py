"""A spreadsheet given on the command line -> a :class:`Table` of text cells with their places.

CSV in any common encoding and delimiter (both detected and said), and XLSX through openpyxl in
read-only mode with the values a spreadsheet program last saved: a formula is never evaluated.
What cannot be read (missing, empty, binary, too large, a sheet that is not there) is a
:class:`~generator.diagnostics.HandbookError` (exit 2); what is odd in a cell (a control
character, a formula, a merged range) is a Diagnostic at ``FILE:ROW:COLUMN`` and the run goes on.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from generator.diagnostics import Diagnostic, HandbookError, Severity
from generator.load.tabular import (
    decode_text,
    refusal,
    sniff_delimiter,
)

#: The largest table read, in bytes (an inventory of 100,000 rows is about 20 MB).
MAX_TABLE_BYTES = 32_000_000
#: The most an XLSX may unpack to (its XML), against zip bombs: a 100,000-row inventory
#: unpacks to about 40 MB.
MAX_UNPACKED_BYTES = 120_000_000
#: The most one part of an XLSX may shrink by when packed: sheet XML packs about 10:1;
#: a part packed 200:1 and larger than 1 MB is a decompression bomb, not a table.
MAX_RATIO = 200
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_XML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_XLSX_MAGIC = b"PK\x03\x04"
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its 1-based row number in the file and its cells as text ('' when empty)."""

    number: int
    cells: tuple[str, ...]

    def get(self, column: int) -> str:
        """The cell of 0-based ``column``, '' past the end of a short row."""
        return self.cells[column] if column < len(self.cells) else ""


@dataclass(slots=True)
class Table:
    """A table read from ``path`` (as given, for messages): header, data rows and what was odd.

    ``kind`` is ``"csv"`` or ``"xlsx"``; ``detail`` says what was detected ("UTF-8 with BOM,
    comma-delimited" or "sheet 'AI tools'"); ``header_row`` is the header's 1-based row."""

    path: str
    kind: str
    detail: str
    header: tuple[str, ...]
    header_row: int
    rows: list[Row]
    problems: list[Diagnostic] = field(default_factory=list)

    def columns_named(self, name: str) -> list[int]:
        """The 0-based indexes of the header cells ``name`` (trimmed, case-insensitive)."""
        want = " ".join(name.split()).casefold()
        return [
            i for i, cell in enumerate(self.header) if " ".join(cell.split()).casefold() == want
        ]

    def column(self, name: str) -> int | None:
        """The 0-based index of the first header cell ``name``, or None."""
        found = self.columns_named(name)
        return found[0] if found else None


def read_bytes(
    path: Path, *, limit: int = MAX_TABLE_BYTES, what: str = "table", head: bool = False
) -> bytes:
    """The bytes of a regular file given on the command line, at most ``limit`` of them (with
    ``head``, just its first ``limit`` bytes, whatever its size).

    Raises HandbookError for a missing or unreadable file, a folder, a device or pipe (which
    could block forever), an empty file or one above the limit."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise HandbookError(
            f"cannot read {path}: {exc.strerror or exc}", f"check the path of the {what} file"
        ) from exc
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise HandbookError(f"{path} is {kind}", f"give the path of the {what} file")
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > limit and not head:
            raise HandbookError(
                f"{path} is {info.st_size / 1e6:.1f} MB; the largest {what} read is "
                f"{limit / 1e6:.0f} MB",
                "split it, or export only the columns and rows you need",
            )
        data = handle.read(limit + 1)
    if len(data) > limit and not head:
        raise HandbookError(f"{path} grew past {limit / 1e6:.0f} MB while it was read")
    if not data.strip():
        hint = (
            "export the table again, with its header row"
            if what == "table"
            else f"check that you gave the right {what} file"
        )
        raise HandbookError(f"{path} is empty", hint)
    return data


def read_table(path: Path, *, sheet: str | None = None, header_row: int = 1) -> Table:
    """Read a CSV or XLSX file (recognised by its content, not its name) into a Table.

    ``sheet`` picks an XLSX sheet by name (default: the first); ``header_row`` is the 1-based
    row holding the column names. Raises HandbookError when the file cannot be read as a table.
    """
    data = read_bytes(path)
    shown = str(path)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise HandbookError(
            f"{shown} is an old Excel workbook (.xls), which is not read",
            "open it in a spreadsheet program and save it as .xlsx, or export the sheet as CSV",
        )
    if data.startswith(_XLSX_MAGIC):
        return _xlsx(shown, data, sheet, header_row)
    if sheet is not None:
        raise HandbookError(f"{shown} is a CSV file: it has no sheets", "leave out --sheet")
    text, encoding = decode_text(data, shown)
    return _csv(shown, text, encoding, header_row)


# --- CSV --------------------------------------------------------------------------------------


# A cell may be as large as the file (the csv module's own limit is 128 KiB).
csv.field_size_limit(MAX_TABLE_BYTES)


def _csv(shown: str, text: str, encoding: str, header_row: int) -> Table:
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    header: tuple[str, ...] | None = None
    rows: list[Row] = []
    line = 1
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            if header is None:
                if start >= header_row and any(c.strip() for c in record):
                    header, header_at = tuple(c.strip() for c in record), start
                continue
            if any(c.strip() for c in record):
                rows.append(Row(start, tuple(record)))
    except csv.Error as exc:  # pragma: no cover - strict=False accepts all but NUL
        raise HandbookError(f"{shown}:{line}: cannot read this CSV: {exc}") from exc
    if header is None:
        raise HandbookError(*_no_header(shown, header_row, line - 1))
    if not rows:
        raise HandbookError(
            f"{shown} has a header row (row {header_at}) but no rows under it",
            "export the sheet again with its data",
        )
    detail = f"{encoding}, {_DELIMITER_NAMES[delimiter]}-delimited"
    table = Table(shown, "csv", detail, header, header_at, rows)
    table.problems += cell_problems(table)
    return table


# --- XLSX -------------------------------------------------------------------------------------


def _xlsx(shown: str, data: bytes, sheet: str | None, header_row: int) -> Table:
    import openpyxl

    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise HandbookError(f"{shown} is not a readable .xlsx workbook: {exc}") from exc
    unpacked = sum(i.file_size for i in parts)
    for part in parts:
        ratio = part.file_size // max(part.compress_size, 1)
        if part.file_size > 1_000_000 and ratio > MAX_RATIO:
            raise HandbookError(
                f"{shown}: its part {part.filename!r} unpacks {ratio:,} times larger than it "
                "is packed, which no table does",
                "open it in a spreadsheet program and save it again, or export the sheet as CSV",
            )
    if unpacked > MAX_UNPACKED_BYTES:
        raise HandbookError(
            f"{shown} unpacks to {unpacked / 1e6:.0f} MB, more than the "
            f"{MAX_UNPACKED_BYTES / 1e6:.0f} MB read",
            "save only the sheet you need, or export it as CSV",
        )
    try:
        values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise HandbookError(
            f"{shown} is not a readable .xlsx workbook: {exc}",
            "open it in a spreadsheet program and save it again as .xlsx",
        ) from exc
    try:
        name = sheet if sheet is not None else values.sheetnames[0]
        if name not in values.sheetnames:
            raise HandbookError(
                f"{shown} has no sheet {name!r}",
                "its sheets: " + ", ".join(repr(s) for s in values.sheetnames),
            )
        if not hasattr(values[name], "iter_rows"):
            raise HandbookError(
                f"{shown}: sheet {name!r} is a chart, not a table",
                "its sheets: " + ", ".join(repr(s) for s in values.sheetnames),
            )
        for ws in (values[name], formulas[name]):
            ws.reset_dimensions()  # read every row, whatever size the file claims
        table = _sheet(shown, values[name], formulas[name], header_row)
        merges = _merged(data, values[name])
        table.problems += [_merge(shown, ref) for ref in merges]
        _blank_covered(table, merges)
        return table
    finally:
        values.close()
        formulas.close()


def _text(value: Any) -> str:
    """A workbook value as text; Excel's escapes of characters XML cannot hold (``_x0000_``)
    decoded, so that :func:`refusal` sees the character itself."""
    if isinstance(value, str):
        return _XML_ESCAPE.sub(lambda m: chr(int(m[1], 16)), value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10] if getattr(value, "hour", 0) == 0 else value.isoformat()
    return str(value)


def _sheet(shown: str, values: Any, formulas: Any, header_row: int) -> Table:
    problems: list[Diagnostic] = []
    header: tuple[str, ...] | None = None
    header_at = header_row
    rows: list[Row] = []
    pairs = zip(
        values.iter_rows(values_only=True), formulas.iter_rows(values_only=True), strict=False
    )
    number = 0
    for number, (row, raw) in enumerate(pairs, start=1):
        cells = [_text(v) for v in row]
        for col, formula in enumerate(raw, start=1):
            if _is_formula(formula):
                saved = cells[col - 1] if col - 1 < len(cells) else ""
                problems.append(
                    _formula(shown, number, col, str(getattr(formula, "text", formula)), saved)
                )
        if header is None:
            if number >= header_row and any(c.strip() for c in cells):
                header, header_at = tuple(c.strip() for c in cells), number
            continue
        if any(c.strip() for c in cells):
            rows.append(Row(number, tuple(cells)))
    if header is None:
        message, hint = _no_header(f"{shown}: sheet {values.title!r}", header_row, number)
        others = ", ".join(repr(s) for s in values.parent.sheetnames if s != values.title)
        raise HandbookError(message, hint + (f"; or another sheet: {others}" if others else ""))
    if not rows:
        raise HandbookError(
            f"{shown}: sheet {values.title!r} has a header row (row {header_at}) but no rows "
            "under it",
            "name the sheet with the data (sheet: in the mapping, or --sheet of handbook import)",
        )
    table = Table(shown, "xlsx", f"sheet {values.title!r}", header, header_at, rows, problems)
    table.problems += cell_problems(table)
    return table


def _is_formula(value: Any) -> bool:
    """A workbook cell read with its formulas: "=..." text, or an array or data-table formula
    (openpyxl's ArrayFormula and DataTableFormula objects)."""
    if isinstance(value, str):
        return value.startswith("=")
    return type(value).__name__ in ("ArrayFormula", "DataTableFormula")


def _no_header(shown: str, header_row: int, rows: int) -> tuple[str, str]:
    """The message and hint when no header row was found at or after ``header_row``."""
    if header_row > 1:
        return (
            f"{shown} has no header row at or after row {header_row} (header_row in the "
            f"mapping); it has {rows} rows",
            "set header_row to the row that names the columns",
        )
    return f"{shown} has no header row", "the first row names the columns"


def _formula(shown: str, row: int, col: int, formula: str, saved: str) -> Diagnostic:
    quoted = formula if len(formula) <= 60 else formula[:57] + "..."
    if saved:
        return Diagnostic(
            "import-formula",
            Severity.NOTE,
            f"cell holds the formula {quoted!r}; its saved value {saved!r} is read, "
            "the formula is never evaluated",
            shown,
            row,
            col,
            hint="type the value itself if the saved one is not what you meant",
        )
    return Diagnostic(
        "import-formula",
        Severity.WARNING,
        f"cell holds the formula {quoted!r} and no saved value; it is read as empty",
        shown,
        row,
        col,
        hint="open the file in a spreadsheet program and save it, or type the value",
    )


def _merged(data: bytes, sheet: Any) -> list[str]:
    """The sheet's merged ranges ("A2:B3"): only the first cell of each holds the value
    (read-only mode does not expose merges, so the sheet's XML is scanned for them)."""
    part = getattr(sheet, "_worksheet_path", None)
    if not isinstance(part, str):
        return []
    found: list[str] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(part) as xml:
            # the workbook's own XML, already inflated within MAX_UNPACKED_BYTES; expat refuses
            # entity expansion beyond its amplification limit
            for _, element in ElementTree.iterparse(xml, events=("end",)):  # noqa: S314
                if element.tag == f"{_MAIN_NS}mergeCell":
                    found.append(str(element.get("ref", "")))
                element.clear()
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError):
        return found
    return found


def _blank_covered(table: Table, merges: list[str]) -> None:
    """Make the cells a merge covers read as empty, as the warning says (a workbook can keep a
    stale value under them that no one sees)."""
    from openpyxl.utils.cell import range_boundaries

    covered: set[tuple[int, int]] = set()
    for ref in merges:
        try:
            c1, r1, c2, r2 = range_boundaries(ref)
        except (ValueError, TypeError):
            continue
        if c1 is None or r1 is None or c2 is None or r2 is None:
            continue  # a whole row or column: nothing under it is read as a value anyway
        cells = {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        covered |= cells - {(r1, c1)}
    for i, row in enumerate(table.rows):
        if any((row.number, c + 1) in covered for c in range(len(row.cells))):
            values = tuple(
                "" if (row.number, c + 1) in covered else v for c, v in enumerate(row.cells)
            )
            table.rows[i] = Row(row.number, values)


def _merge(shown: str, ref: str) -> Diagnostic:
    from openpyxl.utils.cell import range_boundaries

    try:
        col, row, _, _ = range_boundaries(ref)
    except ValueError:
        col, row = 1, 1
    return Diagnostic(
        "import-merged-cells",
        Severity.WARNING,
        f"cells {ref} are merged: only the first holds the value, the others read as empty",
        shown,
        row,
        col,
        hint="unmerge them and fill the value into every row it belongs to",
    )


# --- cells ------------------------------------------------------------------------------------


def cell_problems(table: Table) -> Iterator[Diagnostic]:
    """The :func:`refusal` of every cell of the data rows, at its place."""
    for row in table.rows:
        for col, cell in enumerate(row.cells, start=1):
            why = refusal(cell)
            if why is not None:
                rule, message, hint = why
                yield Diagnostic(
                    rule, Severity.WARNING, message, table.path, row.number, col, hint=hint
                )


def usable(table: Table, row: Row, column: int) -> str:
    """The cell's text, trimmed, or '' when :func:`refusal` leaves it out."""
    cell = row.get(column)
    return "" if refusal(cell) is not None else cell.strip()
