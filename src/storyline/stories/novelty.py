"""What an article adds to its story: each passage read against the story it is in.

The reuse stage settles each passage at ingest, against everything stored before it: new,
recycled (``first_seen``: where the content was first seen anywhere, its provenance) or
boilerplate. Read against the story, a recycled passage is one of two things: carried by an
earlier article of the same story, directly or through a chain of copies (``in_story``
points at the earliest such copy), or seen before only in other stories (``in_story`` is
None). The second stays ``recycled``, pointing at its first sighting: the text is not news,
whichever story printed it first, and calling it new would credit the article with text
written elsewhere (a reader following the story may not have seen it, which ``in_story``
None tells). Boilerplate stays boilerplate.

Copies are found through their first occurrence (every copy of a content points at the
same root), against the story as it is when read, so the view follows merges and splits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..records import Article, PassageRef, PassageStatus, StoryCopies, new_share


@dataclass(slots=True, frozen=True)
class PassageNovelty:
    index: int
    status: PassageStatus
    first_seen: PassageRef | None
    in_story: PassageRef | None  # recycled only: the earliest copy earlier in the same story
    chars: int = 0  # the passage's length, which the new share is weighed by

    @property
    def from_elsewhere(self) -> bool:
        """Recycled, but every earlier copy is in another story."""
        return self.status == "recycled" and self.in_story is None


@dataclass(slots=True, frozen=True)
class ArticleNovelty:
    article_id: str
    story_id: str | None
    passages: tuple[PassageNovelty, ...]

    def count(self, status: PassageStatus) -> int:
        return sum(p.status == status for p in self.passages)

    @property
    def recycled_in_story(self) -> int:
        return sum(p.status == "recycled" and p.in_story is not None for p in self.passages)

    @property
    def recycled_elsewhere(self) -> int:
        return sum(p.from_elsewhere for p in self.passages)

    @property
    def new_share(self) -> float:
        """See :func:`storyline.records.new_share` (characters, boilerplate included)."""
        return new_share(sum(p.chars for p in self.passages if p.status == "new"), sum(p.chars for p in self.passages))

    def as_dict(self) -> dict[str, Any]:
        return {"story_id": self.story_id, "new": self.count("new"), "recycled_in_story": self.recycled_in_story,
                "recycled_elsewhere": self.recycled_elsewhere, "boilerplate": self.count("boilerplate"),
                "new_share": self.new_share,
                "passages": [{"index": p.index, "status": p.status,
                              "in_story": _ref(p.in_story), "first_seen": _ref(p.first_seen)}
                             for p in self.passages]}


def article_novelty(article: Article, story: StoryCopies | None) -> ArticleNovelty:
    """The article's passages read against ``story``, the copies in the story it is stored in
    (see the module's docstring); ``None`` for an article in no story."""
    if story is not None and article.id not in story.members:
        raise ValueError(f"article {article.id!r} is not stored in story {story.story_id!r}")
    passages = []
    for p in article.passages:
        in_story = None
        if p.status == "recycled" and p.first_seen is not None and story is not None:
            in_story = story.copy_in_story(p.first_seen, story.members[article.id])
        passages.append(PassageNovelty(p.index, p.status, p.first_seen, in_story, p.end - p.start))
    return ArticleNovelty(article.id, article.story_id, tuple(passages))


def _ref(ref: PassageRef | None) -> dict[str, Any] | None:
    return {"article_id": ref.article_id, "index": ref.index} if ref is not None else None
