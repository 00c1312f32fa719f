"""Documents x JSON Schema -> Diagnostics with file:line:column and plain-language messages.

jsonschema-rs does the checking (formats on); this module turns its errors into messages that
name the key, quote the value and say what to do, positioned by the loader's marks.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import jsonschema_rs

from generator import chars, dates, urls
from generator.diagnostics import Diagnostic, HandbookError, Severity
from generator.load import SCHEMA_FILES, Document, files

#: What a value of each shared type of common.schema.json should be, in words, for messages:
#: (what it is, how it is written). Every pattern and format the schemas use belongs to one of
#: these types (a test keeps it so), so no message has to make do with a field's description.
FORMS = {
    "id": ("an id", ": lower-case letters, digits and hyphens, e.g. 'acme-chat'"),
    "date": ("a date", " as YYYY-MM-DD in the years 1900-2999, e.g. 2026-03-31"),
    "url": ("a web address", " starting with https://"),
    "link": ("a web address (https://...) or an e-mail link (mailto:...)", ""),
    "email": ("an e-mail address", ", e.g. team@example.com"),
    "line": ("one line of text", ""),
    "text": ("text", ""),
    "person": ("a person's name or role", ", e.g. 'Dana Ruiz (Security)'"),
    "ratio": ("a fraction between 0 and 1", ", e.g. 0.93"),
    "hostname": ("a host name", " in lower case, e.g. chat.example.com"),
    "entry_id": (
        "a framework entry's id",
        " as the framework writes it: 1-40 characters on one line, no space at either end,"
        " e.g. 'GOVERN 6.1' or 'Art. 26(2)'",
    ),
    "evidence_table": (
        "a path to a .csv file",
        " from the repository's top folder, ending in .csv (lower case),"
        " e.g. evidence/acme-chat/benchmark-2026-10.csv",
    ),
    "github": ("a GitHub user or team", ": @user or @organisation/team, e.g. @acme/ml-platform"),
    "rule_id": ("a rule id", ": lower-case letters, digits and hyphens, e.g. 'cert-expired'"),
    "field_path": ("a field's dotted path", " in lower case, e.g. evidence.privacy_audit"),
    "secret_ref": (
        "a reference to a secret store",
        ": vault, aws-sm, gcp-sm, azure-kv, op, env or k8s-secret, then :// and where in it,"
        " e.g. vault://ai/acme-chat",
    ),
    "edit_path": (
        "an edit page's path",
        " after the repository's url: starting with / and holding {path},"
        " e.g. /edit/{branch}/{path}",
    ),
}
EXPECTED = {name: what + how for name, (what, how) in FORMS.items()}
TYPE_WORDS = {
    "object": "a mapping (key: value lines)",
    "array": "a list (lines starting with '- ')",
    "string": "text",
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
    "null": "nothing",
}


#: The formats the schemas name beyond JSON Schema's own: checked by parsing (generator/urls.py).
FORMATS = {
    "url": lambda value: urls.url_problem(value) is None,
    "link": lambda value: urls.link_problem(value) is None,
}


def _email_problem(value: str) -> str | None:
    """Why ``value`` is not an e-mail address (common.schema.json's pattern), or None."""
    if not value.count("@"):
        return "it has no '@'"
    if value.count("@") > 1:
        return "it has more than one '@'"
    if any(c.isspace() for c in value):
        return "it holds a space"
    local, _, domain = value.partition("@")
    if not local:
        return "it has nothing before the '@'"
    if "." not in domain.strip("."):
        return f"its domain {domain!r} has no dot"
    return None


def _github_problem(value: str) -> str | None:
    """Why ``value`` is not a GitHub handle, when it can be said more exactly than the type."""
    return None if value.startswith("@") else "it does not start with '@'"


#: Types whose refusals can be said exactly: why the value is not one (None: say the type).
PROBLEMS: dict[str, Callable[[str], str | None]] = {
    "url": urls.url_problem,
    "link": urls.link_problem,
    "date": dates.problem,
    "email": _email_problem,
    "github": _github_problem,
}


def _first_line(exc: Exception) -> str:
    return str(exc).strip().split("\n", 1)[0]


def dotted(where: Sequence[str | int]) -> str:
    out = ""
    for step in where:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or "(top level)"


def shown(value: Any) -> str:
    """A value for a message: scalars quoted with repr, containers named (they can be huge)."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def value_at(data: Any, where: Sequence[str | int]) -> Any:
    for step in where:
        data = data[step]
    return data


Failure = tuple[tuple[str | int, ...], str, tuple[str, ...]]


def summary(failures: list[Any]) -> list[Failure]:
    """(instance path, error kind, keys) of each of jsonschema-rs's errors; keys: the unknown
    keys of an AdditionalProperties error, the missing key of a Required one, else ()."""
    return [
        (
            tuple(err.instance_path),
            type(err.kind).__name__,
            tuple(getattr(err.kind, "unexpected", ()))
            or ((err.kind.property,) if type(err.kind).__name__ == "Required" else ()),
        )
        for err in failures
    ]


@functools.lru_cache(maxsize=4096)
def closest(word: str, options: tuple[str, ...], cutoff: float) -> str | None:
    """The option most like ``word`` (difflib), or None. Cached: a mistake made in one file is
    often made in many (a key added everywhere before the schema knows it)."""
    close = difflib.get_close_matches(word, options, n=1, cutoff=cutoff)
    return close[0] if close else None


class Typos(dict[tuple[tuple[str | int, ...], str], str]):
    """(mapping's path, unknown key) -> the missing required key of that mapping it is a near
    miss of: ``teir`` for a missing ``tier``. One error at the typo then says both; an error
    "missing required key 'tier'" at the mapping, telling to add it, would leave the typo."""

    def values_at(self, where: Sequence[str | int]) -> set[str]:
        path = tuple(where)
        return {meant for (at, _), meant in self.items() if at == path}


def mistyped_required(failures: list[Any]) -> Typos:
    """The unknown keys among ``failures`` that are near misses of a required key missing from
    the same mapping (each missing key claimed by the first unknown key near it)."""
    missing: dict[tuple[str | int, ...], set[str]] = {}
    unknown: dict[tuple[str | int, ...], list[str]] = {}
    for path, kind, keys in summary(failures):
        if kind == "Required":
            missing.setdefault(path, set()).update(keys)
        elif kind == "AdditionalProperties":
            unknown.setdefault(path, []).extend(keys)
    typos = Typos()
    for path, written in unknown.items():
        wanted = tuple(sorted(missing.get(path, ())))
        for key in written:
            meant = closest(key, wanted, 0.6) if wanted else None
            if meant is not None and meant not in typos.values_at(path):
                typos[path, key] = meant
    return typos


#: Kinds whose schema a handbook may lack: only `handbook import` and `reconcile` need them.
OPTIONAL_KINDS = frozenset({"import-map", "catalogue"})


class Schemas:
    """The JSON Schemas of schemas/, compiled once."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        self.raw: dict[str, dict[str, Any]] = {}
        self._paths: dict[tuple[str, str], tuple[tuple[str, ...], ...]] = {}
        walked = files.walk(self.folder.parent, self.folder.name)
        for problem in walked.problems:
            raise HandbookError(f"{problem.path}: {problem.message}", problem.hint)
        for rel in walked.files:
            name = rel.rsplit("/", 1)[-1]
            if rel.count("/") != 1 or not name.endswith(".schema.json"):
                continue
            data, problems = files.read(self.folder.parent, rel)
            if data is None:
                raise HandbookError(
                    f"cannot read schema {name}: {problems[0].message}", "restore it from git"
                )
            try:
                self.raw[name] = json.loads(data.decode("utf-8"))
            except ValueError as exc:
                raise HandbookError(
                    f"cannot read schema {name}: {exc}", "restore it from git"
                ) from exc
            if not isinstance(self.raw[name], dict):
                raise HandbookError(f"schema {name} is not a JSON object", "restore it from git")
        required = {name for kind, name in SCHEMA_FILES.items() if kind not in OPTIONAL_KINDS}
        missing = sorted(required - set(self.raw))
        if missing:
            raise HandbookError(
                f"schemas missing from {folder}: {', '.join(missing)}",
                "run the handbook from its repository root, or pass --root",
            )
        try:
            registry = jsonschema_rs.Registry(
                [(self.uri(name), schema) for name, schema in self.raw.items()]
            )
        except ValueError as exc:
            raise HandbookError(
                f"the schemas cannot be loaded: {_first_line(exc)}", "restore schemas/ from git"
            ) from exc
        self._registry = registry
        self._value_validators: dict[str, Any] = {}
        self.validators = {}
        for kind, name in SCHEMA_FILES.items():
            if name not in self.raw:
                continue  # an optional kind's schema (see has())
            try:
                self.validators[kind] = jsonschema_rs.validator_for(
                    {**self.raw[name], "$id": self.uri(name)},
                    registry=registry,
                    validate_formats=True,
                    formats=FORMATS,
                )
            except ValueError as exc:  # jsonschema_rs.ValidationError is a ValueError
                raise HandbookError(
                    f"schema {name} is not a valid JSON Schema: {_first_line(exc)}",
                    "restore it from git, or check it against the draft 2020-12 metaschema",
                ) from exc

    def value_problem(self, type_name: str, value: Any) -> str | None:
        """Why ``value`` is not a valid ``type_name`` of common.schema.json (``line``, ``text``,
        ``email``...), in words, or None when it is: for values made outside a file (an
        import's cells) before they are written into one."""
        validator = self._value_validators.get(type_name)
        if validator is None:
            ref = {"$ref": f"{self.uri('common.schema.json')}#/$defs/{type_name}"}
            validator = jsonschema_rs.validator_for(
                ref, registry=self._registry, validate_formats=True, formats=FORMATS
            )
            self._value_validators[type_name] = validator
        if validator.is_valid(value):
            return None
        sub = self.raw["common.schema.json"]["$defs"].get(type_name, {})
        refused = _refused_character(sub, value)
        if refused is not None:
            return f"it holds {chars.describe(refused[1])} at character {refused[0]}"
        return f"it is not {EXPECTED.get(type_name, type_name)}"

    def has(self, kind: str) -> bool:
        """Whether the schema of ``kind`` is there (the optional kinds' may be missing in a
        handbook made before `handbook import` existed)."""
        return kind in self.validators

    def uri(self, name: str) -> str:
        return (self.folder / name).as_uri()

    @functools.cached_property
    def id_pattern(self) -> re.Pattern[str]:
        """The shared ``id`` type's pattern (common.schema.json), for names that must be ids."""
        return re.compile(str(self.raw["common.schema.json"]["$defs"]["id"]["pattern"]))

    def is_id(self, text: str) -> bool:
        return self.id_pattern.fullmatch(text) is not None

    # -- walking a schema along an instance path, for hints ----------------------------------

    def _deref(self, node: dict[str, Any], file: str) -> tuple[dict[str, Any], str, str | None]:
        name = None
        while isinstance(node, dict) and "$ref" in node:
            target, _, pointer = node["$ref"].partition("#")
            file = target or file
            node = self.raw[file]
            for part in pointer.strip("/").split("/"):
                if part:
                    node = node[part]
            name = pointer.rsplit("/", 1)[-1]
        return node, file, name

    def _names(self, node: dict[str, Any], file: str) -> tuple[dict[str, Any], str, str | None]:
        """A ``propertyNames`` subschema, resolved: its ``$ref`` may be local to the shared
        schema the mapping's type came from rather than to the document's own."""
        for where in (file, "common.schema.json"):
            try:
                return self._deref(node, where)
            except KeyError:
                continue
        return {}, file, None

    def at(self, kind: str, where: Sequence[str | int]) -> tuple[dict[str, Any], str | None]:
        """The subschema describing the value at ``where`` and the name of its shared type."""
        file = SCHEMA_FILES[kind]
        node, file, name = self._deref(self.raw[file], file)
        for step in where:
            if isinstance(step, int):
                nxt = node.get("items", {})
            else:
                props = node.get("properties", {})
                extra = node.get("additionalProperties")
                nxt = props.get(step, extra if isinstance(extra, dict) else {})
            node, file, name = self._deref(nxt, file)
        return node, name

    def paths_of_type(self, kind: str, type_name: str) -> tuple[tuple[str, ...], ...]:
        """The paths of a ``kind`` document whose values are the shared type ``type_name``
        (``common.schema.json#/$defs/<type_name>``); ``"*"`` stands for any list index.
        E.g. ``(("intro",), ("steps", "*", "purpose"), ("steps", "*", "checklist", "*"))``.
        Worked out once per kind and type: it is asked for every document."""
        known = self._paths.get((kind, type_name))
        if known is not None:
            return known
        out: list[tuple[str, ...]] = []

        def walk(node: Any, file: str, path: tuple[str, ...], depth: int) -> None:
            if not isinstance(node, dict) or depth > 16:
                return
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.rsplit("/", 1)[-1] == type_name:
                out.append(path)
                return
            node, file, _ = self._deref(node, file)
            for key, sub in (node.get("properties") or {}).items():
                walk(sub, file, (*path, key), depth + 1)
            walk(node.get("items"), file, (*path, "*"), depth + 1)

        start = SCHEMA_FILES[kind]
        walk(self.raw[start], start, (), 0)
        self._paths[kind, type_name] = tuple(out)
        return self._paths[kind, type_name]

    def markdown_paths(self, kind: str) -> tuple[tuple[str, ...], ...]:
        """The paths of a ``kind`` document's Markdown fields (types ``markdown`` and
        ``markdown_line``), as :meth:`paths_of_type` gives them."""
        return self.paths_of_type(kind, "markdown") + self.paths_of_type(kind, "markdown_line")

    def describe(self, kind: str, where: Sequence[str | int]) -> str:
        """The description of the value at ``where``: the property's own, else its type's."""
        node, _ = self.at(kind, where)
        if not where:
            return str(node.get("description", ""))
        parent, _ = self.at(kind, where[:-1])
        step = where[-1]
        if isinstance(step, int):
            raw = parent.get("items", {})
        else:
            extra = parent.get("additionalProperties")
            raw = parent.get("properties", {}).get(step, extra if isinstance(extra, dict) else {})
        return str(raw.get("description") or node.get("description", ""))

    # -- validation -------------------------------------------------------------------------

    def failures(self, kind: str, data: Any) -> list[Any]:
        """jsonschema-rs's errors of ``data`` as a ``kind`` document; [] when it is valid."""
        validator = self.validators[kind]
        if validator.is_valid(data):
            return []
        return list(validator.iter_errors(data))

    def errors(self, kind: str, data: Any) -> list[Failure]:
        """(instance path, error kind, unknown keys) of each schema error of ``data``."""
        return summary(self.failures(kind, data))

    def check(self, doc: Document) -> list[Diagnostic]:
        return self.explain(doc, self.failures(doc.kind, doc.data))

    def explain(self, doc: Document, failures: list[Any]) -> list[Diagnostic]:
        """Diagnostics for the ``failures`` of ``doc`` (:meth:`failures`)."""
        typos = mistyped_required(failures)
        found = [d for err in failures for d in self._explain(doc, err, typos)]
        return list(dict.fromkeys(found))  # a date failing both its format and its pattern

    def _explain(self, doc: Document, err: Any, typos: Typos) -> Iterable[Diagnostic]:
        where = list(err.instance_path)
        kind = type(err.kind).__name__
        sub, name = self.at(doc.kind, where)
        path = dotted(where)
        value = value_at(doc.data, where)
        about = self.describe(doc.kind, where) or None

        def diag(
            message: str, hint: str | None, rule: str = "schema", at: Any = None
        ) -> Diagnostic:
            line, col = at or doc.locate(where)
            return Diagnostic(rule, Severity.ERROR, message, doc.path, line, col, hint=hint)

        if kind == "AdditionalProperties":
            allowed = tuple(sorted(sub.get("properties", {})))
            for key in err.kind.unexpected:
                meant = typos.get((tuple(where), key))  # a missing required key
                close = closest(key, allowed, 0.6)
                if meant is not None:
                    hint = f"did you mean {meant!r}? ({meant} is required)"
                elif close is not None:
                    hint = f"did you mean {close!r}?"
                else:
                    hint = "allowed here: " + ", ".join(allowed)
                yield diag(
                    f"unknown key {key!r} in {path}",
                    hint,
                    "schema-unknown-key",
                    doc.locate([*where, key], key=True),
                )
        elif kind == "Required" and err.kind.property in typos.values_at(where):
            return  # the unknown key that is a near miss of it says so, at its own line
        elif kind == "Required":
            prop = err.kind.property
            desc = sub.get("properties", {}).get(prop, {})
            desc, _ = self._described(desc, SCHEMA_FILES[doc.kind])
            where_key = doc.locate(where, key=True)
            yield diag(
                f"{path} is missing required key {prop!r}",
                f"add '{prop}:'" + (f" ({desc})" if desc else ""),
                "schema-required",
                where_key,
            )
        elif kind == "Type":
            expected = sub.get("type") or (name and EXPECTED.get(name)) or "another type"
            words = TYPE_WORDS.get(expected, expected) if isinstance(expected, str) else expected
            hint = None
            if isinstance(value, str) and value.lower() in {"yes", "no", "on", "off", "y", "n"}:
                hint = "write true or false (yes/no/on/off are read as text)"
            elif isinstance(value, str) and expected in {"integer", "number"}:
                hint = "write the number without quotes or leading zeros"
            elif expected == "string" and isinstance(value, (int, float, bool)):
                hint = "put the value in quotes"
            elif expected == "object" and isinstance(value, list):
                hint = "remove the '- ' before each key: a mapping's lines are 'key: value'"
            if value is None:
                hint = "write its entries on the lines below, indented, or remove the key"
                yield diag(f"{path} is empty; it should be {words}", hint)
            else:
                yield diag(f"{path} should be {words}, not {shown(value)}", hint)
        elif kind == "Enum":
            options = tuple(str(o) for o in sub.get("enum", []))
            close = closest(str(value), options, 0.5)
            yield diag(
                f"{path} is {shown(value)}, which is not one of: {', '.join(options)}",
                f"did you mean {close!r}?" if close is not None else None,
            )
        elif kind == "Pattern" and (found := _refused_character(sub, value)):
            position, char = found
            last = ", the last" if position == len(value) else ""
            yield diag(
                f"{path} contains {chars.describe(char)} at character {position}{last}",
                chars.why_refused(char),
            )
        elif (
            kind in {"Format", "Pattern", "MinLength"}
            and isinstance(value, str)
            and not (value.strip())
        ):
            # one finding however many of a text type's rules an empty value breaks
            what = "empty" if not value else "blank: it holds only white space"
            yield diag(
                f"{path} is {what}",
                about or (f"write {EXPECTED[name]}" if name in EXPECTED else None),
            )
        elif kind in {"Format", "Pattern"} and name in FORMS:
            # the message says what is wrong, the hint what to write; a field's description
            # says what the field is for, and is neither
            problem = PROBLEMS[name](value) if name in PROBLEMS and isinstance(value, str) else None
            yield diag(
                f"{path} is {shown(value)}: {problem}"
                if problem
                else f"{path} is {shown(value)}, which is not {FORMS[name][0]}",
                f"write {EXPECTED[name]}",
            )
        elif kind in {"Format", "Pattern"}:  # a pattern of no shared type: a schema to fix
            yield diag(f"{path} is {shown(value)}, which does not have the form it needs", about)
        elif kind == "Not" and "certifications" in where:
            cert_type = value.get("type", "") if isinstance(value, dict) else ""
            if str(cert_type).startswith("soc2"):
                key = "expires"
                msg = f"{path} is a SOC 2 report, which has no expiry date"
                hint = "remove 'expires'; a SOC 2 report is judged by period.end"
            else:
                key = "bridge_letter"
                msg = f"{path} has a bridge letter, which only a SOC 2 report can have"
                hint = "remove 'bridge_letter', or correct the type"
            yield diag(msg, hint, at=doc.locate([*where, key], key=True))
        elif kind in {"Minimum", "Maximum"}:
            word = "smallest" if kind == "Minimum" else "largest"
            yield diag(f"{path} is {value!r}; the {word} allowed is {err.kind.limit}", about)
        elif kind == "MinLength":
            need = err.kind.limit
            yield diag(
                f"{path} is {value!r}, shorter than {_characters(need)}",
                f"write {EXPECTED[name]}" if name in EXPECTED else about,
            )
        elif kind == "MaxLength":
            yield diag(f"{path} is longer than {_characters(err.kind.limit)}", about)
        elif kind == "MinItems" and isinstance(value, list):
            need = err.kind.limit
            yield diag(
                f"{path} is an empty list" if not value else f"{path} has fewer than {need} items",
                about or f"list at least {need}",
            )
        elif kind == "MinProperties" and isinstance(value, dict):
            need = err.kind.limit
            yield diag(
                f"{path} is an empty mapping"
                if not value
                else f"{path} has fewer than {need} keys",
                about or f"give it at least {need} key: value line, or remove {path}",
            )
        elif kind == "UniqueItems" and isinstance(value, list):
            seen: list[Any] = []
            for j, item in enumerate(value):
                if item in seen:
                    yield diag(
                        f"{path} lists {shown(item)} more than once",
                        "remove the repeated entry",
                        at=doc.locate([*where, j]),
                    )
                    break
                seen.append(item)
        elif kind == "PropertyNames" and isinstance(value, dict):
            names, _, name = self._names(sub.get("propertyNames", {}), SCHEMA_FILES[doc.kind])
            options = tuple(str(o) for o in names.get("enum", []))
            pattern = names.get("pattern")
            for key in value:
                if not options and isinstance(pattern, str) and not re.fullmatch(pattern, key):
                    yield diag(
                        f"key {key!r} in {path} is not {EXPECTED.get(name or '', 'allowed')}",
                        "rename the key",
                        at=doc.locate([*where, key], key=True),
                    )
                if options and key not in options:
                    close = closest(key, options, 0.5)
                    yield diag(
                        f"unknown key {key!r} in {path}",
                        f"did you mean {close!r}?"
                        if close is not None
                        else "allowed: " + ", ".join(options),
                        "schema-unknown-key",
                        doc.locate([*where, key], key=True),
                    )
        else:
            yield diag(f"{path}: {err.message}", about)

    def _described(self, node: dict[str, Any], file: str) -> tuple[str, str | None]:
        own = node.get("description")  # a property's own description beats its type's
        node, _, name = self._deref(node, file) if "$ref" in node else (node, "", None)
        return str(own or node.get("description", "")), name


def _characters(count: int) -> str:
    return f"{count:,} character{'' if count == 1 else 's'}"


def _refused_character(sub: dict[str, Any], value: Any) -> tuple[int, str] | None:
    """The first character a text type refuses (``line``, ``text``, ``person``), if any."""
    refused = chars.PATTERNS.get(sub.get("pattern", ""))
    if refused is None or not isinstance(value, str):
        return None
    return chars.first_refused(value, refused)
