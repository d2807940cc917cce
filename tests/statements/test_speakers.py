"""Speakers: one person however the name is spelled or shortened, different people kept apart."""

from storyline.statements.speakers import SpeakerMention, cluster_speakers, is_organisation, name_tokens


def _clusters(*mentions):
    given = [SpeakerMention(name, role, (i,)) for i, (name, role) in enumerate(mentions)]
    return {s.name: s.aliases for s in cluster_speakers(given)}


def test_the_seeds_transliterations_and_short_names_merge():
    assert _clusters(("Andriy Sybiha", "Ukraine's Foreign Minister"), ("Sibiga", ""),
                     ("Jongkook Hwang", "South Korea's permanent representative to the UN Security Council"),
                     ("Jonkuk Hwang", "South Korea's permanent representative to the UN Security Council"),
                     ("Volodymyr Zelenskyy", "Ukrainian President"), ("Zelenskyy", "")) == {
        "Andriy Sybiha": ["Sibiga"], "Jongkook Hwang": ["Jonkuk Hwang"], "Volodymyr Zelenskyy": ["Zelenskyy"]}


def test_people_with_similar_names_stay_apart():
    # Two Kims: the short "Kim" could be either, so it joins neither.
    clusters = _clusters(("Kim Yong-hyun", "South Korean Defense Minister"), ("Kim Jong Un", "North Korean leader"),
                         ("Kim", ""))
    assert clusters == {"Kim Yong-hyun": [], "Kim Jong Un": [], "Kim": []}
    # Names one letter apart with different roles are different people.
    assert _clusters(("Anna Petrova", "mayor of Odesa"), ("Anya Petrova", "a nurse in Kharkiv")) == {
        "Anna Petrova": [], "Anya Petrova": []}
    # The same spelling with different roles is still one person (roles change; spellings are evidence).
    assert _clusters(("Mark Rutte", "NATO Secretary General"), ("Mark Rutte", "former Dutch prime minister")) == {
        "Mark Rutte": []}


def test_canonical_name_is_the_most_reported_full_form():
    assert _clusters(("Sibiga", ""), ("Andrii Sybiha", ""), ("Andriy Sybiha", ""), ("Andriy Sybiha", "")) == {
        "Andriy Sybiha": ["Sibiga", "Andrii Sybiha"]}


def test_organisations():
    assert _clusters(("the Pentagon", ""), ("Pentagon", ""), ("The Washington Post", ""), ("NATO", "")) == {
        "Pentagon": [], "Washington Post": [], "NATO": []}
    assert is_organisation("Censor.NET") and is_organisation("the media") and not is_organisation("Kim Jong Un")


def test_name_tokens_drop_titles_and_possessives():
    assert name_tokens("President Volodymyr Zelenskyy") == ["Volodymyr", "Zelenskyy"]
    assert name_tokens("Mr. Sikorski's") == ["Sikorski"]


def test_something_of_a_speaker_s_is_not_the_speaker():
    speakers = cluster_speakers([SpeakerMention("Trump"), SpeakerMention("Trump’s official campaign account"),
                                 SpeakerMention("Trump")])
    assert [(s.name, s.mentions) for s in speakers] == [("Trump", [0, 2]),
                                                       ("Trump’s official campaign account", [1])]


def test_the_same_names_in_another_order_or_without_accents_are_one_person():
    # Family name first or last, accents kept or dropped, as different outlets write them.
    assert _clusters(("Marcel Lazăr Lehel", ""), ("Marcel Lehel Lazar", ""), ("Lazar", "")) == {
        "Marcel Lazăr Lehel": ["Marcel Lehel Lazar", "Lazar"]}
    # Two-word names in another order are not merged: "Li Wei" and "Wei Li" may be two people.
    assert _clusters(("Li Wei", ""), ("Wei Li", "")) == {"Li Wei": [], "Wei Li": []}


def test_case_variants_are_one_speaker_shown_in_mixed_case():
    # A headline in capitals names the same person as the story's other lines.
    assert _clusters(("MARIA LOPEZ", ""), ("Maria Lopez", "mayor"), ("Lopez", "")) == {
        "Maria Lopez": ["MARIA LOPEZ", "Lopez"]}
    assert _clusters(("MARKET", ""), ("Market", "")) == {"Market": ["MARKET"]}
    # Initials stay as they are written.
    assert _clusters(("NATO", ""), ("Nato", "")) == {"NATO": ["Nato"]}


def test_a_source_noun_is_one_source_in_any_case():
    assert _clusters(("SURVEY", ""), ("survey", ""), ("Survey", "")) == {"Survey": []}


def test_a_shortened_given_name_is_the_same_person():
    assert _clusters(("Alex Okafor", ""), ("Alexandra Okafor", ""), ("Okafor", "")) == {
        "Alex Okafor": ["Alexandra Okafor", "Okafor"]}
    # Not when the family names differ, nor when the roles do.
    assert _clusters(("Alex Okafor", ""), ("Alexandra Mensah", "")) == {"Alex Okafor": [], "Alexandra Mensah": []}
    assert _clusters(("Alex Okafor", "mayor of Lagos"), ("Alexandra Okafor", "a nurse in Accra")) == {
        "Alex Okafor": [], "Alexandra Okafor": []}


def test_a_panel_named_for_a_person_is_apart_and_leaves_the_person_s_short_names_to_the_person():
    # "Okafor Panel" is a group; "Okafor" and "Alex" are the one person the story names.
    assert _clusters(("Alex Okafor", ""), ("Alex Okafor Panel", ""), ("Okafor", ""), ("Alex", "")) == {
        "Alex Okafor": ["Okafor", "Alex"], "Alex Okafor Panel": []}
