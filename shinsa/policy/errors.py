from __future__ import annotations


class PolicyFileError(Exception):
    """A file under policies/ is invalid: names the file, the line where known, the field and the reason."""

    def __init__(self, path: str, reason: str, *, line: int | None = None, field: str | None = None) -> None:
        self.path = path
        self.line = line
        self.field = field
        self.reason = reason
        where = f"{path}:{line}" if line is not None else path
        what = f" [{field}]" if field else ""
        super().__init__(f"{where}{what}: {reason}")


class InvalidPolicySet(Exception):
    """Loading a policy directory found problems: one ``PolicyFileError`` per problem, in file order."""

    def __init__(self, problems: list[PolicyFileError] | tuple[PolicyFileError, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))
