"""Unicode and whitespace normalisation, and safe repair of mis-decoded UTF-8 ("mojibake")."""

from __future__ import annotations

import re
import unicodedata

import ftfy

# ftfy's defaults also rewrite things that are not errors (curly quotes, full-width
# characters, HTML entities in plain text); only encoding damage is repaired here.
_FIX_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=True,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=True,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=True,
    fix_surrogates=True,
    remove_control_chars=True,
    normalization="NFC",
    explain=False,
)

# Invisible characters that only get in the way of matching (soft hyphen, zero-width
# space/joiners, BOM, word joiner).
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# Control characters ftfy would remove (all C0 but tab, LF, CR; DEL; C1).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The signature of UTF-8 decoded as Latin-1/Windows-1252: a lead byte (Â..ô) followed by
# a continuation byte shown as a C1/Latin-1 sign or a cp1252 special ("â€œ", "Ã©").
# Text without it cannot be repaired by ftfy's encoding fixes, so ftfy (slow) is skipped.
_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
                       "\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039"
                       "\u203a\u20ac\u2122]")


def _tidy(text: str) -> str:
    # Within a line every run of whitespace (NBSP, thin space, tab...) is horizontal, so
    # str.split() (what str.isspace() calls space, as ``\s`` does) gives the line with each run
    # one space and no ends, faster than a regex (the tests keep the regex as the reference).
    return "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()


def normalise_text(text: str) -> str:
    """Repair encoding damage, NFC-normalise and tidy whitespace; keeps line structure.

    Each line is stripped and runs of horizontal whitespace become one space; newlines
    are kept (paragraph splitting needs them). Idempotent:
    ``normalise_text(normalise_text(t)) == normalise_text(t)``.
    """
    # Cleaning can reveal damage that was hidden ("Â\t" → "Â "), so repeat to a fixed
    # point; in practice the second pass is the last.
    for _ in range(4):
        fixed = _clean(text)
        if fixed == text:
            break
        text = fixed
    return fixed


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _INVISIBLE.sub("", _CONTROL.sub("", unicodedata.normalize("NFC", text)))
    if _MOJIBAKE.search(text):
        text = _INVISIBLE.sub("", ftfy.fix_text(text, _FIX_CONFIG))
    return _tidy(text)
