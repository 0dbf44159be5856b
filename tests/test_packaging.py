"""src/ ships as the `duzhan` package: every directory listed, every data file included, the
install one that editors and type checkers can follow, and nothing imports `src`."""
from __future__ import annotations

import ast
import fnmatch
import importlib.util
import sys
import tomllib
from pathlib import Path

from tests.conftest import files_missing_from_install

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]


def _src_files() -> list[Path]:
    return [p for p in SRC.rglob("*") if p.is_file() and "__pycache__" not in p.parts]


def _package_of(directory: Path) -> str:
    return ".".join(["duzhan", *directory.relative_to(SRC).parts])


def test_src_is_installed_as_duzhan():
    assert SETUPTOOLS["package-dir"] == {"duzhan": "src"}


def test_pyproject_lists_every_package_under_src():
    # data-only directories too: setuptools warns "… is absent from the packages" otherwise
    on_disk = {_package_of(p.parent) for p in _src_files()}
    listed = set(SETUPTOOLS["packages"])
    assert sorted(on_disk - listed) == [], "add to [tool.setuptools] packages in pyproject.toml"
    assert sorted(listed - on_disk) == [], "listed in pyproject.toml but not under src/"


def test_package_data_covers_every_data_file():
    patterns = SETUPTOOLS["package-data"]
    data = [p for p in _src_files() if p.suffix not in (".py", ".pyc")]
    uncovered = [str(p.relative_to(SRC)) for p in data
                 if not any(fnmatch.fnmatch(p.name, glob)
                            for glob in patterns.get(_package_of(p.parent), []))]
    assert uncovered == [], "add to [tool.setuptools.package-data] in pyproject.toml"
    names = {str(p.relative_to(SRC)) for p in data}
    assert "store/migrations/script.py.mako" in names  # alembic's template for new revisions
    assert {n for n in names if n.startswith("i18n/catalogue/") and n.endswith(".toml")}


def test_duzhan_is_a_plain_directory_on_the_path():
    # strict editable (`make install`): a link tree editors and type checkers read as is,
    # not an import hook that only the running interpreter understands
    origin = Path(importlib.util.find_spec("duzhan").origin)
    assert origin.parent.name == "duzhan"
    assert str(origin.parent.parent) in sys.path
    assert files_missing_from_install(SRC, origin.parent) == []


def test_a_file_added_since_the_install_is_reported(tmp_path):
    src, installed = tmp_path / "src", tmp_path / "installed"
    for root in (src, installed):
        (root / "geo").mkdir(parents=True)
        (root / "geo" / "__init__.py").write_text("")
    (src / "geo" / "classify.py").write_text("")
    (src / "geo" / "__pycache__").mkdir()
    (src / "geo" / "__pycache__" / "classify.cpython-311.pyc").write_text("")
    assert files_missing_from_install(src, installed) == ["geo/classify.py"]


def test_nothing_imports_src():
    offenders = []
    skip = {".venv", "build", ".git"}
    for path in REPO.rglob("*.py"):
        if skip.intersection(path.relative_to(REPO).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                     else [])
            if any(name == "src" or name.startswith("src.") for name in names):
                offenders.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert offenders == [], "import duzhan.*, never src.*"
