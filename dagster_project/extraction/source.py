"""The source text as numbered lines, plus the text normalisations every extractor shares.

Line numbers are 1-based, exactly as ``sed -n 'Np'`` prints them, because every seed row
cites the line it came from.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_ALL_WHITESPACE = re.compile(r"\s+")


def remove_whitespace(text: str) -> str:
    """Drop every space (ASCII, full-width U+3000, tab): the source pads titles and names with them."""
    return _ALL_WHITESPACE.sub("", text)


def normalise_whitespace(text: str) -> str:
    """Collapse runs of whitespace to one ASCII space and trim; keeps word breaks in mixed text."""
    return _ALL_WHITESPACE.sub(" ", text.replace("\u3000", " ")).strip()


@dataclass(frozen=True)
class SourceText:
    """The whole source file, split into lines without their line endings."""

    path: Path
    lines: tuple[str, ...]

    @classmethod
    def read(cls, path: Path) -> "SourceText":
        text = path.read_text(encoding="utf-8")
        return cls(path=path, lines=tuple(text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")))

    def line(self, number: int) -> str:
        """The text of 1-based line ``number``."""
        return self.lines[number - 1]

    def span(self, first: int, last: int) -> list[tuple[int, str]]:
        """(number, text) pairs for lines first..last inclusive."""
        return [(n, self.lines[n - 1]) for n in range(first, last + 1)]

    def __len__(self) -> int:
        return len(self.lines)
