"""The command line: exit codes, summaries, JSON output, and documentation for every command."""

import json
import os
import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline import Storyline
from storyline.cli import app

runner = CliRunner()
STORELESS = {"compare", "eval", "timex"}  # commands that read files only (eval uses temporary stores)


def _run(*args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


def test_ingest_then_article_and_export(db_path, seeds_dir, tmp_path):
    result = _run("ingest", seeds_dir, "--db", db_path)
    assert result.exit_code == 0, result.output
    assert "2 added, 0 already present, 0 rejected, 0 warnings" in result.output

    again = _run("ingest", seeds_dir, "--db", db_path, "--json")
    report = json.loads(again.stdout)
    assert again.exit_code == 0 and report["added"] == [] and len(report["duplicates"]) == 2

    # An id stored with another text is listed without --verbose (only its own text is kept).
    updated = tmp_path / "000_28c5dd749a0a6b13.txt"
    updated.write_text(" date 2024-10-28 An updated text under the first seed's id.\n")
    changed = _run("ingest", updated, "--db", db_path)
    assert changed.exit_code == 0, changed.output
    assert "already present, with another text:" in changed.output
    assert "000_28c5dd749a0a6b13 is already stored, with another text (the stored one is kept" in changed.output
    assert "0 added, 1 already present (1 with another text), 0 rejected" in changed.output
    same = _run("ingest", seeds_dir, "--db", db_path)
    assert "with another text" not in same.output and "already present:" not in same.output

    shown = _run("article", "001_5a9cac7b8d2db75a", "--db", db_path)
    assert shown.exit_code == 0
    assert "5 of 21 paragraphs new" in shown.output and "Radoslaw Sikorski" in shown.output
    assert "first seen in 000_28c5dd749a0a6b13 ¶16, score 0.61" in shown.output

    as_json = json.loads(_run("article", "001_5a9cac7b8d2db75a", "--db", db_path, "--json").stdout)
    assert as_json["id"] == "001_5a9cac7b8d2db75a" and len(as_json["passages"]) == 21

    out = tmp_path / "export.json"
    exported = _run("export", "--db", db_path, "--out", out)
    assert exported.exit_code == 0 and "2 articles written" in exported.output
    assert len(json.loads(out.read_text())["articles"]) == 2
    assert not (tmp_path / "export.json.part").exists()

    stdout_csv = _run("export", "--db", db_path, "--format", "csv")
    assert stdout_csv.stdout.splitlines()[0].startswith("article_id,title,source")


def test_export_csv_guards_formulas_unless_raw(db_path, tmp_path):
    path = tmp_path / "f.jsonl"
    path.write_text('{"id": "f1", "text": "=1+1 is where this body starts."}\n')
    assert _run("ingest", path, "--db", db_path).exit_code == 0
    guarded = _run("export", "--db", db_path, "--format", "csv").stdout
    raw = _run("export", "--db", db_path, "--format", "csv", "--raw-csv").stdout
    assert "'=1+1 is where" in guarded and "'=1+1" not in raw and "=1+1 is where" in raw


def _said(result) -> str:
    """A result's output as one line: the error box's borders and line breaks taken out."""
    return " ".join(result.output.replace("│", " ").split())


def test_export_refuses_an_output_that_cannot_be_a_file_before_any_work(db_path, tmp_path):
    path = tmp_path / "f.jsonl"
    path.write_text('{"id": "f1", "text": "The bridge reopened on Monday."}\n')
    assert _run("ingest", path, "--db", db_path).exit_code == 0
    folder = tmp_path / "out"
    folder.mkdir()
    into_folder = _run("export", "--db", db_path, "--out", folder)
    assert into_folder.exit_code == 2 and "is a folder: give the file to write in it" in _said(into_folder)
    assert list(folder.iterdir()) == [] and not (tmp_path / "out.part").exists()
    missing = _run("export", "--db", db_path, "--out", tmp_path / "nowhere" / "x.json")
    assert missing.exit_code == 2 and "does not exist" in _said(missing)
    under_a_file = _run("export", "--db", db_path, "--out", path / "x.json")
    assert under_a_file.exit_code == 2 and "is not a folder" in _said(under_a_file)
    too_long = _run("export", "--db", db_path, "--out", tmp_path / ("x" * 300 + ".json"))
    assert too_long.exit_code == 2 and "cannot write" in _said(too_long) and "Traceback" not in too_long.output
    # A name the file system just takes: the file written aside gets one it takes too.
    longest = tmp_path / ("x" * 250 + ".json")
    assert _run("export", "--db", db_path, "--out", longest).exit_code == 0
    assert json.loads(longest.read_text())["articles"][0]["id"] == "f1"


def test_an_export_that_fails_midway_leaves_the_earlier_file_and_nothing_else(db_path, tmp_path, monkeypatch):
    import errno

    import storyline.cli as cli

    path = tmp_path / "f.jsonl"
    path.write_text('{"id": "f1", "text": "The bridge reopened on Monday."}\n')
    assert _run("ingest", path, "--db", db_path).exit_code == 0
    out = tmp_path / "news.json"
    out.write_text("the earlier export")

    def full_disk(articles, stories, fmt, handle, raw_csv=False):
        handle.write("[{")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cli, "write_export", full_disk)
    failed = _run("export", "--db", db_path, "--out", out)
    assert failed.exit_code == 2, failed.output
    assert f"cannot write {out}: No space left on device; nothing was written" in _said(failed)
    assert out.read_text() == "the earlier export" and not list(tmp_path.glob("*.part"))


