"""Speakers of headlines: does a headline attribute what it says, and to whom?

Headline-only streams (the UCI news set) put section labels ("MARKET:"), rubrics ("Op-Ed:",
"Review:") and fragments before colons, where a reader of story pages must not meet them as
speakers. The gold sets are headlines of ``uci-news-2014-03-10.csv``, each labelled by hand with
its speaker or none: 400 of the tune part in two samples and 200 of the report part. A labels
file holds ids and speakers only; the titles are read from the CSV, and a hash of each title
checks that it is the one labelled.

Labelling rules: a headline has a speaker when it reports what a named or described source
said, wrote, claimed, asked for or ruled: "X says Y", "Y, X says", "X tells/warns/urges/calls
for …", "X: Y" and "Y: X" where X is a person, an organisation, an outlet or a source noun
("Police", "Expert", "Report", "traders"). It has none when the colon follows a rubric, a
series or show name, a place or event, or a fragment ("Op-Ed", "Cosmos", "SXSW", "Forget Mt.
Gox"), or when the verb is an action rather than speech ("plans", "adds", "files", "reveals"
of a leak, "speaks at"). The speaker is the whole phrase naming the source, as an annotator
marks a PolNeAR source ("NSA leaker Snowden", "ECB's Noyer"). A headline with two speakers
("X asks …, while Y claims …") is labelled with the first.

The first sample: 120 headlines drawn (seed 19) from the distinct titles with a colon or a speech
verb, 80 from the rest, shuffled. Its first 100 were the tune part and its last 100 the report
part, until rules had been written with those 100 in view: all 200 are tune material now.

A second sample, tune only (``data/uci_headline_speakers_tune2.json``, the set ``tune2``): once
the title rules made no false attribution on the first 100, those had nothing left to teach
about precision, so 200 more headlines of the same CSV were drawn outside the first 200 (no
shared ID or title): 160 (seed 1919) from the distinct titles with a colon or a speech verb,
where false speakers come from, and 40 from the rest (``scripts/draw-headline-tune2`` makes the
draw). The CSV holds 37 stories, so this sample shares stories with the first.

The report part (``data/uci_headline_speakers_report.json``): 200 headlines drawn outside the
400 tune headlines (no shared ID or title), 120 (seed 2027) from the titles with a colon or a
speech verb and 80 from the rest (``scripts/draw-headline-report``), labelled by hand by the
rules above before any rule ran on them. Its errors are never read to write rules; it is
measured, and CI gates it.

Scores per part: precision and recall of "has a speaker" (a headline with at least one
attribution that names a speaker), and exact speaker match: of the headlines given a speaker,
those whose every speaker is exactly the gold one (precision), and of the gold speakers, those
found exactly (recall).
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from ..errors import InputError
from .protocol import Part

LABELS_FORMAT = "storyline-headline-speakers/1"


def default_labels() -> Path:
    return Path(str(files("storyline.eval") / "data" / "uci_headline_speakers.json"))


def tune2_labels() -> Path:
    """The second sample, tune only (no headline in it may be marked ``report``)."""
    return Path(str(files("storyline.eval") / "data" / "uci_headline_speakers_tune2.json"))


def report_labels() -> Path:
    """The report sample (every headline in it marked ``report``)."""
    return Path(str(files("storyline.eval") / "data" / "uci_headline_speakers_report.json"))


@dataclass(slots=True, frozen=True)
class Headline:
    id: str
    part: Part
    title: str
    speaker: str | None


def _normal(title: str) -> str:
    return " ".join(title.split())


def read_headlines(csv_path: Path, labels: Path | None = None) -> list[Headline]:
    """The labelled headlines, titles read from ``csv_path`` (the UCI CSV: ``ID``, ``TITLE``)."""
    labels = labels or default_labels()
    try:
        data = json.loads(Path(labels).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(str(labels), f"cannot read the headline labels: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != LABELS_FORMAT:
        raise InputError(str(labels), f"not a headline labels file (expected format {LABELS_FORMAT!r})")
    try:
        with open(csv_path, encoding="utf-8", newline="") as f:
            titles = {row["ID"]: _normal(row["TITLE"]) for row in csv.DictReader(f)}
    except (OSError, KeyError) as exc:
        raise InputError(str(csv_path), f"expected the UCI news CSV with ID and TITLE columns: {exc}") from None
    out = []
    for item in data["items"]:
        title = titles.get(item["id"])
        if title is None:
            raise InputError(str(csv_path), f"no headline with ID {item['id']}: is this the CSV the labels name "
                                            f"({data.get('source')})?")
        if hashlib.sha1(title.encode("utf-8")).hexdigest()[:10] != item["title_sha1"]:
            raise InputError(str(csv_path), f"headline {item['id']} is not the one labelled: {title!r}")
        if item["part"] not in ("tune", "report"):
            raise InputError(str(labels), f"headline {item['id']}: unknown part {item['part']!r}")
        out.append(Headline(item["id"], item["part"], title, item["speaker"]))
    return out


@dataclass(slots=True, frozen=True)
class HeadlineScores:
    headlines: int
    gold: int  # headlines with a gold speaker
    predicted: int  # headlines given a speaker
    correct: int  # given a speaker and having one
    exact: int  # given exactly the gold speaker (and no other)
    found: int  # gold speakers found exactly among those given

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 1.0

    @property
    def exact_precision(self) -> float:
        return self.exact / self.predicted if self.predicted else 1.0

    @property
    def exact_recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {"headlines": self.headlines, "gold": self.gold, "predicted": self.predicted,
                "precision": self.precision, "recall": self.recall, "exact_precision": self.exact_precision,
                "exact_recall": self.exact_recall}


@dataclass(slots=True, frozen=True)
class HeadlineResult:
    headline: Headline
    speakers: tuple[str, ...]  # the speaker spans extracted, in text order


Speakers = Callable[[Sequence[str]], list[tuple[str, ...]]]


def extracted_speakers(titles: Sequence[str]) -> list[tuple[str, ...]]:
    """Each title's speaker spans as the attribution extractor finds them (titles are the whole text,
    as ingest reads a headline-only article)."""
    from ..statements.attribution import extract_many

    return [tuple(a.speaker.text for a in atts if a.speaker is not None) for atts in extract_many(list(titles))]


def score(results: Sequence[HeadlineResult]) -> HeadlineScores:
    gold = [r for r in results if r.headline.speaker]
    predicted = [r for r in results if r.speakers]
    return HeadlineScores(
        len(results), len(gold), len(predicted),
        correct=sum(1 for r in predicted if r.headline.speaker),
        exact=sum(1 for r in predicted if set(r.speakers) == {r.headline.speaker}),
        found=sum(1 for r in gold if r.headline.speaker in r.speakers))


def _sample(csv_path: Path, labels: Path, part: Part, taken: set[str]) -> list[Headline]:
    """A shipped sample that must hold ``part`` headlines only and share none with ``taken``."""
    out = read_headlines(csv_path, labels)
    if any(h.part != part for h in out):
        raise InputError(str(labels), f"this sample holds {part} headlines only")
    if any(h.id in taken for h in out):
        raise InputError(str(labels), "this sample shares headlines with another")
    taken.update(h.id for h in out)
    return out


def evaluate_headlines(csv_path: Path, parts: Sequence[Part] = ("tune", "report"), labels: Path | None = None,
                       speakers: Speakers = extracted_speakers, tune2: Path | None = None,
                       report: Path | None = None) -> dict[str, tuple[HeadlineScores, list[HeadlineResult]]]:
    """Scores and per-headline results for each wanted part.

    With the shipped labels (``labels`` None): the tune part as ``tune1`` (the first sample),
    ``tune2`` (the second) and ``tune`` (both together), and the report part as ``report``
    (the report sample). ``tune2`` and ``report`` replace those samples' files. With other
    ``labels``, ``tune`` and ``report`` are that file's parts, and ``tune2`` is added only
    when given."""
    if labels is not None:
        headlines = read_headlines(csv_path, labels)
        sets: dict[str, list[Headline]] = {part: [h for h in headlines if h.part == part] for part in parts}
        if "tune" in parts and tune2 is not None:
            sets = {"tune": sets["tune"], "tune2": _sample(csv_path, tune2, "tune", {h.id for h in headlines}),
                    **{k: v for k, v in sets.items() if k != "tune"}}
    else:
        taken: set[str] = set()
        first = _sample(csv_path, default_labels(), "tune", taken)
        second = _sample(csv_path, tune2 or tune2_labels(), "tune", taken)
        sets = {}
        if "tune" in parts:
            sets.update(tune1=first, tune2=second, tune=first + second)
        if "report" in parts:
            sets["report"] = _sample(csv_path, report or report_labels(), "report", taken)
    out: dict[str, tuple[HeadlineScores, list[HeadlineResult]]] = {}
    memo: dict[str, tuple[str, ...]] = {}
    for name, mine in sets.items():
        todo = [h.title for h in mine if h.title not in memo]
        memo.update(zip(todo, speakers(todo)))
        results = [HeadlineResult(h, memo[h.title]) for h in mine]
        out[name] = (score(results), results)
    return out


__all__ = ["Headline", "HeadlineResult", "HeadlineScores", "default_labels", "evaluate_headlines",
           "extracted_speakers", "read_headlines", "report_labels", "score", "tune2_labels"]
