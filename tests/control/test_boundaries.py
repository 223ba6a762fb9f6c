"""Execution control speaks to the other modules through their services: at run time it imports none
of their models, views, forms or API (imports for type checking only, and foreign keys by name, are fine)."""

import ast
from pathlib import Path

import kenes.control

PEERS = ("council", "strategy", "threats")
PRIVATE = ("models", "views", "forms", "api")
ROOT = Path(kenes.control.__file__).parent


def _runtime_imports(tree: ast.AST) -> list[str]:
    """The modules a file imports, leaving out the ``if TYPE_CHECKING:`` blocks."""
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.extend([node.module, *(f"{node.module}.{alias.name}" for alias in node.names)])
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _forbidden(module: str) -> bool:
    parts = module.split(".")
    return len(parts) >= 3 and parts[0] == "kenes" and parts[1] in PEERS and parts[2] in PRIVATE


def test_control_imports_no_model_view_or_form_of_another_module():
    offending = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in ROOT.rglob("*.py")
        if "migrations" not in path.parts
        for module in _runtime_imports(ast.parse(path.read_text()))
        if _forbidden(module)
    }
    assert not offending


def test_the_check_sees_an_import_of_a_peer_model_and_forgives_one_for_type_checking():
    code = "from typing import TYPE_CHECKING\nfrom kenes.council.models import Decision\n"
    assert [m for m in _runtime_imports(ast.parse(code)) if _forbidden(m)] == [
        "kenes.council.models",
        "kenes.council.models.Decision",
    ]
    guarded = "if TYPE_CHECKING:\n    from kenes.council.models import Decision\nfrom kenes.council import services\n"
    assert not [m for m in _runtime_imports(ast.parse(guarded)) if _forbidden(m)]
