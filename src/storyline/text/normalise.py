"""Unicode and whitespace normalisation, and safe repair of mis-decoded UTF-8 ("mojibake")."""

from __future__ import annotations

import re

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
# Horizontal whitespace of any Unicode flavour (NBSP, thin space, ideographic space, tab).
_HSPACE = re.compile(r"[^\S\n]+")


def normalise_text(text: str) -> str:
    """Repair encoding damage, NFC-normalise and tidy whitespace; keeps line structure.

    Each line is stripped and runs of horizontal whitespace become one space; newlines
    are kept (paragraph splitting needs them). Idempotent:
    ``normalise_text(normalise_text(t)) == normalise_text(t)``.
    """
    # Tidying whitespace can reveal a mojibake sequence ftfy did not see before ("Â\t" →
    # "Â "), so repeat until nothing changes; in practice the second pass is the last.
    for _ in range(4):
        fixed = _INVISIBLE.sub("", ftfy.fix_text(text, _FIX_CONFIG))
        fixed = "\n".join(_HSPACE.sub(" ", line).strip() for line in fixed.split("\n")).strip()
        if fixed == text:
            break
        text = fixed
    return fixed
