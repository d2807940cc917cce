"""The HTTP JSON API under ``/api``: the same data as the pages, and ingest guarded by a token."""

from __future__ import annotations

import hmac
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from ..engine import IngestReport, Storyline
from ..errors import InputError
from ..ingest.tabular import parse_json
from ..queries import Queries, SearchFilters
from .deps import open_queries, page_of, settings_of
from .views import (
    article_view,
    provenance_view,
    search_view,
    statements_view,
    stories_view,
    story_view,
)

router = APIRouter(prefix="/api", tags=["api"])
Reads = Annotated[Queries, Depends(open_queries)]
# As queries' STORY_SORTS and SEARCH_SORTS (tests/web/test_api.py checks they agree).
StorySort = Literal["updated", "size", "created"]
SearchSort = Literal["relevance", "updated", "size", "created"]


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


@router.get("/stories", summary="Stories, most recently updated first")
def list_stories(
    reads: Reads,
    request: Request,
    q: Annotated[str | None, Query(max_length=200, description="Text the title holds")] = None,
    since: Annotated[date | None, Query(description="Stories with articles on or after this day")] = None,
    until: Annotated[date | None, Query(description="Stories with articles on or before this day")] = None,
    sort: Annotated[StorySort, Query(description="updated: last update first; size: most articles first; "
                                                 "created: latest first publication first")] = "updated",
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int | None, Query(ge=1, description="Page size (at most web.max_page_size)")] = None,
) -> dict[str, Any]:
    return stories_view(reads, page_of(request, offset, limit), q or None, _day(since), _day(until), sort)


@router.get("/stories/{story_id}", summary="A story: figures, timeline, statements, conflicts, articles")
def get_story(story_id: str, reads: Reads) -> dict[str, Any]:
    return story_view(reads, story_id)


@router.get("/stories/{story_id}/timeline", summary="A story's dated events in order")
def get_timeline(story_id: str, reads: Reads) -> list[dict[str, object]]:
    return [entry.as_dict() for entry in reads.timeline(story_id)]


@router.get("/stories/{story_id}/statements", summary="A story's statements and the conflicts among them")
def get_statements(story_id: str, reads: Reads) -> dict[str, Any]:
    return statements_view(reads, story_id)


@router.get("/stories/{story_id}/provenance", summary="Who copied whom in a story: where each article's recycled "
                                                    "passages were first seen, and each outlet's recycled share")
def get_provenance(story_id: str, reads: Reads) -> dict[str, Any]:
    return provenance_view(reads, story_id)


# ``:path``: an article id may hold "/" (a feed entry's id is often its URL); links encode it as %2F.
@router.get("/articles/{article_id:path}", summary="An article, each passage new, recycled (with where it was "
                                                   "first seen) or boilerplate")
def get_article(article_id: str, reads: Reads) -> dict[str, Any]:
    return article_view(reads, article_id)


@router.get("/search", summary="Full-text search, grouped by story, with snippets and the matched words' offsets")
def search(
    reads: Reads,
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=200, description='Words that must all occur (stemmed), '
                            '"quoted phrases", prefix* words')],
    since: Annotated[date | None, Query(description="Articles published on or after this day")] = None,
    until: Annotated[date | None, Query(description="Articles published on or before this day")] = None,
    source: Annotated[str | None, Query(max_length=200, description="Articles from this outlet (any case)")] = None,
    story: Annotated[str | None, Query(max_length=200, description="Articles of this story")] = None,
    sort: Annotated[SearchSort, Query(description="relevance, or the stories' last update, size or first "
                                                  "publication")] = "relevance",
    per_story: Annotated[int, Query(ge=1, le=50, description="Matching articles shown per story")] = 3,
    offset: Annotated[int, Query(ge=0, description="Stories to skip")] = 0,
    limit: Annotated[int | None, Query(ge=1, description="Stories on the page")] = None,
) -> dict[str, Any]:
    filters = SearchFilters(_day(since), _day(until), source or None, story or None)
    return search_view(reads, q, page_of(request, offset, limit), filters, sort, per_story)


async def _body(request: Request, limit: int) -> Any:
    """The request's JSON body, read no further than ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"request body is {int(declared):,} bytes, over the limit of {limit:,} "
                                 "(settings: web.max_body_bytes)")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"request body is over the limit of {limit:,} bytes (settings: web.max_body_bytes)")
        chunks.append(chunk)
    try:
        return parse_json(b"".join(chunks) or b"null")
    except InputError as exc:
        raise HTTPException(400, f"request body is not JSON: {exc.reason}") from None


def _check_token(request: Request) -> None:
    token = settings_of(request).web.token
    if token is None:
        raise HTTPException(403, "ingest over HTTP is off: start the server with a token "
                                 "(STORYLINE_TOKEN or storyline serve --token-file)")
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), token.encode()):
        raise HTTPException(401, "missing or wrong token: send 'Authorization: Bearer <token>'",
                            headers={"WWW-Authenticate": "Bearer"})


@router.post("/articles", summary="Ingest articles (JSON) or a feed or page URL; needs the token",
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {
                 "oneOf": [
                     {"type": "object", "required": ["articles"], "properties": {"articles": {
                         "type": "array", "items": {"type": "object", "properties": {
                             "id": {"type": "string"}, "title": {"type": "string"}, "text": {"type": "string"},
                             "published": {"type": "string"}, "source": {"type": "string"},
                             "url": {"type": "string"}}, "required": ["text"]}}}},
                     {"type": "object", "required": ["url"], "properties": {"url": {"type": "string"}}},
                 ]}}}}})
async def ingest(request: Request) -> Any:
    _check_token(request)
    body = await _body(request, settings_of(request).web.max_body_bytes)
    if not isinstance(body, dict) or ("articles" in body) == ("url" in body):
        raise HTTPException(400, 'send {"articles": [{"text": ..., "title": ..., "published": ...}, ...]} '
                                 'or {"url": "https://…/feed.xml"}')
    if "articles" in body and not isinstance(body["articles"], list):
        raise HTTPException(400, '"articles" must be a list of objects')
    if "url" in body and not (isinstance(body["url"], str) and body["url"].startswith(("http://", "https://"))):
        raise HTTPException(400, '"url" must be an http:// or https:// address')
    # The store writes are blocking work: run them off the event loop, in a store of their own.
    def work() -> IngestReport:
        with Storyline(settings=settings_of(request)) as sl:
            if "url" in body:
                return sl.ingest([body["url"]])
            return sl.ingest_records(body["articles"], "POST /api/articles")

    report = await run_in_threadpool(work)
    if report.rejected and not report.added and not report.duplicates:
        # nothing of the request could be stored: a client error, with every reason
        reasons = "; ".join(str(r) for r in report.rejected[:20])
        more = f" (and {len(report.rejected) - 20} more)" if len(report.rejected) > 20 else ""
        return JSONResponse({"status": 422, "error": "Unprocessable Content", "detail": reasons + more,
                             **report.as_dict()}, status_code=422)
    return report.as_dict()
