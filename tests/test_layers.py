"""The dependency rule (DESIGN.md): each part imports only the parts below it, the stages never
import each other or the store, the faces read through ``queries``, and no module imports
itself back through others. Every import counts, also those inside functions and under
``TYPE_CHECKING``: a lazy import is still a dependency."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "storyline"

# Lowest first. A module may import modules of lower layers and of its own part; the parts of
# one layer are siblings and never import each other (the faces excepted: the web UI renders
# the export's records).
LAYERS: list[tuple[str, ...]] = [
    ("errors",),
    ("records", "settings"),
    ("text", "embeddings"),
    ("ingest", "reuse", "stories", "timeline", "statements"),  # the stages: LAYERS[STAGES]
    ("pipeline",),
    ("store",),
    ("queries",),
    ("engine", "compare", "timex_files", "file_texts", "batch"),
    ("cli", "web", "export", "eval", "__main__"),
]
FACES = {"cli", "web", "export", "eval", "__main__"}
STAGES = 3


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, modules: set[str]) -> set[str]:
    """The storyline modules ``name`` imports (a package import counts as its ``__init__``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == PACKAGE)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != PACKAGE:
                continue
            # "from . import lexicon" imports a module, not a name of the package
            submodules = {f"{target}.{a.name}" for a in node.names} & modules
            found.update(submodules)
            if len(submodules) < len(node.names):
                found.add(target)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    names = set(modules)
    return {name: {m for m in _imports(name, path, names) if m in modules and m != name}
            for name, path in modules.items()}


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _layer(part: str) -> int:
    for i, layer in enumerate(LAYERS):
        if part in layer:
            return i
    raise AssertionError(f"storyline.{part} is in no layer of tests/test_layers.py: place it there")


def test_every_part_imports_only_what_is_below_it():
    broken = []
    for module, imported in _graph().items():
        part = _part(module)
        if part == "":  # the package's __init__ re-exports the public API
            continue
        for target in sorted(imported):
            other = _part(target)
            if other == part or other == "":
                continue
            mine, theirs = _layer(part), _layer(other)
            if theirs < mine or (theirs == mine and part in FACES and other in FACES):
                continue
            broken.append(f"{module} imports {target} ({part} is in layer {mine}, {other} in layer {theirs})")
    assert not broken, "the dependency rule is broken:\n" + "\n".join(broken)


def test_the_store_sees_the_stages_only_through_the_ports():
    for module, imported in _graph().items():
        if _part(module) == "store":
            stages = {t for t in imported if _part(t) in LAYERS[STAGES]}
            assert not stages, f"{module} imports {sorted(stages)}: import them from storyline.pipeline.ports"
            assert {t for t in imported if _part(t) == "pipeline"} <= {"storyline.pipeline.ports"}, module


def test_the_faces_read_through_queries():
    for module, imported in _graph().items():
        if _part(module) in {"cli", "web", "export"}:
            assert not {t for t in imported if _part(t) == "store"}, f"{module} reaches into the store"


def test_no_import_cycles():
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            # a package's __init__ importing its own modules is how packages re-export
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    assert not cycles, "import cycles:\n" + "\n".join(" ↔ ".join(c) for c in cycles)


def test_the_rule_sees_a_broken_import(tmp_path, monkeypatch):
    """The checker is not vacuous: a stage importing the store is caught."""
    fake = tmp_path / PACKAGE
    (fake / "reuse").mkdir(parents=True)
    (fake / "store").mkdir()
    (fake / "__init__.py").write_text("")
    (fake / "store" / "__init__.py").write_text("")
    (fake / "reuse" / "__init__.py").write_text("from ..store import Store\n")
    monkeypatch.setattr(f"{__name__}.SRC", tmp_path)
    assert _graph()["storyline.reuse"] == {"storyline.store"}
    assert _layer("reuse") < _layer("store")
