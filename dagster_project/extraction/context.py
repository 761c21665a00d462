"""What every extractor gets: the source lines, the document registry, and a shared cache.

Extractors depend on each other (targets cite tasks, tasks cite organisations); the cache
lets each compute its result once per extraction run, whichever asks first.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Callable, TypeVar

from .documents import Document
from .source import SourceText

T = TypeVar("T")


@dataclass
class ExtractionContext:
    source: SourceText
    documents: list[Document]
    _cache: dict[str, object] = field(default_factory=dict, repr=False)

    def document_at(self, line: int) -> Document:
        """The document whose line span holds ``line``."""
        starts = [d.line_start for d in self.documents]
        index = bisect.bisect_right(starts, line) - 1
        if index < 0 or line > self.documents[index].line_end:
            raise KeyError(f"line {line} lies outside every document")
        return self.documents[index]

    def document(self, doc_id: str) -> Document:
        return next(d for d in self.documents if d.doc_id == doc_id)

    def cached(self, key: str, compute: Callable[[], T]) -> T:
        """Compute once per run, share with every later caller."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]  # type: ignore[return-value]
