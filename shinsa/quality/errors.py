"""Typed errors of quality actions: each carries sentences fit to show a person, one per problem."""

from __future__ import annotations


class QualityError(Exception):
    """A requested quality change is invalid; nothing was stored."""

    def __init__(self, *messages: str) -> None:
        self.messages = tuple(str(message) for message in messages)
        super().__init__("\n".join(self.messages))
