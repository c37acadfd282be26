"""The measurement package stays pure: no Django, no float, no builtin round()."""

import ast
from pathlib import Path

import nap1325.measurement

PACKAGE = Path(nap1325.measurement.__file__).parent
SOURCES = sorted(PACKAGE.glob("*.py"))


def test_no_django_float_or_round_in_the_package():
    assert SOURCES
    problems = []
    for source in SOURCES:
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                names = []
            problems += [
                f"{source.name}: imports {name}" for name in names if name.split(".")[0] == "django"
            ]
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("float", "round")
            ):
                problems.append(f"{source.name}:{node.lineno}: calls {node.func.id}()")
            if isinstance(node, ast.Constant) and isinstance(node.value, float):
                problems.append(f"{source.name}:{node.lineno}: float literal")
    assert problems == []


def test_public_api_is_exported():
    for name in nap1325.measurement.__all__:
        assert hasattr(nap1325.measurement, name), name
