"""Attributed statements of text files, as ``storyline statements FILE`` reports them.

Offsets are characters into the file's text (a seed-format date prefix is not read as
text but is counted); ``speaker_name`` is the speaker's canonical name within the file,
so "Sibiga" in one paragraph and "Andriy Sybiha" in another are one speaker.
"""

from __future__ import annotations

from typing import Any

from .speakers import SpeakerMention, cluster_speakers, person_name


def file_statements(texts: list[str], nlp: Any = None) -> list[list[dict[str, Any]]]:
    """For each text, its attributions as records, speakers named canonically within the text."""
    from .attribution import extract_many

    out = []
    for attributions in extract_many(texts, nlp):
        names = [person_name(a.speaker_name or (a.speaker.text if a.speaker else "")) for a in attributions]
        mentions = [SpeakerMention(n or "unattributed", "", (i,)) for i, n in enumerate(names)]
        canonical = {i: sp.name for sp in cluster_speakers(mentions) for i in sp.mentions}
        out.append([a.as_dict() | {"speaker_name": canonical[i] if names[i] else None}
                    for i, a in enumerate(attributions)])
    return out
