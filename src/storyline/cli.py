"""The ``storyline`` command: parses arguments, calls the library, renders, sets the exit code."""

from __future__ import annotations

import csv
import errno
import json
import socket
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from contextlib import contextmanager, suppress
from datetime import date
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from . import __version__
from .compare import compare_articles, read_one
from .engine import IngestReport, ProgressHook, Storyline
from .errors import InputError, StorylineError, sqlite_primary_code
from .export import EXPORT_FORMATS, article_record, story_records, story_summary, write_export
from .file_texts import FileText, file_texts
from .ingest import FORMATS, ReadOptions, parse_map
from .queries import SEARCH_SORTS, STORY_SORTS, Findings, Queries, SearchFilters, SearchResult
from .records import Article
from .settings import DEFAULT_DB, MOST_WORKERS, IngestSettings, Settings, StorySettings
from .stories.novelty import ArticleNovelty
from .text.temporal.human import human_date

app = typer.Typer(
    name="storyline",
    help="Read a stream of dated news articles and see through the recycling in it.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

DbOption = Annotated[Path, typer.Option("--db", help="The SQLite store.", envvar="STORYLINE_DB")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
_SHOW = 20


# The largest count an option takes: SQLite's integers end at 2^63 (a larger one was a traceback),
# and no store has a page that long (the web API's web.max_offset is the same).
_MOST = 1_000_000_000


def _version(value: bool) -> None:
    if value:
        out.print(f"storyline {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True,
                                                    help="Print the version and exit.")] = None,
) -> None:
    """Read a stream of dated news articles and see through the recycling in it."""


@contextmanager
def _errors(db: Path | None = None) -> Iterator[None]:
    """Library errors become one clear line on stderr and exit code 2; so does a store found
    damaged while it is read (a page SQLite cannot read, a text that is not UTF-8), naming ``db``."""
    try:
        yield
    except StorylineError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from None
    except sqlite3.DatabaseError as exc:
        if not _damaged(exc):
            raise
        store = escape(str(db if db is not None else "STORE.db"))
        err.print(f"[red]error:[/] {store + ': ' if db is not None else ''}the store is damaged ({escape(str(exc)[:200])}). "
                  f"Check it with `sqlite3 {store} 'PRAGMA integrity_check'`; restore a copy, or save what SQLite can "
                  f"read into a new file: `sqlite3 {store} .recover | sqlite3 recovered.db`")
        raise typer.Exit(2) from None


def _damaged(exc: sqlite3.DatabaseError) -> bool:
    """SQLITE_CORRUPT or SQLITE_NOTADB, or a text column whose bytes are not UTF-8 (which SQLite
    never stores for storyline: only a damaged page holds them)."""
    return sqlite_primary_code(exc) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or "could not decode to utf-8" in str(exc).lower()


