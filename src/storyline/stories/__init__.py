"""Stories: online clustering of articles as they arrive, with stable ids."""

from .stage import Assignment, StoryStage

__all__ = ["Assignment", "StoryStage"]
