import json

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.compare import compare_files
from storyline.errors import InputError
from tests.reuse.test_seeds import BACKGROUND

runner = CliRunner()


def test_seeds_are_one_story_with_fifteen_recycled_pairs(seeds_dir):
    result = compare_files(seeds_dir / "000_28c5dd749a0a6b13.txt", seeds_dir / "001_5a9cac7b8d2db75a.txt")
    assert result.same_story and result.story_similarity > 0.5
    assert {(m.a, m.b) for m in result.recycled} == set(BACKGROUND.items())


def test_cli_json_contract(seeds_dir):
    out = runner.invoke(app, ["compare", str(seeds_dir / "001_5a9cac7b8d2db75a.txt"),
                              str(seeds_dir / "000_28c5dd749a0a6b13.txt"), "--json"])
    assert out.exit_code == 0
    data = json.loads(out.stdout)
    assert set(data) == {"same_story", "story_similarity", "languages", "recycled"}
    assert data["languages"] == ["en", "en"]
    assert data["same_story"] is True and 0 <= data["story_similarity"] <= 1
    assert {(r["a"], r["b"]) for r in data["recycled"]} == {(b, a) for a, b in BACKGROUND.items()}
    assert all(0.5 <= r["score"] <= 1 for r in data["recycled"])


def test_unrelated_articles(seeds_dir, fixtures):
    result = compare_files(seeds_dir / "000_28c5dd749a0a6b13.txt", fixtures / "page.html")
    assert not result.same_story and result.recycled == []


def test_file_with_several_articles_is_an_error(fixtures, seeds_dir):
    with pytest.raises(InputError, match="expected one article, found 4"):
        compare_files(fixtures / "articles.jsonl", seeds_dir / "000_28c5dd749a0a6b13.txt")
    out = runner.invoke(app, ["compare", str(fixtures / "articles.jsonl"), str(fixtures / "page.html")])
    assert out.exit_code == 2 and "expected one article, found 4" in out.output


def test_articles_in_two_languages_are_compared_by_names_and_numbers(tmp_path):
    # One event in German and in English (written for this test).
    (tmp_path / "de.txt").write_text(
        " date 2024-10-28 \nDer ukrainische Präsident Wolodymyr Selenskyj hat am Montag in Brüssel mit "
        "NATO-Generalsekretär Mark Rutte über die Lieferung von 40 Patriot-Systemen gesprochen. Die Gespräche "
        "sollen in Kyiv fortgesetzt werden, sagte ein Sprecher der Regierung.\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text(
        " date 2024-10-28 \nUkrainian President Volodymyr Zelensky met NATO Secretary General Mark Rutte in "
        "Brussels on Monday to discuss the delivery of 40 Patriot systems. The talks will continue in Kyiv, a "
        "government spokesman said.\n", encoding="utf-8")
    result = compare_files(tmp_path / "de.txt", tmp_path / "en.txt")
    assert result.languages == ("de", "en") and result.across_languages and result.same_story
    out = runner.invoke(app, ["compare", str(tmp_path / "de.txt"), str(tmp_path / "en.txt")])
    assert out.exit_code == 0 and "by names and numbers: A is in de, B in en" in out.output
