"""A YAML data file outside the registry (an import mapping, a catalogue of AI services),
read and checked against its schema exactly like the registry's files."""

from __future__ import annotations

from pathlib import Path

from generator.diagnostics import Diagnostic, HandbookError, Severity
from generator.inventory.tables import read_bytes
from generator.load import MAX_BYTES, SCHEMA_FILES, Document, decode, parse_yaml
from generator.schema import Schemas


def load_checked(
    path: Path, kind: str, schemas: Schemas, *, shown: str | None = None
) -> tuple[Document | None, list[Diagnostic]]:
    """The document at ``path`` (``kind``: a key of ``load.SCHEMA_FILES``) when it is valid,
    else None, and every problem found, at file:line:column (``shown`` names the file in
    messages; default the path as given). Raises HandbookError when it cannot be read."""
    name = shown or str(path)
    if not schemas.has(kind):
        file = SCHEMA_FILES[kind]
        raise HandbookError(
            f"{schemas.folder.name}/{file} is missing, so {name} cannot be checked",
            f"copy schemas/{file} from the handbook's repository into {schemas.folder}",
        )
    raw = read_bytes(path, limit=MAX_BYTES, what="YAML")
    text, problems = decode(raw, name)
    if text is None:
        return None, problems
    data, parse_problems = parse_yaml(text, name)
    problems += parse_problems
    if any(p.severity is Severity.ERROR for p in problems):
        return None, problems
    doc = Document(name, kind, data, text)
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    if not first.startswith("# yaml-language-server: $schema="):
        problems.append(
            Diagnostic(
                "schema-comment",
                Severity.WARNING,
                "first line does not name the file's schema",
                name,
                1,
                1,
                hint="make the first line: # yaml-language-server: $schema=<path to "
                f"schemas/{kind}.schema.json>, so editors check the file as you type",
            )
        )
    found = schemas.check(doc)
    problems += found
    return (None if found else doc), problems
