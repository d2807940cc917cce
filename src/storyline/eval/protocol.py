"""Which part of each labelled set is tuned on and which is only reported.

A figure measured on text a rule or threshold was chosen on is a development figure; the
targets hold on text nobody tuned on. Each set is split once, here, so every command and
every test agrees on the split:

=================  ==========================  ==================================
set                tune (develop, look at)     report (measure only; CI floors)
=================  ==========================  ==================================
TBAQ (TempEval-3)  ``TimeBank/``               ``AQUAINT/``
PolNeAR            ``train/``                  ``dev/``
UCI news stream    the stream's first day       every later day (2014-03-11)
planted passages   seeds 0–9                   seeds 10–19
UCI headlines      the first 200 labelled,     200 drawn apart from them
                   and 200 more (``tune2``)    (``..._report.json``)
conflicts gold     stories marked ``tune``     stories marked ``report``
SemEval-2022 t. 8  pairs whose id's CRC-32     the others
                   is even
=================  ==========================  ==================================

The two hand-labelled sets carry their part in the file (``part`` of each headline or story),
fixed before any system ran on them: the conflicts gold of real PolNeAR stories
(``tests/fixtures/conflicts/polnear.json``) has 12 tune and 26 report stories; the example's
and the seeds' golds are tune parts (the conflict rules were written looking at them).

The SemEval pairs were split in session 19 (2026-12-02), by a hash of the pair id, so that each
language pair falls in both parts by chance; before, every SemEval figure was of the whole set.
Rules measured on them before the split (Han and kana as character pairs) were not fitted on
the pairs: they came from reading Chinese texts.

The UCI days are UTC calendar days of the ``TIMESTAMP`` column (milliseconds since the
epoch), as ingest reads it into ``published``. Each part is measured on its own: the
report part is ingested into its own fresh store, never after the tuning part.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from ..errors import InputError
from ..records import Article

Part = Literal["tune", "report"]
PARTS: tuple[Part, ...] = ("tune", "report")
PART_CHOICES = ("tune", "report", "both")

TUNE_SEEDS = tuple(range(0, 10))
REPORT_SEEDS = tuple(range(10, 20))

# Folder names of each part, per set.
TIMEX_FOLDERS: dict[Part, str] = {"tune": "TimeBank", "report": "AQUAINT"}
POLNEAR_FOLDERS: dict[Part, str] = {"tune": "train", "report": "dev"}


def parts(choice: str) -> tuple[Part, ...]:
    """``"tune"``, ``"report"`` or ``"both"`` as the parts to measure, tune first."""
    if choice == "both":
        return PARTS
    if choice == "tune":
        return ("tune",)
    if choice == "report":
        return ("report",)
    raise InputError("--part", f"unknown part {choice!r}: expected one of {', '.join(PART_CHOICES)}")


def planted_seeds(part: Part, limit: int | None = None) -> tuple[int, ...]:
    """The planted set's seeds of ``part``; ``limit`` keeps the first few (a quicker check)."""
    seeds = TUNE_SEEDS if part == "tune" else REPORT_SEEDS
    if limit is not None and limit < 1:
        raise InputError("--seeds", f"the number of seeds must be at least 1, got {limit}")
    return seeds[:limit] if limit is not None else seeds


def part_folders(path: Path, folders: dict[Part, str], wanted: Sequence[Part]) -> dict[str, Path]:
    """The folder of each wanted part under ``path``, or ``path`` itself when it is one part.

    A path that holds the parts (``TBAQ-cleaned/``, ``polnear/``) gives each wanted one; a
    path that is a part (``.../AQUAINT``, ``.../dev``) gives that part alone (``both`` means
    every part the path holds), and asking only for the other is an error; any other path is measured whole, labelled ``"all"`` (it belongs to
    no protocol part, so it is a development figure at best).
    """
    path = Path(path)
    for part, name in folders.items():
        if path.name == name:
            if part not in wanted:
                other = wanted[0]
                raise InputError(str(path), f"this is the {part} part ({name}); for the {other} part pass "
                                            f"{path.parent / folders[other]} or the folder holding both")
            return {part: path}
    found: dict[str, Path] = {part: path / folders[part] for part in wanted if (path / folders[part]).is_dir()}
    if found and len(found) == len(wanted):
        return found
    if found or any((path / name).is_dir() for name in folders.values()):
        missing = [folders[p] for p in wanted if p not in found]
        raise InputError(str(path), f"no {', '.join(missing)} folder in it")
    return {"all": path}


def pair_part(pair_id: str) -> Part:
    """The SemEval pair's part: tune where the CRC-32 of its id (UTF-8) is even."""
    return "tune" if zlib.crc32(pair_id.encode("utf-8")) % 2 == 0 else "report"


def split_days(articles: Sequence[Article]) -> dict[Part, list[Article]]:
    """A dated stream split into its first UTC day (tune) and the days after it (report).

    Raises :class:`InputError` when an article has no date: it could go in either part.
    """
    undated = [a.id for a in articles if not a.published]
    if undated:
        raise InputError(undated[0], f"{len(undated)} articles have no date, so no day to split the stream on")
    first = min(str(a.published)[:10] for a in articles)
    return {"tune": [a for a in articles if str(a.published)[:10] == first],
            "report": [a for a in articles if str(a.published)[:10] != first]}


__all__ = ["PARTS", "PART_CHOICES", "Part", "REPORT_SEEDS", "TUNE_SEEDS", "pair_part", "part_folders", "parts",
           "planted_seeds", "split_days"]
