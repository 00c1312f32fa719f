"""Bytes to text: UTF-8 (a BOM is fine), or a diagnostic naming the line and column."""

from __future__ import annotations

from generator.diagnostics import Diagnostic, Severity


def decode(raw: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    """Bytes to text: UTF-8 with an optional BOM; anything else is a diagnostic with its line."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [
            Diagnostic(
                "file-encoding",
                Severity.ERROR,
                "file is UTF-16; the handbook reads UTF-8 only",
                path,
                1,
                1,
                hint="save the file as UTF-8",
            )
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[start : exc.start].decode("utf-8")) + 1  # characters, as editors count
        return None, [
            Diagnostic(
                "file-encoding",
                Severity.ERROR,
                f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
                path,
                line,
                column,
                hint="save the file as UTF-8 (it may have been written as Latin-1 or Windows-1252)",
            )
        ]
    if "\x00" in text:  # UTF-16 without a byte-order mark decodes as UTF-8 full of NULs
        at = text.index("\x00")
        return None, [
            Diagnostic(
                "file-encoding",
                Severity.ERROR,
                "file holds NUL bytes: it is UTF-16 without a byte-order mark, or not text",
                path,
                text.count("\n", 0, at) + 1,
                at - (text.rfind("\n", 0, at) + 1) + 1,
                hint="save the file as UTF-8",
            )
        ]
    return text, []