def test_counts_past_what_sqlite_holds_are_refused_as_options(db_path, seeds_dir):
    assert _run("ingest", seeds_dir, "--db", db_path).exit_code == 0
    huge = str(10**20)  # was an OverflowError traceback from SQLite
    for args in (("stories", "--offset", huge), ("stories", "--limit", huge), ("search", "Sybiha", "--offset", huge),
                 ("search", "Sybiha", "--per-story", huge), ("stats", "--outlets", huge)):
        result = _run(*args, "--db", db_path)
        assert result.exit_code == 2 and "less than or equal to 1000000000" in _said(result), (args, result.output)
    assert _run("stories", "--offset", "1000000000", "--db", db_path).exit_code == 0
    forking = _run("ingest", seeds_dir, "--db", db_path, "--workers", "100000")
    assert forking.exit_code == 2 and "less than or equal to 256" in _said(forking)


def test_timeline(db_path, seeds_dir):
    assert _run("ingest", seeds_dir, "--db", db_path).exit_code == 0
    (story,) = json.loads(_run("stories", "--db", db_path, "--json").stdout)
    as_json = _run("timeline", story["id"], "--db", db_path, "--json")
    assert as_json.exit_code == 0, as_json.output
    entries = json.loads(as_json.stdout)
    assert [(e["date"], e.get("qualifier")) for e in entries][:2] == [("2024-10", "early"), ("2024-10-15", None)]
    assert entries[0]["article_ids"] == ["000_28c5dd749a0a6b13", "001_5a9cac7b8d2db75a"]
    shown = _run("timeline", story["id"], "--db", db_path)
    assert shown.exit_code == 0
    assert "6 dated events" in shown.output and "early October 2024" in shown.output
    assert "27–28 Oct 2024" in shown.output and "2024-10-27/2024-10-28" in shown.output  # in words, and the value
    missing = _run("timeline", "nope", "--db", db_path)
    assert missing.exit_code == 2 and "no story with id 'nope'" in missing.output


def test_rejections_exit_non_zero_and_name_the_problem(db_path, fixtures):
    result = _run("ingest", fixtures / "articles_bad.jsonl", "--db", db_path)
    assert result.exit_code == 1
    assert "articles_bad.jsonl:2: malformed JSON" in result.output
    assert "2 added, 0 already present, 3 rejected" in result.output


def test_stdin(db_path):
    result = _run("ingest", "-", "--db", db_path, "--format", "jsonl", input='{"id": "p", "text": "Piped."}\n')
    assert result.exit_code == 0 and "1 added" in result.output


