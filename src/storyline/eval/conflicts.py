"""Claims and conflicting claims of whole stories against a hand-made gold set.

A gold file (format ``storyline-conflicts/1``) holds stories; each names its articles (paths
relative to a root folder: the gold file's own, or ``--root``), its part, the claims that
matter for its conflicts and the pairs of them that conflict::

    {"format": "storyline-conflicts/1",
     "stories": [{
       "id": "harbor-bridge", "part": "tune", "articles": ["001_harbor-bridge-closed.txt", ...],
       "claims": [{"id": "warning-denied", "speakers": ["Yurii Hrabovan"],
                   "texts": ["early written warning from the Inspectorate was not true"]}, ...],
       "conflicts": [{"claims": ["warning-denied", "warning-confirmed"], "kind": "denial"}, ...],
       "allowed": [{"claims": ["warning-sources", "warning-denied"], "why": "..."}],
       "not_conflicts": [{"claims": ["...", "..."], "why": "a call to act confirms nothing"}]}]}

An article is a path, or ``{"path": ..., "published": "YYYY-MM-DD"}`` for a text without a
date of its own (PolNeAR's texts: the date comes from its ``metadata.tsv``, as a feed would
give it); the article is then ingested with that date, so the order of claims is the
publication order.

A **claim** is a proposition as one speaker (or one of a few names for one source) put it;
``texts`` are snippets of which a statement's text must contain one (case and spacing
ignored). A statement *reports* a claim when it contains one of its snippets and its speaker
(canonical name or an alias) is one of ``speakers`` (any speaker when ``speakers`` is
empty). Kinds of conflict: ``denial`` (a denial against a confirmation), ``unconfirmed``
("not yet confirmed" against a later confirmation), ``figures`` (a figure revised or counted
differently), ``contradiction`` (two claims of fact that cannot both hold).

``conflicts`` must be flagged; ``allowed`` pairs may be (a reader would not be misled), and
are neither required nor counted wrong; every other flagged pair is wrong, the
``not_conflicts`` among them named because a rule once flagged them.

Scores per part:

* claims: recall, gold claims some statement reports; precision, of the statements holding
  a claim's snippet, those that report it (the speaker is right);
* conflicts: recall, gold conflicts flagged (any statement of one claim against any of the
  other, in either order); precision, flagged pairs that are a gold conflict or allowed;
  and how many ``not_conflicts`` were flagged;
* where recall is lost: gold conflicts whose two claims are both reported (what conflict
  detection could flag, the rest being lost to extraction), and the recall among those; and
  per kind, how many of each were flagged (:func:`by_kind`).
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..records import Contradiction, Statement
from .protocol import Part

CONFLICTS_FORMAT = "storyline-conflicts/1"
KINDS = ("denial", "unconfirmed", "figures", "contradiction")


@dataclass(slots=True, frozen=True)
class GoldClaim:
    id: str
    speakers: tuple[str, ...]
    texts: tuple[str, ...]


@dataclass(slots=True, frozen=True)
class GoldPair:
    claims: tuple[str, str]
    kind: str | None = None
    why: str = ""


@dataclass(slots=True, frozen=True)
class GoldArticle:
    path: Path
    published: str | None = None  # for a text without a date of its own


@dataclass(slots=True)
class GoldStory:
    id: str
    part: Part
    articles: list[GoldArticle]
    claims: dict[str, GoldClaim]
    conflicts: list[GoldPair]
    allowed: list[GoldPair] = field(default_factory=list)
    not_conflicts: list[GoldPair] = field(default_factory=list)


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').lower().split())


def _pairs(story: dict[str, Any], key: str, claims: dict[str, GoldClaim], where: str) -> list[GoldPair]:
    out = []
    for pair in story.get(key, []):
        ids = pair.get("claims")
        if not isinstance(ids, list) or len(ids) != 2 or any(i not in claims for i in ids):
            raise InputError(where, f"story {story['id']}: {key} entry {pair!r} must name two of its claims")
        kind = pair.get("kind")
        if key == "conflicts" and kind not in KINDS:
            raise InputError(where, f"story {story['id']}: conflict {ids} has kind {kind!r}; expected one of "
                                    f"{', '.join(KINDS)}")
        out.append(GoldPair((ids[0], ids[1]), kind, pair.get("why", "")))
    return out


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _article(item: Any, base: Path, where: str, story: str) -> GoldArticle:
    if isinstance(item, str):
        return GoldArticle(base / item)
    if not isinstance(item, dict) or not isinstance(item.get("path"), str):
        raise InputError(where, f"story {story}: article {item!r} must be a path or an object with a path")
    published = item.get("published")
    if published is not None and not (isinstance(published, str) and _DATE.fullmatch(published)):
        raise InputError(where, f"story {story}: article {item['path']}: published must be YYYY-MM-DD, "
                                f"got {published!r}")
    return GoldArticle(base / item["path"], published)


def read_gold(path: Path, root: Path | None = None) -> list[GoldStory]:
    """The stories of a gold file; article paths are resolved against ``root`` (default: the file's folder)."""
    where = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(where, f"cannot read the conflicts gold: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != CONFLICTS_FORMAT:
        raise InputError(where, f"not a conflicts gold file (expected format {CONFLICTS_FORMAT!r})")
    base = Path(root) if root is not None else Path(path).parent
    stories = []
    for story in data.get("stories", []):
        if story.get("part") not in ("tune", "report"):
            raise InputError(where, f"story {story.get('id')}: part must be tune or report")
        claims = {c["id"]: GoldClaim(c["id"], tuple(c.get("speakers", ())), tuple(c["texts"]))
                  for c in story["claims"]}
        articles = [_article(item, base, where, story["id"]) for item in story["articles"]]
        missing = [str(a.path) for a in articles if not a.path.is_file()]
        if missing:
            raise InputError(where, f"story {story['id']}: no such article {missing[0]} (pass --root to say where "
                                    f"its articles are)")
        stories.append(GoldStory(story["id"], story["part"], articles, claims,
                                 _pairs(story, "conflicts", claims, where), _pairs(story, "allowed", claims, where),
                                 _pairs(story, "not_conflicts", claims, where)))
    return stories


@dataclass(slots=True)
class ConflictScores:
    stories: int = 0
    claims: int = 0  # gold claims
    claims_found: int = 0
    holding: int = 0  # statements holding a gold snippet
    holding_right: int = 0  # ... whose speaker is the claim's
    conflicts: int = 0  # gold conflicts
    conflicts_found: int = 0
    conflicts_claimed: int = 0  # gold conflicts whose two claims are both reported
    flagged: int = 0  # conflicts storyline flagged
    flagged_right: int = 0  # ... that are gold or allowed
    forbidden_flagged: int = 0  # not_conflicts flagged

    @property
    def claim_precision(self) -> float:
        return self.holding_right / self.holding if self.holding else 1.0

    @property
    def claim_recall(self) -> float:
        return self.claims_found / self.claims if self.claims else 1.0

    @property
    def conflict_precision(self) -> float:
        return self.flagged_right / self.flagged if self.flagged else 1.0

    @property
    def conflict_recall(self) -> float:
        return self.conflicts_found / self.conflicts if self.conflicts else 1.0

    @property
    def claimed_recall(self) -> float:
        """Recall among the gold conflicts whose two claims were extracted: conflict detection's
        own share of the loss, apart from extraction's."""
        return self.conflicts_found / self.conflicts_claimed if self.conflicts_claimed else 1.0

    def add(self, other: ConflictScores) -> None:
        for name in ConflictScores.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, Any]:
        return {"stories": self.stories, "claims": self.claims, "claim_precision": self.claim_precision,
                "claim_recall": self.claim_recall, "conflicts": self.conflicts, "flagged": self.flagged,
                "conflict_precision": self.conflict_precision, "conflict_recall": self.conflict_recall,
                "conflicts_claimed": self.conflicts_claimed, "claimed_recall": self.claimed_recall,
                "forbidden_flagged": self.forbidden_flagged}


@dataclass(slots=True, frozen=True)
class StoryResult:
    story: GoldStory
    scores: ConflictScores
    missed: list[GoldPair]  # gold conflicts not flagged
    unreported: frozenset[str]  # gold claims no statement reports
    wrong: list[tuple[Contradiction, tuple[str, ...], tuple[str, ...]]]  # flagged, with each side's claims


def _names(s: Statement) -> set[str]:
    return {_norm(s.speaker)} | {_norm(a) for a in s.speaker_aliases}


def _holds(claim: GoldClaim, s: Statement) -> bool:
    text = _norm(s.text)
    return any(_norm(t) in text for t in claim.texts)


def _reports(claim: GoldClaim, s: Statement) -> bool:
    return _holds(claim, s) and (not claim.speakers or bool(_names(s) & {_norm(n) for n in claim.speakers}))


def score_story(story: GoldStory, statements: Sequence[Statement],
                contradictions: Sequence[Contradiction]) -> StoryResult:
    """One story's claims and conflicts against what storyline found for its articles."""
    s = ConflictScores(stories=1, claims=len(story.claims), conflicts=len(story.conflicts))
    by_id = {st.id: st for st in statements}
    reported: dict[str, set[str]] = {st.id: {c.id for c in story.claims.values() if _reports(c, st)}
                                     for st in statements}
    for st in statements:
        if any(_holds(c, st) for c in story.claims.values()):
            s.holding += 1
            s.holding_right += bool(reported[st.id])
    found_claims = {c for r in reported.values() for c in r}
    s.claims_found = len(found_claims)
    s.conflicts_claimed = sum(1 for p in story.conflicts if set(p.claims) <= found_claims)

    def key(a: str, b: str) -> frozenset[str]:
        return frozenset((a, b))

    gold = {key(*p.claims) for p in story.conflicts}
    fine = gold | {key(*p.claims) for p in story.allowed}
    forbidden = {key(*p.claims) for p in story.not_conflicts}
    found: set[frozenset[str]] = set()
    flagged_forbidden: set[frozenset[str]] = set()
    wrong = []
    for c in contradictions:
        a, b = (reported.get(i, set()) if i in by_id else set() for i in c.statement_ids)
        pairs = {key(x, y) for x in a for y in b if x != y}
        s.flagged += 1
        if pairs & fine:
            s.flagged_right += 1
            found |= pairs & gold
        else:
            wrong.append((c, tuple(sorted(a)), tuple(sorted(b))))
        flagged_forbidden |= pairs & forbidden
    s.conflicts_found = len(found)
    s.forbidden_flagged = len(flagged_forbidden)
    missed = [p for p in story.conflicts if key(*p.claims) not in found]
    return StoryResult(story, s, missed, frozenset(story.claims) - found_claims, wrong)


def by_kind(results: Sequence[StoryResult]) -> dict[str, tuple[int, int]]:
    """Gold conflicts of each kind and how many of them were flagged, over ``results``."""
    out: dict[str, tuple[int, int]] = {}
    for r in results:
        missed = {p.claims for p in r.missed}
        for p in r.story.conflicts:
            kind = p.kind or "?"
            gold, found = out.get(kind, (0, 0))
            out[kind] = (gold + 1, found + (p.claims not in missed))
    return dict(sorted(out.items()))


def _dated_copy(article: GoldArticle, folder: Path) -> Path:
    """The article as a plain-text file with its date prefix (same file name, so the same id)."""
    if article.published is None:
        return article.path
    copy = folder / article.path.name
    copy.write_text(f" date {article.published}\n" + article.path.read_text(encoding="utf-8"), encoding="utf-8")
    return copy


def story_findings(articles: Sequence[GoldArticle | Path]) -> tuple[list[Statement], list[Contradiction]]:
    """Every statement and conflict storyline finds for ``articles`` ingested into a fresh store
    (all of its stories: articles the clusterer puts apart cannot conflict)."""
    from ..engine import Storyline

    statements: list[Statement] = []
    contradictions: list[Contradiction] = []
    with tempfile.TemporaryDirectory() as tmp, Storyline(Path(tmp) / "conflicts.db") as sl:
        dated = Path(tmp) / "articles"
        dated.mkdir()
        sl.ingest([str(_dated_copy(a if isinstance(a, GoldArticle) else GoldArticle(Path(a)), dated))
                   for a in articles])
        for story in sl.stories():
            st, cf = sl.statements(story.id)
            statements.extend(st)
            contradictions.extend(cf)
    return statements, contradictions


def evaluate_conflicts(path: Path, parts: Sequence[Part] = ("tune", "report"),
                       root: Path | None = None) -> dict[Part, tuple[ConflictScores, list[StoryResult]]]:
    """Scores (and each story's result) for each wanted part of the gold file at ``path``."""
    stories = read_gold(path, root)
    out: dict[Part, tuple[ConflictScores, list[StoryResult]]] = {}
    for part in parts:
        total, results = ConflictScores(), []
        for story in (s for s in stories if s.part == part):
            result = score_story(story, *story_findings(story.articles))
            total.add(result.scores)
            results.append(result)
        out[part] = (total, results)
    return out


__all__ = ["CONFLICTS_FORMAT", "ConflictScores", "GoldArticle", "GoldClaim", "GoldPair", "GoldStory", "StoryResult",
           "by_kind", "evaluate_conflicts", "read_gold", "score_story", "story_findings"]
