"""Golden cases (``<scheme>.golden.toml`` beside each scheme): what the authority's guidelines say a set of
findings must get. They are written from the published guidelines, then the scheme's rules are made to
pass them; a scheme change that breaks one stops start-up and fails the test suite.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shinsa.policy.errors import PolicyFileError
from shinsa.ratings.engine import rate_title
from shinsa.ratings.findings import Certificate, Finding, RatingInputError, check_finding
from shinsa.ratings.policy_file import FieldPath, PolicyDocument
from shinsa.ratings.schemes import GOLDEN_SUFFIX, Scheme
from shinsa.ratings.vocabulary import SLUG_PATTERN, Vocabulary

_FINDING_KEYS = ("descriptor", "intensity", "start_ms", "end_ms", "context")


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldenCase:
    id: str
    scheme: str
    path: Path
    line: int | None
    basis: str
    findings: tuple[Finding, ...]
    certificates: tuple[Certificate, ...]
    level: str
    # Optional expectations: None means "not checked".
    advice_en: tuple[str, ...] | None
    advice_ja: tuple[str, ...] | None
    because: tuple[str, ...] | None
    referrals: tuple[str, ...] | None

    @property
    def name(self) -> str:
        return f"{self.scheme}:{self.id}"


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldenFailure:
    case: GoldenCase
    reason: str

    def __str__(self) -> str:
        where = f"{self.case.path}:{self.case.line}" if self.case.line else str(self.case.path)
        return f"{where} [{self.case.id}]: {self.reason}"


def golden_path(scheme: Scheme) -> Path:
    return scheme.path.with_name(scheme.path.name.removesuffix(".toml") + GOLDEN_SUFFIX)


def load_golden(
    scheme: Scheme, schemes: Mapping[str, Scheme], vocabulary: Vocabulary
) -> tuple[GoldenCase, ...]:
    """Reads and validates the golden file beside ``scheme``; every scheme must have one."""
    path = golden_path(scheme)
    if not path.is_file():
        raise PolicyFileError(str(path), f"missing: every scheme needs golden cases ({scheme.id})")
    doc = PolicyDocument.read(path)
    top = doc.table(doc.data, (), required=("scheme", "cases"))
    named = doc.string(top["scheme"], ("scheme",))
    if named != scheme.id:
        raise doc.error(("scheme",), f"names {named!r}, but the file beside it defines {scheme.id!r}")
    cases: list[GoldenCase] = []
    seen: set[str] = set()
    for index, raw in enumerate(doc.array(top["cases"], ("cases",), min_items=1)):
        case = _read_case(doc, raw, ("cases", index), scheme, schemes, vocabulary)
        if case.id in seen:
            raise doc.error(("cases", index, "id"), f"case id {case.id!r} is used twice")
        seen.add(case.id)
        cases.append(case)
    return tuple(cases)


def _read_case(
    doc: PolicyDocument,
    raw: Any,
    where: FieldPath,
    scheme: Scheme,
    schemes: Mapping[str, Scheme],
    vocabulary: Vocabulary,
) -> GoldenCase:
    table = doc.table(
        raw,
        where,
        required=("id", "basis", "findings", "level"),
        optional=("certificates", "advice", "advice_ja", "because", "referrals"),
    )
    findings = []
    for index, item in enumerate(doc.array(table["findings"], (*where, "findings"))):
        at = (*where, "findings", index)
        finding_table = doc.table(item, at, required=("descriptor", "intensity"), optional=_FINDING_KEYS[2:])
        finding = Finding(
            descriptor=doc.string(finding_table["descriptor"], (*at, "descriptor")),
            intensity=doc.integer(finding_table["intensity"], (*at, "intensity")),
            start_ms=doc.integer(finding_table["start_ms"], (*at, "start_ms"), minimum=0)
            if "start_ms" in finding_table
            else None,
            end_ms=doc.integer(finding_table["end_ms"], (*at, "end_ms"), minimum=0)
            if "end_ms" in finding_table
            else None,
            context=frozenset(doc.strings(finding_table.get("context", []), (*at, "context"))),
        )
        try:
            check_finding(vocabulary, finding, f"findings[{index}]")
        except RatingInputError as error:
            raise doc.error(at, str(error)) from None
        findings.append(finding)
    certificates = []
    for index, item in enumerate(doc.array(table.get("certificates", []), (*where, "certificates"))):
        at = (*where, "certificates", index)
        certificate = doc.table(item, at, required=("scheme", "code"))
        source = doc.string(certificate["scheme"], (*at, "scheme"))
        code = doc.string(certificate["code"], (*at, "code"))
        if source not in schemes:
            raise doc.error((*at, "scheme"), f"unknown scheme {source!r}")
        if code not in schemes[source].codes:
            raise doc.error((*at, "code"), f"{code!r} is not a level of {source}")
        certificates.append(Certificate(scheme=source, code=code))
    level = doc.string(table["level"], (*where, "level"))
    if level not in scheme.codes:
        raise doc.error((*where, "level"), f"{level!r} is not a level of {scheme.id}")

    def optional_strings(key: str) -> tuple[str, ...] | None:
        return doc.strings(table[key], (*where, key), unique=False) if key in table else None

    return GoldenCase(
        id=doc.string(table["id"], (*where, "id"), pattern=SLUG_PATTERN),
        scheme=scheme.id,
        path=doc.path,
        line=doc.line_of(where),
        basis=doc.string(table["basis"], (*where, "basis")),
        findings=tuple(findings),
        certificates=tuple(certificates),
        level=level,
        advice_en=optional_strings("advice"),
        advice_ja=optional_strings("advice_ja"),
        because=optional_strings("because"),
        referrals=optional_strings("referrals"),
    )


def check_golden_case(case: GoldenCase, schemes: Mapping[str, Scheme]) -> str | None:
    """Why the case fails under the current schemes, or None if it passes."""
    (rating,) = rate_title(schemes, case.findings, certificates=case.certificates, scheme_ids=[case.scheme])
    problems = []
    if rating.level != case.level:
        reasons = ", ".join(f"{item.descriptor}@{item.intensity} by {item.rule}" for item in rating.because)
        problems.append(
            f"level {rating.level!r}, expected {case.level!r}" + (f" ({reasons})" if reasons else "")
        )
    if case.advice_en is not None and tuple(text.en for text in rating.advice) != case.advice_en:
        problems.append(f"advice {[text.en for text in rating.advice]}, expected {list(case.advice_en)}")
    if case.advice_ja is not None and tuple(text.ja for text in rating.advice) != case.advice_ja:
        problems.append(f"advice_ja {[text.ja for text in rating.advice]}, expected {list(case.advice_ja)}")
    if case.because is not None and tuple(item.descriptor for item in rating.because) != case.because:
        problems.append(
            f"because {[item.descriptor for item in rating.because]}, expected {list(case.because)}"
        )
    if case.referrals is not None and tuple(item.rule for item in rating.referrals) != case.referrals:
        problems.append(
            f"referrals {[item.rule for item in rating.referrals]}, expected {list(case.referrals)}"
        )
    return "; ".join(problems) or None


def golden_failures(cases: tuple[GoldenCase, ...], schemes: Mapping[str, Scheme]) -> list[GoldenFailure]:
    failures = []
    for case in cases:
        reason = check_golden_case(case, schemes)
        if reason is not None:
            failures.append(GoldenFailure(case=case, reason=reason))
    return failures
