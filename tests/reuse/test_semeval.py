"""Article-level similarity separates same-story from different-story pairs (SemEval-2022 task 8, en–en)."""

import csv

import numpy as np

from storyline.text.similarity import content_similarity

AUC_FLOOR = 0.94  # measured 0.960 on the dev part (161 en–en pairs)


def test_same_story_pairs_score_above_different_story_pairs(data_dir):
    path = data_dir / "semeval2022-task8" / "training_set.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["lang1"] == r["lang2"] == "en"]
    same = [content_similarity(r["text1"], r["text2"]) for r in rows if float(r["Overall"]) <= 1.5]
    different = [content_similarity(r["text1"], r["text2"]) for r in rows if float(r["Overall"]) >= 3.5]
    assert len(same) > 20 and len(different) > 20
    auc = np.mean([[1.0 if s > d else 0.5 if s == d else 0.0 for d in different] for s in same])
    assert auc >= AUC_FLOOR, f"AUC {auc:.3f} fell below the floor {AUC_FLOOR}"
