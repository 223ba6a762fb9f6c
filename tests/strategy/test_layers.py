"""Strategy speaks to the other apps through their services, and its modules stay readable: no
runtime import of council's, control's or threats' models, views, forms or schemas (``if
TYPE_CHECKING:`` imports are only for the type checker), no module over 800 lines, no function over 60."""

import ast
from pathlib import Path

import kenes.strategy

ROOT = Path(kenes.strategy.__file__).parent
PEERS = ("kenes.council", "kenes.control", "kenes.threats")
PRIVATE = ("models", "views", "forms", "schemas")


def _modules():
    return sorted(p for p in ROOT.rglob("*.py") if "migrations" not in p.parts)


def _runtime_imports(tree: ast.Module) -> list[str]:
    """Every module imported outside an ``if TYPE_CHECKING:`` block (with the names taken from it)."""
    skipped = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for node in ast.walk(block)
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found += [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    return found


def test_strategy_imports_no_peer_apps_models_views_forms_or_schemas():
    offending = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _modules()
        for name in _runtime_imports(ast.parse(path.read_text()))
        if name.startswith(PEERS) and name.split(".")[2:3] and name.split(".")[2] in PRIVATE
    ]
    assert offending == []


def test_the_checker_sees_a_forbidden_import_and_lets_a_type_checking_one_pass():
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "from kenes.council.models import Meeting\n"
        "if TYPE_CHECKING:\n    from kenes.control.models import Instruction\n"
    )
    assert "kenes.council.models" in _runtime_imports(tree)
    assert "kenes.control.models" not in _runtime_imports(tree)


def test_no_module_over_800_lines_and_no_function_over_60():
    long_modules = [str(p.relative_to(ROOT)) for p in _modules() if len(p.read_text().splitlines()) > 800]
    long_functions = [
        f"{path.relative_to(ROOT)}:{node.name} ({node.end_lineno - node.lineno + 1})"
        for path in _modules()
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno - node.lineno + 1 > 60
    ]
    assert long_modules == [] and long_functions == []
