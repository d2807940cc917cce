"""The HTTP JSON API and the web UI (``storyline serve``): thin over the library."""

from .app import create_app

__all__ = ["create_app"]
