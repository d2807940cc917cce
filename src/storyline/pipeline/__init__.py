"""The pipeline: the stages' shape, the ports they ask storage through, and the runner that
takes a batch of articles through every stage (featurize outside the write transaction,
resolve in order inside it) for the streaming engine; the batch job runs the same stages."""

from .ports import EventIndex, ReuseIndex, StatementIndex, StoryIndex
from .runner import BatchResult, Runner, Stored
from .stage import Stage

__all__ = ["BatchResult", "EventIndex", "ReuseIndex", "Runner", "Stage", "StatementIndex", "Stored", "StoryIndex"]
