"""The ASGI application: the JSON API, the pages, their errors, and the static files."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from functools import lru_cache
from http import HTTPStatus
from pathlib import Path
from urllib.parse import quote, urlencode

import jinja2
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..engine import Storyline
from ..errors import NotFoundError, StoreReadOnly, StoreWriteFailed, StorylineError
from ..queries import ViewCache
from ..settings import CACHE_URL_PARTS, Settings
from ..text.temporal.human import human_date, human_day, human_span
from . import api, pages
from .analyser import StatementAnalyser
from .guard import Guard, allowed_hosts
from .svg import lag_words, provenance_graph, sparkline

HERE = Path(__file__).parent
log = logging.getLogger("storyline.web")


@lru_cache(maxsize=CACHE_URL_PARTS)  # a process-wide memo, bounded in settings (see there)
def _urlpart(value: object) -> str:
    """A path segment: every character but letters, digits and ``_.-~`` percent-encoded (so the
    result needs no HTML escaping either). Cached: a story page links each article many times."""
    return quote(str(value), safe="")


def _article_links(article_ids: Iterable[str]) -> Markup:
    """``1 · 2 · 3``, each number a link to an article: a timeline entry of a big story links a
    thousand, too many for a loop in the template to draw quickly."""
    return Markup(" · ".join(f'<a href="/articles/{_urlpart(a)}">{n}</a>' for n, a in enumerate(article_ids, 1)))


def _marked(text: str | None, spans: Iterable[Iterable[int]]) -> Markup:
    """``text`` escaped, with each ``(start, end)`` stretch in ``<mark>``: a search hit's matched words."""
    if not text:
        return Markup("")
    out, at = [], 0
    for start, end in sorted(tuple(s) for s in spans):
        if start < at or end > len(text):
            continue
        out.append(escape(text[at:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        at = end
    out.append(escape(text[at:]))
    return Markup("").join(out)


# A list page's own parameters, and the value each has when the URL leaves it out.
_PAGE_PARAMETERS = {"q": None, "since": None, "until": None, "source": None, "story": None,
                    "sort": ("updated", "relevance")}


def _page_href(view: dict, offset: int) -> str:
    """The URL of another page of the same list: its filters and order kept, ``offset`` changed."""
    kept = {}
    for key, default in _PAGE_PARAMETERS.items():
        value = view.get(key)
        if value in (None, "") or (isinstance(default, tuple) and value in default):
            continue
        kept[key] = value
    kept["offset"] = offset
    if view.get("limit"):
        kept["limit"] = view["limit"]
    return "?" + urlencode(kept)


def _named_links(article_ids: list[str], names: dict[str, str], most: int = 3) -> Markup:
    """Links to the articles that report an event, each named by its outlet and day; past
    ``most`` a count of the rest (a big story's event may be reported a thousand times)."""
    links = [Markup(f'<a href="/articles/{_urlpart(a)}">') + escape(names.get(a, a)) + Markup("</a>")
             for a in article_ids[:most]]
    more = len(article_ids) - most
    tail = Markup(f' <span class="muted">and {more} more</span>') if more > 0 else Markup("")
    return Markup("; ").join(links) + tail


def _templates() -> Jinja2Templates:
    # Every value is escaped unless a template says otherwise (none does; the one filter that
    # returns markup, article_links, builds it from percent-encoded ids and numbers only):
    # article text is untrusted, and "<script>" in an article must show as text. The templates
    # ship with the package, so they are not checked for changes on every render.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    env.filters["pct"] = lambda x: f"{100 * (x or 0):.0f}%"
    env.filters["day"] = lambda x: (x or "")[:10]
    env.filters["urlpart"] = _urlpart
    env.filters["article_links"] = _article_links
    env.filters["marked"] = _marked
    env.filters["named_links"] = _named_links
    env.filters["human_date"] = human_date
    env.filters["human_day"] = human_day
    env.filters["human_span"] = human_span
    env.filters["sparkline"] = sparkline
    env.filters["provenance_graph"] = provenance_graph
    env.filters["lag"] = lambda s: lag_words(s) if s is not None else "undated"
    env.globals["page_href"] = _page_href
    # an article's own URL is data too: only web addresses become links (never javascript:)
    env.tests["web_url"] = lambda x: isinstance(x, str) and x.lower().startswith(("http://", "https://"))
    return Jinja2Templates(env=env)


def _error(request: Request, status: int, detail: object) -> Response:
    reason = HTTPStatus(status).phrase
    if request.url.path.startswith("/api") or request.url.path.startswith("/openapi"):
        return JSONResponse({"status": status, "error": reason, "detail": detail}, status_code=status)
    return request.app.state.templates.TemplateResponse(
        request, "error.html", {"status": status, "reason": reason, "detail": detail, "twin": None},
        status_code=status)


def create_app(settings: Settings) -> FastAPI:
    """The app over the store ``settings.db_path``. While it runs (its lifespan), a background
    thread finds the statements of articles not analysed yet when ``settings.web.analyse``.
    An older store is migrated here, once; requests then open it without migrating."""
    with Storyline(settings=settings) as sl:
        read_only = sl.read_only

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.web.analyse and read_only is not None:
            log.warning("the store can only be read from here (%s): statements of articles not analysed yet are "
                        "not looked for", read_only)
        analyser = StatementAnalyser(settings) if settings.web.analyse and read_only is None else None
        app.state.analyser = analyser
        if analyser is not None:
            analyser.start()
        try:
            yield
        finally:
            if analyser is not None:
                analyser.stop()
                analyser.join(timeout=30)

    app = FastAPI(title="storyline", version=__version__, lifespan=lifespan,
                  description="Stories, timelines, statements and recycled passages in a stream of news. "
                              "Every page of the web UI has its JSON twin here.",
                  # FastAPI's interactive docs load scripts from a CDN: /docs is a page of our own (pages.api_docs)
                  docs_url=None, redoc_url=None)
    app.state.settings = settings
    # Why articles not analysed for statements stay so while this server runs (None: the
    # analyser reads them): the pages say so instead of "reload to see them".
    app.state.not_analysing = (None if settings.web.analyse and read_only is None
                               else "the store can only be read from here" if read_only is not None
                               else "background analysis is off: storyline serve --no-analyse")
    # Assembled story views, shared by every request (each opens a store of its own) and kept
    # per story version: a story's page puts its timeline and statements together once per change.
    app.state.view_cache = ViewCache(settings.queries.view_cache_stories)
    app.state.templates = _templates()
    app.add_middleware(Guard, hosts=allowed_hosts(settings.web.allowed_hosts, settings.web.host))
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.exception_handler(NotFoundError)
    def not_found(request: Request, exc: NotFoundError) -> Response:
        return _error(request, 404, str(exc))

    @app.exception_handler(StoreWriteFailed)
    def write_failed(request: Request, exc: StoreWriteFailed) -> Response:
        # The server's disk, not the request: 507 Insufficient Storage (RFC 4918) when it is
        # full, else 503; the request may be sent again once the disk has room.
        log.error("a write to the store failed: %s", exc)
        return _error(request, 507 if exc.full else 503, str(exc))

    @app.exception_handler(StoreReadOnly)
    def read_only_store(request: Request, exc: StoreReadOnly) -> Response:
        # Not the request's fault, and no retry will help while the store stays where it is.
        return _error(request, 403, str(exc))

    @app.exception_handler(StorylineError)
    def bad_input(request: Request, exc: StorylineError) -> Response:
        return _error(request, 400, str(exc))

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        response = _error(request, exc.status_code, exc.detail)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        return _error(request, 422, "; ".join(problems))

    @app.exception_handler(Exception)
    def crashed(request: Request, exc: Exception) -> Response:
        log.exception("error serving %s", request.url.path)
        return _error(request, 500, "internal error (the server log has the details)")

    return app
