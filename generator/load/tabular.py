"""Text tables, as every reader of the handbook gets them: decoding, delimiters, refused cells.

Shared by the evidence tables a registry names (:mod:`generator.evidence.records`) and the
inventories and logs given on the command line (:mod:`generator.inventory.tables`,
:mod:`generator.reconcile.sources`), so a cell is judged the same way wherever it is read.
"""

from __future__ import annotations

import csv
import re

from generator.diagnostics import HandbookError

DELIMITERS = ",;\t|"
#: Encodings a CSV that is not UTF-8 is most likely in, for charset-normalizer to choose from.
LEGACY_ENCODINGS = (
    "cp1252",
    "cp1250",
    "cp1251",
    "cp1253",
    "cp1254",
    "iso8859_15",
    "mac_roman",
    "shift_jis",
    "euc_jp",
    "gb18030",
    "big5",
    "euc_kr",
)
# C0 and C1 controls other than tab and line breaks, which a cell can hold in a spreadsheet
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
# what a spreadsheet runs: "=" or "@" then anything; "+" or "-" then no space or dash, unless
# the cell is a plain number ("- x" is a bullet, "-5" a number, "-" a placeholder); a leading
# tab or carriage return
_FORMULA = re.compile(r"^(?:[=@]\S|[+\-][^\s\-]|[\t\r])")
_NUMBER = re.compile(r"[-+]?\d[\d,. ]*%?")
_ERROR = re.compile(
    r"#(?:N/A|REF!|VALUE!|DIV/0!|NAME\?|NULL!|NUM!|SPILL!|CALC!|GETTING_DATA|FIELD!|BLOCKED!|BUSY!|UNKNOWN!|CONNECT!)"
)
#: The longest cell read (an entry's longest field, a use case, is a few hundred characters).
MAX_CELL = 5_000


def decode_text(data: bytes, shown: str) -> tuple[str, str]:
    """(text, how it was decoded) for bytes of a text file, or HandbookError for a binary one.

    A BOM decides (UTF-8, UTF-16); else strict UTF-8; else charset-normalizer's best guess among
    the common single-byte encodings (Windows-1252, ISO-8859-x...), which the caller reports."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "UTF-8 with BOM"
    for bom, codec, name in (
        (b"\xff\xfe", "utf-16-le", "UTF-16 LE"),
        (b"\xfe\xff", "utf-16-be", "UTF-16 BE"),
    ):
        if data.startswith(bom):
            try:
                return data[2:].decode(codec), name
            except UnicodeDecodeError as exc:
                raise HandbookError(f"{shown} is not valid {name} text: {exc.reason}") from exc
    sample = data[:65536]
    if b"\x00" in sample:
        # UTF-16 without a BOM: ASCII text has a NUL in every other byte
        for codec, name, zeros in (
            ("utf-16-le", "UTF-16 LE", sample[1::2]),
            ("utf-16-be", "UTF-16 BE", sample[0::2]),
        ):
            if zeros and zeros.count(0) >= 0.9 * len(zeros):
                try:
                    return data.decode(codec), f"{name} (guessed)"
                except UnicodeDecodeError:
                    break
        raise HandbookError(
            f"{shown} is not a text file (it holds NUL bytes)",
            "give a CSV file, or an .xlsx workbook",
        )
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    results = list(from_bytes(data[:1_000_000], cp_isolation=list(LEGACY_ENCODINGS)))
    if not results:
        raise HandbookError(f"{shown} is not text in any common encoding", "save it as CSV (UTF-8)")
    # Of the least garbled readings, Windows-1252 (what Excel writes as "CSV" on Western
    # systems) wins a tie: short samples read equally well as Mac Roman or Windows-1250.
    least = min(r.chaos for r in results)
    tied = [r for r in results if r.chaos == least]
    codec = next(("cp1252" for r in tied if "cp1252" in r.could_be_from_charset), tied[0].encoding)
    try:
        return data.decode(codec), f"{_codec_name(codec)} (guessed)"
    except (UnicodeDecodeError, LookupError) as exc:
        raise HandbookError(f"{shown} is not text in any common encoding") from exc


def _codec_name(codec: str) -> str:
    names = {"cp1252": "Windows-1252", "cp1250": "Windows-1250", "cp1251": "Windows-1251"}
    return names.get(codec, codec.replace("_", "-").upper())


def sniff_delimiter(text: str) -> str:
    """The delimiter of CSV ``text``: the one of ``,;<tab>|`` that splits the first lines into
    the same, largest number of fields (csv.Sniffer, limited to these four); comma if none."""
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","


def refusal(cell: str) -> tuple[str, str, str] | None:
    """Why a cell's value is left out, as (rule, message, hint), or None when it is usable.

    One check for every cell of every table, CSV or workbook: a control character (also as
    Excel writes one, ``_x001B_``, and line or paragraph separators); anything a spreadsheet
    would run (a value starting with ``=``, ``+``, ``-`` or ``@``, after spaces or a tab, that is
    not a plain number: ``=HYPERLINK(...)``, ``+cmd|...``, ``@SUM(...)``); an Excel error value
    (``#N/A``, ``#REF!``); a value longer than any field of an entry holds."""
    found = _CONTROL.search(cell)
    if found:
        return (
            "import-cell",
            f"cell holds the control character U+{ord(found[0]):04X}; it is left out",
            "retype the cell without the invisible character",
        )
    stripped = cell.lstrip(" ")
    if _FORMULA.match(stripped) and not _NUMBER.fullmatch(stripped.strip()):
        return (
            "import-formula",
            f"cell holds a formula, or text a spreadsheet would run as one ({stripped[:40]!r}); "
            "it is left out",
            "type the value itself; formulas are never evaluated",
        )
    if _ERROR.fullmatch(stripped):
        return (
            "import-formula",
            f"cell holds the spreadsheet error {stripped!r}; it is left out",
            "fix the formula that made it, or type the value",
        )
    if len(cell) > MAX_CELL:
        return (
            "import-cell",
            f"cell holds {len(cell):,} characters, more than any field takes ({MAX_CELL:,}); "
            "it is left out",
            "shorten the cell",
        )
    return None
