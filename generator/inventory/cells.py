"""The cells of an inventory's kept rows, read once and checked against the field each goes
into: the mapping's ``keep`` filters, yes/no, ranges, dates, data classes, and text that an
entry's schema would refuse. Each problem is a Diagnostic at ``FILE:ROW:COLUMN``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from generator.diagnostics import Diagnostic, Severity
from generator.inventory import values
from generator.inventory.mapping import Mapping
from generator.inventory.names import is_placeholder, split_cell
from generator.inventory.tables import Row, Table, usable
from generator.schema import Schemas

CLASSES = ("public", "internal", "confidential", "personal", "restricted")


def cell_problem(table: Table, row: Row, col: int, exc: values.Unreadable) -> Diagnostic:
    return Diagnostic(
        "import-value",
        Severity.WARNING,
        f"{exc} (column {table.header[col]!r}); the value is left out",
        table.path,
        row.number,
        col + 1,
        hint=exc.hint,
    )


def kept(
    table: Table, row: Row, mapping: Mapping, columns: dict[str, int]
) -> tuple[bool, Diagnostic | None]:
    """Whether ``row`` passes the mapping's ``keep`` filters, and the problem of a cell that
    cannot be read for one (the row is then left out)."""
    for key, wanted in mapping.keep.items():
        col = columns[key]
        text = usable(table, row, col)
        try:
            value: object = (
                values.boolean(text, mapping.recode.get(key))
                if key == "in_use"
                else values.recoded(text, mapping.recode.get(key))
            )
        except values.Unreadable as exc:
            return False, cell_problem(table, row, col, exc)
        if isinstance(value, str) and isinstance(wanted, str):
            if value.casefold() != wanted.casefold():
                return False, None
        elif value != wanted:
            return False, None
    return True, None


@dataclass(slots=True)
class RowFacts:
    """What one kept row says beyond its product names, each cell read and checked once."""

    number: int  # the row's number in the file
    texts: dict[str, str] = field(default_factory=dict)  # team, use_case, vendor, contact...
    users: values.Range | None = None
    since: date | None = None
    classes: list[str] = field(default_factory=list)


#: The type (common.schema.json) each mapped text field must have once written into an entry.
FIELD_TYPES = {
    "team": "line",
    "use_case": "text",
    "vendor": "line",
    "contact": "email",
    "status": "line",
}


class Reader:
    """Reads the cells of kept rows, reporting each problem once, at its cell."""

    def __init__(
        self,
        table: Table,
        mapping: Mapping,
        columns: dict[str, int],
        schemas: Schemas,
        today: date,
        problems: list[Diagnostic],
    ) -> None:
        self.table, self.mapping, self.columns = table, mapping, columns
        self.schemas, self.today, self.problems = schemas, today, problems

    def refused(self, row: Row, col: int, what: str, value: str, why: str) -> None:
        self.problems.append(
            Diagnostic(
                "import-value",
                Severity.WARNING,
                f"{what} {value[:60]!r} cannot be written into an entry: {why}; it is left out",
                self.table.path,
                row.number,
                col + 1,
                hint="correct the cell in the spreadsheet",
            )
        )

    def name(self, row: Row, col: int, text: str) -> bool:
        """Whether the product name ``text`` may become a tool's name or alias."""
        why = self.schemas.value_problem("line", text)
        if why is not None:
            self.refused(row, col, "the product name", text, why)
        return why is None

    def _text(self, row: Row, key: str) -> str | None:
        if key not in self.columns:
            return None
        cell = usable(self.table, row, self.columns[key])
        return None if not cell or is_placeholder(cell, self.mapping.rules) else cell

    def _parse(self, row: Row, key: str, parser: Callable[[str], object]) -> object:
        cell = self._text(row, key)
        if cell is None:
            return None
        try:
            return parser(cell)
        except values.Unreadable as exc:
            self.problems.append(cell_problem(self.table, row, self.columns[key], exc))
            return None

    def row(self, row: Row) -> RowFacts:
        facts = RowFacts(row.number)
        for key, type_name in FIELD_TYPES.items():
            cell = self._text(row, key)
            if cell is None:
                continue
            value = str(values.recoded(cell, self.mapping.recode.get(key)))
            why = self.schemas.value_problem(type_name, value)
            if why is None:
                facts.texts[key] = value
            else:
                self.refused(row, self.columns[key], f"the {key.replace('_', ' ')}", value, why)
        users = self._parse(row, "users", values.count_range)
        facts.users = users if isinstance(users, values.Range) else None
        since = self._parse(row, "since", values.iso_date)
        if isinstance(since, date) and since > self.today:
            self.refused(
                row,
                self.columns["since"],
                "the date",
                since.isoformat(),
                f"it is after {self.today}",
            )
        elif isinstance(since, date):
            facts.since = since
        for piece, _ in split_cell(
            self._text(row, "data_classes") or "", self.mapping.rules.separators
        ):
            meant = str(values.recoded(piece, self.mapping.recode.get("data_classes")))
            if meant.strip().casefold() in CLASSES:
                facts.classes.append(meant.strip().casefold())
            else:
                exc = values.Unreadable(
                    f"{piece!r} is not a data class",
                    f"use {', '.join(CLASSES)}, or recode it in the mapping (recode.data_classes)",
                )
                self.problems.append(
                    cell_problem(self.table, row, self.columns["data_classes"], exc)
                )
        return facts
