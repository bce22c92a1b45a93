"""The package's layers, bottom up: each module imports only from its own layer and the
layers below it (lazy imports inside functions included), and no modules import each other
in a circle. docs/architecture.md explains the layers; this table is their contract."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "followup_lint"

LAYERS = ["model", "storage", "read", "language", "ruletypes", "rulefiles", "engine", "formats", "run", "front"]
FRONT_ENDS = {"api", "cli", "lsp", "serve", "__main__"}
# A front end that starts another one (`followup-lint lsp`, `followup-lint serve`).
FRONT_MAY_START = {"cli": {"lsp", "serve"}, "__main__": {"cli"}}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top(module: str) -> str:
    """followup_lint.read.eml -> read; followup_lint.api -> api; followup_lint -> ''."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _layer(top: str) -> int:
    return LAYERS.index("front") if top in FRONT_ENDS else LAYERS.index(top)


def _imports(path: Path, module: str) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("followup_lint")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("followup_lint"):
                continue
            for alias in node.names:  # `from followup_lint.read import eml` imports a module
                sub = f"{target}.{alias.name}"
                found.add(sub if _is_module(sub) else target)
    return found


def _is_module(name: str) -> bool:
    rel = Path(*name.split(".")[1:])
    return (PACKAGE / rel).with_suffix(".py").is_file() or (PACKAGE / rel / "__init__.py").is_file()


def _graph() -> dict[str, set[str]]:
    graph = {}
    for path in PACKAGE.rglob("*.py"):
        module = _module_name(path)
        graph[module] = _imports(path, module)
    return graph


def test_every_module_sits_in_a_known_layer():
    unknown = sorted(m for m in _graph() if _top(m) and _top(m) not in FRONT_ENDS | set(LAYERS))
    assert not unknown, f"modules outside the layer table (add their folder to LAYERS): {unknown}"


def test_imports_only_go_down_the_layers():
    wrong = []
    for module, targets in _graph().items():
        src = _top(module)
        if not src:
            continue
        for target in targets:
            dst = _top(target)
            if not dst:  # `from followup_lint import __version__`
                continue
            if src in FRONT_ENDS and dst in FRONT_ENDS:
                if dst != src and dst not in FRONT_MAY_START.get(src, ()):
                    wrong.append(f"{module} -> {target} (front ends do not use each other)")
            elif _layer(dst) > _layer(src):
                wrong.append(f"{module} -> {target} ({src} sits below {dst})")
    assert not wrong, "imports that go up the layers:\n" + "\n".join(sorted(wrong))


def test_no_import_cycles():
    graph = _graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(node, stack):
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph or nxt == node or nxt == "followup_lint":
                continue
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(stack[stack.index(nxt) :] + [nxt]))
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_the_table_catches_an_upward_import(tmp_path):
    # The checker itself: a model module that imports the engine is reported.
    fake = tmp_path / "followup_lint" / "model"
    fake.mkdir(parents=True)
    (fake / "x.py").write_text("from followup_lint.engine.linter import Linter\n")
    imports = _imports(fake / "x.py", "followup_lint.model.x")
    assert imports == {"followup_lint.engine.linter"}
    assert _layer(_top("followup_lint.engine.linter")) > _layer(_top("followup_lint.model.x"))
