"""``shinsa rate``: rate findings in every scheme (or the ones named), or list the vocabulary and schemes."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shinsa.commands import ShinsaCommand
from shinsa.lib.clock import clock
from shinsa.policy.errors import PolicyFileError
from shinsa.ratings.active import active_rating_policies
from shinsa.ratings.engine import Rating, rate_title
from shinsa.ratings.findings import RatingInputError, parse_rating_request
from shinsa.ratings.policies import RatingPolicies

BAD_INPUT = 2
LANGUAGES = ("en", "ja")


class Command(ShinsaCommand):
    help = (
        "Rate content findings in each rating scheme, or list the descriptor vocabulary and the schemes.\n"
        'FILE holds {"findings": [{"descriptor", "intensity", "start_ms", "end_ms", "context"}, ...]} '
        'and optionally "certificates": [{"scheme", "code"}] (issued ratings, which always win). '
        "Use - to read standard input."
    )
    # The command loads and checks the policies itself, reporting a bad file in one line.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", metavar="FILE", help="findings as JSON (- for standard input)")
        parser.add_argument(
            "--scheme",
            action="append",
            dest="schemes",
            metavar="ID",
            help="rate in this scheme only; repeat for several (default: every scheme)",
        )
        parser.add_argument("--descriptors", action="store_true", help="list the descriptor vocabulary")
        parser.add_argument(
            "--schemes", action="store_true", dest="list_schemes", help="list the rating schemes"
        )
        parser.add_argument("--lang", choices=LANGUAGES, default="en", help="language of advice and names")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        listings = [name for name in ("descriptors", "list_schemes") if options[name]]
        if len(listings) > 1 or (listings and options["file"]):
            raise CommandError(_("give one of FILE, --descriptors or --schemes"), returncode=BAD_INPUT)
        if not listings and not options["file"]:
            raise CommandError(_("give a findings FILE, --descriptors or --schemes"), returncode=BAD_INPUT)
        try:
            policies = active_rating_policies()
        except PolicyFileError as error:
            raise CommandError(
                _("invalid rating policy: %(error)s") % {"error": error}, returncode=1
            ) from None
        language = options["lang"]
        if options["descriptors"]:
            self._write(self._descriptors(policies), options["json"], self._descriptor_lines)
        elif options["list_schemes"]:
            self._write(self._schemes(policies, language), options["json"], self._scheme_lines)
        else:
            ratings = self._rate(policies, options["file"], options["schemes"])
            payload = {"ratings": [rating.to_json(language) for rating in ratings]}
            self._write(payload, options["json"], lambda data: self._rating_lines(ratings, data, language))

    # -- rating ------------------------------------------------------------------------------------

    def _rate(self, policies: RatingPolicies, file: str, scheme_ids: list[str] | None) -> list[Rating]:
        selected = None
        if scheme_ids:
            selected = []
            for scheme_id in scheme_ids:
                if scheme_id not in policies.schemes:
                    raise CommandError(
                        _("unknown scheme %(scheme)s; known schemes: %(known)s")
                        % {"scheme": scheme_id, "known": ", ".join(policies.schemes)},
                        returncode=BAD_INPUT,
                    )
                if scheme_id not in selected:
                    selected.append(scheme_id)
        text = self._read(file)
        try:
            request = parse_rating_request(text, policies.vocabulary, policies.scheme_levels)
        except RatingInputError as error:
            raise CommandError(f"{file}: {input_error_message(error)}", returncode=BAD_INPUT) from None
        return rate_title(
            policies.schemes, request.findings, certificates=request.certificates, scheme_ids=selected
        )

    @staticmethod
    def _read(file: str) -> str:
        if file == "-":
            return sys.stdin.read()
        try:
            return Path(file).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(_("%(file)s: no such file") % {"file": file}, returncode=BAD_INPUT) from None
        except UnicodeDecodeError:
            raise CommandError(_("%(file)s: not UTF-8 text") % {"file": file}, returncode=BAD_INPUT) from None
        except OSError as error:
            raise CommandError(
                _("%(file)s: cannot be read (%(reason)s)")
                % {"file": file, "reason": error.strerror or error},
                returncode=BAD_INPUT,
            ) from None

    # -- listings ----------------------------------------------------------------------------------

    @staticmethod
    def _descriptors(policies: RatingPolicies) -> list[dict[str, Any]]:
        return [
            {
                "id": descriptor.id,
                "max_intensity": descriptor.max_intensity,
                "name": {"ja": descriptor.name.ja, "en": descriptor.name.en},
            }
            for descriptor in policies.vocabulary.descriptors.values()
        ]

    @staticmethod
    def _schemes(policies: RatingPolicies, language: str) -> list[dict[str, Any]]:
        return [
            {
                "id": scheme.id,
                "territory": scheme.territory,
                "authority": scheme.authority.in_language(language),
                "levels": list(scheme.codes),
            }
            for scheme in policies.schemes.values()
        ]

    # -- output ------------------------------------------------------------------------------------

    def _write(self, data: Any, as_json: bool, lines: Any) -> None:
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
        else:
            for line in lines(data):
                self.stdout.write(line)

    @staticmethod
    def _descriptor_lines(data: list[dict[str, Any]]) -> list[str]:
        return [
            f"{item['id']:<20} 0-{item['max_intensity']}  {item['name']['en']} / {item['name']['ja']}"
            for item in data
        ]

    @staticmethod
    def _scheme_lines(data: list[dict[str, Any]]) -> list[str]:
        return [
            f"{item['id']:<11} {item['territory']:<3} {' < '.join(item['levels'])}  ({item['authority']})"
            for item in data
        ]

    @staticmethod
    def _rating_lines(ratings: list[Rating], data: dict[str, Any], language: str) -> list[str]:
        lines = []
        for rating, shown in zip(ratings, data["ratings"], strict=True):
            advice = f" — {', '.join(shown['advice'])}" if shown["advice"] else ""
            if rating.source is None:
                basis = _("proposal")
            elif rating.basis == "certificate":
                basis = _("certificate")
            else:
                basis = _("mapped from %(scheme)s %(code)s") % {
                    "scheme": rating.source.scheme,
                    "code": rating.source.code,
                }
            lines.append(f"{shown['scheme']:<11} {shown['territory']:<3} {shown['level']}{advice}  [{basis}]")
            for item in shown["because"]:
                when = _time_range(item["start_ms"], item["end_ms"])
                lines.append(f"    {item['descriptor']} {item['intensity']} at {when}  ({item['rule']})")
            for referral in rating.referrals:
                lines.append(f"    ! {referral.note.in_language(language)}")
        return lines


def _time_range(start_ms: int | None, end_ms: int | None) -> str:
    if start_ms is None:
        return "-"
    end = f"-{clock(end_ms)}" if end_ms is not None else ""
    return f"{clock(start_ms)}{end}"


def input_error_message(error: RatingInputError) -> str:
    """The translated one-line message for bad rating input."""
    params = dict(error.params)
    params["field"] = error.field
    templates = {
        "malformed_json": _("not valid JSON (line %(line)d, column %(column)d): %(detail)s"),
        "too_deep": _("the JSON is nested deeper than %(limit)d levels"),
        "wrong_type": _("%(field)s must be %(expected)s"),
        "unknown_key": _("%(field)s: unknown key %(key)s (allowed: %(allowed)s)"),
        "missing_key": _("%(field)s: missing key %(key)s"),
        "unknown_descriptor": _(
            "%(field)s: unknown descriptor %(descriptor)s (shinsa rate --descriptors lists them)"
        ),
        "intensity_range": _(
            "%(field)s: intensity %(intensity)d is out of range 0-%(maximum)d for %(descriptor)s"
        ),
        "unknown_context": _("%(field)s: unknown context %(context)s"),
        "negative_time": _("%(field)s must not be negative"),
        "time_order": _("%(field)s: end_ms %(end_ms)d is before start_ms %(start_ms)d"),
        "unknown_scheme": _("%(field)s: unknown scheme %(scheme)s"),
        "unknown_level": _("%(field)s: %(code)s is not a level of %(scheme)s"),
        "duplicate_certificate": _("%(field)s: a second certificate for %(scheme)s"),
    }
    if error.code == "wrong_type":
        params["expected"] = {
            "object": _("a JSON object"),
            "array": _("an array"),
            "string": _("a string"),
            "integer": _("an integer"),
        }[params["expected"]]
    if error.code == "not_rateable":
        return f"{error.field}: {params['reason'].in_language(get_language() or 'en')}"
    template = templates.get(error.code)
    return template % params if template else str(error)
