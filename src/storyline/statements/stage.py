"""The statements stage: attributed statements of articles when they are asked for, a story's
claims and conflicts put together from them.

Parsing is the slow part of storyline (spaCy reads ~100 paragraphs a second), so it does not
run at ingest: articles are analysed in the background or the first time their story's
statements are read (or for an export), stored, and never parsed again. ``featurize`` is the
parse (pure: it runs before the write transaction, never holding the store's lock);
``resolve`` links the statements of recycled passages to their first occurrence's through the
:class:`~storyline.statements.ports.StatementIndex` port. The model loads on first use.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..records import Article, Contradiction, Statement
from ..settings import StatementSettings
from .assemble import story_statements
from .extract import Found, link_article, read_article
from .ports import StatementIndex, StoredStatement


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

    def featurize(self, articles: Sequence[Article]) -> list[list[Found]]:
        """Each article's statements (its passages marked by reuse), not linked to originals yet."""
        return [read_article(a, self._extract) for a in articles]

    def resolve(self, article: Article, features: list[Found], index: StatementIndex) -> list[Found]:
        """The article's statements, those of recycled passages linked to their first occurrence's."""
        return link_article(article, features, index.passage_statements)

    def assemble(self, stored: Iterable[StoredStatement]) -> tuple[list[Statement], list[Contradiction]]:
        """One story's stored statements as its claims (ordered by date) and their conflicts."""
        return story_statements(stored, self.settings.same_claim)
