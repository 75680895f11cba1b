"""Typed errors of on-call actions: one sentence per problem, fit to show a person."""

from __future__ import annotations


class OncallError(Exception):
    def __init__(self, *messages: str) -> None:
        self.messages = tuple(str(message) for message in messages)
        super().__init__("\n".join(self.messages))
