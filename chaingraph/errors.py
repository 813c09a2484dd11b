"""The one exception type the CLI turns into a message and an exit code."""

from __future__ import annotations


class ChaingraphError(Exception):
    """A domain or input error: one readable line for the user.

    ``exit_code`` is 1 for domain/validation failures; usage errors are click's (2).
    """

    exit_code = 1

    def __init__(self, message: str, *, exit_code: int | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n{self.hint}"


class NotFoundError(ChaingraphError):
    """A name (firm, chain, park, segment) that matches nothing or more than one thing."""

    def __init__(self, kind: str, name: str, suggestions: list[str], *, ambiguous: bool = False):
        what = "ambiguous" if ambiguous else "unknown"
        msg = f"{what} {kind}: {name!r}"
        hint = ("closest matches: " + ", ".join(suggestions)) if suggestions else None
        super().__init__(msg, hint=hint)
        self.kind = kind
        self.name = name
        self.suggestions = suggestions
