"""Evidence tables: the CSV files of task records and audited outputs -> checked rows.

A benchmark CSV has one row per task run through both the AI tool and the human expert; an
audit CSV has one row per sampled output. Their columns (:data:`BENCHMARK`, :data:`AUDIT`) are
documented on the site's "How we measure" page. Reading is pure: bytes in, rows and
diagnostics out, every problem at ``FILE:LINE:COLUMN`` (the line of the file where the row
starts, from 1 at the header: a spreadsheet's row number, until a quoted cell spans lines;
columns from 1), and the run goes on so one pass reports every bad cell.

What is refused, as ``evidence-table`` errors: a file that is empty or has no rows under its
header; a header without a required column, or with one twice; a row with more cells than the
header; a required cell left empty; a yes/no cell that is neither (``maybe``); a duplicate task
or output id; a tone rating that is not a whole number from 1 to 5; a cell holding a control
character or text a spreadsheet would run as a formula; a quote left open that swallows the
rows below; a hallucination in an output marked correct. An unknown column is a warning (a typo
of a known one is named). The encoding (UTF-8, with or without a BOM, UTF-16, or the legacy
encodings Excel writes) and the delimiter (comma, semicolon, tab, pipe) are detected.
"""

from __future__ import annotations

import csv
import difflib
import io
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from generator import chars
from generator.diagnostics import Diagnostic, HandbookError, Severity
from generator.load.tabular import DELIMITERS, MAX_CELL, decode_text, refusal, sniff_delimiter

RULE = "evidence-table"
# A cell may be as large as the largest table read (the csv module's own limit is 128 KiB), so
# an overlong cell is reported by its size at its place, not as unreadable CSV.
csv.field_size_limit(max(csv.field_size_limit(), 5_000_000))
TRUE = frozenset({"true", "yes", "y", "1"})
FALSE = frozenset({"false", "no", "n", "0"})
TONE = range(1, 6)
_MISS = object()  # a cell the fast path leaves to the full check
_BOOLS = {
    spelled: value
    for value, words in ((True, TRUE), (False, FALSE))
    for word in words
    for spelled in (word, word.upper(), word.capitalize())
}
_RATINGS = {str(r): r for r in TONE}
_RISKY_START = frozenset("=+-@#")
#: Per layout: (hallucination column, correctness column, the value that contradicts it).
_HALLUCINATED = {
    "benchmark": ("ai_hallucination", "ai_correct", True),
    "audit": ("hallucination", "error", False),
}  # what a spreadsheet would run, or an error value


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: str  # "id", "bool", "line" (one line), "text" (may span lines), "rating"
    required: bool
    doc: str


@dataclass(frozen=True, slots=True)
class Layout:
    """The columns of one kind of evidence table; ``key`` is the column that names each row."""

    kind: str
    key: str
    columns: tuple[Column, ...]
    row_word: str


BENCHMARK = Layout(
    "benchmark",
    "task",
    (
        Column("task", "id", True, "The task's id, unique in the file (e.g. T01)."),
        Column("category", "line", False, "A group of similar tasks, for a breakdown."),
        Column("ai_correct", "bool", True, "Was the AI tool's output correct?"),
        Column("expert_correct", "bool", True, "Was the human expert's output correct?"),
        Column(
            "ai_hallucination",
            "bool",
            True,
            "Did the AI output invent a fact, citation or figure?",
        ),
        Column(
            "tone",
            "rating",
            False,
            "How well the AI output's tone fitted the task, 1 (poor) to 5 (as the expert's).",
        ),
        Column("notes", "text", False, "Anything a reader should know about the row."),
    ),
    "task",
)

AUDIT = Layout(
    "audit",
    "output",
    (
        Column("output", "id", True, "The sampled output's id, unique in the file."),
        Column("category", "line", False, "A group of similar outputs, for a breakdown."),
        Column("error", "bool", True, "Was the output wrong (inaccurate, off-task or unsafe)?"),
        Column(
            "hallucination",
            "bool",
            False,
            "Did the output invent a fact, citation or figure?",
        ),
        Column("notes", "text", False, "Anything a reader should know about the row."),
    ),
    "output",
)

LAYOUTS = {layout.kind: layout for layout in (BENCHMARK, AUDIT)}
#: How a check reports: problem(row, column, message, hint[, severity]).
Problem = Callable[..., None]


@dataclass(frozen=True, slots=True)
class Record:
    """One row: its 1-based row number in the file, its id and its checked values."""

    row: int
    key: str
    values: Mapping[str, bool | int | str | None]


