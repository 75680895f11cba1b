"""Typed errors of labeling actions: each carries sentences fit to show a person, one per problem."""

from __future__ import annotations


class LabelingError(Exception):
    """A requested labeling change is invalid; nothing was stored."""

    def __init__(self, *messages: str) -> None:
        self.messages = tuple(str(message) for message in messages)
        super().__init__("\n".join(self.messages))
