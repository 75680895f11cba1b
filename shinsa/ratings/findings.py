"""Findings (what a reviewer saw, where) and issued certificates: the input of the rating engine.

Input from outside (the CLI's JSON, later the API) is checked here against the vocabulary and the
schemes; every problem is one ``RatingInputError`` with a stable code, the field it concerns and the
values a translated message needs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from shinsa.lib.jsondepth import json_depth
from shinsa.ratings.vocabulary import Vocabulary

FINDING_KEYS = ("descriptor", "intensity", "start_ms", "end_ms", "context")
CERTIFICATE_KEYS = ("scheme", "code")
MAX_JSON_DEPTH = 16  # the format nests 4 levels; anything far deeper is hostile


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One descriptor seen at one intensity, with its time range (ms) and context tags."""

    descriptor: str
    intensity: int
    start_ms: int | None = None
    end_ms: int | None = None
    context: frozenset[str] = frozenset()
    # Descriptor, intensity and tags in one string: the engine's memo key. A string caches its hash,
    # so each scheme's lookup costs one dictionary probe; repr() keeps distinct findings distinct
    # whatever characters their (not yet validated) tags hold.
    key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.context, frozenset):
            object.__setattr__(self, "context", frozenset(self.context))
        object.__setattr__(self, "key", repr((self.descriptor, self.intensity, sorted(self.context))))


@dataclass(frozen=True, slots=True, kw_only=True)
class Certificate:
    """A rating issued by an authority (or recorded as issued): always beats a computed one."""

    scheme: str
    code: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RatingRequest:
    findings: tuple[Finding, ...]
    certificates: tuple[Certificate, ...] = ()


class RatingInputError(ValueError):
    """Bad rating input. ``code`` is stable (messages are translated from it); ``str()`` is English."""

    # code and message are positional-only so that a parameter may also be called "code".
    def __init__(self, code: str, message: str, /, *, field: str = "", **params: Any) -> None:
        self.code = code
        self.field = field
        self.params = params
        super().__init__(f"{field}: {message}" if field else message)


def check_finding(vocabulary: Vocabulary, finding: Finding, where: str = "finding") -> None:
    """Raises RatingInputError unless the finding uses the vocabulary correctly and can be rated."""
    if not isinstance(finding.descriptor, str):
        raise RatingInputError(
            "wrong_type", "must be a string", field=f"{where}.descriptor", expected="string"
        )
    if isinstance(finding.intensity, bool) or not isinstance(finding.intensity, int):
        raise RatingInputError(
            "wrong_type", "must be an integer", field=f"{where}.intensity", expected="integer"
        )
    descriptor = vocabulary.descriptors.get(finding.descriptor)
    if descriptor is None:
        raise RatingInputError(
            "unknown_descriptor",
            f"unknown descriptor {finding.descriptor!r}",
            field=f"{where}.descriptor",
            descriptor=finding.descriptor,
        )
    if not 0 <= finding.intensity <= descriptor.max_intensity:
        raise RatingInputError(
            "intensity_range",
            f"intensity {finding.intensity} is out of range 0-{descriptor.max_intensity} for {descriptor.id}",
            field=f"{where}.intensity",
            intensity=finding.intensity,
            maximum=descriptor.max_intensity,
            descriptor=descriptor.id,
        )
    for tag in sorted(finding.context):
        if tag not in vocabulary.contexts:
            raise RatingInputError(
                "unknown_context", f"unknown context {tag!r}", field=f"{where}.context", context=tag
            )
    for bound, value in (("start_ms", finding.start_ms), ("end_ms", finding.end_ms)):
        if value is not None and value < 0:
            raise RatingInputError(
                "negative_time", f"{bound} must not be negative", field=f"{where}.{bound}", value=value
            )
    if finding.start_ms is not None and finding.end_ms is not None and finding.end_ms < finding.start_ms:
        raise RatingInputError(
            "time_order",
            f"end_ms {finding.end_ms} is before start_ms {finding.start_ms}",
            field=f"{where}.end_ms",
            start_ms=finding.start_ms,
            end_ms=finding.end_ms,
        )
    for rule in vocabulary.not_rateable:
        if (
            finding.descriptor in rule.descriptors
            and finding.intensity >= rule.min_intensity
            and rule.contexts <= finding.context
        ):
            raise RatingInputError(
                "not_rateable", rule.reason.en, field=where, rule=rule.id, reason=rule.reason
            )