@dataclass(frozen=True, slots=True)
class Records:
    """A checked evidence table. ``ok`` is False when any error was found; ``records`` then
    holds only the rows without one (the counts are not used)."""

    path: str
    layout: Layout
    records: tuple[Record, ...]
    columns: frozenset[str]
    problems: tuple[Diagnostic, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not any(p.severity is Severity.ERROR for p in self.problems)

    def count(self, column: str) -> int:
        """How many rows say yes in a yes/no ``column``."""
        return sum(1 for r in self.records if r.values.get(column) is True)


def parse(path: str, data: bytes, layout: Layout) -> Records:
    """The rows of the evidence table ``data`` (read from ``path``, repo-relative) as
    ``layout`` describes them, with every problem found. Never raises for bad content."""
    problems: list[Diagnostic] = []

    def problem(
        row: int, col: int, message: str, hint: str, severity: Severity = Severity.ERROR
    ) -> None:
        problems.append(Diagnostic(RULE, severity, message, path, row, col, hint=hint))

    def done(records: list[Record] | None = None, names: frozenset[str] = frozenset()) -> Records:
        return Records(path, layout, tuple(records or ()), names, tuple(problems))

    if not data.strip():
        problem(
            1, 1, "the file is empty", f"write a header row, then one row per {layout.row_word}"
        )
        return done()
    try:
        text, _ = decode_text(data, "the file")
    except HandbookError as exc:
        problem(1, 1, exc.message, "save the table as CSV (UTF-8 text) from the spreadsheet")
        return done()
    delimiter = _delimiter(text, layout)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if "".join(cells).strip():  # skip blank lines (one C call, not a generator)
                rows.append((start, cells))
    except csv.Error as exc:
        problem(line, 1, f"this line cannot be read as CSV: {exc}", "fix the quoting on this line")
        return done()
    if not rows:
        problem(
            1,
            1,
            "the file holds no values",
            f"write a header row, then one row per {layout.row_word}",
        )
        return done()
    (header_at, header), body = rows[0], rows[1:]
    index = _header(layout, header, header_at, problem)
    if index is None:
        return done()
    if not body:
        problem(
            header_at,
            1,
            f"the file has a header but no {layout.row_word} rows",
            f"add one row per {layout.row_word} under the header",
        )
        return done(names=frozenset(index))
    seen: dict[str, int] = {}
    records: list[Record] = []
    plan = [(c.name, index[c.name], _fast(c), c) for c in layout.columns if c.name in index]
    width = len(header)
    for number, cells in body:
        before = len(problems)
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            problem(
                number,
                width + 1,
                f"this row has {len(cells)} cells; the header names {width} columns",
                "remove the extra cells, or quote a value that holds the delimiter",
            )
        runaway = _runaway_quote(cells, delimiter, width)
        if runaway is not None:
            problem(
                number,
                runaway + 1,
                "a quote opened in this cell is not closed where it should be, so the lines "
                "below are read into it as text",
                'close the quote, or write a quote inside a quoted cell as two ("")',
            )
        values: dict[str, bool | int | str | None] = {}
        count = len(cells)
        for name, col, fast, column in plan:
            cell = cells[col].strip() if col < count else ""
            quick = fast(cell)
            # anything unusual: the full check, which reports problems
            values[name] = (
                _value(column, cell, number, col + 1, problem) if quick is _MISS else quick  # type: ignore[assignment]
            )
        made_up = _HALLUCINATED.get(layout.kind)
        if (
            made_up is not None
            and values.get(made_up[0]) is True
            and values.get(made_up[1]) is made_up[2]
        ):
            problem(
                number,
                index[made_up[0]] + 1,
                f"{made_up[0]} is yes, but {made_up[1]} says the output was "
                + ("correct" if made_up[2] else "not wrong"),
                "an output that invents a fact, citation or figure is not correct: mark it so, "
                "or correct the hallucination cell",
            )
        key = values.get(layout.key)
        if isinstance(key, str) and key:
            # ids that differ only in case or width (T01, t01, a full-width T01) name the same task
            same = unicodedata.normalize("NFKC", key).casefold()
            if same in seen:
                problem(
                    number,
                    index[layout.key] + 1,
                    f"{layout.key} {key!r} appears again (first on row {seen[same]})",
                    f"give each {layout.row_word} its own id, or delete the repeated row",
                )
            else:
                seen[same] = number
        if len(problems) == before or all(
            p.severity is not Severity.ERROR for p in problems[before:]
        ):
            records.append(Record(number, str(key), values))
    return done(records, frozenset(index))


def _runaway_quote(cells: list[str], delimiter: str, width: int) -> int | None:
    """The 0-based column of a cell that swallowed the rows below it (a quote never closed),
    or None: a cell with a line break in it that looks like a whole row of the table."""
    for col, cell in enumerate(cells):
        if "\n" in cell or "\r" in cell:
            for line in cell.splitlines()[1:]:
                if width > 1 and line.count(delimiter) >= width - 1:
                    return col
    return None


def _fast(column: Column) -> Callable[[str], object]:
    """The quick reading of a cell of ``column``: its value when the cell is plainly valid (a
    yes/no word, a rating, printable ASCII text that starts with nothing a spreadsheet would
    run), else ``_MISS`` for :func:`_value` to check in full. Most cells take this path."""
    if column.kind == "bool":
        return lambda cell: _BOOLS.get(cell, _MISS)
    if column.kind == "rating":
        return lambda cell: _RATINGS.get(cell, None if not cell else _MISS)
    required = column.required

    def text(cell: str) -> object:
        if not cell:
            return _MISS if required else None
        if cell.isascii() and cell.isprintable() and cell[0] not in _RISKY_START:
            return cell if len(cell) <= MAX_CELL else _MISS
        return _MISS

    return text


def _delimiter(text: str, layout: Layout) -> str:
    """The delimiter that splits the first line into the most known column names (Excel writes
    semicolons where the decimal mark is a comma); csv.Sniffer's guess when none names any."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    known = {c.name for c in layout.columns}

    def names(d: str) -> int:
        return sum(1 for cell in first.split(d) if _name(cell) in known)

    best = max(DELIMITERS, key=names)
    return best if names(best) else sniff_delimiter(text)


def _name(cell: str) -> str:
    """A header cell as a column name: trimmed, case-folded, spaces as underscores."""
    return "_".join(cell.strip().strip('"').split()).casefold()


def _header(layout: Layout, header: list[str], row: int, problem: Problem) -> dict[str, int] | None:
    """The column index of each known column, or None when a required one is missing."""
    names = [_name(h) for h in header]
    known = [c.name for c in layout.columns]
    index: dict[str, int] = {}
    for col, name in enumerate(names, start=1):
        if not name:
            continue
        if name in index:
            problem(
                row,
                col,
                f"column {name!r} appears twice (first in column {index[name] + 1})",
                "keep one of the two columns",
            )
        elif name in known:
            index[name] = col - 1
        else:
            close = difflib.get_close_matches(name, known, n=1)
            problem(
                row,
                col,
                f"column {header[col - 1].strip()!r} is not one the handbook reads; it is ignored",
                f"did you mean {close[0]!r}?"
                if close
                else f"the columns are: {', '.join(known)} (see the How we measure page)",
                Severity.WARNING,
            )
    missing = [c.name for c in layout.columns if c.required and c.name not in index]
    for name in missing:
        problem(
            row,
            1,
            f"the header has no {name!r} column",
            f"a {layout.kind} table needs the columns "
            + ", ".join(c.name for c in layout.columns if c.required)
            + "; the first non-empty row is read as the header",
        )
    return None if missing else index


def _value(
    column: Column, cell: str, row: int, col: int, problem: Problem
) -> bool | int | str | None:
    """The checked value of one cell (None when empty or invalid; the problem is recorded)."""
    if not cell:
        if column.required:
            problem(
                row,
                col,
                f"{column.name} is empty",
                "fill it in: " + ("yes or no" if column.kind == "bool" else "an id"),
            )
        return None
    why = refusal(cell)
    if why is not None:
        _, message, hint = why
        problem(row, col, message.replace("; it is left out", ""), hint)
        return None
    refused = chars.TEXT_REFUSED if column.kind == "text" else chars.LINE_REFUSED
    hidden = chars.first_refused(cell, refused)
    if hidden is not None:  # a bidirectional or invisible character, as the schemas refuse
        at, char = hidden
        message = f"cell holds {chars.describe(char)} at character {at}"
        hint = (
            f"a {column.name} is one line: remove the line break (Alt+Enter in a spreadsheet "
            "makes one)"
            if char in "\n\r"
            else "retype the cell without it: it does not show, or shows text in another order "
            "than it is stored"
        )
        problem(row, col, message, hint)
        return None
    if column.kind == "bool":
        word = cell.casefold()
        if word in TRUE:
            return True
        if word in FALSE:
            return False
        problem(
            row,
            col,
            f"{column.name} is {cell!r}, which is neither yes nor no",
            "write true or false (yes/no and 1/0 are read too); "
            "if the answer is unclear, decide it with the expert and note why",
        )
        return None
    if column.kind == "rating":
        rating = _RATINGS.get(cell, 0)  # the digits 1 to 5 as typed: not "05", "+3", a full-width 5
        if rating not in TONE:
            problem(
                row,
                col,
                f"{column.name} is {cell!r}",
                "rate from 1 (poor) to 5 (as good as the expert's)",
            )
            return None
        return rating
    return cell
