"""What every request needs: the settings, a store of its own, and a bounded page."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import HTTPException, Request

from ..engine import Storyline
from ..settings import Settings
from .views import Page


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def open_store(request: Request) -> Iterator[Storyline]:
    """A store per request: SQLite connections are cheap, and one per thread keeps requests
    from sharing a transaction (the store runs in WAL mode, so readers never wait for a writer)."""
    sl = Storyline(settings=settings_of(request))
    try:
        yield sl
    finally:
        sl.close()


def page_of(request: Request, offset: int, limit: int | None) -> Page:
    """The page a request asks for, with the server's default size and bound."""
    web = settings_of(request).web
    if limit is not None and limit > web.max_page_size:
        raise HTTPException(422, f"limit must be at most {web.max_page_size} (settings: web.max_page_size), "
                                 f"got {limit}")
    return Page(offset, limit or web.page_size)
