"""Gender of people named in a text, and "he" / "she" resolved only to a person they can stand for."""

import pytest

from storyline.statements.attribution import extract
from storyline.statements.gender import (
    NAMES_FILE,
    Genders,
    given_names,
    pronoun_gender,
    title_gender,
)


def test_titles_and_pronouns():
    assert title_gender("Mrs.") == "f" and title_gender("Ms") == "f" and title_gender("Mr.") == "m"
    assert title_gender("Senator") is None
    assert pronoun_gender("She") == "f" and pronoun_gender("him") == "m" and pronoun_gender("they") is None


def test_the_bundled_list_leaves_out_names_given_to_both():
    names = given_names()
    assert names["mary"] == "f" and names["george"] == "m"
    assert "lindsey" not in names  # listed under both
    assert all(n == n.lower() and " " not in n for n in names)
    assert NAMES_FILE.stat().st_size < 20_000  # a small file, not a data set


def test_a_malformed_names_file_says_where(tmp_path):
    bad = tmp_path / "names.txt"
    bad.write_text("# fine\nf: anna\nx: bob\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"names.txt:3"):
        given_names(bad)


def test_genders_come_from_the_text():
    names = {"mary": "f", "george": "m"}
    g = Genders.from_mentions([("Mary Okafor", ""), ("Okafor", ""), ("Brandt", "Mr."), ("Quill", "Ms"),
                               ("Ira Vance", "")], names)
    assert g.of("Mary Okafor") == "f" and g.of("Okafor") == "f"  # the surname takes its full name's
    assert g.of("Brandt") == "m" and g.of("Quill") == "f"
    assert g.of("Ira Vance") is None  # a given name the list does not know tells nothing
    assert g.of("George Lutz") == "m"  # never mentioned: its given name
    assert g.fits("she", "Mary Okafor") and not g.fits("he", "Mary Okafor") and g.fits("he", "Ira Vance")
    assert g.fits("they", "Brandt")


def test_disagreeing_evidence_tells_nothing():
    names = {"mary": "f", "george": "m"}
    # Two people share the surname: the surname alone is neither's.
    g = Genders.from_mentions([("Mary Dunne", ""), ("George Dunne", ""), ("Dunne", "")], names)
    assert g.of("Dunne") is None and g.of("Mary Dunne") == "f"
    # A title against the given name: no gender.
    assert Genders.from_mentions([("Mary Fenn", "Mr.")], names).of("Mary Fenn") is None


def test_she_is_not_the_man_named_last():
    text = ("Senator Margaret Ellery spoke at the rally on Monday, where she praised Governor Thomas Lind for "
            "the new budget.\n\n“It is a budget that works for families,” she said.")
    found = [a for a in extract(text) if a.speaker is not None and a.speaker.text == "she"]
    assert [a.speaker_name for a in found] == ["Margaret Ellery", "Margaret Ellery"]


def test_he_is_not_the_woman_named_last():
    text = ("Mr. Corbin met Mrs. Vale on Friday.\n\n"
            "“We have a deal,” he said, adding that talks would resume next week.")
    found = [a for a in extract(text) if a.speaker is not None and a.speaker.text == "he"]
    assert found and {a.speaker_name for a in found} == {"Corbin"}
