"""Rules of the code that a reviewer should not have to check by eye: modules stay small enough to
read (800 lines), functions short enough to hold in one's head (60 lines, from ``def`` to the last
line). A module that grows past them is split by topic (a package whose ``__init__`` keeps the public
names), a function into named steps."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "kenes"
MAX_MODULE_LINES = 800
MAX_FUNCTION_LINES = 60


def _modules() -> list[Path]:
    return sorted(path for path in ROOT.rglob("*.py") if "migrations" not in path.parts)


def _long_functions(source: str) -> list[tuple[str, int, int]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append((node.name, node.lineno, length))
    return found


def test_the_rules_see_the_code():
    assert len(_modules()) > 150  # the walk finds the package, not an empty folder


def test_no_module_is_too_long():
    long = {}
    for path in _modules():
        lines = path.read_text(encoding="utf-8").count("\n")
        if lines > MAX_MODULE_LINES:
            long[str(path.relative_to(ROOT.parent))] = lines
    assert not long, f"split by topic (at most {MAX_MODULE_LINES} lines each): {long}"


def test_no_function_is_too_long():
    long = [
        f"{path.relative_to(ROOT.parent)}:{line} {name} ({length} lines)"
        for path in _modules()
        for name, line, length in _long_functions(path.read_text(encoding="utf-8"))
    ]
    assert not long, f"split into named steps (at most {MAX_FUNCTION_LINES} lines each): {long}"


def test_a_long_function_is_found():
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    assert _long_functions(f"def short():\n    pass\n\ndef long():\n{body}\n") == [("long", 4, 61)]
