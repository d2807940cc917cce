"""Statements: who said what (attribution), with speakers resolved within the text.

- :mod:`storyline.statements.attribution`: speaker, cue and content spans by dependency rules
  (``attribution.extract(text)``; not re-exported here, where ``extract`` names a module).
- :mod:`storyline.statements.nlp`: the spaCy pipeline (an installed package, pinned by hash).
"""

from .attribution import Attribution, Span
from .nlp import ModelError, load_nlp, verify_model

__all__ = ["Attribution", "ModelError", "Span", "load_nlp", "verify_model"]
