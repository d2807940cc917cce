"""Attributed statements of text files, as ``storyline statements FILE`` reports them.

Offsets are characters into the file's text (a seed-format date prefix is not read as
text but is counted); ``speaker_name`` is the speaker's canonical name within the file,
so "Sibiga" in one paragraph and "Andriy Sybiha" in another are one speaker.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InputError
from ..ingest.decode import check_not_binary, decode
from .speakers import SpeakerMention, cluster_speakers, person_name


def read_text(path: str | Path) -> str:
    location = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(location, "no such file") from None
    except IsADirectoryError:
        raise InputError(location, "a folder, not a text file") from None
    except OSError as exc:
        raise InputError(location, f"cannot read: {exc.strerror or exc}") from None
    check_not_binary(data[:8192], location)
    return decode(data, location)


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
