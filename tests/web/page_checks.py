"""Checks every console page must pass: strict-CSP ready, CSRF on each form, labelled fields, landmarks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_EVENT_HANDLER = re.compile(r"^on[a-z]+$")
_UNLABELLED_OK = {"hidden", "submit", "button", "reset", "image"}


@dataclass
class _Form:
    method: str
    has_csrf: bool = False


@dataclass
class PageFacts(HTMLParser):
    problems: list[str] = field(default_factory=list)
    html_lang: str | None = None
    landmarks: set[str] = field(default_factory=set)
    label_targets: set[str] = field(default_factory=set)
    fields: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    forms: list[_Form] = field(default_factory=list)
    first_link: str | None = None
    _in_label: int = 0

    def __post_init__(self) -> None:
        HTMLParser.__init__(self)

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {name: value or "" for name, value in attrs_list}
        for name, value in attrs.items():
            if _EVENT_HANDLER.match(name):
                self.problems.append(f"inline event handler {name} on <{tag}>")
            if name == "style":
                self.problems.append(f"inline style on <{tag}>")
            if name in {"href", "src", "action"} and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL on <{tag}>")
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag == "script" and not attrs.get("src"):
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("inline <style>")
        if tag in {"header", "main", "nav", "footer"}:
            self.landmarks.add(tag)
        if tag == "a" and self.first_link is None:
            self.first_link = attrs.get("href")
        if tag == "form":
            self.forms.append(_Form(method=attrs.get("method", "get").lower()))
        if tag == "label":
            self._in_label += 1
            if attrs.get("for"):
                self.label_targets.add(attrs["for"])
        if tag in {"input", "select", "textarea"}:
            if tag == "input" and attrs.get("name") == "csrfmiddlewaretoken" and self.forms:
                self.forms[-1].has_csrf = True
            kind = attrs.get("type", "text") if tag == "input" else tag
            if kind not in _UNLABELLED_OK and not (self._in_label or attrs.get("aria-label")):
                self.fields.append((tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._in_label -= 1


def check_page(html: str, *, language: str) -> list[str]:
    """Every problem found in ``html``, as one line each; an empty list means the page passes."""
    facts = PageFacts()
    facts.feed(html)
    problems = list(facts.problems)
    if facts.html_lang != language:
        problems.append(f"<html lang> is {facts.html_lang!r}, not {language!r}")
    for landmark in ("header", "main"):
        if landmark not in facts.landmarks:
            problems.append(f"no <{landmark}> landmark")
    if facts.first_link != "#main":
        problems.append(f"the first link is {facts.first_link!r}, not the skip link to #main")
    for form in facts.forms:
        if form.method == "post" and not form.has_csrf:
            problems.append("a POST form without a CSRF token")
    for tag, attrs in facts.fields:
        if attrs.get("id") not in facts.label_targets:
            problems.append(f"<{tag} name={attrs.get('name')!r}> has no label")
    return problems