def _n(count: int, noun: str) -> str:
    """``1 article``, ``2 articles`` (every noun counted here takes an s)."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


@contextmanager
def _open(db: Path, settings: Settings | None = None, create: bool = True) -> Iterator[Storyline]:
    """Open the store to write to it (``create=False``: a command that reads it first, which a
    mistyped path must not answer with an empty store); library errors as :func:`_errors` reports them."""
    with _errors(db), Storyline(db, settings, create=create) as sl:
        yield sl


@contextmanager
def _read(db: Path) -> Iterator[Queries]:
    """Open the store to read it (the read side; an older store is not migrated but refused with
    the command that upgrades it); library errors as :func:`_errors` reports them."""
    with _errors(db), Storyline(db, upgrade=False, create=False) as sl:
        yield sl.queries


class _RichProgress(ProgressHook):
    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._task = progress.add_task("reading", total=None, articles=0)
        self._articles = 0
        self.stored = 0  # articles in committed batches (what an interrupted ingest kept)

    def batch_written(self, article_ids: list[str]) -> None:
        self.stored += len(article_ids)

    def start(self, total_inputs: int) -> None:
        self._progress.update(self._task, total=total_inputs)

    def input_started(self, location: str) -> None:
        name = location if len(location) <= 40 else "…" + location[-39:]
        self._progress.update(self._task, description=escape(name))

    def article_done(self) -> None:
        self._articles += 1
        if self._articles % 50 == 0:
            self._progress.update(self._task, articles=self._articles)

    def input_done(self) -> None:
        self._progress.update(self._task, advance=1, articles=self._articles)


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, globs, URLs, or - for standard input.")],
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[Optional[str], typer.Option("--format", help=f"Force the input format: {', '.join(FORMATS)}. "
                                               "Default: from the extension, else from the content.")] = None,
    map_: Annotated[Optional[list[str]], typer.Option(
        "--map", help="Column names for fields, e.g. title=TITLE,published=TIMESTAMP,source=PUBLISHER.")] = None,
    encoding: Annotated[str, typer.Option(help="Encoding of the input files.")] = "utf-8",
    timeout: Annotated[float, typer.Option(help="Seconds to wait for a URL.")] = 10.0,
    batch_size: Annotated[int, typer.Option(
        "--batch-size", min=1, max=_MOST, help="Articles written per store transaction: an interrupted ingest keeps "
                                    "whole batches only, and a re-run adds the rest.")] = IngestSettings().batch_size,
    workers: Annotated[int, typer.Option(
        "--workers", min=1, max=MOST_WORKERS, help="Processes that hash and tag articles while this one writes "
                                 "(default: the cores, at most 4; 1 does everything here; at most "
                                 f"{MOST_WORKERS}). They start at the third batch.")] = IngestSettings().workers,
    embeddings: Annotated[bool, typer.Option("--embeddings", help="Cluster stories with all-MiniLM-L6-v2 embeddings "
                                             "too (the embeddings extra).")] = False,
    allow_private_urls: Annotated[bool, typer.Option(
        "--allow-private-urls", help="Fetch URLs on loopback, private, link-local or multicast addresses too "
                                     "(refused by default).")] = False,
    json_: JsonOption = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every duplicate and warning.")] = False,
) -> None:
    """Read articles into the store: plain text, JSONL, CSV, RSS/Atom, HTML (each may be gzip, bzip2 or xz).

    Prints how many were added (and how many of them are copies of a stored text),
    already present and rejected (with the reason for each), and exits with status 1
    when any input was rejected. Ingesting the same article (same id or URL) twice
    stores it once; the same text under another id is stored as a copy of the first.

    Example: [bold]storyline ingest examples/ feeds/*.rss --db news.db[/]
    """
    if fmt is not None and fmt not in FORMATS:
        raise typer.BadParameter(f"{fmt!r} is not a format; choose one of {', '.join(FORMATS)}", param_hint="--format")
    try:
        mapping = parse_map(map_)
        settings = Settings(ingest=IngestSettings(encoding=encoding, fetch_timeout_s=timeout, batch_size=batch_size,
                                                  workers=workers, allow_private_urls=allow_private_urls),
                            stories=StorySettings(embeddings=embeddings))
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    options = ReadOptions(format=fmt, mapping=mapping)  # type: ignore[arg-type]
    with _open(db, settings) as sl:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("inputs · {task.fields[articles]} articles"), TimeElapsedColumn())
        hook: _RichProgress | None = None
        try:
            with Progress(*columns, console=err, transient=True, disable=json_ or not err.is_terminal) as bar:
                hook = _RichProgress(bar)
                report = sl.ingest(paths, options, hook)
        except KeyboardInterrupt:
            # The batch being written is rolled back whole; the store holds every batch before it.
            stored = hook.stored if hook is not None else 0
            err.print(f"[yellow]interrupted:[/] {_n(stored, 'article')} stored before the stop, in whole "
                      "batches (the one being written was rolled back); run the same command again to go on: "
                      "the articles already stored are skipped")
            raise typer.Exit(130) from None
        found = _findings(sl, report)
    if json_:
        out.print_json(data={**report.as_dict(), **({"found": found.as_dict()} if found else {})})
    else:
        _print_report(report, verbose)
        if found is not None:
            _print_findings(found, db)
    raise typer.Exit(0 if report.ok else 1)


def _findings(sl: Storyline, report: IngestReport) -> Findings | None:
    """What the ingest's articles brought; a small ingest's statements are found first (stored
    for later too) so that its conflicts can be counted (ingest.summary_statements), unless its
    stories hold other articles not analysed yet: the conflicts could not be counted then, and
    the parse is most of a small ingest's time (README, "storyline ingest")."""
    if not report.added:
        return None
    small = len(report.added) <= sl.settings.ingest.summary_statements
    with _errors(sl.settings.db_path):
        countable = small and not sl.queries.pending_besides(report.added)
    if countable:
        try:
            sl.analyse_statements(report.added)
        except StorylineError as exc:  # no parser model: the counts go on without the conflicts
            err.print(f"[yellow]warning:[/] statements not found: {escape(str(exc))}")
    with _errors(sl.settings.db_path):
        return sl.queries.findings(report.added)


def _print_findings(found: Findings, db: Path) -> None:
    """A few lines on what the articles brought, then the commands that show it."""
    on = "" if db == DEFAULT_DB else f" --db {db}"
    new = f" ({found.new_stories:,} new)" if found.new_stories != found.stories else ""
    out.print(f"\n[bold]Found in the {_n(found.articles, 'article')} added:[/]")
    out.print(f"  {found.stories:,} {'story' if found.stories == 1 else 'stories'}{new}"
              + (", the biggest:" if found.stories > 1 else ":"))
    for row in found.biggest:
        title = row.title if len(row.title) <= 72 else row.title[:71].rstrip() + "…"
        dates = " – ".join(dict.fromkeys(x[:10] for x in (row.first_published, row.last_published) if x))
        out.print(f"    [bold]{row.id}[/] {escape(title)} [dim]({_n(row.articles, 'article')}, "
                  f"{_n(row.sources, 'independent source')}{', ' + dates if dates else ''})[/]")
    copies = (f"; {found.copies:,} cop{'ies' if found.copies == 1 else 'y'} an earlier article "
              f"({found.exact_copies:,} word for word)") if found.copies else ""
    out.print(f"  {found.recycled_passages:,} of {_n(found.passages, 'paragraph')} recycled "
              f"({100 * found.recycled_share:.0f}% of the text){copies}")
    if found.conflicts is not None and found.statements is not None:
        out.print(f"  {_n(found.statements, 'statement')}, {found.conflicts:,} "
                  f"{'pair' if found.conflicts == 1 else 'pairs'} of conflicting claims")
    else:
        out.print("  statements and conflicts: found on demand (storyline statements --story ID, or serve)")
    first = found.biggest[0].id if found.biggest else "ID"
    out.print("[bold]Next:[/]")
    steps = ((f"storyline story {first}{on}", "the story: its articles and what each adds"),
             (f"storyline timeline {first}{on}", "its dated events"),
             (f"storyline stories{on}", "every story, most recently updated first"),
             (f"storyline search WORDS{on}", "find articles by their words"),
             (f"storyline serve{on}", "browse it all at http://127.0.0.1:8000/"),
             (f"storyline export --out storyline.json{on}", "everything as JSON (--format jsonl|csv)"))
    width = max(len(command) for command, _ in steps)
    for command, what in steps:
        out.print(f"  {escape(command.ljust(width))}  [dim]{what}[/]")


def _print_report(report: IngestReport, verbose: bool) -> None:
    def listing(title: str, items: list, style: str) -> None:
        if not items:
            return
        shown = items if verbose else items[:_SHOW]
        err.print(f"[{style}]{title}:[/]")
        for item in shown:
            err.print(f"  {escape(str(item))}")
        if len(items) > len(shown):
            err.print(f"  … and {len(items) - len(shown)} more (--verbose lists all)")

    listing("rejected", report.rejected, "red")
    if verbose:
        listing("copies of stored text (kept)", [f"{a} is a copy of {o}" for a, o in report.copies.items()], "cyan")
        listing("already present", report.duplicates, "yellow")
        listing("skipped", report.skipped, "dim")
    else:  # an id or URL stored with another text is worth knowing of unasked: that text was not stored
        listing("already present, with another text", [d for d in report.duplicates if d.other_text], "yellow")
    listing("warnings", report.warnings, "yellow")
    colour = "green" if report.ok else "red"
    out.print(f"[{colour}]{escape(report.summary())}[/]")


@app.command()
def article(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="The article id.")],
    db: DbOption = DEFAULT_DB,
    json_: JsonOption = False,
) -> None:
    """Show one article, paragraph by paragraph: new text plain, recycled text dimmed with its source
    and whether an earlier article of its story carries it. --json adds "novelty": the passages
    read against the story (recycled_in_story, recycled_elsewhere, in_story per passage, and
    new_share: the characters of new passages over all its passages' characters, as the web UI has it).

    Example: [bold]storyline article 001_5a9cac7b8d2db75a[/]
    """
    with _read(db) as q:
        found = q.article(article_id)
        novelty = q.novelty(found)
        first = q.article(found.duplicate_of).source if found.duplicate_of else None
    if json_:
        out.print_json(data={**article_record(found), "novelty": novelty.as_dict()})
        return
    _print_article(found, novelty, first)


def _print_article(found: Article, novelty: ArticleNovelty, original_source: str | None = None) -> None:
    out.print(f"[bold]{escape(found.title or found.id)}[/]")
    meta = [x for x in (found.id, found.source, found.published, found.url, found.story_id) if x]
    out.print(f"[dim]{escape(' · '.join(meta))}[/]")
    if found.duplicate_of:
        first = f" ({escape(original_source)})" if original_source else ""
        out.print(f"[yellow]{'copy' if found.similarity == 1.0 else 'near-duplicate'} of "
                  f"{escape(found.duplicate_of)}{first} "
                  f"(similarity {found.similarity or 0:.2f})[/]")
    out.print(f"[dim]{novelty.count('new')} of {len(found.passages)} paragraphs new; recycled: "
              f"{novelty.recycled_in_story} from earlier in its story, {novelty.recycled_elsewhere} from other "
              f"stories[/]\n")
    for p, seen in zip(found.passages, novelty.passages):
        if p.status == "new":
            out.print(f"[bold cyan]¶{p.index}[/] {escape(p.text)}\n")
        else:
            source = ""
            if p.first_seen:
                score = f", score {p.score:.2f}" if p.score is not None else ""
                story = ""
                if seen.from_elsewhere:
                    story = "; not earlier in this story"
                elif seen.in_story is not None and seen.in_story != p.first_seen:
                    story = f"; in this story: {seen.in_story.article_id} ¶{seen.in_story.index}"
                source = (f" [italic](first seen in {escape(p.first_seen.article_id)} ¶{p.first_seen.index}"
                          f"{score}{escape(story)})[/]")
            out.print(f"[dim]¶{p.index} {p.status}: {escape(p.text)}{source}[/]\n")


def _day_option(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a day (YYYY-MM-DD)") from None


LimitOption = Annotated[int, typer.Option("--limit", min=1, max=_MOST, help="How many to show.")]
OffsetOption = Annotated[int, typer.Option("--offset", min=0, max=_MOST, help="How many to skip (the next page: "
                                           "--offset plus the limit).")]
SinceOption = Annotated[str | None, typer.Option("--since", metavar="YYYY-MM-DD", callback=_day_option,
                                                    help="Only articles published on or after this day.")]
UntilOption = Annotated[str | None, typer.Option("--until", metavar="YYYY-MM-DD", callback=_day_option,
                                                    help="Only articles published on or before this day.")]
CsvOption = Annotated[bool, typer.Option("--csv", help="Print CSV (a header row, then one row each).")]
_SORTED = {"updated": "most recently updated first", "size": "most articles first",
           "created": "latest first publication first", "relevance": "best match first"}


def _check_sort(sort: str, choices: tuple[str, ...]) -> None:
    if sort not in choices:
        raise typer.BadParameter(f"{sort!r} is not a sort order; choose one of {', '.join(choices)}",
                                 param_hint="--sort")


def _shown(offset: int, count: int, total: int, limit: int) -> str:
    """``showing 1–50; --offset 50 for more`` (or nothing to show)."""
    if not count:
        return "none shown" if total else ""
    more = f"; --offset {offset + limit} for more" if offset + count < total else ""
    return f"showing {offset + 1:,}–{offset + count:,}{more}"


def _write_csv(header: list[str], rows: Iterable[list[object]]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)


@app.command()
def stories(
    db: DbOption = DEFAULT_DB,
    sort: Annotated[str, typer.Option("--sort", help="updated (the last article joining, newest first), size "
                                      "(most articles first) or created (latest first publication first).")]
    = "updated",
    title: Annotated[str | None, typer.Option("--title", help="Only stories whose title holds this text.")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    limit: LimitOption = 50,
    offset: OffsetOption = 0,
    json_: JsonOption = False,
    csv_: CsvOption = False,
) -> None:
    """List the stories, a page at a time, with a header: id, articles, independent sources
    (outlets of originals; copies left out), dates, title. --json (a list) and --csv add
    "outlets" (outlets carrying it, copies included) and "updated".

    Example: [bold]storyline stories --sort size --limit 10 --db news.db[/]
    """
    _check_sort(sort, STORY_SORTS)
    with _read(db) as q:
        total, rows = q.story_list(title, since, until, offset, limit, sort)
    if json_:
        out.print_json(data=[r.as_dict() for r in rows])
        return
    if csv_:
        fields = ["id", "title", "articles", "sources", "outlets", "first_published", "last_published", "updated"]
        _write_csv(fields, ([r.as_dict()[f] for f in fields] for r in rows))
        return
    noun = "story" if total == 1 else "stories"
    out.print(f"[bold]{total:,} {noun}[/][dim], {_SORTED[sort]}"
              + (f"; {_shown(offset, len(rows), total, limit)}" if rows or total else "") + "[/]")
    if rows:
        out.print(f"[dim]{'id':13}  {'articles':>13}  {'sources':>11}  dates  title[/]")
    for r in rows:
        dates = " – ".join(dict.fromkeys(x[:10] for x in (r.first_published, r.last_published) if x))
        out.print(f"[bold]{r.id}[/]  {_n(r.articles, 'article'):>13}  {_n(r.sources, 'source'):>11}  "
                  f"[dim]{dates}[/]  {escape(r.title)}")


@app.command()
def search(
    query: Annotated[str, typer.Argument(metavar="QUERY", help='Words that must all occur (stemmed: "deny" finds '
                                         '"denied"), "quoted phrases", prefix* words.')],
    db: DbOption = DEFAULT_DB,
    since: SinceOption = None,
    until: UntilOption = None,
    source: Annotated[str | None, typer.Option("--source", help="Only articles from this outlet (any case).")]
    = None,
    story_id: Annotated[str | None, typer.Option("--story", metavar="STORY_ID",
                                                 help="Only articles of this story.")] = None,
    sort: Annotated[str, typer.Option("--sort", help="relevance (best match first), updated, size or created "
                                      "(the stories' last update, size, first publication).")] = "relevance",
    limit: Annotated[int, typer.Option("--limit", min=1, max=_MOST, help="How many stories to show.")] = 10,
    offset: Annotated[int, typer.Option("--offset", min=0, max=_MOST, help="How many stories to skip.")] = 0,
    per_story: Annotated[int, typer.Option("--per-story", min=1, max=_MOST,
                                           help="Matching articles shown per story.")] = 3,
    json_: JsonOption = False,
    csv_: CsvOption = False,
) -> None:
    """Find articles by their words, grouped by story: each story with how many of its articles
    match and the best of them, with a snippet around the match (matched words highlighted).
    --json gives the snippets with the matched words' offsets; --csv one row per article shown.

    Example: [bold]storyline search "pier 5" --since 2025-03-01 --db news.db[/]
    """
    _check_sort(sort, SEARCH_SORTS)
    filters = SearchFilters(since=since, until=until, source=source, story=story_id)
    with _read(db) as q:
        result = q.search(query, filters, sort, offset, limit, per_story)
    if json_:
        out.print_json(data={**result.as_dict(), "offset": offset, "limit": limit})
        return
    if csv_:
        _write_csv(["story_id", "story_title", "story_matches", "article_id", "title", "source", "published",
                    "snippet"],
                   ([g.story.id if g.story else "", g.story.title if g.story else "", g.matches, h.id, h.title or "",
                     h.source or "", h.published or "", h.snippet] for g in result.groups for h in g.hits))
        return
    _print_search(result, sort, offset, limit)


def _marked(text: str, spans: Iterable[tuple[int, int]], style: str = "bold reverse") -> Text:
    shown = Text(text)
    for start, end in spans:
        shown.stylize(style, start, end)
    return shown


def _print_search(result: SearchResult, sort: str, offset: int, limit: int) -> None:
    stories_ = "story" if result.total == 1 else "stories"
    out.print(f"[bold]{_n(result.articles, 'article')} in {result.total:,} {stories_}[/] match "
              f"{escape(repr(result.query))}[dim]"
              + (f", {_SORTED[sort]}; {_shown(offset, len(result.groups), result.total, limit)}" if result.total else "")
              + "[/]")
    for g in result.groups:
        if g.story is not None:
            dates = " – ".join(dict.fromkeys(x[:10] for x in (g.story.first_published, g.story.last_published) if x))
            out.print(f"\n[bold]{escape(g.story.title)}[/]  [dim]{g.story.id} · {g.matches:,} of "
                      f"{_n(g.story.articles, 'article')} match · {dates}[/]")
        else:
            out.print(f"\n[bold]not in a story[/]  [dim]{_n(g.matches, 'article')} match[/]")
        for h in g.hits:
            line = Text("  ")
            line.append(f"{(h.published or 'undated')[:10]}  ", style="dim")
            if h.source:
                line.append(f"{h.source} · ", style="dim")
            if h.title:
                line.append(_marked(h.title, h.title_highlights, "bold reverse"))
                line.append(f"  {h.id}", style="dim")
            else:
                line.append(h.id)
            out.print(line)
            out.print(Text("    ").append(_marked(" ".join(h.snippet.split()), _collapsed(h.snippet, h.highlights))))
        if g.matches > len(g.hits) and g.story is not None:
            out.print(f"    [dim]… {g.matches - len(g.hits)} more: storyline search {escape(repr(result.query))} "
                      f"--story {g.story.id}[/]")


def _collapsed(text: str, spans: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    """``spans`` of ``text`` as they fall in ``" ".join(text.split())`` (line breaks and runs of
    spaces made one space, so a snippet prints on one line)."""
    mapping: list[int] = []
    position = -1
    previous_space = True
    for char in text:
        space = char.isspace()
        if not (space and previous_space):
            position += 1
        mapping.append(max(position, 0))
        previous_space = space
    return [(mapping[a], mapping[b - 1] + 1) for a, b in spans if 0 <= a < b <= len(text)]


@app.command()
def stats(
    db: DbOption = DEFAULT_DB,
    outlets: Annotated[int, typer.Option("--outlets", min=0, max=_MOST,
                                         help="Also list the N outlets that published the "
                                         "most, each with its copies and recycled share.")] = 0,
    json_: JsonOption = False,
) -> None:
    """The store's figures: articles (and copies), stories, sources, how much of the text is recycled,
    the dates the articles span, and the store's size on disk; with --outlets, per outlet too.

    Example: [bold]storyline stats --db news.db --outlets 10[/]
    """
    with _read(db) as q:
        figures = q.stats()
        per_outlet = q.outlets(outlets) if outlets else []
        read_only = q.read_only
    if json_:
        extra = {"outlets": [o.as_dict() for o in per_outlet]} if outlets else {}
        out.print_json(data={"db": str(db), **figures.as_dict(), "read_only": read_only, **extra})
        return
    copies = (f" ({figures.copies:,} cop{'ies' if figures.copies == 1 else 'y'} an earlier article: "
              f"{figures.exact_copies:,} word for word, {figures.copies - figures.exact_copies:,} nearly)")
    unnamed = f" (and {_n(figures.unnamed, 'article')} without one)" if figures.unnamed else ""
    dates = " – ".join(dict.fromkeys(x[:10] for x in (figures.first_published, figures.last_published) if x))
    undated = f" ({figures.undated:,} undated)" if figures.undated else ""
    shares = (f"{100 * figures.recycled_share:.1f}% of the text (new {100 * figures.new_share:.1f}%, "
              f"boilerplate {100 * figures.boilerplate_share:.1f}%; by characters)")
    rows = [("articles", f"{figures.articles:,}" + (copies if figures.copies else "")),
            ("stories", f"{figures.stories:,}"),
            ("sources", f"{figures.sources:,} named outlets{unnamed}"),
            ("recycled", shares),
            ("dates", (dates or "none") + undated),
            ("store", f"{figures.store_bytes / 1e6:,.1f} MB  {db}"
                      + (f" (read-only here: {read_only})" if read_only is not None else ""))]
    for label, value in rows:
        out.print(f"[bold]{label:9}[/] {escape(value)}")
    if per_outlet:
        out.print(f"\n[bold]{'outlet':30} {'articles':>8} {'copies':>7} {'recycled':>9}  dates[/]")
        for o in per_outlet:
            dates = " – ".join(dict.fromkeys(x[:10] for x in (o.first_published, o.last_published) if x))
            name = o.outlet if o.outlet is not None else "(no source named)"
            out.print(f"{escape(name[:30]):30} {o.articles:>8,} {o.copies:>7,} {100 * o.recycled_share:>8.1f}%  "
                      f"{escape(dates or 'undated')}")


@app.command()
def story(
    story_id: Annotated[str, typer.Argument(metavar="ID", help="The story id.")],
    db: DbOption = DEFAULT_DB,
    json_: JsonOption = False,
) -> None:
    """Show one story: its articles in order, with how much of each is new, and its merges and splits.

    --json adds "assignments": the story's log (every join, merge, split and moved article, with
    its score and reason).

    Example: [bold]storyline story s2a02184733c5[/]
    """
    with _read(db) as q:
        found = q.story(story_id)
        summary = story_summary(q, found)
        members = [q.article(a) for a in found.article_ids]
        outlet = {a.id: a.source for a in members}
        outlet.update((a.duplicate_of, q.article(a.duplicate_of).source) for a in members
                      if a.duplicate_of and a.duplicate_of not in outlet)
        novelties = q.novelties(members)
        history = q.history(found.id)
    if json_:
        out.print_json(data={**summary, "articles": [{**article_record(a), "novelty": novelties[a.id].as_dict(),
                                                      "original_source": outlet.get(a.duplicate_of or "")}
                                                     for a in members],
                             "assignments": history})
        return
    sources, outlets = summary["sources"], summary["outlets"]
    out.print(f"[bold]{escape(found.title)}[/]  [dim]{found.id} · {_n(summary['articles'], 'article')} · "
              f"{sources} independent source{'' if sources == 1 else 's'}"
              + (f" · {_n(outlets, 'outlet')} carrying it" if outlets != sources else "") + "[/]")
    moves = {h["article_id"]: h for h in history if h["event"] == "moved"}
    for a in members:
        seen = novelties[a.id]
        new = f"{seen.count('new')}/{len(a.passages)} new"
        if seen.recycled_elsewhere:
            new += f" ({seen.recycled_elsewhere} from other stories)"
        copy = ""
        if a.duplicate_of:
            first = outlet.get(a.duplicate_of)
            copy = f" [yellow]copy of {escape(a.duplicate_of)}{f' ({escape(first)})' if first else ''}[/]"
        moved = ""
        if a.id in moves:
            h = moves[a.id]
            moved = (f" [magenta]moved from {escape(h['from'])} by a split ({h['score']:.2f} here, "
                     f"{h['score_to_old']:.2f} there)[/]")
        out.print(f"  {escape(a.published or '?'):25} {escape(a.id)}  {new}{copy}{moved}  "
                  f"[dim]{escape(a.title or a.passages[0].text[:70])}[/]")
    for h in history:
        line = _story_event(h)
        if line:
            out.print(f"  [magenta]{line}[/]")


def _story_event(h: dict) -> str | None:
    """A merge or split in the story's log, in words (joins are the article list itself)."""
    terms = ", ".join
    if h["event"] == "split":
        return escape(f"{h['at']} split: {_n(len(h['articles_moved']), 'article')} left for {h['new_story']} "
                      f"(parts score {h['score']:.2f}; they are about {terms(h['moved_terms'][:4])}, "
                      f"this story about {terms(h['kept_terms'][:4])})")
    if h["event"] == "split_off":
        return escape(f"{h['at']} split off from {h['from']}: {_n(len(h['articles_moved']), 'article')} "
                      f"(parts score {h['score']:.2f}; about {terms(h['moved_terms'][:4])}, "
                      f"the rest about {terms(h['kept_terms'][:4])})")
    if h["event"] == "absorbed":
        return escape(f"{h['at']} absorbed {h['story']} ({_n(h['articles_moved'], 'article')}; bridged by "
                      f"{h['bridge_article']}, centroids score {h['centroid_cosine']:.2f})")
    return None


@app.command()
def timeline(
    story_id: Annotated[str, typer.Argument(metavar="STORY_ID", help="The story id (see storyline stories).")],
    db: DbOption = DEFAULT_DB,
    json_: JsonOption = False,
) -> None:
    """Show a story's timeline: its dated events in date order, each once with every article that reports it.

    A date is a TimeML value (2024-10-17, a range 2024-10-27/2024-10-28, a month 2024-10)
    with what the text says of it ("early"); the text is the sentence of the earliest report.

    Example: [bold]storyline timeline s2a02184733c5 --json[/]
    """
    with _read(db) as q:
        found = q.story(story_id)
        entries = q.timeline(found.id)
    if json_:
        out.print_json(data=[entry.as_dict() for entry in entries])
        return
    table = Table(title=f"{escape(found.title)}  [dim]{found.id} · {len(entries)} dated events[/]",
                  title_justify="left", show_lines=True)
    table.add_column("date", no_wrap=True)
    table.add_column("event")
    table.add_column("articles", style="dim", no_wrap=True)
    for entry in entries:
        words = human_date(entry.date, entry.qualifier)
        when = escape(words) + (f"\n[dim]{escape(entry.date)}[/]" if words != entry.date else "")
        table.add_row(when, escape(entry.text), escape("\n".join(entry.article_ids)))
    out.print(table)


@app.command()
def migrate(db: DbOption = DEFAULT_DB) -> None:
    """Bring a store up to this storyline: the schema, then the work older versions did not do
    (the dated events of articles stored before timelines existed), with a progress bar.

    Reading commands and the web UI refuse an older store and name this command; ingest
    migrates too. Safe to run again: it does only what is missing.

    Example: [bold]storyline migrate --db news.db[/]
    """
    with _open(db, create=False) as sl:
        pending = sl.pending_backfill()
        if pending and err.is_terminal:
            with Progress(TextColumn("finding dated events"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                          console=err, transient=True) as progress:
                task = progress.add_task("events", total=pending)
                sl.backfill(lambda done, total: progress.update(task, completed=done, total=total))
        elif pending:
            sl.backfill()
        version = sl.queries.schema_version()
    out.print(f"{escape(str(db))}: schema version {version}; events found for {pending} "
              f"article{'' if pending == 1 else 's'} stored before timelines")


@app.command()
def compact(
    db: DbOption = DEFAULT_DB,
    packed: Annotated[bool, typer.Option(
        "--packed", help="Pack the band key and story term tables full too, for a store that takes no more "
        "articles (by default they keep the room a stream leaves, which the next articles' rows fill).")] = False,
) -> None:
    """Give back the pages a store no longer uses and lay its tables out in order again (SQLite's
    VACUUM, the search index merged into one segment first); a store made with small pages gets
    8 KiB ones. Worth running after `storyline migrate` or a large ingest.

    Needs the store alone (stop a server or ingest using it first) and free disk space of up to
    twice the store's size while it runs (SQLite's VACUUM writes a copy, and a journal).

    Example: [bold]storyline compact --db news.db[/]
    """
    with _open(db, create=False) as sl:
        for short in sl.compact_shortfalls():
            err.print(f"[yellow]warning:[/] {short.free / 1e6:,.1f} MB free on the disk of {escape(str(short.folder))}, "
                      f"where compacting may write up to {short.needed / 1e6:,.1f} MB ({short.what}); if it runs "
                      "out, the store is left as it was")
        if err.is_terminal:
            with err.status("compacting"):
                done = sl.compact(room=not packed)
        else:
            done = sl.compact(room=not packed)
    dropped = f", {done.band_rows_dropped:,} band key rows no lookup reads dropped" if done.band_rows_dropped else ""
    room = ", packed full" if packed else ""
    out.print(f"{escape(str(db))}: {done.before_bytes / 1e6:,.1f} MB → {done.after_bytes / 1e6:,.1f} MB "
              f"({done.page_size:,}-byte pages, {done.seconds:.1f} s{dropped}{room})")


def _cannot_analyse(sl: Storyline, article_ids: Sequence[str] | None = None) -> bool:
    """Whether the store can only be read from here, so its articles not analysed for statements
    (of ``article_ids``, or all) stay so: a warning says how many, and what comes out lacks them."""
    if sl.read_only is None:
        return False
    _left_out(len(sl.queries.unanalysed_articles(article_ids)),
              f"and the store can only be read from here ({escape(sl.read_only)})")
    return True


def _left_out(pending: int, why: str) -> None:
    """The warning that ``pending`` articles' statements are left out of what comes out, and ``why``."""
    if pending:
        err.print(f"[yellow]warning:[/] {_n(pending, 'article')} not analysed for statements yet, {why}: "
                  "their statements are left out")


def _analyse_statements(sl: Storyline, article_ids: Sequence[str] | None = None) -> None:
    """Parse the articles not analysed yet, of ``article_ids`` or all (what is shown or exported
    needs their statements), with a progress bar on a terminal: the parser reads ~100 paragraphs
    a second, minutes for a story of a few thousand articles."""
    if _cannot_analyse(sl, article_ids):
        return
    with _errors(sl.settings.db_path):
        if not err.is_terminal:
            sl.analyse_statements(article_ids)
            return
        with Progress(TextColumn("finding statements"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, transient=True) as progress:
            task = progress.add_task("statements", total=None)
            sl.analyse_statements(article_ids,
                                  progress=lambda done, total: progress.update(task, completed=done, total=total))


@app.command()
def batch(
    paths: Annotated[list[str], typer.Argument(metavar="INPUT...", help="Files, folders or globs: JSONL, CSV, or "
                                               "any format ingest reads.")],
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the Parquet tables, the rejects and the "
                                          "job's work files.")],
    db: Annotated[Optional[Path], typer.Option("--db", help="The SQLite store to write (default: OUT/storyline.db); "
                                               "streaming ingest can go on into it.")] = None,
    map_: Annotated[Optional[list[str]], typer.Option(
        "--map", help="Column names for fields, e.g. title=TITLE,published=TIMESTAMP,source=PUBLISHER.")] = None,
    master: Annotated[str, typer.Option(help="Spark master when no session was given by spark-submit.")] = "local[*]",
    partitions: Annotated[int, typer.Option(min=0, max=_MOST,
                                            help="Partitions to featurize in (0: three per core).")] = 0,
    driver_memory: Annotated[str, typer.Option("--driver-memory", help="spark.driver.memory of a local session.")]
    = "4g",
    statements: Annotated[bool, typer.Option("--statements", help="Also find every article's statements (parsed "
                                             "on the executors) and write statements.parquet and "
                                             "contradictions.parquet.")] = False,
    pair_checks: Annotated[int, typer.Option("--pair-checks", min=0, max=_MOST,
                                             help="Check this many candidate passage "
                                             "pairs a passage on the executors before the store stage (20; "
                                             "0: none, the driver checks them). Pays on a cluster.")] = 0,
    near_duplicates: Annotated[bool, typer.Option("--near-duplicates", help="Find every article's near-duplicate "
                                                  "original on the executors (DataFrame operations) before the "
                                                  "store stage, and write near_duplicates.parquet.")] = False,
    chunk_articles: Annotated[int, typer.Option("--chunk-articles", min=1, max=_MOST,
                                                help="Articles featurized a chunk (each a Spark job, "
                                                "resumed chunk by chunk).")] = 5_000,
    featurize_ahead: Annotated[bool, typer.Option("--featurize-ahead", help="Featurize the chunks on a thread "
                                                  "beside the store stage, which then asks the store for its "
                                                  "lookups (not with --pair-checks or --near-duplicates).")]
    = False,
    keep_work: Annotated[bool, typer.Option("--keep-work", help="Keep the featurized articles and band keys "
                                            "under OUT/_work once the store stage is done (removed by default: "
                                            "nothing after it reads them).")] = False,
    compact_store: Annotated[bool, typer.Option("--compact/--no-compact", help="Compact the store once written, "
                                                "as storyline compact does (needs it alone and free disk of up "
                                                "to twice its size; where it cannot, it is left as written and "
                                                "the job says so).")] = True,
    progress_every: Annotated[float, typer.Option("--progress-every", min=0, max=86_400,
                                                  help="Seconds between the lines a Spark stage prints while it "
                                                  "runs (its tasks done); 0: only each stage's first and last "
                                                  "lines.")] = 30.0,
    json_: JsonOption = False,
) -> None:
    """Run an archive through every stage on Apache Spark (the spark extra): the same results as ingest.

    Reads the inputs with ingest's rules (rejections with their reasons go to OUT/rejects.jsonl),
    featurizes in Spark partitions (a chunk at a time), resolves in ingest order into the
    store, compacts it, and writes
    OUT/articles.parquet, passages.parquet, stories.parquet and timeline.parquet. Run again with
    the same arguments, it skips the stages a previous run completed. Exits with status 1 when
    any input was rejected.

    Example: [bold]storyline batch archive/*.jsonl --out archive-out --db archive.db[/]
    """
    from .batch import run_batch
    from .settings import BatchSettings

    try:
        mapping = parse_map(map_)
        settings = Settings(batch=BatchSettings(master=master, partitions=partitions, driver_memory=driver_memory,
                                                statements=statements, pair_checks=pair_checks,
                                                near_duplicates=near_duplicates, progress_s=progress_every,
                                                chunk_articles=chunk_articles, featurize_ahead=featurize_ahead,
                                                keep_work=keep_work, compact=compact_store))
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None

    def say(stage: str, message: str) -> None:
        err.print(f"[bold]{stage}[/] {escape(message)}")

    try:
        with _errors(db):
            report = run_batch(paths, out_dir, db, settings, ReadOptions(mapping=mapping), progress=say)
    except KeyboardInterrupt:
        err.print("[yellow]interrupted:[/] run the same command again to go on: the stages completed are not run "
                  "again, featurize goes on from its last complete chunk, the store stage after its last "
                  "committed batch")
        raise typer.Exit(130) from None
    if json_:
        out.print_json(data=report.as_dict())
    else:
        for item in report.rejected[:_SHOW]:
            err.print(f"  [red]rejected[/] {escape(str(item))}")
        if len(report.rejected) > _SHOW:
            err.print(f"  … and {len(report.rejected) - _SHOW} more in {escape(str(out_dir / 'rejects.jsonl'))}")
        for article_id, reason in report.analysis_failed[:_SHOW]:
            err.print(f"  [yellow]not analysed[/] {escape(article_id)}: {escape(reason)}")
        colour = "green" if report.ok else "red"
        copies = f" ({report.copies} cop{'y' if report.copies == 1 else 'ies'} of stored text)" if report.copies else ""
        other = sum(d.other_text for d in report.duplicates)
        present = f"{len(report.duplicates)} already present" + (f" ({other} with another text)" if other else "")
        out.print(f"[{colour}]{report.added} added{copies}, {present}, "
                  f"{len(report.rejected)} rejected[/] · store {escape(str(report.db))} · tables in "
                  f"{escape(str(out_dir))}")
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def export(
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", help=f"One of {', '.join(EXPORT_FORMATS)}.")] = "json",
    out_path: Annotated[Optional[Path], typer.Option("--out", help="Write to this file (default: stdout).")] = None,
    raw_csv: Annotated[bool, typer.Option("--raw-csv", help="CSV cells exactly as stored: by default a text cell "
                                          "starting with = + - or @ gets a leading ' so that a spreadsheet shows "
                                          "it instead of running it as a formula.")] = False,
    analyse: Annotated[bool, typer.Option("--analyse/--no-analyse", help="Find the statements of articles not "
                                          "analysed yet first (the parser, ~100 paragraphs a second: hours on a "
                                          "store the batch job filled without --statements); --no-analyse "
                                          "leaves theirs out.")] = True,
) -> None:
    """Export articles (and their passages) as JSON, JSONL or CSV, as the export contract describes.

    CSV has one row per passage. Example: [bold]storyline export --format csv --out news.csv[/]
    """
    if fmt not in EXPORT_FORMATS:
        raise typer.BadParameter(f"{fmt!r} is not an export format; choose one of {', '.join(EXPORT_FORMATS)}",
                                 param_hint="--format")
    if out_path is not None:
        _check_out_file(out_path, f"storyline.{'json' if fmt == 'json' else fmt}")
    with _open(db, create=False) as sl:
        if analyse:
            _analyse_statements(sl)
        else:
            _left_out(len(sl.queries.unanalysed_articles()), "and --no-analyse leaves them so")
        q = sl.queries
        if out_path is None:
            write_export(q.articles(), story_records(q), fmt, sys.stdout, raw_csv=raw_csv)  # type: ignore[arg-type]
            return
        tmp = out_path.with_name(out_path.name[:240] + ".part")  # a name the file system takes if it took the file's
        # Written aside and renamed, so an interrupted export never leaves a truncated file behind,
        # nor a file beside it that it will never finish.
        try:
            with open(tmp, "w", encoding="utf-8", newline="") as handle:
                count = write_export(q.articles(), story_records(q), fmt, handle,  # type: ignore[arg-type]
                                     raw_csv=raw_csv)
            tmp.replace(out_path)
        except BaseException as exc:
            with suppress(OSError):
                tmp.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                err.print(f"[red]error:[/] cannot write {escape(str(out_path))}: {escape(exc.strerror or str(exc))}"
                          f"; nothing was written")
                raise typer.Exit(2) from None
            raise
    err.print(f"{_n(count, 'article')} written to {escape(str(out_path))}")


def _check_out_file(path: Path, example: str) -> None:
    """Refuse, before any work, an output file that cannot be one: a folder, or in a folder that
    does not exist."""
    try:
        if path.is_dir():
            raise typer.BadParameter(f"{path} is a folder: give the file to write in it, e.g. {path / example}",
                                     param_hint="--out")
        parent = path.parent
        if not parent.is_dir():
            what = "is not a folder" if parent.exists() else "does not exist"
            raise typer.BadParameter(f"cannot write {path}: the folder {parent} {what}", param_hint="--out")
    except OSError as exc:  # a name too long for the file system, a folder that cannot be read
        raise typer.BadParameter(f"cannot write {path}: {exc.strerror or exc}", param_hint="--out") from None


@app.command()
def compare(
    file_a: Annotated[Path, typer.Argument(metavar="FILE_A", help="An article file (any ingest format, one article).")],
    file_b: Annotated[Path, typer.Argument(metavar="FILE_B", help="Another article file.")],
    json_: JsonOption = False,
) -> None:
    """Compare two articles without a store: same story, and which passages of B recycle A.

    Example: [bold]storyline compare old.txt new.txt --json[/]
    """
    settings = Settings()
    with _errors():
        b = read_one(file_b, settings)
        result = compare_articles(read_one(file_a, settings), b, settings)
    if json_:
        out.print_json(data=result.as_dict())
        return
    verdict = "same story" if result.same_story else "different stories"
    across = (f", by names and numbers: A is in {result.languages[0]}, B in {result.languages[1]}"
              if result.across_languages else "")
    out.print(f"[bold]{verdict}[/] (story similarity {result.story_similarity:.2f}{across}); "
              f"{len(result.recycled)} recycled passage pairs")
    for m in result.recycled:
        out.print(f"  A¶{m.a} ↔ B¶{m.b}  score {m.score:.2f}  [dim]{escape(b.passages[m.b].text[:90])}[/]")


def _texts(files: list[Path]) -> list[FileText]:
    """Each file's texts as ingest reads it: a plain-text file as it is, every article of a page,
    feed, JSONL or CSV file on its own (:mod:`storyline.file_texts`)."""
    return [t for f in files for t in file_texts(f)]


def _where(t: FileText, many: bool) -> dict[str, str]:
    """What a record says of where it comes from: the file when there are several, the article
    when the file is not plain text."""
    return ({"file": t.path} if many else {}) | ({"article": t.article_id} if t.article_id is not None else {})


@app.command()
def timex(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Text files (the seed format's date "
                                                "prefix gives the reference date), or HTML pages, feeds, JSONL "
                                                "or CSV, read as ingest reads them.")],
    date_: Annotated[str | None, typer.Option("--date", metavar="YYYY-MM-DD",
                                                 help="The reference (publication) date; overrides the prefix.")]
    = None,
    json_: JsonOption = False,
) -> None:
    """Temporal expressions of a text: TimeML type and value, normalised against the article's date.

    A plain-text file is read as it is: offsets are characters into the file, and the seed
    format's date prefix gives the reference date. A page, feed, JSONL or CSV file is read as
    ingest reads it (a page's main text only, without its styles and scripts): each article
    is tagged on its own, offsets into its text as stored, its publication date the reference;
    its records name it ("article"). Without a date (no --date, no prefix, no published date)
    relative expressions keep X's (XXXX-10-17). With several files, each record also names its file.

    Example: [bold]storyline timex ../shared/seeds/000_28c5dd749a0a6b13.txt --json[/]
    """
    from .timex_files import parse_reference, tag_text

    with _errors():
        reference = parse_reference(date_) if date_ else None
        texts = _texts(files)
        tagged = []
        for t in texts:
            own = reference
            if own is None and t.published:
                own = parse_reference(t.published[:10], f"{t.path}: the published date of {t.article_id}")
            tagged.append((t, *tag_text(t.text, own)))
    for t, ref, _ in tagged:
        if ref is None:
            name = t.path + (f" ({t.article_id})" if t.article_id else "")
            err.print(f"[yellow]warning:[/] {escape(name)}: no reference date (give --date); "
                      "relative dates stay unresolved")
    many = len(files) > 1
    if json_:
        out.print_json(data=[_where(t, many) | x.as_dict() for t, _, found in tagged for x in found])
        return
    for t, ref, found in tagged:
        name = t.path + (f" · {t.article_id}" if t.article_id else "")
        table = Table(title=f"{escape(name)}  [dim]reference {ref or 'none'} · {len(found)} expressions[/]",
                      title_justify="left")
        for column in ("offsets", "text", "type", "value"):
            table.add_column(column, no_wrap=column != "text")
        for x in found:
            value = f"{x.value} ({x.mod})" if x.mod else x.value
            table.add_row(f"{x.start}-{x.end}", escape(x.text), x.type, escape(value))
        out.print(table)


@app.command()
def statements(
    files: Annotated[Optional[list[Path]], typer.Argument(metavar="[FILE]...", help="Files to read statements "
                                                          "from (no store needed): plain text as it is; pages, "
                                                          "feeds, JSONL or CSV as ingest reads them.")] = None,
    story_id: Annotated[Optional[str], typer.Option("--story", metavar="STORY_ID",
                                                    help="Show a stored story's claims and conflicts instead.")] = None,
    db: DbOption = DEFAULT_DB,
    json_: JsonOption = False,
) -> None:
    """Who said what: attributed statements (speaker, cue, content) of text files, or a story's claims
    with every article that reports them and the claims that conflict.

    For a plain-text file, offsets are characters into the file; a page, feed, JSONL or CSV file is
    read as ingest reads it (a page's main text, without styles and scripts), each article on its
    own with offsets into its text as stored and its records naming it ("article"). speaker_name
    is the speaker's canonical name in that text (aliases merged). With --story, articles not
    analysed yet are parsed first.

    Example: [bold]storyline statements ../shared/seeds/000_28c5dd749a0a6b13.txt --json[/]
    """
    if story_id is not None:
        if files:
            err.print("[red]error:[/] give FILE... or --story, not both")
            raise typer.Exit(2)
        from .export import statement_record

        with _open(db, create=False) as sl:
            found = sl.queries.story(story_id)
            _analyse_statements(sl, found.article_ids)  # the parser runs here, once per article
            claims, conflicts = sl.queries.statements(found.id)
        if json_:
            out.print_json(data={"statements": [statement_record(c) for c in claims],
                                 "contradictions": [c.as_dict() for c in conflicts]})
            return
        table = Table(title=f"{escape(found.title)}  [dim]{found.id} · {len(claims)} statements[/]",
                      title_justify="left", show_lines=True)
        for column in ("date", "speaker", "statement", "articles"):
            table.add_column(column, no_wrap=column in ("date", "articles"))
        for c in claims:
            speaker = c.speaker + (f" [dim](also {escape(', '.join(c.speaker_aliases))})[/]" if c.speaker_aliases else "")
            table.add_row(c.date or "", speaker, escape(c.text), str(len(c.article_ids)))
        out.print(table)
        for conflict in conflicts:
            out.print(f"[yellow]conflict ({conflict.kind}):[/] {escape(conflict.reason)}")
        return
    if not files:
        err.print("[red]error:[/] give FILE... to read, or --story STORY_ID")
        raise typer.Exit(2)
    from .statements.files import file_statements

    with _errors():
        texts = _texts(files)
        records = file_statements([t.text for t in texts])
    many = len(files) > 1
    if json_:
        out.print_json(data=[_where(t, many) | r for t, rs in zip(texts, records) for r in rs])
        return
    for t, rs in zip(texts, records):
        name = t.path + (f" · {t.article_id}" if t.article_id else "")
        table = Table(title=f"{escape(name)}  [dim]{len(rs)} statements[/]", title_justify="left", show_lines=True)
        for column in ("speaker", "cue", "content"):
            table.add_column(column)
        for r in rs:
            who = escape(r["speaker"]["text"]) if r["speaker"] else "—"
            if r["speaker_name"] and r["speaker"] and r["speaker_name"] != r["speaker"]["text"]:
                who += f" [dim]({escape(r['speaker_name'])})[/]"
            table.add_row(who, escape(r["cue"]["text"]), escape(r["content"]["text"]))
        out.print(table)


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to bind. 127.0.0.1 keeps the server to this machine; "
                                           "0.0.0.0 opens it to the network.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    token_file: Annotated[Optional[Path], typer.Option(
        "--token-file", show_default=False,
        help="A file holding the bearer token that POST /api/articles requires (at least 16 characters). "
             "Or set STORYLINE_TOKEN. Without a token, ingest over HTTP is off and the server only reads.")] = None,
    token: Annotated[Optional[str], typer.Option(
        show_default=False, help="The token itself; other users of this machine see it in the process list: "
                                 "prefer STORYLINE_TOKEN or --token-file.")] = None,
    allowed_host: Annotated[Optional[list[str]], typer.Option(
        "--allowed-host", help="A host name the server answers to (repeat for more; '*' for any). Default: "
                               "localhost, 127.0.0.1, ::1 and the address bound.")] = None,
    allow_private_urls: Annotated[bool, typer.Option(
        "--allow-private-urls", help="Let POST /api/articles fetch URLs on loopback, private, link-local or "
                                     "multicast addresses (refused by default).")] = False,
    analyse: Annotated[bool, typer.Option("--analyse/--no-analyse",
                                          help="Find statements of articles not analysed yet in the background.")] = True,
) -> None:
    """Serve the web UI and the HTTP JSON API over a store.

    Pages: / (stories), /stories/ID, /articles/ID, /search?q=; each has a JSON twin under /api
    (schema at /openapi.json). Ingest over HTTP needs a token: STORYLINE_TOKEN or --token-file.

    Example: [bold]STORYLINE_TOKEN=… storyline serve --db news.db[/] then open http://127.0.0.1:8000/
    """
    import os

    import uvicorn

    from .settings import WebSettings
    from .web import create_app

    with _errors(db):
        if token is not None:
            err.print("[yellow]warning:[/] --token is visible to every user of this machine (ps); "
                      "use STORYLINE_TOKEN or --token-file")
        elif token_file is not None:
            token = _read_token(token_file)
        else:
            token = os.environ.get("STORYLINE_TOKEN") or None
        web = WebSettings(host=host, port=port, token=token, analyse=analyse,
                          allowed_hosts=tuple(allowed_host) if allowed_host else WebSettings().allowed_hosts)
        settings = Settings(db_path=db, web=web, ingest=IngestSettings(allow_private_urls=allow_private_urls))
        if not db.exists():
            raise StorylineError(f"no store at {db}: ingest articles first (storyline ingest FILES --db {db})")
        with Storyline(settings=settings) as sl:  # a store that cannot be opened is an error now, not per request
            read_only = sl.read_only
    if host not in ("127.0.0.1", "localhost", "::1") and token:
        err.print("[yellow]warning:[/] the token travels in clear over plain HTTP; put a TLS proxy in front "
                  "when serving beyond this machine")
    with _errors():
        listening = _bind(host, port)  # before saying "serving at": a busy port is an error, said plainly
    shown = f"[{host}]" if ":" in host else host
    err.print(f"storyline: serving {escape(str(db))} at http://{escape(shown)}:{port}/ (Ctrl+C stops)")
    if read_only is not None:
        err.print(f"storyline: the store can only be read from here ({escape(read_only)}): pages and the API read "
                  "it; ingest over HTTP is refused and statements not analysed yet stay so")
    server = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning"))
    server.run(sockets=[listening])


def _bind(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` for the server to listen on, or a :class:`StorylineError`
    that says why not (the port is taken, the address is not this machine's)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise StorylineError(f"cannot serve on {host}: not an address of this machine ({exc.strerror})") from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: a restart need not wait
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise StorylineError(f"port {port} on {host} is already in use (another storyline serve, or another "
                                 f"server); stop it or choose another port: --port {port + 1}") from None
        raise StorylineError(f"cannot serve on {host}:{port}: {exc.strerror}") from None
    return sock


def _read_token(path: Path) -> str:
    try:
        token = path.read_text(encoding="utf-8").strip()
        mode = path.stat().st_mode
    except (OSError, UnicodeDecodeError) as exc:
        raise StorylineError(f"cannot read the token file {path}: {exc}") from None
    if not token:
        raise StorylineError(f"the token file {path} is empty")
    if mode & 0o077:
        err.print(f"[yellow]warning:[/] {escape(str(path))} can be read by other users (chmod 600 it)")
    return token


eval_app = typer.Typer(help="Score storyline on labelled data (see ../shared/data/README.md).",
                       no_args_is_help=True)
app.add_typer(eval_app, name="eval")


PartOption = Annotated[str, typer.Option(
    "--part", help="Which part of the set: tune (what settings and rules were chosen on), report (text never "
    "tuned on; CI gates it) or both, each printed under its own label.")]


def _part_choice(part: str) -> tuple:
    from .eval.protocol import parts

    try:
        return parts(part)
    except InputError as exc:
        raise typer.BadParameter(exc.reason, param_hint="--part") from None


@eval_app.command("passages")
def eval_passages(
    path: Annotated[Path, typer.Argument(help="A folder of plain-text articles, e.g. ../shared/data/polnear/dev/text.")],
    stories: Annotated[int, typer.Option(help="Stories to plant in each set.")] = 40,
    seed: Annotated[Optional[int], typer.Option(help="Score this one seed's set instead of the parts' seeds "
                                                "(a development figure).")] = None,
    level: Annotated[str, typer.Option(help="Edits of the copies: easy, hard or both.")] = "both",
    part: PartOption = "both",
    seeds: Annotated[Optional[int], typer.Option(help="Only the first N seeds of each part (a quicker check).")] = None,
    errors: Annotated[bool, typer.Option("--errors", help="Also print every error as a JSON line.")] = False,
    json_: JsonOption = False,
) -> None:
    """Recycled-passage precision/recall on planted sets built from real articles.

    Background blocks are planted across articles with exact gold: re-worded, re-ordered and
    re-spelled (easy), and also trimmed, merged, split, interleaved, with sentences dropped or
    added and numbers restyled (hard). Each set is ingested into a temporary store and
    scored; a part's seeds (tune 0-9, report 10-19) are scored together.

    Example: [bold]storyline eval passages ../shared/data/polnear/dev/text --level hard --part report[/]
    """
    from .eval.passages import evaluate_passage_part, evaluate_passages  # not needed for anything else
    from .eval.planted import LEVELS
    from .eval.protocol import planted_seeds

    if not path.is_dir():
        raise typer.BadParameter(f"{path} is not a folder", param_hint="PATH")
    levels = [lv for lv in LEVELS if level in (lv, "both")]
    if not levels:
        raise typer.BadParameter(f"expected easy, hard or both, got {level!r}", param_hint="--level")
    chosen = _part_choice(part)
    results: dict[str, dict] = {}
    labels: dict[str, str] = {}
    with _errors():
        for lv in levels:
            if seed is not None:  # one set, outside the protocol's parts
                scores, error_records = evaluate_passages(path, stories=stories, seed=seed, level=lv)
                key, labels[f"{lv}/seed {seed}"] = f"{lv}/seed {seed}", f"seed {seed}"
                results[key] = scores.as_dict()
                _print_error_records(error_records if errors else [])
                continue
            for p in chosen:
                scores, error_records = evaluate_passage_part(path, p, lv, stories=stories, seeds=seeds)
                used = planted_seeds(p, seeds)
                results[f"{lv}/{p}"] = scores.as_dict()
                labels[f"{lv}/{p}"] = f"{p} part, seeds {used[0]}-{used[-1]}"
                _print_error_records(error_records if errors else [])
    if json_:
        out.print_json(data=results)
        return
    for key, r in results.items():
        out.print(f"recycled passages, {key.split('/')[0]} level, {labels[key]} ({stories} stories a set, "
                  f"{r['passages']} passages, {r['positives']} copies): precision {r['precision']:.4f}, "
                  f"recall {r['recall']:.4f}, F1 {r['f1']:.4f}, first_seen accuracy {r['first_seen_accuracy']:.4f}; "
                  f"copied span overlap {r['span_overlap']:.4f} (first_seen {r['first_seen_span_overlap']:.4f})")


def _print_error_records(records: list[dict]) -> None:
    for record in records:
        print(json.dumps(record, ensure_ascii=False))


@eval_app.command("clusters")
def eval_clusters(
    path: Annotated[Path, typer.Argument(help="A labelled stream: the UCI news CSV, or JSONL with a story field.")],
    embeddings: Annotated[bool, typer.Option("--embeddings", help="Also compare all-MiniLM-L6-v2 embeddings "
                                             "(the embeddings extra).")] = False,
    part: PartOption = "both",
    json_: JsonOption = False,
) -> None:
    """Story clustering of a labelled stream, ingested in time order: BCubed P/R/F1, pairwise F1, ARI.

    The tune part is the stream's first day, the report part the days after it; each is
    ingested into its own fresh store.

    Example: [bold]storyline eval clusters ../shared/data/uci-news/uci-news-2014-03-10.csv --part report[/]
    """
    from .eval.clusters import evaluate_clusters

    settings = Settings(stories=StorySettings(embeddings=embeddings))
    with _errors():
        results = {p: evaluate_clusters(path, settings, part=p).as_dict() for p in _part_choice(part)}
    if json_:
        out.print_json(data=results)
        return
    for p, result in results.items():
        out.print(f"{p:6}  BCubed precision {result['bcubed_precision']:.4f}, recall {result['bcubed_recall']:.4f}, "
                  f"F1 {result['bcubed_f1']:.4f}; pairwise F1 {result['pairwise_f1']:.4f}; ARI {result['ari']:.4f}; "
                  f"{result['predicted_stories']} stories for {result['gold_stories']} gold, "
                  f"{result['articles']} articles")


@eval_app.command("pairs")
def eval_pairs(
    path: Annotated[Path, typer.Argument(help="The SemEval-2022 task 8 CSV, or its folder.")],
    scores: Annotated[bool, typer.Option("--scores", help="Print each pair's similarity as a JSON line.")] = False,
    embeddings: Annotated[bool, typer.Option("--embeddings", help="Use all-MiniLM-L6-v2 document embeddings "
                                             "(the embeddings extra) instead of TF-IDF.")] = False,
    part: Annotated[str, typer.Option("--part", help="tune, report, both (each part on its own), or all "
                                      "(the whole set at once, as measured before the split).")] = "both",
    json_: JsonOption = False,
) -> None:
    """Same-story similarity of article pairs: Pearson against the gold Overall, per language pair.

    The tune part is the pairs whose id's CRC-32 is even, the report part the others.

    Example: [bold]storyline eval pairs ../shared/data/semeval2022-task8 --part report[/]
    """
    from .eval.pairs import embedding_similarities, evaluate_pairs, pair_similarities

    chosen: tuple = (None,) if part == "all" else _part_choice(part)
    similarity = embedding_similarities if embeddings else pair_similarities
    with _errors():
        results = {p or "all": evaluate_pairs(path, similarity, part=p) for p in chosen}
    if scores:
        for name, (_, pairs, similarities) in results.items():
            for pair, s in zip(pairs, similarities):
                print(json.dumps({"pair_id": pair.pair_id, "part": name, "languages": pair.languages,
                                  "similarity": round(s, 4), "predicted_overall": round(4 - 3 * s, 4),
                                  "overall": pair.overall}))
    if json_:
        out.print_json(data={name: result.as_dict() for name, (result, _, _) in results.items()})
        return
    for name, (result, _, _) in results.items():
        for lang, (n, r) in result.by_language.items():
            out.print(f"{name:6}  {lang:8} {n:5d} pairs  Pearson {r:.4f}")
        out.print(f"{name:6}  {'all':8} {result.overall[0]:5d} pairs  Pearson {result.overall[1]:.4f}")


@eval_app.command("timex")
def eval_timex(
    path: Annotated[Path, typer.Argument(help="TBAQ-cleaned (holding TimeBank/ and AQUAINT/), one of those, "
                                         "or any folder of TimeML .tml files (searched recursively), or one file.")],
    part: PartOption = "both",
    errors: Annotated[bool, typer.Option("--errors", help="Print each disagreement as a JSON line.")] = False,
    json_: JsonOption = False,
) -> None:
    """Temporal expressions against TimeML gold, as TempEval-3 scores them: strict and relaxed span
    F1, value F1 (relaxed matches with the right value), type accuracy; each document's DCT is
    the reference date. TimeBank is the part to tune on, AQUAINT the part to report.

    Example: [bold]storyline eval timex ../shared/data/tempeval3/TBAQ-cleaned --part report[/]
    """
    from .eval.protocol import TIMEX_FOLDERS, part_folders
    from .eval.timex import evaluate_timex

    wanted = _part_choice(part)
    with _errors():
        folders = part_folders(path, TIMEX_FOLDERS, wanted) if path.is_dir() else {"all": path}
        results = {label: evaluate_timex(folder) for label, folder in folders.items()}
    if errors:
        for label, result in results.items():
            for e in result.errors:
                gold = ({"text": e.gold.text, "type": e.gold.type, "value": e.gold.value} if e.gold else None)
                print(json.dumps({"part": label, "document": e.document, "kind": e.kind, "gold": gold,
                                  "predicted": e.predicted, "context": e.context}, ensure_ascii=False))
    if json_:
        out.print_json(data={label: result.scores.as_dict() for label, result in results.items()})
        return
    for label, result in results.items():
        scores = result.scores.as_dict()
        out.print(f"timex, {label} part: {escape(str(folders[label]))} ({scores['documents']} documents, "
                  f"{scores['gold']} gold, {scores['predicted']} predicted): strict P {scores['strict_precision']:.4f} "
                  f"R {scores['strict_recall']:.4f} F1 {scores['strict_f1']:.4f}; relaxed P "
                  f"{scores['relaxed_precision']:.4f} R {scores['relaxed_recall']:.4f} F1 {scores['relaxed_f1']:.4f}; "
                  f"value F1 {scores['value_f1']:.4f}; type accuracy {scores['type_accuracy']:.4f}")


@eval_app.command("statements")
def eval_statements(
    path: Annotated[Path, typer.Argument(help="PolNeAR (holding train/ and dev/), or one part: the folder "
                                         "holding text/ and attributions/, e.g. ../shared/data/polnear/dev.")],
    part: PartOption = "both",
    errors: Annotated[bool, typer.Option("--errors", help="Print each missed or spurious content span as a "
                                         "JSON line.")] = False,
    embeddings: Annotated[bool, typer.Option("--embeddings", help="Re-draw span edges with all-MiniLM-L6-v2's "
                                             "word-piece vectors too (the embeddings extra).")] = False,
    json_: JsonOption = False,
) -> None:
    """Attributions against PolNeAR: source, cue and content span P/R/F1, matched one to one
    exactly, by any overlap, and by sharing at least half of the spans' union; a text annotated
    twice is scored against each annotation and the two averaged.

    Example: [bold]storyline eval statements ../shared/data/polnear/dev --embeddings[/]
    """
    from .eval.polnear import errors as statement_errors
    from .eval.polnear import evaluate_statements, read_polnear
    from .eval.protocol import POLNEAR_FOLDERS, part_folders

    results = {}
    with _errors():
        folders = part_folders(path, POLNEAR_FOLDERS, _part_choice(part))
        for label, folder in folders.items():
            total = len(read_polnear(folder))
            with Progress(TextColumn(f"attributions ({label})"), BarColumn(), MofNCompleteColumn(),
                          TimeElapsedColumn(), console=err, transient=True, disable=not err.is_terminal) as bar:
                task = bar.add_task("texts", total=total)
                results[label] = evaluate_statements(folder, progress=lambda n: bar.advance(task, n),
                                                     encoder=embeddings)
    if errors:
        for label, result in results.items():
            for record in statement_errors(result):
                print(json.dumps({"part": label, **record}, ensure_ascii=False))
    if json_:
        out.print_json(data={label: result.scores.as_dict() for label, result in results.items()})
        return
    for label, result in results.items():
        scores = result.scores.as_dict()
        out.print(f"statements, {label} part: {escape(str(folders[label]))} ({scores['documents']} texts, "
                  f"{scores['annotations']} annotations)")
        for kind in ("source", "cue", "content"):
            s = scores[kind]
            out.print(f"  {kind:8} " + "; ".join(
                f"{how} P {s[how]['precision']:.4f} R {s[how]['recall']:.4f} F1 {s[how]['f1']:.4f}"
                for how in ("exact", "overlap", "half")) + f"  ({s['gold']:g} gold, {s['predicted']} predicted)")


@eval_app.command("headlines")
def eval_headlines(
    path: Annotated[Path, typer.Argument(help="The UCI news CSV the labels were made on: "
                                         "../shared/data/uci-news/uci-news-2014-03-10.csv")],
    part: PartOption = "both",
    labels: Annotated[Optional[Path], typer.Option("--labels", help="Another labels file in the same format "
                                                   "(default: the labelled headlines shipped with storyline: "
                                                   "two tune samples of 200 and a report sample of 200).")]
    = None,
    errors: Annotated[bool, typer.Option("--errors", help="Print each headline whose speakers differ from the "
                                         "label as a JSON line.")] = False,
    json_: JsonOption = False,
) -> None:
    """Speakers of headline-only articles against hand-labelled UCI headlines: precision and recall
    of "has a speaker", and exact speaker match, for the tune part (two samples of 200, each
    and together) and the report part (a third sample of 200, never tuned on).

    Example: [bold]storyline eval headlines ../shared/data/uci-news/uci-news-2014-03-10.csv[/]
    """
    from .eval.headlines import evaluate_headlines

    with _errors():
        results = evaluate_headlines(path, _part_choice(part), labels)
    if errors:
        for label, (_, rows) in results.items():
            for r in rows:
                if set(r.speakers) != ({r.headline.speaker} if r.headline.speaker else set()):
                    print(json.dumps({"part": label, "id": r.headline.id, "title": r.headline.title,
                                      "gold": r.headline.speaker, "predicted": list(r.speakers)}, ensure_ascii=False))
    if json_:
        out.print_json(data={label: scores.as_dict() for label, (scores, _) in results.items()})
        return
    for label, (s, _) in results.items():
        name = {"tune1": "tune part, first sample", "tune2": "tune part, second sample",
                "tune": "tune part, both samples" if "tune1" in results else "tune part"}.get(label, f"{label} part")
        out.print(f"headlines, {name} ({s.headlines} headlines, {s.gold} with a speaker, {s.predicted} given "
                  f"one): has a speaker P {s.precision:.4f} R {s.recall:.4f}; exact speaker P "
                  f"{s.exact_precision:.4f} R {s.exact_recall:.4f}")


@eval_app.command("conflicts")
def eval_conflicts(
    path: Annotated[Path, typer.Argument(help="A conflicts gold file (format storyline-conflicts/1), e.g. "
                                         "tests/fixtures/conflicts/examples.json.")],
    part: PartOption = "both",
    root: Annotated[Optional[Path], typer.Option("--root", help="The folder the gold's article paths are "
                                                 "relative to (default: the gold file's folder).")] = None,
    errors: Annotated[bool, typer.Option("--errors", help="Print each missed and each wrongly flagged conflict "
                                         "as a JSON line.")] = False,
    json_: JsonOption = False,
) -> None:
    """Claims and conflicting claims of whole stories against a gold set: each story's articles are
    ingested into a fresh store, and its statements and conflicts scored (claim P/R, conflict P/R).

    Example: [bold]storyline eval conflicts tests/fixtures/conflicts/seeds.json --root ../shared/seeds[/]
    """
    from .eval.conflicts import by_kind, evaluate_conflicts

    with _errors():
        results = evaluate_conflicts(path, _part_choice(part), root)
    if errors:
        for label, (_, stories) in results.items():
            for r in stories:
                for p in r.missed:
                    print(json.dumps({"part": label, "story": r.story.id, "missed": list(p.claims), "kind": p.kind,
                                      "unreported": [c for c in p.claims if c in r.unreported]},
                                     ensure_ascii=False))
                for c, a, b in r.wrong:
                    print(json.dumps({"part": label, "story": r.story.id, "wrong": c.reason, "kind": c.kind,
                                      "claims": [list(a), list(b)]}, ensure_ascii=False))
    if json_:
        out.print_json(data={label: {**scores.as_dict(), "by_kind": {k: {"conflicts": g, "found": f} for k, (g, f)
                                                                       in by_kind(stories).items()}}
                             for label, (scores, stories) in results.items()})
        return
    for label, (s, stories) in results.items():
        if not s.stories:
            out.print(f"conflicts, {label} part: no stories in {escape(str(path))}")
            continue
        out.print(f"conflicts, {label} part ({s.stories} stories, {s.claims} claims, {s.conflicts} conflicts, "
                  f"{s.flagged} flagged): claims P {s.claim_precision:.4f} R {s.claim_recall:.4f}; conflicts P "
                  f"{s.conflict_precision:.4f} R {s.conflict_recall:.4f}; not-conflicts flagged {s.forbidden_flagged}")
        kinds = ", ".join(f"{k} {f}/{g}" for k, (g, f) in by_kind(stories).items())
        out.print(f"  where recall goes: {s.conflicts_claimed} of {s.conflicts} conflicts have both claims "
                  f"extracted, {s.conflicts_found} of them flagged (R {s.claimed_recall:.4f}); found by kind: {kinds}")


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
