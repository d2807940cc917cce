"""The web UI: server-rendered pages, each the HTML face of one ``/api`` route."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..queries import Queries, SearchFilters
from .api import SearchSort, StorySort
from .deps import open_queries, page_of
from .views import (
    api_docs_view,
    article_view,
    provenance_view,
    search_view,
    stories_view,
    story_view,
)

router = APIRouter(include_in_schema=False)
Reads = Annotated[Queries, Depends(open_queries)]


def _render(request: Request, template: str, view: dict, twin: str, **context: object) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(
        request, template, {"view": view, "twin": twin, "not_analysing": request.app.state.not_analysing, **context})


# A form's empty date field arrives as "since=": that is no filter, not a bad date.
FormDay = Annotated[str | None, Query(max_length=10, pattern=r"^(\d{4}-\d{2}-\d{2})?$")]


def _day(value: str | None, name: str) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise HTTPException(422, f"{name}: {value!r} is not a day (YYYY-MM-DD)") from None


def _query(**params: object) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "", 0)}
    return ("?" + urlencode(kept)) if kept else ""


@router.get("/", response_class=HTMLResponse)
def stories_page(
    request: Request,
    reads: Reads,
    q: Annotated[str | None, Query(max_length=200)] = None,
    since: FormDay = None,
    until: FormDay = None,
    sort: StorySort = "updated",
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    view = stories_view(reads, page_of(request, offset, limit), q or None, _day(since, "since"), _day(until, "until"),
                        sort)
    twin = "/api/stories" + _query(q=q, since=view["since"], until=view["until"],
                                   sort=sort if sort != "updated" else None, offset=offset, limit=limit)
    return _render(request, "stories.html", view, twin)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(story_id: str, request: Request, reads: Reads,
               articles: Annotated[int, Query(ge=0, description="The first article listed (20 a page)")] = 0) -> Response:
    view = story_view(reads, story_id)
    if view["id"] != story_id:  # a merged story's id: its articles live on in the one that absorbed it
        return RedirectResponse(f"/stories/{quote(view['id'], safe='')}", status_code=307)
    return _render(request, "story.html", view, f"/api/stories/{quote(story_id, safe='')}",
                   articles_offset=min(articles, max(len(view["articles"]) - 1, 0)))


@router.get("/stories/{story_id}/provenance", response_class=HTMLResponse)
def provenance_page(story_id: str, request: Request, reads: Reads) -> Response:
    view = provenance_view(reads, story_id)
    if view["id"] != story_id:  # a merged story's id
        return RedirectResponse(f"/stories/{quote(view['id'], safe='')}/provenance", status_code=307)
    return _render(request, "provenance.html", view, f"/api/stories/{quote(story_id, safe='')}/provenance")


# ``:path``: an article id may hold "/" (a feed entry's id is often its URL); links encode it as %2F.
@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(article_id: str, request: Request, reads: Reads) -> Response:
    return _render(request, "article.html", article_view(reads, article_id),
                   f"/api/articles/{quote(article_id, safe='')}")


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    reads: Reads,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    since: FormDay = None,
    until: FormDay = None,
    source: Annotated[str | None, Query(max_length=200)] = None,
    story: Annotated[str | None, Query(max_length=200)] = None,
    sort: SearchSort = "relevance",
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    filters = SearchFilters(_day(since, "since"), _day(until, "until"), source or None, story or None)
    # one story's matches are all shown (up to a page's bound); across stories, the best three each
    per_story = request.app.state.settings.web.max_page_size if filters.story else 3
    view = search_view(reads, q, page_of(request, offset, limit), filters, sort, per_story)
    twin = "/api/search" + _query(q=q, since=filters.since, until=filters.until, source=filters.source,
                                  story=filters.story, sort=sort if sort != "relevance" else None,
                                  offset=offset, limit=limit)
    return _render(request, "search.html", view, twin)


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    """The HTTP API's routes from its OpenAPI schema, as a plain page that works offline
    (FastAPI's interactive docs load their scripts from a CDN)."""
    return _render(request, "docs.html", api_docs_view(request.app.openapi()), "/openapi.json")
