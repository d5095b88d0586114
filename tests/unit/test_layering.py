"""Does every import keep to the platform's layers (.importlinter, docs/architecture.md), and is no
project module imported inside a function, where it would hide a dependency from those contracts?"""
import ast
import configparser
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / ".importlinter"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

def contract_ids() -> list[str]:
    """Every contract of .importlinter, by its identifier."""
    parser = configparser.ConfigParser()
    parser.read(CONTRACTS, encoding="utf-8")
    prefix = "importlinter:contract:"
    return [section.removeprefix(prefix) for section in parser.sections() if section.startswith(prefix)]


def lint(*ids: str) -> subprocess.CompletedProcess:
    """Run import-linter on the contracts ``ids`` (no cache: nothing written into the checkout)."""
    limits = [argument for contract in ids for argument in ("--contract", contract)]
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo", *limits, str(CONTRACTS)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_every_contract_holds():
    """Do the engine, the reports, the shell, the bank, the accounts, the sockets and every layer import
    only what they may?"""
    contracts = contract_ids()
    assert {"engine-is-pure", "layers", "sockets-and-reports-are-apart"} <= set(contracts)
    result = lint(*contracts)
    assert result.returncode == 0, result.stdout + result.stderr


# --- no import hidden in a function -------------------------------------------------------------

PROJECT_DIRECTORIES = ("accounts", "audience", "bench", "contest", "contest_setup", "live", "operations", "play", "preliminary", "question_bank",
                       "results", "storage", "web")

ALLOWED = {
    # The composition root: each package's register(app) (called by factory._register_parts) pulls
    # in its pages and namespaces only when an app is built, so importing a package's pure modules
    # (contest.*, results.history, question_bank.schema …) never loads Flask views or sockets.
    ("factory.py", "_register_parts"),
    ("accounts/__init__.py", "register"),
    ("audience/__init__.py", "register"),
    ("contest_setup/__init__.py", "register"),
    ("live/__init__.py", "register"),
    ("preliminary/__init__.py", "register"),
    ("question_bank/__init__.py", "register"),
    ("results/__init__.py", "register"),
    # async_server must import nothing but the standard library before the green-thread server
    # patches it (app.py): the guard is fitted to the server only once the server is chosen.
    ("async_server.py", "guard_connections"),
    # The text, Word and old-spreadsheet readers build formats' Table and raise its FormatError;
    # formats dispatches to them by extension. A cycle resolved at call time, to be removed by
    # moving Table and FormatError into their own module.
    ("question_bank/formats.py", "read_txt"),
    ("question_bank/formats.py", "read_docx"),
    ("question_bank/formats.py", "read_xls"),
    ("question_bank/formats.py", "read_ods"),
    # Benchmarks time a fresh import, build an app only for the measurement asked for, or patch
    # the server's modules to profile them: importing at the top would measure the wrong thing.
    ("bench/import_speed.py", "generate_drafts"),
    ("bench/import_speed.py", "generate_file"),
    ("bench/import_speed.py", "fresh_app"),
    ("bench/import_speed.py", "bank_app"),
    ("bench/import_speed.py", "import_once"),
    ("bench/latency_profile.py", "watch_window"),
    ("bench/latency_profile.py", "instrument"),
    ("bench/preliminary_cpu.py", "build_round"),
    ("bench/audience_cpu.py", "build"),
    ("bench/audience_cpu.py", "cpu_per_event"),
    ("bench/preliminary_cpu.py", "platform_cpu"),
    ("bench/preliminary_cpu.py", "bare_cpu_here"),
}
"""(file, function) pairs that may import a project module inside the function, and why."""


def project_names() -> set[str]:
    """The top-level names a project import starts with: the packages and the loose modules."""
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    return packages | {path.stem for path in ROOT.glob("*.py")}


def source_files() -> list[Path]:
    """The platform's Python files (the tests may import inside a test, to test an import)."""
    files = sorted(ROOT.glob("*.py"))
    for directory in PROJECT_DIRECTORIES:
        files += sorted((ROOT / directory).rglob("*.py"))
    return files


def imports_in_functions(tree: ast.AST, project: set[str]) -> set[tuple[str, str]]:
    """(function, imported module) for each project module imported inside a function of ``tree``."""
    found = set()
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""] if node.level == 0 else ["(relative)"]
            else:
                continue
            found |= {(function.name, module) for module in modules
                      if module == "(relative)" or module.split(".")[0] in project}
    return found


def test_the_checker_finds_an_import_inside_a_function():
    """Does the check see a project import in a nested function, and not a standard-library one?"""
    tree = ast.parse("def outer():\n    def inner():\n        from contest import rules\n    import json\n")
    assert imports_in_functions(tree, {"contest"}) == {("outer", "contest"), ("inner", "contest")}


def test_no_project_module_is_imported_inside_a_function_outside_the_allow_list():
    """Is every dependency of the platform at the top of its file, where the contracts see it?"""
    project = project_names()
    found = set()
    for path in source_files():
        name = path.relative_to(ROOT).as_posix()
        for function, module in imports_in_functions(ast.parse(path.read_text(encoding="utf-8")), project):
            found.add((name, function, module))
    hidden = sorted(entry for entry in found if entry[:2] not in ALLOWED)
    assert not hidden, "在函数内导入了项目模块（请移到文件开头，或在 ALLOWED 中说明原因）：" + repr(hidden)
    stale = ALLOWED - {entry[:2] for entry in found}
    assert not stale, f"ALLOWED 中这些条目已不再需要，请删除：{sorted(stale)}"
