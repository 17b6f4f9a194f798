"""What a seed document's checker raises when the parsed file does not have its shape."""

from __future__ import annotations

from collections.abc import Sequence


class SeedDocumentError(Exception):
    """A seed file does not have the expected shape; the message lists each problem."""

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        super().__init__(source, tuple(problems))
        self.source = source
        self.problems = tuple(problems)

    def __str__(self) -> str:
        return f"{self.source}: " + "; ".join(self.problems)
