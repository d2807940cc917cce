"""Text handling shared by every stage: normalisation, paragraph and sentence splitting, hashing."""

from .hashing import content_hash, stable_id
from .normalise import normalise_text
from .split import paragraphs, sentences

__all__ = ["content_hash", "normalise_text", "paragraphs", "sentences", "stable_id"]
