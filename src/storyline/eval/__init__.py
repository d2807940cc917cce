"""Evaluation: data-set builders and scorers that measure storyline's stages on real text.

- :mod:`storyline.eval.planted`: a recycled-passage test set built from PolNeAR articles,
  with background blocks planted across articles (re-worded, re-ordered, re-spelled)
  and exact gold.
- :mod:`storyline.eval.passages`: passage precision/recall against that gold.
- :mod:`storyline.eval.headlines`: speakers of headline-only articles against labelled
  UCI headlines (400 tune, 200 report).
- :mod:`storyline.eval.conflicts`: claims and conflicting claims of whole stories against a
  gold file (``storyline-conflicts/1``).
"""

from .passages import PassageScores, evaluate_passages, score_passages
from .planted import PlantedSet, PlantedSetError, build_planted_set

__all__ = [
    "PassageScores",
    "PlantedSet",
    "PlantedSetError",
    "build_planted_set",
    "evaluate_passages",
    "score_passages",
]
