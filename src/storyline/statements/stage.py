"""The statements stage: attributed statements of articles when they are asked for, a story's
claims and conflicts put together from them.

Parsing is the slow part of storyline (spaCy reads ~100 paragraphs a second), so it does not
run at ingest: articles are analysed the first time their story's statements are read (or
for an export), stored, and never parsed again. The model loads on first use.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..records import Article, Contradiction, Statement
from ..settings import StatementSettings
from ..store.statement_index import StoredStatement
from .assemble import story_statements
from .extract import Found, PassageStatements, article_statements


class StatementStage:
    def __init__(self, settings: StatementSettings) -> None:
        self.settings = settings
        self._nlp: Any = None

    def _extract(self, text: str) -> list:
        from .attribution import extract
        from .nlp import load_nlp

        if self._nlp is None:
            self._nlp = load_nlp()
        return extract(text, self._nlp)

    def statements(self, article: Article, first_seen: PassageStatements) -> list[Found]:
        """The article's statements; call on a stored article (its passages marked by reuse)."""
        return article_statements(article, first_seen, self._extract)

    def assemble(self, stored: Iterable[StoredStatement]) -> tuple[list[Statement], list[Contradiction]]:
        """One story's stored statements as its claims (ordered by date) and their conflicts."""
        return story_statements(stored, self.settings.same_claim)
