"""What every request needs: the settings, the read side over a store of its own, and a bounded page."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import HTTPException, Request

from ..engine import Storyline
from ..queries import Queries, ViewCache
from ..settings import Settings
from .views import Page


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def view_cache_of(request: Request) -> ViewCache:
    """The app's cache of assembled story views: it outlives the request, so a story's timeline
    and statements are put together once per version, not once per page."""
    return request.app.state.view_cache


def open_queries(request: Request) -> Iterator[Queries]:
    """Reads over a store per request: SQLite connections are cheap, and one per thread keeps
    requests from sharing a transaction (the store runs in WAL mode, so readers never wait for a
    writer). The assembled views are shared across requests through the app's cache."""
    sl = Storyline(settings=settings_of(request), upgrade=False)  # the app migrated it once, at start
    try:
        yield sl.queries.with_cache(view_cache_of(request))
    finally:
        sl.close()


def page_of(request: Request, offset: int, limit: int | None) -> Page:
    """The page a request asks for, with the server's default size and bound."""
    web = settings_of(request).web
    if offset > web.max_offset:
        raise HTTPException(422, f"offset must be at most {web.max_offset:,} (settings: web.max_offset), got {offset}")
    if limit is not None and limit > web.max_page_size:
        raise HTTPException(422, f"limit must be at most {web.max_page_size} (settings: web.max_page_size), "
                                 f"got {limit}")
    return Page(offset, limit or web.page_size)
