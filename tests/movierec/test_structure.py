"""The package's shape: public names stated, no import cycles, modules short enough to read."""

from __future__ import annotations

import ast
import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import movierec

PACKAGE = Path(movierec.__file__).parent
ROOT = PACKAGE.parent
MAX_LINES = 300  # one sitting


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if p.name != "__main__.py"}


def runs(node: ast.AST) -> list[ast.AST]:
    """Every node below ``node`` that can run: ``if TYPE_CHECKING:`` blocks never do."""
    out: list[ast.AST] = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and ast.unparse(child.test).endswith("TYPE_CHECKING"):
            out += [n for orelse in child.orelse for n in (orelse, *runs(orelse))]
            continue
        out += [child, *runs(child)]
    return out


def imported_modules(path: Path) -> set[str]:
    """The movierec modules ``path`` imports, anywhere in it (deferred imports too)."""
    found: set[str] = set()
    for node in runs(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    # importing a.b.c runs a/__init__ and a/b/__init__ first
    with_packages = {".".join(m.split(".")[:i]) for m in found for i in range(1, 4)}
    return {m for m in found | with_packages if m in MODULES} - {module_name(path)}


def test_there_is_no_import_cycle() -> None:
    graph = {name: imported_modules(path) for name, path in MODULES.items()}
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in path:
            cycle = (*path[path.index(name) :], name)
            pytest.fail("import cycle: " + " -> ".join(cycle))
        if name in done:
            return
        for other in sorted(graph[name]):
            visit(other, (*path, name))
        done.add(name)

    for name in sorted(graph):
        visit(name, ())


def test_every_module_imports_on_its_own() -> None:
    # a fresh interpreter per module: a cycle hidden by import order would fail here
    runs = {
        name: subprocess.Popen(
            [sys.executable, "-c", f"import {name}"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in MODULES
    }
    failed = {name: run.communicate()[1].strip().splitlines()[-1:] for name, run in runs.items()}
    assert {name: err for name, err in failed.items() if runs[name].returncode} == {}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_states_its_public_names(name: str) -> None:
    module = importlib.import_module(name)
    assert isinstance(getattr(module, "__all__", None), list), f"{name} has no __all__"
    for public in module.__all__:
        assert hasattr(module, public) or importlib.import_module(f"{name}.{public}")
    defined = {
        attr
        for attr, value in vars(module).items()
        if not attr.startswith("_")
        and (inspect.isclass(value) or inspect.isfunction(value))
        and value.__module__ == name
    }
    assert defined <= set(module.__all__), f"{name}: public but not in __all__"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_are_short(name: str) -> None:
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name}: {lines} lines"


def test_the_package_api_loads_lazily() -> None:
    code = (
        "import sys, movierec; "
        "assert [m for m in sys.modules if m.startswith('movierec.')] == [], sys.modules; "
        "from movierec import Engine, Invalid, Filters; "
        "from movierec.engine import Engine as E; from movierec.results import Invalid as I; "
        "assert Engine is E and Invalid is I; "
        "assert set(movierec.__all__) <= set(dir(movierec))"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    for public in movierec.__all__:
        assert getattr(movierec, public) is not None
    with pytest.raises(AttributeError):
        movierec.no_such_name  # noqa: B018
