"""Typed errors of insights actions: one sentence per problem, each naming the field it concerns."""

from __future__ import annotations


class InsightsError(Exception):
    """A requested change is invalid; nothing was stored. ``problems`` is [(field or "", sentence)]."""

    def __init__(self, *problems: tuple[str, str]) -> None:
        self.problems = tuple((field, str(message)) for field, message in problems)
        super().__init__("\n".join(message for _, message in self.problems))

    @property
    def messages(self) -> tuple[str, ...]:
        return tuple(message for _, message in self.problems)