def test_map_option(db_path, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("K,H,B\nk1,Headline,Body text.\n")
    result = _run("ingest", path, "--db", db_path, "--map", "id=K,title=H", "--map", "text=B")
    assert result.exit_code == 0, result.output
    shown = json.loads(_run("article", "k1", "--db", db_path, "--json").stdout)
    assert shown["title"] == "Headline"


@pytest.mark.parametrize(("args", "message"), [
    (("ingest", "x", "--format", "pdf"), "'pdf' is not a format"),
    (("ingest", "x", "--map", "colour=C"), "unknown field 'colour'"),
    (("export", "--format", "xml"), "'xml' is not an export format"),
])
def test_bad_options(db_path, args, message):
    result = _run(*args, "--db", db_path)
    assert result.exit_code == 2 and message in result.output


def test_missing_article_is_a_clear_error(db_path):
    Storyline(db_path).close()  # an empty store (a missing one is refused before any lookup)
    result = _run("article", "nope", "--db", db_path)
    assert result.exit_code == 2 and "no article with id 'nope'" in result.output


def test_unusable_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_text("not sqlite " * 200)
    result = _run("export", "--db", bad)
    assert result.exit_code == 2 and "cannot open as a storyline database" in result.output


def test_every_command_is_documented_with_an_example():
    import typer.main

    def leaves(group, prefix=()):
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                yield from leaves(command, (*prefix, name))
            else:
                yield (*prefix, name), command

    commands = list(leaves(typer.main.get_command(app)))
    assert len(commands) >= 5
    for path, command in commands:
        name = " ".join(path)
        assert command.help and "Example" in command.help, f"storyline {name} lacks a docstring with an example"
        result = _run(*path, "--help")
        assert result.exit_code == 0
        if path[0] not in STORELESS:
            assert "--db" in result.output, f"storyline {name} does not take --db"


def test_version():
    from storyline import __version__

    result = _run("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_timex_json_offsets_into_the_file(seeds_dir):
    path = seeds_dir / "000_28c5dd749a0a6b13.txt"
    result = _run("timex", str(path), "--json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    text = path.read_text(encoding="utf-8")
    assert all(text[r["start"]:r["end"]] == r["text"] for r in records)
    assert {"text": "October 17", "type": "DATE", "value": "2024-10-17"}.items() <= records[2].items()
    assert {(r["text"], r["value"]) for r in records} >= {("October 27-28", "2024-10-27/2024-10-28"),
                                                           ("early October", "2024-10"), ("November 1", "2024-11-01")}


def test_timex_date_option_and_several_files(seeds_dir, tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("The bridge reopened yesterday, two weeks after the crack was found.", encoding="utf-8")
    result = _run("timex", str(note), "--date", "2025-03-05", "--json")
    assert [(r["text"], r["value"]) for r in json.loads(result.output)] == [("yesterday", "2025-03-04"),
                                                                          ("two weeks", "P2W")]
    both = json.loads(_run("timex", str(note), str(seeds_dir / "001_5a9cac7b8d2db75a.txt"), "--date",
                           "2025-03-05", "--json").output)
    assert {r["file"] for r in both} == {str(note), str(seeds_dir / "001_5a9cac7b8d2db75a.txt")}


def test_timex_without_a_date_warns_and_keeps_x(tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("On October 17 the talks began.", encoding="utf-8")
    result = _run("timex", str(note), "--json")
    assert result.exit_code == 0
    assert "no reference date" in result.stderr
    assert json.loads(result.stdout)[0]["value"] == "XXXX-10-17"


def test_timex_errors(tmp_path):
    missing = _run("timex", str(tmp_path / "none.txt"))
    assert missing.exit_code == 2 and "none.txt: no such file" in missing.output
    note = tmp_path / "note.txt"
    note.write_text("Today.", encoding="utf-8")
    bad = _run("timex", str(note), "--date", "28/10/2024")
    assert bad.exit_code == 2 and "--date: not a date" in bad.output


def test_statements_of_a_file(seeds_dir):
    path = seeds_dir / "000_28c5dd749a0a6b13.txt"
    result = _run("statements", str(path), "--json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    text = path.read_text(encoding="utf-8")
    assert all(text[r["content"]["start"]:r["content"]["end"]] == r["content"]["text"] for r in records)
    assert {"Andriy Sybiha", "Andrii Kovalenko", "Kyrylo Budanov"} <= {r["speaker_name"] for r in records}
    # Within the file, "Sibiga" is Andriy Sybiha.
    sibiga = [r for r in records if r["speaker"] and r["speaker"]["text"] == "Sibiga"]
    assert sibiga and all(r["speaker_name"] == "Andriy Sybiha" for r in sibiga)
    assert "Sybiha" in _run("statements", str(path)).output


def test_statements_of_a_story_and_errors(db_path, seeds_dir, tmp_path):
    _run("ingest", seeds_dir, "--db", db_path)
    story_id = json.loads(_run("stories", "--db", db_path, "--json").output)[0]["id"]
    result = _run("statements", "--story", story_id, "--db", db_path, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"denial", "unconfirmed", "figures"} <= {c["kind"] for c in data["contradictions"]}
    assert any(s["speaker"] == "Jongkook Hwang" and s["speaker_aliases"] == ["Jonkuk Hwang"] for s in data["statements"])
    assert "conflict (denial)" in _run("statements", "--story", story_id, "--db", db_path).output
    assert _run("statements", "--story", "nope", "--db", db_path).exit_code == 2
    assert _run("statements").exit_code == 2
    missing = _run("statements", str(tmp_path / "none.txt"))
    assert missing.exit_code == 2 and "no such file" in missing.output


def test_serve_refuses_what_it_cannot_serve(tmp_path, db_path, seeds_dir):
    missing = _run("serve", "--db", tmp_path / "none.db")
    assert missing.exit_code == 2 and "no store at" in missing.output and "storyline ingest" in missing.output
    assert not (tmp_path / "none.db").exists()  # not created by trying
    _run("ingest", seeds_dir, "--db", db_path)
    short = _run("serve", "--db", db_path, "--token", "short")
    assert short.exit_code == 2 and "at least 16 characters" in short.output
    port = _run("serve", "--db", db_path, "--port", "70000")
    assert port.exit_code == 2 and "web.port" in port.output


def test_serve_reads_the_token_from_the_environment_or_a_file(tmp_path, db_path, seeds_dir, monkeypatch):
    _run("ingest", seeds_dir, "--db", db_path)
    # a short token is refused, which shows where it was read from (the server never starts)
    monkeypatch.setenv("STORYLINE_TOKEN", "short-env")
    from_env = _run("serve", "--db", db_path)
    assert from_env.exit_code == 2 and "at least 16 characters" in from_env.output
    monkeypatch.delenv("STORYLINE_TOKEN")
    token_file = tmp_path / "token"
    token_file.write_text("short-file\n")
    token_file.chmod(0o644)
    from_file = _run("serve", "--db", db_path, "--token-file", token_file)
    assert from_file.exit_code == 2 and "at least 16 characters" in from_file.output
    assert "can be read by other users" in from_file.output
    missing = _run("serve", "--db", db_path, "--token-file", tmp_path / "none")
    assert missing.exit_code == 2 and "cannot read the token file" in missing.output
    on_the_command_line = _run("serve", "--db", db_path, "--token", "short")
    assert "visible to every user of this machine" in on_the_command_line.output


def test_migrate_upgrades_an_older_store_and_reading_commands_name_it(tmp_path, seeds_dir):
    import shutil
    import sqlite3

    from storyline.store.migrations import LATEST

    old = Path(__file__).parent / "fixtures" / "stores" / "v3.db"
    db = tmp_path / "old.db"
    shutil.copy(old, db)
    refused = runner.invoke(app, ["stories", "--db", str(db)])
    assert refused.exit_code == 2
    assert "schema version 3" in refused.output and "storyline migrate" in refused.output
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == 3  # reading wrote nothing
    done = runner.invoke(app, ["migrate", "--db", str(db)])
    assert done.exit_code == 0, done.output
    count = sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0]
    assert f"schema version {LATEST}" in done.output and f"events found for {count} articles" in done.output
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM article_status WHERE timeline_events IS NULL").fetchone()[0] == 0
    assert runner.invoke(app, ["stories", "--db", str(db)]).exit_code == 0
    again = runner.invoke(app, ["migrate", "--db", str(db)])
    assert again.exit_code == 0 and "events found for 0 articles" in again.output


def test_ingest_counts_copies_and_story_names_who_had_the_text_first(db_path, tmp_path):
    text = "Wall Street stocks dipped on Monday after weak trade data from China weighed on investors."
    path = tmp_path / "wire.jsonl"
    path.write_text("".join(json.dumps({"id": aid, "source": source, "published": "2014-03-10", "text": text}) + "\n"
                            for aid, source in (("115", "Business Recorder"), ("467", "TheBull"))))
    result = _run("ingest", path, "--db", db_path)
    assert result.exit_code == 0, result.output
    assert "2 added (1 copy of stored text), 0 already present, 0 rejected, 0 warnings" in result.output
    assert "; 1 copies an earlier article (1 word for word)" in result.output
    (story,) = json.loads(_run("stories", "--db", db_path, "--json").stdout)
    assert (story["articles"], story["sources"], story["outlets"]) == (2, 1, 2)
    shown = _run("story", story["id"], "--db", db_path)
    assert "2 articles · 1 independent source · 2 outlets carrying it" in shown.output
    assert "copy of 115 (Business Recorder)" in shown.output
    assert "copy of 115 (Business Recorder) (similarity 1.00)" in _run("article", "467", "--db", db_path).output
    data = json.loads(_run("story", story["id"], "--db", db_path, "--json").stdout)
    assert [(a["id"], a["original_source"]) for a in data["articles"]] == [("115", None), ("467", "Business Recorder")]


@pytest.mark.parametrize("command", [("stories",), ("story", "s1"), ("article", "a1"), ("timeline", "s1"),
                                     ("export",), ("migrate",), ("statements", "--story", "s1"), ("search", "x"),
                                     ("stats",), ("compact",)])
def test_read_commands_refuse_a_store_that_does_not_exist(tmp_path, command):
    missing = tmp_path / "typo.db"
    result = _run(*command, "--db", missing)
    assert result.exit_code != 0
    assert f"no store at {missing}; create one with `storyline ingest`" in result.output.replace("\n", "")
    assert not missing.exists()  # no empty store left behind


def test_one_article_is_not_articles(db_path, seeds_dir):
    _run("ingest", seeds_dir / "000_28c5dd749a0a6b13.txt", "--db", db_path)
    (story,) = json.loads(_run("stories", "--db", db_path, "--json").stdout)
    listed = _run("stories", "--db", db_path).output
    shown = _run("story", story["id"], "--db", db_path).output
    assert "1 article " in listed and "1 source " in listed and "1 article · 1 independent source" in shown
    assert "1 articles" not in listed + shown and "1 sources" not in listed + shown


def test_the_first_command_reads_every_example_and_rejects_nothing(db_path):
    """The README's first command ingests examples/: everything there is an article or a file
    ingest skips (its README), so a new user's first run reports no rejection."""
    examples = Path(__file__).resolve().parents[1] / "examples"
    result = _run("ingest", str(examples), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert "4 added" in result.output and " 0 rejected" in result.output


def test_the_first_command_says_what_it_found_and_what_to_run_next(db_path):
    """A few readable lines: the story, the recycled text, the conflicts, then the next commands."""
    result = _run("ingest", EXAMPLES, "--db", db_path)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    (story,) = json.loads(_run("stories", "--db", db_path, "--json").stdout)
    found = lines[lines.index("Found in the 4 articles added:"):]
    assert found[1] == "  1 story:"
    assert found[2].startswith(f"    {story['id']} Carvenia's Minister of Transport")
    assert found[2].endswith("(4 articles, 4 independent sources, 2025-03-02 – 2025-03-09)")
    assert re.fullmatch(r"  (\d+) of (\d+) paragraphs recycled \(\d+% of the text\)", found[3])
    assert re.fullmatch(r"  \d+ statements, [1-9]\d* pairs? of conflicting claims", found[4])
    assert found[5] == "Next:" and found[6].split()[:4] == ["storyline", "story", story["id"], "--db"]
    assert any(line.split()[:2] == ["storyline", "serve"] for line in found[6:])
    assert len(lines) < 20  # a few lines, not the export
    data = json.loads(_run("ingest", EXAMPLES, "--db", db_path.with_name("again.db"), "--json").stdout)
    assert data["found"]["stories"] == 1 and data["found"]["conflicts"] >= 1  # the same, as JSON
    assert data["found"]["recycled_passages"] == int(re.search(r"(\d+) of", found[3]).group(1))
    assert "found" not in json.loads(_run("ingest", EXAMPLES, "--db", db_path, "--json").stdout)  # nothing added


def test_a_big_ingest_leaves_statements_for_later(db_path, tmp_path):
    from storyline.settings import IngestSettings

    assert IngestSettings().summary_statements == 100  # a smaller ingest is analysed, to count its conflicts
    records = tmp_path / "many.jsonl"
    records.write_text("".join(json.dumps({"id": f"a{i}", "text": f"Officials in town {i} said the bridge {i} "
                                                                  f"would reopen on Monday."}) + "\n"
                               for i in range(101)))
    result = _run("ingest", records, "--db", db_path)
    assert result.exit_code == 0, result.output
    assert "statements and conflicts: found on demand" in result.output
    with Storyline(db_path) as sl:
        assert len(sl.queries.unanalysed_articles()) == 101  # nothing was parsed


def test_a_small_ingest_into_stories_not_analysed_leaves_statements_for_later(db_path, tmp_path):
    """Its stories' conflicts could not be counted while their other articles wait: parsing its
    own would cost the ingest most of its time, for a summary that cannot give them."""
    records = tmp_path / "many.jsonl"
    texts = [f"Officials in town {i} said the bridge {i} would reopen on Monday." for i in range(101)]
    records.write_text("".join(json.dumps({"id": f"a{i}", "text": t}) + "\n" for i, t in enumerate(texts)))
    assert _run("ingest", records, "--db", db_path).exit_code == 0
    follow = tmp_path / "follow.jsonl"  # a copy of a stored text joins its story; the chess item a story of its own
    follow.write_text(json.dumps({"id": "b0", "text": texts[0]}) + "\n" + json.dumps(OTHERS[0]) + "\n")
    result = _run("ingest", follow, "--db", db_path)
    assert result.exit_code == 0, result.output
    assert "statements and conflicts: found on demand" in result.output
    with Storyline(db_path) as sl:
        assert sl.queries.pending_besides(["b0"]) >= 1
        assert len(sl.queries.unanalysed_articles()) == 103  # neither was parsed
    again = tmp_path / "again.jsonl"  # stories with nothing else waiting: parsed and counted, as on a new store
    again.write_text(json.dumps(OTHERS[1]) + "\n")
    result = _run("ingest", again, "--db", db_path)
    assert result.exit_code == 0, result.output
    assert re.search(r"\d+ statements?, \d+ pairs? of conflicting claims", result.output), result.output
    with Storyline(db_path) as sl:
        assert "comet" not in sl.queries.unanalysed_articles()


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
OTHERS = [{"id": "chess", "title": "Bravo wins chess final", "published": "2024-03-02", "source": "Board Weekly",
           "text": "The grandmaster sacrificed a rook and won the championship game in Madrid, near the old bridge."},
          {"id": "comet", "title": "Comet Alpha seen", "published": "2024-03-01", "source": "Sky Desk",
           "text": "Astronomers in Chile photographed a faint comet through the new telescope."}]


def _flat(output: str) -> str:
    """A usage error's words without the box rich draws around it (it wraps the lines too)."""
    return " ".join(output.translate({ord(c): " " for c in "│╭╮╰╯─"}).split())


@pytest.fixture
def examples_db(db_path, tmp_path):
    others = tmp_path / "others.jsonl"
    others.write_text("".join(json.dumps(r) + "\n" for r in OTHERS))
    assert _run("ingest", EXAMPLES, others, "--db", db_path).exit_code == 0
    return db_path


def test_stories_list_a_page_with_a_header_in_any_order(examples_db):
    listed = _run("stories", "--db", examples_db, "--sort", "size")
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert lines[0] == "3 stories, most articles first; showing 1–3"
    assert lines[1].split() == ["id", "articles", "sources", "dates", "title"]
    assert "4 articles" in lines[2] and "2025-03-02 – 2025-03-09" in lines[2]
    page = _run("stories", "--db", examples_db, "--sort", "created", "--limit", "1", "--offset", "1").output
    assert page.splitlines()[0] == "3 stories, latest first publication first; showing 2–2; --offset 2 for more"
    assert "Bravo wins chess final" in page  # 2 March 2024: between the bridge (2025) and the comet (1 March)
    rows = json.loads(_run("stories", "--db", examples_db, "--since", "2024-03-02", "--until", "2024-12-31",
                           "--json").stdout)
    assert [r["title"] for r in rows] == ["Bravo wins chess final"]
    csv_lines = _run("stories", "--db", examples_db, "--csv", "--title", "comet").stdout.splitlines()
    assert csv_lines[0] == "id,title,articles,sources,outlets,first_published,last_published,updated"
    assert len(csv_lines) == 2 and ",Comet Alpha seen,1,1,1,2024-03-01,2024-03-01," in csv_lines[1]
    bad = _run("stories", "--db", examples_db, "--sort", "biggest")
    assert bad.exit_code == 2 and "'biggest' is not a sort order; choose one of updated, size, created" in _flat(bad.output)
    bad_day = _run("stories", "--db", examples_db, "--since", "March")
    assert bad_day.exit_code == 2 and "'March' is not a day (YYYY-MM-DD)" in _flat(bad_day.output)


def test_search_groups_by_story_and_highlights(examples_db):
    found = _run("search", "bridge", "--db", examples_db, "--sort", "size", "--per-story", "2")
    assert found.exit_code == 0, found.output
    lines = found.output.splitlines()
    assert lines[0] == "5 articles in 2 stories match 'bridge', most articles first; showing 1–2"
    assert "4 of 4 articles match" in found.output and "1 of 1 article match" in found.output
    assert "… 2 more: storyline search 'bridge' --story s" in found.output
    data = json.loads(_run("search", "bridge", "--db", examples_db, "--json", "--source", "board weekly").stdout)
    assert (data["articles"], data["total"]) == (1, 1)
    (hit,) = data["groups"][0]["hits"]
    assert hit["id"] == "chess" and [hit["snippet"][a:b] for a, b in hit["highlights"]] == ["bridge"]
    rows = _run("search", "bridge", "--db", examples_db, "--csv", "--until", "2024-12-31").stdout.splitlines()
    assert rows[0] == "story_id,story_title,story_matches,article_id,title,source,published,snippet"
    assert len(rows) == 2 and ",chess,Bravo wins chess final,Board Weekly,2024-03-02," in rows[1]
    nothing = _run("search", "?!", "--db", examples_db)
    assert nothing.exit_code == 2 and "nothing to search for in '?!'" in nothing.output
    none = _run("search", "zeppelin", "--db", examples_db)
    assert none.exit_code == 0 and none.output.splitlines() == ["0 articles in 0 stories match 'zeppelin'"]


def test_search_marks_the_matched_words(examples_db):
    from rich.console import Console

    from storyline import cli

    recorded = Console(record=True, force_terminal=True, width=200, color_system="standard")
    original, cli.out = cli.out, recorded
    try:
        assert _run("search", "grandmaster", "--db", examples_db).exit_code == 0
    finally:
        cli.out = original
    text = recorded.export_text(styles=True)
    assert "\x1b[1;7mgrandmaster\x1b[0m" in text  # bold, reversed


def test_stats(examples_db):
    shown = _run("stats", "--db", examples_db)
    assert shown.exit_code == 0, shown.output
    lines = dict(line.split(None, 1) for line in shown.output.splitlines())
    assert lines["articles"] == "6" and lines["stories"] == "3"
    assert lines["sources"] == "2 named outlets (and 4 articles without one)"
    assert lines["dates"] == "2024-03-01 – 2025-03-09" and lines["store"].endswith(str(examples_db))
    assert lines["recycled"].endswith("of the text (new" + lines["recycled"].split("(new", 1)[1])
    data = json.loads(_run("stats", "--db", examples_db, "--json").stdout)
    assert data["articles"] == 6 and data["copies"] == 0 and 0.3 < data["recycled_share"] < 0.5
    assert f"{100 * data['recycled_share']:.1f}% of the text" in lines["recycled"]


def test_stats_per_outlet_agree_with_the_articles(examples_db):
    """--outlets: each outlet's articles, copies and recycled share, counted here again from the
    articles themselves; the outlets that published most first, the unnamed ones together."""
    from collections import defaultdict

    from storyline import Storyline

    expected: dict = defaultdict(lambda: {"articles": 0, "copies": 0, "chars": 0, "recycled": 0})
    with Storyline(examples_db, upgrade=False) as sl:
        for a in sl.articles():
            row = expected[a.source]
            row["articles"] += 1
            row["copies"] += a.duplicate_of is not None
            row["chars"] += sum(p.end - p.start for p in a.passages)
            row["recycled"] += sum(p.end - p.start for p in a.passages if p.status == "recycled")
    data = json.loads(_run("stats", "--db", examples_db, "--outlets", "10", "--json").stdout)
    got = {o["outlet"]: (o["articles"], o["copies"], o["recycled_share"]) for o in data["outlets"]}
    assert got == {k: (v["articles"], v["copies"], round(v["recycled"] / v["chars"], 4)) for k, v in expected.items()}
    assert [o["articles"] for o in data["outlets"]] == sorted((o["articles"] for o in data["outlets"]), reverse=True)
    assert any(v["recycled"] for v in expected.values())  # the examples do recycle: the share is not trivially 0
    shown = _run("stats", "--db", examples_db, "--outlets", "1").output.splitlines()
    assert shown[-2].split()[:2] == ["outlet", "articles"] and shown[-1].startswith("(no source named)")
    assert "outlets" not in json.loads(_run("stats", "--db", examples_db, "--json").stdout)


PAGE = """<!doctype html><html><head><title>Ferries resume in Port Halvek</title>
<meta property="article:published_time" content="2025-03-04T08:00:00Z">
<style>.said::after { content: "said on 12 January 2020"; }</style>
<script>var launch = "the board said on 1 February 2019 that it would";</script></head>
<body><nav><a href="/">Home</a> · <a href="/news">News</a></nav><article><h1>Ferries resume in Port Halvek</h1>
<p>Ferries between the old town and Nordhaven began running again on Tuesday, the harbour master said.</p>
<p>"We expect the full timetable by next Monday," said Mayor Adela Voss, who added that repairs to the
Quay Street terminal would take until early April.</p>
<p>Commuters had waited for up to an hour at the terminal on Monday morning, according to the city.</p>
</article><footer>© 2025 Halvek Courier · Cookies · Contact</footer></body></html>"""


def test_timex_and_statements_read_a_page_as_ingest_does(tmp_path):
    from storyline.file_texts import file_texts

    page = tmp_path / "ferries.html"
    page.write_text(PAGE, encoding="utf-8")
    (text,) = file_texts(page)
    assert text.article_id == "ferries" and text.published.startswith("2025-03-04")
    assert "dataLayer" not in text.text and "content:" not in text.text and "Cookies" not in text.text
    timexes = json.loads(_run("timex", page, "--json").stdout)
    assert {t["value"] for t in timexes} >= {"2025-03-04", "2025-03-10", "2025-04"}  # Tuesday, next Monday, early April
    assert all(t["article"] == "ferries" and text.text[t["start"]:t["end"]] == t["text"] for t in timexes)
    assert not {"2020-01-12", "2019-02-01"} & {t["value"] for t in timexes}  # nothing from the style or script
    claims = json.loads(_run("statements", page, "--json").stdout)
    assert any(c["speaker_name"] == "Adela Voss" for c in claims)
    assert all(text.text[c["content"]["start"]:c["content"]["end"]] == c["content"]["text"] for c in claims)
    assert not any("board" in c["content"]["text"] for c in claims)


def test_timex_reads_every_article_of_a_feed_or_jsonl_with_its_own_date(fixtures):
    records = json.loads(_run("timex", fixtures / "feed.rss", fixtures / "articles.jsonl", "--json").stdout)
    files = {r["file"] for r in records}
    assert files == {str(fixtures / "feed.rss"), str(fixtures / "articles.jsonl")}
    by_article = {}
    for r in records:
        by_article.setdefault((r["file"], r["article"]), []).append(r)
    assert len({a for f, a in by_article if f.endswith("feed.rss")}) >= 2  # each entry on its own
    assert any(r["value"] == "2025-02-28TNI" for r in records)  # "Friday night" against the entry's own date


def test_a_file_without_an_article_is_a_clear_error(fixtures):
    result = _run("statements", fixtures / "empty_page.html")
    assert result.exit_code == 2 and "empty_page.html: no article in it: no article text found" in result.output


def test_serve_reports_a_busy_port_before_saying_it_serves(examples_db):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _run("serve", "--db", examples_db, "--port", port, "--no-analyse")
    assert result.exit_code == 2
    assert f"port {port} on 127.0.0.1 is already in use" in _flat(result.output)
    assert "serving" not in result.output
    bad = _run("serve", "--db", examples_db, "--host", "no-such-host.invalid", "--no-analyse")
    assert bad.exit_code == 2 and "cannot serve on no-such-host.invalid" in _flat(bad.output)


def test_compact_reports_the_sizes_and_keeps_the_store_readable(db_path, seeds_dir):
    assert _run("ingest", seeds_dir, "--db", db_path).exit_code == 0
    done = _run("compact", "--db", db_path)
    assert done.exit_code == 0, done.output
    assert re.search(r"MB → [\d.,]+ MB \(8,192-byte pages, [\d.]+ s\)", done.output.replace("\n", ""))
    assert "2 articles" in _run("stats", "--db", db_path).output
    packed = _run("compact", "--db", db_path, "--packed")
    assert packed.exit_code == 0, packed.output
    assert re.search(r"MB \(8,192-byte pages, [\d.]+ s, packed full\)", packed.output.replace("\n", ""))


def test_compact_says_when_a_disk_may_lack_the_room_and_compacts_all_the_same(db_path, seeds_dir, monkeypatch):
    """A shortfall is a warning before the work starts, not a refusal: VACUUM may need less."""
    import shutil

    import storyline.store.compact_room as compact_room

    assert _run("ingest", seeds_dir, "--db", db_path).exit_code == 0
    real = shutil.disk_usage
    monkeypatch.setattr(compact_room.shutil, "disk_usage", lambda path: real(path)._replace(free=1_000))
    done = _run("compact", "--db", db_path)
    assert done.exit_code == 0, done.output
    said = _said(done)
    assert "0.0 MB free on the disk of" in said and "compacting may write up to" in said
    assert "if it runs out, the store is left as it was" in said
    assert re.search(r"MB → [\d.,]+ MB \(8,192-byte pages", done.output.replace("\n", ""))
    monkeypatch.setattr(compact_room.shutil, "disk_usage", real)
    assert "warning" not in _said(_run("compact", "--db", db_path))


@pytest.mark.parametrize("every", ["-1", "nan", "86401"])
def test_batch_refuses_a_progress_interval_it_cannot_keep(tmp_path, every):
    """Refused before any input is read or Spark is started."""
    result = _run("batch", tmp_path / "none.jsonl", "--out", tmp_path / "out", "--progress-every", every)
    assert result.exit_code == 2 and "--progress-every" in _said(result)
    assert not (tmp_path / "out").exists()


def test_an_interrupted_batch_job_says_how_to_go_on(tmp_path, monkeypatch):
    """Ctrl-C during `storyline batch` (the job itself is tested stopping and resuming in
    tests/batch): exit 130 with how a second run goes on, no traceback."""
    import storyline.batch as batch

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(batch, "run_batch", interrupted)
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "The bridge reopened on Monday."}\n')
    result = _run("batch", source, "--out", tmp_path / "out")
    assert result.exit_code == 130 and "Traceback" not in result.output
    assert ("interrupted: run the same command again to go on: the stages completed are not run again, featurize "
            "goes on from its last complete chunk, the store stage after its last committed batch") in _said(result)


def test_a_store_damaged_where_it_is_read_is_named_with_what_to_do(db_path, seeds_dir, tmp_path):
    """A page SQLite cannot read (a disk fault, a copy taken mid-write) found while a command
    reads the store: one line naming the store and the way out, exit 2, no traceback."""
    import sqlite3

    assert _run("ingest", seeds_dir, "--db", db_path).exit_code == 0
    with sqlite3.connect(db_path) as conn:  # the articles table's pages: open reads none of them
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = [row[0] for row in conn.execute("SELECT pageno FROM dbstat WHERE name = 'articles'")]
    conn.close()
    assert pages
    with open(db_path, "r+b") as handle:
        for page in pages:
            handle.seek((page - 1) * size + 16)
            handle.write(b"\xff" * (size - 116))
    for command in (("stories",), ("export", "--out", tmp_path / "out.json")):
        result = _run(*command, "--db", db_path)
        assert result.exit_code == 2, result.output
        said = _said(result)
        assert said.startswith(f"error: {db_path}: the store is damaged (database disk image is malformed). Check "
                               f"it with `sqlite3 {db_path} 'PRAGMA integrity_check'`"), said
        assert f"`sqlite3 {db_path} .recover | sqlite3 recovered.db`" in said and "Traceback" not in result.output
    assert not (tmp_path / "out.json").exists()


def test_export_no_analyse_leaves_statements_not_found_yet_out(db_path, seeds_dir):
    """A store the batch job filled holds no statements, and the parser would take hours over it:
    --no-analyse exports what is stored, and says whose statements are missing."""
    from storyline.settings import IngestSettings, Settings

    with Storyline(db_path, Settings(ingest=IngestSettings(summary_statements=0))) as sl:
        assert sl.ingest([seeds_dir]).ok
    exported = _run("export", "--no-analyse", "--db", db_path)
    assert exported.exit_code == 0, exported.output
    assert ("2 articles not analysed for statements yet, and --no-analyse leaves them so: their statements are "
            "left out") in _said(exported)
    data = json.loads(exported.stdout)
    assert len(data["articles"]) == 2 and all(story["statements"] == [] for story in data["stories"])
    with Storyline(db_path) as sl:
        assert len(sl.queries.unanalysed_articles()) == 2  # nothing was parsed
    found = _run("export", "--db", db_path)  # by default they are found first, and kept
    assert found.exit_code == 0 and "not analysed" not in _said(found)
    assert any(story["statements"] for story in json.loads(found.stdout)["stories"])
    again = _run("export", "--no-analyse", "--db", db_path)
    assert "not analysed" not in _said(again) and json.loads(again.stdout) == json.loads(found.stdout)


def test_statements_of_a_story_show_the_parse_on_a_terminal(db_path, seeds_dir):
    """A story's articles not analysed yet are parsed first, minutes for a big story: on a
    terminal a progress bar says so (it is gone when the table comes)."""
    import pty
    import subprocess
    import threading

    from storyline.settings import IngestSettings, Settings

    with Storyline(db_path, Settings(ingest=IngestSettings(summary_statements=0))) as sl:
        assert sl.ingest([seeds_dir]).ok
        story = sl.stories()[0].id
    main, side = pty.openpty()  # the command's standard error is a terminal; its output is not
    chunks: list[bytes] = []

    def read_terminal() -> None:
        # Read while the command runs: a progress bar fills the terminal's buffer, and a command
        # whose writes block there never exits (one did, once, in a full test run).
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the terminal closed with the command (Linux)
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=read_terminal, daemon=True)
    reader.start()
    try:
        done = subprocess.run([sys.executable, "-m", "storyline", "statements", "--story", story, "--db", str(db_path)],
                              stdout=subprocess.PIPE, stderr=side, timeout=300, env={**os.environ, "COLUMNS": "100"})
    finally:
        os.close(side)  # the command's end closes the terminal for the reader too
        reader.join(timeout=30)
        os.close(main)
    shown = b"".join(chunks)
    assert done.returncode == 0, shown.decode(errors="replace")
    assert b"finding statements" in shown and b"2/2" in shown
    assert b"statements" in done.stdout  # the table, on standard output
    with Storyline(db_path) as sl:
        assert sl.queries.unanalysed_articles() == []


def test_a_store_on_a_read_only_file_system_is_read_and_writing_commands_say_why_not(read_only_mount, seeds_dir):
    from storyline.settings import IngestSettings, Settings

    folder, view = read_only_mount
    with Storyline(folder / "news.db", Settings(ingest=IngestSettings(summary_statements=0))) as sl:
        assert sl.ingest([seeds_dir]).ok  # its statements left for later, which cannot come here
        story = sl.stories()[0].id
    db = view / "news.db"
    assert _run("stories", "--db", db).exit_code == 0 and story in _run("stories", "--db", db).output
    assert _run("story", story, "--db", db).exit_code == 0
    assert f"{db} (read-only here: it is on a read-only file system)" in _said(_run("stats", "--db", db))
    assert json.loads(_run("stats", "--db", db, "--json").stdout)["read_only"] == "it is on a read-only file system"
    assert json.loads(_run("stats", "--db", folder / "news.db", "--json").stdout)["read_only"] is None
    exported = _run("export", "--format", "jsonl", "--db", db)
    assert exported.exit_code == 0, exported.output
    assert sum('"type": "article"' in line for line in exported.stdout.splitlines()) == 2
    not_read = ("2 articles not analysed for statements yet, and the store can only be read from here (it is on a "
                "read-only file system): their statements are left out")
    assert not_read in _said(exported)
    claims = _run("statements", "--story", story, "--db", db, "--json")
    assert claims.exit_code == 0 and not_read in _said(claims)
    for command in (("ingest", seeds_dir), ("compact",)):
        refused = _run(*command, "--db", db)
        assert refused.exit_code == 2, refused.output
        assert "the store can only be read from here (it is on a read-only file system)" in _said(refused)
        assert "Traceback" not in refused.output


def test_serve_says_when_the_store_can_only_be_read(read_only_mount, seeds_dir):
    import socket
    import subprocess
    import sys

    folder, view = read_only_mount
    with Storyline(folder / "news.db") as sl:
        assert sl.ingest([seeds_dir]).ok
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "storyline", "serve", "--db", str(view / "news.db"),
                               "--port", str(port), "--no-analyse"],
                              stderr=subprocess.PIPE, text=True, env={**os.environ, "COLUMNS": "300"})
    try:
        lines = [server.stderr.readline() for _ in range(2)]
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert lines[0].startswith(f"storyline: serving {view / 'news.db'} at http://127.0.0.1:{port}/")
    assert lines[1].startswith("storyline: the store can only be read from here (it is on a read-only file "
                               "system): pages and the API read it; ingest over HTTP is refused")
