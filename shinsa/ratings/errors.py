"""The error of the rating workflow's actions: sentences fit to show a person, one per problem."""

from __future__ import annotations


class RatingWorkflowError(Exception):
    """A requested rating change is invalid; nothing was stored."""

    def __init__(self, *messages: str) -> None:
        self.messages = tuple(str(message) for message in messages)
        super().__init__("\n".join(self.messages))
