"""Chinese text end to end: recycled passages re-worded a character at a time, and story grouping.

Hand-run, not part of the test suite::

    . .venv/bin/activate
    python benchmarks/cjk.py ../shared/data/semeval2022-task8/training_set.csv

Reads the zh–zh pairs of SemEval-2022 task 8 and measures, through ``Storyline.ingest`` into a
fresh store each:

- **recycled passages**: the texts cut into paragraphs of three sentences (at ``。``), each
  paragraph once (by its first 12 characters); ``--articles`` articles, each with two paragraphs
  of its own and the same ``--block`` paragraphs of background, which every article after the
  first carries with one character in 25 replaced at random (as a re-translation changes a word
  here and there). Counts the background passages found recycled and the article's own
  passages called recycled; a passage holding both (a short paragraph joined to the next) is
  neither counted;
- **stories**: each text of the pairs judged the same story (``Overall`` ≤ 1.5) or different
  (≥ 3.5) ingested as an article of one date; counts the pairs whose two articles are in one story.

Prints one JSON line. Run it against an older checkout (``PYTHONPATH=that/src``) for a before.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import tempfile
from pathlib import Path

from storyline import Storyline

# Replacement characters: common Han, so an edit is a real character, not noise.
_COMMON = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多"
           "定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些")


def _pairs(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", errors="replace", newline="") as handle:
        return [r for r in csv.DictReader(handle) if r["lang1"] == "zh" and r["lang2"] == "zh"]


def _paragraphs(rows: list[dict[str, str]]) -> list[str]:
    seen: set[str] = set()
    out = []
    for text in [r["text1"] for r in rows] + [r["text2"] for r in rows]:
        sentences = [s + "。" for s in text.split("。") if len(s) > 15]
        for i in range(0, len(sentences) - 2, 3):
            paragraph = "".join(sentences[i:i + 3])
            if paragraph[:12] not in seen:
                seen.add(paragraph[:12])
                out.append(paragraph)
    return out


def _edit(paragraph: str, rng: random.Random) -> str:
    chars = list(paragraph)
    for _ in range(max(1, len(chars) // 25)):
        i = rng.randrange(len(chars))
        if "\u4e00" <= chars[i] <= "\u9fff":
            chars[i] = rng.choice(_COMMON)
    return "".join(chars)


def recycled(rows: list[dict[str, str]], articles: int, block: int, seed: int, folder: Path) -> dict[str, int]:
    rng = random.Random(seed)
    paragraphs = _paragraphs(rows)
    rng.shuffle(paragraphs)
    if len(paragraphs) < block + 2 * articles:
        raise SystemExit(f"only {len(paragraphs)} paragraphs: ask for fewer articles")
    background = paragraphs[:block]
    records = []
    for a in range(articles):
        own = paragraphs[block + 2 * a:block + 2 * a + 2]
        carried = background if a == 0 else [_edit(p, rng) for p in background]
        records.append({"id": f"zh{a}", "text": "\n\n".join(own + carried), "published": f"2024-01-{a % 28 + 1:02d}",
                        "source": f"outlet{a % 5}", "own": own})
    path = folder / "recycled.jsonl"
    path.write_text("".join(json.dumps({k: v for k, v in r.items() if k != "own"}, ensure_ascii=False) + "\n"
                            for r in records), encoding="utf-8")
    counts = {"background": 0, "background_recycled": 0, "own": 0, "own_recycled": 0, "mixed": 0}
    with Storyline(folder / "recycled.db") as sl:
        sl.ingest([str(path)])
        for record in records[1:]:
            for passage in sl.article(record["id"]).passages:
                text = passage.text.strip()
                if any(own in text and len(text) > len(own) + 5 for own in record["own"]):
                    counts["mixed"] += 1
                    continue
                kind = "own" if any(text in own for own in record["own"]) else "background"
                counts[kind] += 1
                counts[kind + "_recycled"] += passage.status == "recycled"
    return counts


def stories(rows: list[dict[str, str]], folder: Path) -> dict[str, int]:
    groups = {"same": [r for r in rows if float(r["Overall"]) <= 1.5],
              "different": [r for r in rows if float(r["Overall"]) >= 3.5]}
    records = [{"id": f"{kind}{i}_{side}", "text": r["text" + side].strip(), "published": "2020-01-01"}
               for kind, group in groups.items() for i, r in enumerate(group) for side in ("1", "2")]
    path = folder / "stories.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records if r["text"]), encoding="utf-8")
    with Storyline(folder / "stories.db") as sl:
        sl.ingest([str(path)])
        story = {a.id: a.story_id for a in sl.articles()}
    out = {}
    for kind, group in groups.items():
        out[f"{kind}_pairs"] = len(group)
        out[f"{kind}_in_one_story"] = sum(1 for i in range(len(group))
                                          if story.get(f"{kind}{i}_1") and story.get(f"{kind}{i}_1") == story.get(f"{kind}{i}_2"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="SemEval-2022 task 8 training_set.csv")
    parser.add_argument("--articles", type=int, default=40, help="articles of the recycled set (default 40)")
    parser.add_argument("--block", type=int, default=4, help="background paragraphs each carries (default 4)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rows = _pairs(args.path)
    with tempfile.TemporaryDirectory() as folder:
        result = {"recycled": recycled(rows, args.articles, args.block, args.seed, Path(folder)),
                  "stories": stories(rows, Path(folder))}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
