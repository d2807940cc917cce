"""storyline: reads a stream of dated news articles and sees through the recycling in it."""

from .engine import Duplicate, IngestReport, ProgressHook, Storyline
from .errors import FetchError, InputError, NoStoreError, NotFoundError, SettingsError, StoreError, StorylineError
from .records import Article, Passage, PassageRef, Rejection, SourceRef, Statement, Story, TimelineEntry
from .settings import IngestSettings, Settings

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Duplicate",
    "FetchError",
    "IngestReport",
    "IngestSettings",
    "InputError",
    "NoStoreError",
    "NotFoundError",
    "Passage",
    "PassageRef",
    "ProgressHook",
    "Rejection",
    "Settings",
    "SettingsError",
    "SourceRef",
    "Statement",
    "StoreError",
    "Story",
    "Storyline",
    "StorylineError",
    "TimelineEntry",
    "__version__",
]
