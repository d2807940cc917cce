"""The command line: exit codes, summaries, JSON output, and documentation for every command."""

import json

import pytest
from typer.testing import CliRunner

from storyline.cli import app

runner = CliRunner()
STORELESS = {"compare", "eval"}  # commands that read files only (eval uses temporary stores)


def _run(*args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


def test_ingest_then_article_and_export(db_path, seeds_dir, tmp_path):
    result = _run("ingest", seeds_dir, "--db", db_path)
    assert result.exit_code == 0, result.output
    assert "2 added, 0 already present, 0 rejected, 0 warnings" in result.output

    again = _run("ingest", seeds_dir, "--db", db_path, "--json")
    report = json.loads(again.stdout)
    assert again.exit_code == 0 and report["added"] == [] and len(report["duplicates"]) == 2

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
