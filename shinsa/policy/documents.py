"""One policy file read from disk: its text, parsed TOML, canonical content hash and line lookup.

``tomllib`` reports no positions for values, so ``line_of`` finds a key's line by scanning the text
for table headers (``[x]``, ``[[x]]``) and ``key =`` assignments. That covers the way policy files are
written (arrays of tables, inline tables, dotted keys); where it cannot tell, it answers the line of
the enclosing table header, or None.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from shinsa.policy.errors import PolicyFileError

KeyPath = tuple[str | int, ...]
Parse = Literal["toml", "text"]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")
_DECODE_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)\s*$")


def canonical_json(value: Any) -> str:
    """The content of parsed TOML as one canonical string: sorted keys, no spacing, dates in ISO form.

    Comments, whitespace, key order and quoting style do not change it; any change of a value does.
    """
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_iso)


def content_hash(value: Any) -> str:
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()


def _iso(value: Any) -> str:
    if isinstance(value, datetime.date | datetime.time):  # datetime is a date
        return value.isoformat()
    raise TypeError(f"cannot hash a {type(value).__name__}")


@dataclass(frozen=True, kw_only=True, slots=True)
class _Header:
    index: int  # 0-based line index
    name: str
    is_array: bool


@dataclass(frozen=True, kw_only=True, slots=True)
class PolicyDocument:
    name: str  # relative to the policy directory, with forward slashes: "clauses/violence.toml"
    display_path: str  # how errors name the file: "policies/clauses/violence.toml"
    text: str
    data: dict[str, Any]  # parsed TOML; empty for text files
    sha256: str  # of the canonical content (TOML) or of the text with normalised line ends

    def error(self, keypath: KeyPath, reason: str) -> PolicyFileError:
        """A PolicyFileError at ``keypath`` (e.g. ``("clauses", 2, "title", "ja")``)."""
        return PolicyFileError(
            self.display_path, reason, line=self.line_of(keypath), field=field_name(keypath) or None
        )

    def line_of(self, keypath: KeyPath) -> int | None:
        """The 1-based line where ``keypath`` is written, else its table's header line, else None."""
        lines = self.text.splitlines()
        headers = _headers(lines)
        start, end, header_line, prefix, position = 0, len(lines), None, "", 0
        while position < len(keypath) and isinstance(keypath[position], str):
            key = str(keypath[position])
            name = f"{prefix}.{key}" if prefix else key
            index = keypath[position + 1] if position + 1 < len(keypath) else None
            is_array = isinstance(index, int)
            matches = [
                h for h in headers if h.name == name and h.is_array == is_array and start <= h.index < end
            ]
            if is_array:
                chosen = matches[index] if index < len(matches) else None
            else:
                chosen = matches[0] if matches else None
            if chosen is None:
                break
            header_line = chosen.index
            start = chosen.index + 1
            end = next(
                (h.index for h in headers if h.index > chosen.index and not _inside(h.name, name)), end
            )
            prefix = name
            position += 2 if is_array else 1
        keys = []
        for key in keypath[position:]:
            if not isinstance(key, str):
                break
            keys.append(key)
        # Keys of this table sit between its header and the first sub-table header.
        own_end = next((h.index for h in headers if start <= h.index < end), end)
        for count in range(len(keys), 0, -1):
            dotted = r"\s*\.\s*".join(rf"[\"']?{re.escape(k)}[\"']?" for k in keys[:count])
            # "text" is also written by its dotted sub-keys: text.ja = "..."
            assignment = re.compile(rf"^\s*{dotted}\s*[=.]")
            for index in range(start, own_end):
                if assignment.match(lines[index]):
                    return index + 1
        return None if header_line is None else header_line + 1


def field_name(keypath: KeyPath) -> str:
    """The field as people read it, within its entry: ``title.ja``, ``languages[2].min_level``.

    The entry itself is named by the line; an entry or list item alone reads ``clauses[3]`` (1-based).
    """
    first_index = next((i for i, key in enumerate(keypath) if isinstance(key, int)), None)
    if first_index is None:
        parts = keypath
    elif first_index == len(keypath) - 1:
        parts = keypath[max(first_index - 1, 0) :]
    else:
        parts = keypath[first_index + 1 :]
    text = ""
    for key in parts:
        text += f"[{key + 1}]" if isinstance(key, int) else (f".{key}" if text else key)
    return text


def _inside(name: str, parent: str) -> bool:
    return name.startswith(parent + ".")


def _headers(lines: list[str]) -> list[_Header]:
    headers = []
    in_multiline = False
    for index, line in enumerate(lines):
        # Skip the bodies of multi-line strings, where "[x]" is text, not a header.
        if line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1:
            in_multiline = not in_multiline
            continue
        if in_multiline:
            continue
        match = _HEADER.match(line)
        if match:
            name = ".".join(part.strip().strip("\"'") for part in match.group(2).split("."))
            headers.append(_Header(index=index, name=name, is_array=match.group(1) == "[["))
    return headers


def read_document(path: Path, *, policy_dir: Path, parse: Parse = "toml") -> PolicyDocument:
    """Read and parse one file; raise PolicyFileError (with the line for TOML syntax errors)."""
    name = path.relative_to(policy_dir).as_posix()
    display_path = f"{policy_dir.name}/{name}"
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise PolicyFileError(display_path, f"not UTF-8 text (byte {error.start})") from None
    except OSError as error:
        raise PolicyFileError(display_path, f"cannot be read: {error.strerror}") from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if parse == "text":
        return PolicyDocument(
            name=name,
            display_path=display_path,
            text=text,
            data={},
            sha256=hashlib.sha256(text.encode()).hexdigest(),
        )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(getattr(error, "msg", None) or error)
        line = getattr(error, "lineno", None)
        position = _DECODE_POSITION.search(message)
        if position:
            line = line or int(position.group(1))
            message = message[: position.start()]
        raise PolicyFileError(display_path, f"invalid TOML: {message}", line=line) from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise PolicyFileError(display_path, "invalid TOML: nested too deeply") from None
    return PolicyDocument(
        name=name, display_path=display_path, text=text, data=data, sha256=content_hash(data)
    )