def parse_rating_request(
    text: str, vocabulary: Vocabulary, scheme_levels: Mapping[str, Sequence[str]]
) -> RatingRequest:
    """Parses ``{"findings": [...], "certificates": [...]}`` (certificates optional) strictly."""
    if json_depth(text) > MAX_JSON_DEPTH:
        raise RatingInputError(
            "too_deep", f"nested deeper than {MAX_JSON_DEPTH} levels", field="(top)", limit=MAX_JSON_DEPTH
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise RatingInputError(
            "malformed_json",
            f"not valid JSON (line {error.lineno}, column {error.colno}): {error.msg}",
            line=error.lineno,
            column=error.colno,
            detail=error.msg,
        ) from None
    if not isinstance(data, dict):
        raise RatingInputError("wrong_type", "must be a JSON object", field="(top)", expected="object")
    _check_keys(data, "(top)", required=("findings",), allowed=("findings", "certificates"))
    raw_findings = _expect(data["findings"], list, "findings", "array")
    findings = tuple(
        _finding_from_json(vocabulary, item, f"findings[{index}]") for index, item in enumerate(raw_findings)
    )
    raw_certificates = _expect(data.get("certificates", []), list, "certificates", "array")
    certificates: list[Certificate] = []
    seen: set[str] = set()
    for index, item in enumerate(raw_certificates):
        where = f"certificates[{index}]"
        _expect(item, dict, where, "object")
        _check_keys(item, where, required=CERTIFICATE_KEYS, allowed=CERTIFICATE_KEYS)
        scheme = _expect(item["scheme"], str, f"{where}.scheme", "string")
        code = _expect(item["code"], str, f"{where}.code", "string")
        if scheme not in scheme_levels:
            raise RatingInputError(
                "unknown_scheme", f"unknown scheme {scheme!r}", field=f"{where}.scheme", scheme=scheme
            )
        if code not in scheme_levels[scheme]:
            raise RatingInputError(
                "unknown_level",
                f"{code!r} is not a level of {scheme}",
                field=f"{where}.code",
                code=code,
                scheme=scheme,
            )
        if scheme in seen:
            raise RatingInputError(
                "duplicate_certificate", f"a second certificate for {scheme}", field=where, scheme=scheme
            )
        seen.add(scheme)
        certificates.append(Certificate(scheme=scheme, code=code))
    return RatingRequest(findings=findings, certificates=tuple(certificates))


def _finding_from_json(vocabulary: Vocabulary, raw: Any, where: str) -> Finding:
    _expect(raw, dict, where, "object")
    _check_keys(raw, where, required=("descriptor", "intensity"), allowed=FINDING_KEYS)
    descriptor = _expect(raw["descriptor"], str, f"{where}.descriptor", "string")
    intensity = _expect(raw["intensity"], int, f"{where}.intensity", "integer")
    start_ms = _optional_int(raw.get("start_ms"), f"{where}.start_ms")
    end_ms = _optional_int(raw.get("end_ms"), f"{where}.end_ms")
    tags = _expect(raw.get("context", []), list, f"{where}.context", "array")
    for position, tag in enumerate(tags):
        _expect(tag, str, f"{where}.context[{position}]", "string")
    finding = Finding(
        descriptor=descriptor, intensity=intensity, start_ms=start_ms, end_ms=end_ms, context=frozenset(tags)
    )
    check_finding(vocabulary, finding, where)
    return finding


def _expect(value: Any, kind: type, where: str, expected: str) -> Any:
    # bool is an int in Python, never in our JSON.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise RatingInputError(
            "wrong_type", f"must be {_article(expected)} {expected}", field=where, expected=expected
        )
    return value


def _optional_int(value: Any, where: str) -> int | None:
    return None if value is None else _expect(value, int, where, "integer")


def _check_keys(
    raw: Mapping[str, Any], where: str, *, required: Sequence[str], allowed: Sequence[str]
) -> None:
    for key in raw:
        if key not in allowed:
            raise RatingInputError(
                "unknown_key", f"unknown key {key!r}", field=where, key=key, allowed=", ".join(allowed)
            )
    for key in required:
        if key not in raw:
            raise RatingInputError("missing_key", f"missing key {key!r}", field=where, key=key)


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"
